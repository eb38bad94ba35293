package io.remit.scheduler.engine;

import io.remit.scheduler.plan.TaskEvent;

/**
 * A task status update, translated from Mesos by the adapter.
 *
 * @param mesosState the Mesos state's name, e.g. TASK_RUNNING
 * @param healthy the health flag when the update carried one
 * @param message the status message (failure reason, exit code and log tail), may be null
 */
public record TaskUpdate(String taskId, String agentId, String mesosState, TaskEvent event, Boolean healthy,
                         String message, boolean reconciliation) {
}
