package io.remit.scheduler.capacity;

import io.remit.scheduler.placement.PortRange;
import java.util.List;
import java.util.Map;

/**
 * One agent as the Mesos master reports it: everything it has, what tasks and executors of any
 * framework use, and the port ranges still free.
 */
public record AgentCapacity(String agentId, String hostname, Map<String, String> attributes, Amounts total,
                            Amounts used, List<PortRange> freePorts) {

    public AgentCapacity {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        freePorts = freePorts == null ? List.of() : List.copyOf(freePorts);
    }

    public Amounts free() {
        return total.minus(used);
    }
}
