package io.remit.scheduler.plan;

import java.time.Instant;
import java.util.Objects;

/**
 * What the planner knows of one task.
 *
 * @param taskId the Mesos task id
 * @param serviceId the service it is an instance of
 * @param revision the {@link io.remit.scheduler.spec.SpecRevision} it was started from
 * @param state its state
 * @param launchedAt when it was placed (for "newest first" and "oldest first")
 */
public record TaskView(String taskId, String serviceId, String revision, TaskState state, Instant launchedAt) {

    public TaskView {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(serviceId, "serviceId");
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(launchedAt, "launchedAt");
    }
}
