package io.remit.localcluster.agent;

import io.remit.localcluster.http.EventStream;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.TaskInfo;

/** A custom executor's life on the agent. Confined to the agent's thread. */
final class ExecutorRun {

    enum Phase { LAUNCHING, REGISTERING, RUNNING, TERMINATING, TERMINATED }

    final SandboxRun run;
    final ExecutorInfo info;
    Phase phase = Phase.LAUNCHING;
    /** The executor's process once started; a recovered one is not this JVM's child. */
    ProcessHandle process;
    /** The process's start time, with its pid naming it in a checkpoint. */
    String startTime;
    /** Taken back from a checkpoint after the agent restarted; waits for the executor to re-subscribe. */
    boolean recovered;
    EventStream stream;
    ScheduledFuture<?> registrationTimer;
    ScheduledFuture<?> shutdownTimer;
    /** Tasks waiting for the executor to subscribe. */
    final Map<String, TaskInfo> queued = new LinkedHashMap<>();
    /** Tasks handed to the executor that have not reached a terminal state. */
    final Map<String, TaskInfo> launched = new LinkedHashMap<>();
    final Set<String> killRequested = new LinkedHashSet<>();
    String failure;

    ExecutorRun(SandboxRun run, ExecutorInfo info) {
        this.run = run;
        this.info = info;
    }

    boolean subscribed() {
        return stream != null && !stream.isClosed();
    }
}
