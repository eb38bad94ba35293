package io.remit.scheduler.state;

import io.remit.scheduler.plan.TaskState;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What the scheduler knows of one instance: written to etcd ({@code /remit/tasks/<task-id>})
 * before its LAUNCH is sent, and on every change after, so that a successor scheduler knows what
 * to reconcile and adopt.
 *
 * @param revision the spec revision the instance runs
 * @param healthy the executor's last health verdict, null before the first one
 * @param mesosState the last Mesos state seen (e.g. TASK_RUNNING), null before any update
 * @param message the last status message (failure reasons, exit codes, log tails)
 */
public record TaskRecord(String taskId, String serviceId, String revision, String version, TaskState state,
                         Boolean healthy, String agentId, String hostname, Map<String, Integer> ports,
                         Instant launchedAt, Instant updatedAt, String mesosState, String message) {

    public TaskRecord {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(serviceId, "serviceId");
        Objects.requireNonNull(state, "state");
        ports = ports == null ? Map.of() : Map.copyOf(ports);
    }

    public TaskRecord with(TaskState newState, Boolean newHealthy, String newMesosState, String newMessage, Instant at) {
        return new TaskRecord(taskId, serviceId, revision, version, newState, newHealthy, agentId, hostname, ports,
                launchedAt, at, newMesosState, newMessage);
    }
}
