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
 * @param executorPort the port reserved for the instance's executor on its agent, where it serves
 *     its metrics; null for an instance launched without one (by a scheduler before this field)
 */
public record TaskRecord(String taskId, String serviceId, String revision, String version, TaskState state,
                         Boolean healthy, String agentId, String hostname, Map<String, Integer> ports,
                         Instant launchedAt, Instant updatedAt, String mesosState, String message, Integer executorPort) {

    public TaskRecord {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(serviceId, "serviceId");
        Objects.requireNonNull(state, "state");
        ports = ports == null ? Map.of() : Map.copyOf(ports);
    }

    /** A record without an executor port. */
    public TaskRecord(String taskId, String serviceId, String revision, String version, TaskState state,
                      Boolean healthy, String agentId, String hostname, Map<String, Integer> ports,
                      Instant launchedAt, Instant updatedAt, String mesosState, String message) {
        this(taskId, serviceId, revision, version, state, healthy, agentId, hostname, ports, launchedAt, updatedAt,
                mesosState, message, null);
    }

    public TaskRecord with(TaskState newState, Boolean newHealthy, String newMesosState, String newMessage, Instant at) {
        return new TaskRecord(taskId, serviceId, revision, version, newState, newHealthy, agentId, hostname, ports,
                launchedAt, at, newMesosState, newMessage, executorPort);
    }
}
