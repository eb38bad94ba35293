package io.remit.scheduler.plan;

/** Where an instance (a Mesos task) is in its life, as the scheduler records it. */
public enum TaskState {
    /** Placed on an offer and recorded, LAUNCH not yet sent. */
    PENDING,
    /** LAUNCH sent (Mesos TASK_STAGING). */
    LAUNCHED,
    /** The executor is starting the service (TASK_STARTING). */
    STARTING,
    /** The process runs but its health check does not pass (yet, or any more). */
    RUNNING_UNHEALTHY,
    /** Running and passing its health check; the only state that counts as serving. */
    HEALTHY,
    /** KILL sent, waiting for the task to end. */
    KILLING,
    FINISHED,
    FAILED,
    KILLED,
    LOST,
    ERROR;

    public boolean isTerminal() {
        return ordinal() >= FINISHED.ordinal();
    }

    /** Neither ended nor being killed: counts towards the service's instances. */
    public boolean isActive() {
        return !isTerminal() && this != KILLING;
    }
}
