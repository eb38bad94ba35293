package io.remit.localcluster.agent;

import com.google.protobuf.ByteString;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskStatus;

/** What an agent reports to its master. Thread-safe; callable from any agent thread. */
public interface MasterLink {

    /**
     * A status update for a task, carrying a uuid. The agent resends it until the framework
     * acknowledges it through {@link AgentHandle#acknowledge}. {@code latest} is the newest
     * update the agent holds for the task (the same as {@code status} unless later ones wait
     * behind it): the master knows the task's state from it, as from Mesos's
     * {@code latest_state}.
     */
    void statusUpdate(AgentID agentId, FrameworkID frameworkId, TaskStatus status, TaskStatus latest);

    /** Opaque bytes an executor sent its scheduler (the executor API's MESSAGE call); not retried. */
    void executorMessage(AgentID agentId, FrameworkID frameworkId, ExecutorID executorId, ByteString data);

    /** An executor ended; the master releases its resources. */
    void executorTerminated(AgentID agentId, FrameworkID frameworkId, ExecutorID executorId, int status);
}
