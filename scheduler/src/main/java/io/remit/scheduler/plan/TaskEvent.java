package io.remit.scheduler.plan;

/**
 * What can happen to a task. The Mesos adapter maps status updates: TASK_STAGING to
 * {@link #STAGING}, TASK_STARTING to {@link #STARTING}, TASK_RUNNING to {@link #RUNNING_HEALTHY}
 * or {@link #RUNNING_UNHEALTHY} by its {@code healthy} flag, TASK_KILLING to {@link #KILLING},
 * TASK_FINISHED, TASK_FAILED, TASK_KILLED and TASK_ERROR to their namesakes, and TASK_LOST,
 * TASK_DROPPED, TASK_GONE, TASK_GONE_BY_OPERATOR, TASK_UNREACHABLE and TASK_UNKNOWN to
 * {@link #LOST}.
 */
public enum TaskEvent {
    /** The scheduler sent ACCEPT with LAUNCH for the task. */
    LAUNCH_SENT,
    STAGING,
    STARTING,
    RUNNING_UNHEALTHY,
    RUNNING_HEALTHY,
    /** The scheduler decided to kill the task (scale down, replacement, removal). */
    KILL_REQUESTED,
    /** The agent reports it is killing the task (TASK_KILLING). */
    KILLING,
    FINISHED,
    FAILED,
    KILLED,
    LOST,
    ERROR
}
