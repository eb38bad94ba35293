package io.remit.scheduler.mesos;

import io.remit.scheduler.engine.TaskUpdate;
import io.remit.scheduler.plan.TaskEvent;
import org.apache.mesos.v1.Protos;

/** Mesos task statuses as the engine's {@link TaskUpdate}s. */
final class Statuses {

    private Statuses() {
    }

    static TaskUpdate update(Protos.TaskStatus s) {
        return new TaskUpdate(s.getTaskId().getValue(), s.hasAgentId() ? s.getAgentId().getValue() : null,
                s.getState().name(), event(s), s.hasHealthy() ? s.getHealthy() : null,
                s.hasMessage() && !s.getMessage().isEmpty() ? s.getMessage() : null,
                s.getReason() == Protos.TaskStatus.Reason.REASON_RECONCILIATION);
    }

    static TaskEvent event(Protos.TaskStatus s) {
        return switch (s.getState()) {
            case TASK_STAGING -> TaskEvent.STAGING;
            case TASK_STARTING -> TaskEvent.STARTING;
            case TASK_RUNNING -> s.hasHealthy() && s.getHealthy() ? TaskEvent.RUNNING_HEALTHY : TaskEvent.RUNNING_UNHEALTHY;
            case TASK_KILLING -> TaskEvent.KILLING;
            case TASK_FINISHED -> TaskEvent.FINISHED;
            case TASK_FAILED -> TaskEvent.FAILED;
            case TASK_KILLED -> TaskEvent.KILLED;
            case TASK_ERROR -> TaskEvent.ERROR;
            default -> TaskEvent.LOST;
        };
    }
}
