package io.remit.scheduler.events;

import io.remit.scheduler.engine.AgentView;
import io.remit.scheduler.engine.EngineSnapshot;
import io.remit.scheduler.plan.TaskState;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.state.TaskRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The events between two engine snapshots, a pure function. Types:
 *
 * <ul>
 *   <li>{@code service.created}, {@code service.changed} (with {@code instances} and {@code version}),
 *       {@code service.deleted};</li>
 *   <li>{@code instance.launched}, {@code instance.starting}, {@code instance.running} (up, health
 *       not passing yet), {@code instance.healthy}, {@code instance.unhealthy} (was healthy),
 *       {@code instance.killing}, and the ends {@code instance.finished}, {@code instance.failed},
 *       {@code instance.killed}, {@code instance.lost}, {@code instance.error} (with Mesos's
 *       state and message);</li>
 *   <li>{@code agent.added}, {@code agent.removed}.</li>
 * </ul>
 *
 * {@code leader.changed} comes from the leadership, not from snapshots.
 */
public final class SnapshotDiff {

    /** An event before it has an id and a time. */
    public record Change(String type, Map<String, Object> data) {
    }

    private SnapshotDiff() {
    }

    public static List<Change> between(EngineSnapshot before, EngineSnapshot after) {
        List<Change> out = new ArrayList<>();
        services(before.specs(), after.specs(), out);
        tasks(before, after, out);
        agents(before.agents(), after.agents(), out);
        return out;
    }

    private static void services(Map<String, ServiceSpec> before, Map<String, ServiceSpec> after, List<Change> out) {
        if (before == after) {
            return;
        }
        after.forEach((id, spec) -> {
            ServiceSpec old = before.get(id);
            if (old == null) {
                out.add(new Change("service.created", service(spec)));
            } else if (!old.equals(spec)) {
                out.add(new Change("service.changed", service(spec)));
            }
        });
        before.keySet().stream().filter(id -> !after.containsKey(id))
                .forEach(id -> out.add(new Change("service.deleted", Map.of("service", id))));
    }

    private static Map<String, Object> service(ServiceSpec spec) {
        return Map.of("service", spec.id(), "version", spec.version(), "instances", spec.instances());
    }

    private static void tasks(EngineSnapshot before, EngineSnapshot after, List<Change> out) {
        Map<String, TaskRecord> was = before.tasks();
        Map<String, TaskRecord> now = after.tasks();
        for (TaskRecord t : now.values()) {
            TaskRecord old = was.get(t.taskId());
            if (old == t) {
                continue;
            }
            String type = transition(old, t);
            if (type != null) {
                out.add(new Change(type, instance(t)));
            }
        }
        // Tasks that left the live map ended; their final record is in recentlyEnded.
        if (was.size() > 0) {
            Map<String, TaskRecord> endedNow = new LinkedHashMap<>();
            for (TaskRecord t : after.recentlyEnded()) {
                endedNow.put(t.taskId(), t);
            }
            for (TaskRecord old : was.values()) {
                if (!now.containsKey(old.taskId())) {
                    TaskRecord end = endedNow.get(old.taskId());
                    if (end != null && end.state() != old.state()) {
                        out.add(new Change("instance." + end.state().name().toLowerCase(), instance(end)));
                    }
                }
            }
        }
    }

    /** The event for a task that changed from {@code old} (null: new) to {@code t}; null when nothing to tell. */
    private static String transition(TaskRecord old, TaskRecord t) {
        TaskState s = t.state();
        TaskState was = old == null ? null : old.state();
        if (was == s) {
            return null;
        }
        return switch (s) {
            case PENDING -> null;
            case LAUNCHED -> "instance.launched";
            case STARTING -> "instance.starting";
            case RUNNING_UNHEALTHY -> was == TaskState.HEALTHY ? "instance.unhealthy" : "instance.running";
            case HEALTHY -> "instance.healthy";
            case KILLING -> "instance.killing";
            default -> "instance." + s.name().toLowerCase();
        };
    }

    private static Map<String, Object> instance(TaskRecord t) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("service", t.serviceId());
        data.put("taskId", t.taskId());
        data.put("state", t.state().name());
        if (t.version() != null) {
            data.put("version", t.version());
        }
        if (t.hostname() != null) {
            data.put("host", t.hostname());
        }
        if (t.agentId() != null) {
            data.put("agentId", t.agentId());
        }
        if (!t.ports().isEmpty()) {
            data.put("ports", t.ports());
        }
        if (t.updatedAt() != null) {
            // When the engine applied the update behind this event (event latency is measured from it).
            data.put("updatedAt", t.updatedAt().toString());
        }
        if (t.state().isTerminal()) {
            if (t.mesosState() != null) {
                data.put("mesosState", t.mesosState());
            }
            if (t.message() != null) {
                data.put("message", t.message());
            }
        }
        return data;
    }

    private static void agents(Map<String, AgentView> before, Map<String, AgentView> after, List<Change> out) {
        if (before == after) {
            return;
        }
        after.forEach((id, a) -> {
            if (!before.containsKey(id)) {
                out.add(new Change("agent.added", Map.of("agentId", id, "host", Objects.toString(a.hostname(), ""))));
            }
        });
        before.forEach((id, a) -> {
            if (!after.containsKey(id)) {
                out.add(new Change("agent.removed", Map.of("agentId", id, "host", Objects.toString(a.hostname(), ""))));
            }
        });
    }
}
