package io.remit.localcluster.agent;

import com.google.protobuf.ByteString;
import java.util.List;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;

/**
 * What the master may ask of an agent. Every method returns at once: the agent carries the
 * request out on its own thread and reports back through {@link MasterLink}. Implementations
 * must never call the master while the caller may be holding the master's lock in a way that
 * waits for the agent.
 */
public interface AgentHandle {

    /** The agent's id, hostname, port, total resources and attributes. */
    AgentInfo info();

    /** Launches a task, with its custom executor (the task's {@code executor}) or its command. */
    void launch(FrameworkInfo framework, TaskInfo task);

    /** Kills a task, honouring the kill policy's grace period where given. */
    void kill(FrameworkID frameworkId, TaskID taskId, KillPolicy killPolicy);

    /** The framework acknowledged the status update {@code uuid} of the task. */
    void acknowledge(FrameworkID frameworkId, TaskID taskId, ByteString uuid);

    /** Shuts one executor down (SHUTDOWN event, grace period, then kill). */
    void shutdownExecutor(FrameworkID frameworkId, ExecutorID executorId);

    /** Shuts down every executor and task of a framework that was removed. */
    void shutdownFramework(FrameworkID frameworkId);

    /** Delivers a framework message to an executor. */
    void frameworkMessage(FrameworkID frameworkId, ExecutorID executorId, ByteString data);

    /** The tasks the agent runs, with their latest state, for re-registration with a restarted master. */
    List<RunningTask> tasks();

    /**
     * What of {@code available} may be offered now: all of it, unless something outside the
     * cluster holds part of it (a port some other process on the host is bound to).
     */
    default io.remit.localcluster.resources.Resources offerable(io.remit.localcluster.resources.Resources available) {
        return available;
    }

    /** Stops the agent and everything it runs, reporting nothing further. */
    void stop();

    /**
     * Stops the agent but leaves what it runs running, as a Mesos agent process that exits: its
     * checkpoint is written first, so that the next agent on the same work dir takes the tasks
     * back and their executors re-subscribe to it. An agent that runs nothing just stops.
     */
    default void detach() {
        stop();
    }

    /** A task the agent knows, with its latest status. */
    record RunningTask(FrameworkInfo framework, TaskInfo task, org.apache.mesos.v1.Protos.TaskStatus latest) {
    }
}
