package io.remit.scheduler.engine;

import io.remit.scheduler.plan.BackoffStatus;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.state.TaskRecord;
import java.util.List;
import java.util.Map;

/**
 * An immutable copy of what the engine knows, published after every change for readers (REST,
 * metrics) on other threads.
 *
 * @param waiting why a service's missing instances are not launched, by service id
 * @param recentlyEnded instances that ended lately, newest last (for failure messages)
 * @param reconciling tasks whose state Mesos has not confirmed since the last (re)subscribe
 */
public record EngineSnapshot(Map<String, ServiceSpec> specs, Map<String, TaskRecord> tasks,
                             List<TaskRecord> recentlyEnded, Map<String, String> waiting,
                             Map<String, BackoffStatus> backoff, Map<String, AgentView> agents,
                             boolean subscribed, boolean suppressed, int reconciling) {

    public static final EngineSnapshot EMPTY = new EngineSnapshot(Map.of(), Map.of(), List.of(), Map.of(), Map.of(),
            Map.of(), false, false, 0);
}
