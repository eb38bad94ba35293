package io.remit.localcluster.master;

import java.time.Clock;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

/** Status updates the master makes itself: they carry no uuid and need no acknowledgement. */
final class Statuses {

    private Statuses() {
    }

    static TaskStatus master(TaskID taskId, AgentID agentId, org.apache.mesos.v1.Protos.TaskState state, TaskStatus.Reason reason,
                             String message, Clock clock) {
        TaskStatus.Builder b = TaskStatus.newBuilder()
                .setTaskId(taskId)
                .setState(state)
                .setSource(TaskStatus.Source.SOURCE_MASTER)
                .setReason(reason)
                .setMessage(message)
                .setTimestamp(clock.millis() / 1000.0);
        if (agentId != null && !agentId.getValue().isEmpty()) {
            b.setAgentId(agentId);
        }
        return b.build();
    }
}
