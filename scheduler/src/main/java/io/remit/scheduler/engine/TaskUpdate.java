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

    /** Whether Mesos says the task has ended (the task may be one Remit has no record of). */
    public boolean isTerminal() {
        return switch (mesosState) {
            case "TASK_FINISHED", "TASK_FAILED", "TASK_KILLED", "TASK_ERROR", "TASK_LOST", "TASK_DROPPED", "TASK_GONE",
                    "TASK_GONE_BY_OPERATOR", "TASK_UNKNOWN" -> true;
            default -> false;
        };
    }
}
