package io.remit.scheduler.plan;

/** What the shell must do after a task transition; the state machine itself does none of it. */
public enum Effect {
    /** Write the task record with its new state (etcd {@code /remit/tasks/<id>}). */
    PERSIST,
    /** Send KILL for the task to Mesos. */
    SEND_KILL,
    /** Count a failure of the service in its {@link RestartBackoff}. */
    RECORD_FAILURE,
    /** Tell the {@link RestartBackoff} an instance of the service is healthy. */
    RECORD_HEALTHY,
    /** The task is over: drop it from the live task set (its record may be archived). */
    FORGET
}
