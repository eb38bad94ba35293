package io.remit.localcluster.master;

import io.remit.localcluster.resources.Resources;
import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskStatus;

/** The master's record of one task. Guarded by the master's lock. */
final class TaskRecord {

    final TaskInfo info;
    final String frameworkId;
    final String agentId;
    final Resources resources;
    Protos.TaskState state;
    TaskStatus latest;
    final List<TaskStatus> statuses = new ArrayList<>();

    TaskRecord(TaskInfo info, String frameworkId, Resources resources, TaskStatus initial) {
        this.info = info;
        this.frameworkId = frameworkId;
        this.agentId = info.getAgentId().getValue();
        this.resources = resources;
        this.state = initial.getState();
        this.latest = initial;
    }

    boolean terminal() {
        return isTerminal(state);
    }

    static boolean isTerminal(Protos.TaskState s) {
        return switch (s) {
            case TASK_FINISHED, TASK_FAILED, TASK_KILLED, TASK_ERROR, TASK_LOST, TASK_DROPPED, TASK_GONE,
                    TASK_GONE_BY_OPERATOR -> true;
            default -> false;
        };
    }
}
