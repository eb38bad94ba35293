package io.remit.scheduler.events;

import io.remit.scheduler.plan.TaskState;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.state.TaskRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How each {@link SchedulerEvent} reads on {@code GET /v1/events}: its type and its data. Pure.
 * The web UI, the tests and the benchmarks read these names and fields; keep them.
 *
 * <ul>
 *   <li>{@code service.created}, {@code service.changed} (with {@code instances} and
 *       {@code version}), {@code service.deleted};</li>
 *   <li>{@code instance.launched}, {@code instance.starting}, {@code instance.running} (up, health
 *       not passing yet), {@code instance.healthy}, {@code instance.unhealthy} (was healthy),
 *       {@code instance.killing}, and the ends {@code instance.finished}, {@code instance.failed},
 *       {@code instance.killed}, {@code instance.lost}, {@code instance.error} (with Mesos's
 *       state and message); a task's PENDING step (its record written, LAUNCH not yet sent) is
 *       not told;</li>
 *   <li>{@code revision.created}: {@code service}, {@code revision} (its number), {@code who},
 *       {@code message}, {@code version} and {@code fingerprint} (what task records call their
 *       {@code revision});</li>
 *   <li>{@code agent.added}, {@code agent.removed};</li>
 *   <li>{@code leader.changed}: {@code leader} and {@code elected: true} when this scheduler
 *       leads, {@code previous} and {@code elected: false} when it stops;</li>
 *   <li>{@code experiment.changed} (created or changed: {@code name}, {@code split},
 *       {@code cohort}, {@code versions}, {@code who}) and {@code experiment.deleted}
 *       ({@code name}, {@code who}).</li>
 * </ul>
 */
public final class EventFormat {

    /** An event before it has an id and a time. */
    public record Entry(String type, Map<String, Object> data) {
    }

    private EventFormat() {
    }

    /** The event as the stream writes it; empty for a step not told (see above). */
    public static Optional<Entry> of(SchedulerEvent event) {
        if (event instanceof SchedulerEvent.TaskTransition t) {
            return instanceType(t.from(), t.to()).map(type -> new Entry(type, instance(t.task())));
        } else if (event instanceof SchedulerEvent.SpecChanged s) {
            if (s.after() == null) {
                return Optional.of(new Entry("service.deleted", Map.of("service", s.serviceId())));
            }
            if (s.after().equals(s.before())) {
                return Optional.empty();
            }
            return Optional.of(new Entry(s.before() == null ? "service.created" : "service.changed", service(s.after())));
        } else if (event instanceof SchedulerEvent.RevisionCreated r) {
            return Optional.of(new Entry("revision.created", Map.of("service", r.revision().service(),
                    "revision", r.revision().number(), "who", r.revision().who(), "message", r.revision().message(),
                    "version", r.revision().spec().version(), "fingerprint", r.revision().fingerprint())));
        } else if (event instanceof SchedulerEvent.AgentChanged a) {
            return Optional.of(new Entry(a.added() ? "agent.added" : "agent.removed",
                    Map.of("agentId", a.agentId(), "host", Objects.toString(a.hostname(), ""))));
        } else if (event instanceof SchedulerEvent.LeadershipChanged l) {
            return Optional.of(new Entry("leader.changed", l.elected()
                    ? Map.of("leader", l.self(), "elected", true) : Map.of("previous", l.self(), "elected", false)));
        } else if (event instanceof SchedulerEvent.DeploymentChanged d) {
            return Optional.of(new Entry("deployment." + d.state(), d.view()));
        } else if (event instanceof SchedulerEvent.ReleaseChanged r) {
            return Optional.of(new Entry("release." + r.state(), r.view()));
        } else if (event instanceof SchedulerEvent.ExperimentChanged x) {
            if (x.view() == null) {
                return Optional.of(new Entry("experiment.deleted", Map.of("name", x.name(), "who", x.who())));
            }
            Map<String, Object> data = new LinkedHashMap<>(x.view());
            data.put("who", x.who());
            return Optional.of(new Entry("experiment.changed", data));
        }
        throw new IllegalArgumentException("unknown event " + event);
    }

    /** The type for a task moving {@code from} (null: first seen) {@code to}; empty when not told. */
    static Optional<String> instanceType(TaskState from, TaskState to) {
        if (from == to) {
            return Optional.empty();
        }
        return Optional.ofNullable(switch (to) {
            case PENDING -> null;
            case LAUNCHED -> "instance.launched";
            case STARTING -> "instance.starting";
            case RUNNING_UNHEALTHY -> from == TaskState.HEALTHY ? "instance.unhealthy" : "instance.running";
            case HEALTHY -> "instance.healthy";
            case KILLING -> "instance.killing";
            default -> "instance." + to.name().toLowerCase(java.util.Locale.ROOT);
        });
    }

    private static Map<String, Object> service(ServiceSpec spec) {
        return Map.of("service", spec.id(), "version", spec.version(), "instances", spec.instances());
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
}
