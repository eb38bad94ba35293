package io.remit.localcluster.agent;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import org.apache.mesos.v1.Protos.TaskInfo;

/**
 * A plain command task as Mesos's command executor runs it: the command in its own process
 * group in its own sandbox, TASK_STARTING then TASK_RUNNING, and on a kill SIGTERM, then SIGKILL
 * after the grace period (3 s unless a kill policy says otherwise). Confined to the agent's
 * thread, except {@link #process}, which is set before it is shared.
 */
final class CommandTask {

    static final Duration DEFAULT_GRACE = Duration.ofSeconds(3);

    final SandboxRun run;
    final TaskInfo task;
    ProcessHandle process;
    String startTime;
    /** Taken back from a checkpoint: the process is not this JVM's child, its exit status cannot be known. */
    boolean recovered;
    boolean killing;
    ScheduledFuture<?> forceKill;

    CommandTask(SandboxRun run, TaskInfo task) {
        this.run = run;
        this.task = task;
    }

    Duration grace(org.apache.mesos.v1.Protos.KillPolicy override) {
        if (override != null && override.hasGracePeriod()) {
            return Duration.ofNanos(override.getGracePeriod().getNanoseconds());
        }
        if (task.hasKillPolicy() && task.getKillPolicy().hasGracePeriod()) {
            return Duration.ofNanos(task.getKillPolicy().getGracePeriod().getNanoseconds());
        }
        return DEFAULT_GRACE;
    }
}
