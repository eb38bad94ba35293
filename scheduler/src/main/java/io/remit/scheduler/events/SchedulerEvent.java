package io.remit.scheduler.events;

import io.remit.scheduler.plan.TaskState;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.state.TaskRecord;
import java.util.Objects;

/**
 * Something the scheduler decided or saw happen, as the part that decided it tells it: the engine
 * (task transitions, spec and agent changes), the leadership, or a standby watching the task
 * records in etcd. {@link EventJournal#record} keeps them; {@link EventFormat} says how
 * {@code GET /v1/events} writes each.
 */
public sealed interface SchedulerEvent {

    /**
     * A task moved from one state to another.
     *
     * @param from the state before; null for a task first seen in {@code to}
     * @param reason why, when known (Mesos's message, the kill's reason)
     * @param task the task's record as it is now, in {@code to}
     */
    record TaskTransition(TaskState from, TaskState to, String reason, TaskRecord task) implements SchedulerEvent {
        public TaskTransition {
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(task, "task");
        }

        public static TaskTransition of(TaskState from, TaskRecord now) {
            return new TaskTransition(from, now.state(), now.message(), now);
        }
    }

    /**
     * A service's spec was created ({@code before} null), changed, or deleted ({@code after} null).
     */
    record SpecChanged(String serviceId, ServiceSpec before, ServiceSpec after) implements SchedulerEvent {
        public SpecChanged {
            Objects.requireNonNull(serviceId, "serviceId");
            if (before == null && after == null) {
                throw new IllegalArgumentException("a spec change needs a before or an after");
            }
        }

        /** The changes that turn one full set of specs (by id) into the next, deletions first. */
        public static java.util.List<SpecChanged> from(java.util.Map<String, ServiceSpec> before,
                                                       java.util.Map<String, ServiceSpec> after) {
            java.util.List<SpecChanged> out = new java.util.ArrayList<>();
            before.forEach((id, spec) -> {
                if (!after.containsKey(id)) {
                    out.add(new SpecChanged(id, spec, null));
                }
            });
            after.forEach((id, spec) -> {
                if (!spec.equals(before.get(id))) {
                    out.add(new SpecChanged(id, before.get(id), spec));
                }
            });
            return out;
        }
    }

    /** A change of a service's spec was accepted as a new revision (stored with the spec). */
    record RevisionCreated(io.remit.scheduler.state.Revision revision) implements SchedulerEvent {
        public RevisionCreated {
            Objects.requireNonNull(revision, "revision");
        }
    }

    /** An agent was first seen in an offer ({@code added}), or left. */
    record AgentChanged(String agentId, String hostname, boolean added) implements SchedulerEvent {
        public AgentChanged {
            Objects.requireNonNull(agentId, "agentId");
        }
    }

    /** This scheduler ({@code self}, its URL) was elected leader, or stopped leading. */
    record LeadershipChanged(String self, boolean elected) implements SchedulerEvent {
        public LeadershipChanged {
            Objects.requireNonNull(self, "self");
        }
    }

    /** A deployment started, moved to another step or state, or ended; {@code view} is how the API shows it. */
    record DeploymentChanged(String id, String state, java.util.Map<String, Object> view) implements SchedulerEvent {
        public DeploymentChanged {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(state, "state");
            view = java.util.Map.copyOf(view);
        }
    }

    /** A release started, moved on to its next change, began putting changes back, or ended. */
    record ReleaseChanged(String id, String state, java.util.Map<String, Object> view) implements SchedulerEvent {
        public ReleaseChanged {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(state, "state");
            view = java.util.Map.copyOf(view);
        }
    }

    /**
     * An A/B experiment was created or changed ({@code view} is how the API shows it), or deleted
     * ({@code view} null), by {@code who}.
     */
    record ExperimentChanged(String name, String who, java.util.Map<String, Object> view) implements SchedulerEvent {
        public ExperimentChanged {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(who, "who");
            view = view == null ? null : java.util.Map.copyOf(view);
        }
    }
}
