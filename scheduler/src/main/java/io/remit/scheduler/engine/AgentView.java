package io.remit.scheduler.engine;

import java.time.Instant;
import java.util.Map;

/** An agent as the scheduler last saw it in an offer. */
public record AgentView(String agentId, String hostname, Map<String, String> attributes, double offeredCpus,
                        long offeredMemMb, Instant lastOffer) {
}
