package io.remit.scheduler.plan;

import java.util.Objects;

/** What the {@link Planner} wants done. The shell carries actions out; the planner does nothing itself. */
public sealed interface Action {

    /**
     * {@code count} instances of the service should be waiting for offers now. Absolute, not
     * incremental: the shell replaces the service's demand with it, so repeating the same decision
     * is harmless. A service with no Launch in a decision has no demand. {@code revision} names
     * the revision to start when a deployment wants another than the spec's (a canary's old one
     * being refilled, a rollback); null for the spec's own.
     */
    record Launch(String serviceId, int count, String revision) implements Action {
        public Launch {
            Objects.requireNonNull(serviceId, "serviceId");
            if (count < 1) {
                throw new IllegalArgumentException("count must be positive: " + count);
            }
        }

        /** Instances of the service's own revision (its spec's). */
        public Launch(String serviceId, int count) {
            this(serviceId, count, null);
        }
    }

    /** Kill the task. Already-killing tasks are not asked again (see {@link TaskLifecycle} for retries). */
    record Kill(String taskId, String reason) implements Action {
        public Kill {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Ask Mesos for offers again (REVIVE): something waits to be launched and offers are suppressed. */
    record Revive() implements Action {}

    /** Stop offers (SUPPRESS): nothing waits to be launched. */
    record Suppress() implements Action {}

    /**
     * The service wants instances but may not launch them now; the reason is for operators (UI,
     * logs). Changes nothing.
     */
    record Wait(String serviceId, String reason) implements Action {
        public Wait {
            Objects.requireNonNull(serviceId, "serviceId");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
