package io.remit.localcluster.master;

import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * Answers RECONCILE as the Mesos master does: every answer is an UPDATE from the master with
 * {@code REASON_RECONCILIATION} and no uuid, so it needs no acknowledgement.
 */
final class Reconciler {

    private Reconciler() {
    }

    static void reconcile(Master master, FrameworkState fw, Call.Reconcile reconcile) {
        if (reconcile.getTasksCount() == 0) {
            for (TaskRecord task : fw.tasks.values()) {
                master.send(fw, Events.update(latest(task, master)));
            }
            return;
        }
        for (Call.Reconcile.Task wanted : reconcile.getTasksList()) {
            String id = wanted.getTaskId().getValue();
            TaskRecord task = fw.tasks.get(id);
            if (task == null) {
                for (TaskRecord done : fw.completedTasks) {
                    if (done.info.getTaskId().getValue().equals(id)) {
                        task = done;
                    }
                }
            }
            if (task != null) {
                master.send(fw, Events.update(latest(task, master)));
                continue;
            }
            Protos.AgentID agentId = wanted.hasAgentId() ? wanted.getAgentId() : null;
            boolean agentKnown = agentId != null && master.agents.containsKey(agentId.getValue());
            Protos.TaskState state;
            String message;
            if (agentId != null && master.isGone(agentId.getValue())) {
                state = fw.partitionAware() ? Protos.TaskState.TASK_GONE_BY_OPERATOR : Protos.TaskState.TASK_LOST;
                message = "Reconciliation: Task is gone";
            } else if (agentKnown) {
                state = fw.partitionAware() ? Protos.TaskState.TASK_GONE : Protos.TaskState.TASK_LOST;
                message = "Reconciliation: Task is unknown to the agent";
            } else {
                state = fw.partitionAware() ? Protos.TaskState.TASK_UNKNOWN : Protos.TaskState.TASK_LOST;
                message = "Reconciliation: Task is unknown";
            }
            master.send(fw, Events.update(Statuses.master(wanted.getTaskId(), agentId, state,
                    TaskStatus.Reason.REASON_RECONCILIATION, message, master.clock)));
        }
    }

    private static TaskStatus latest(TaskRecord task, Master master) {
        TaskStatus.Builder b = task.latest.toBuilder()
                .clearUuid()
                .setSource(TaskStatus.Source.SOURCE_MASTER)
                .setReason(TaskStatus.Reason.REASON_RECONCILIATION)
                .setMessage("Reconciliation: Latest task state")
                .setTimestamp(master.clock.millis() / 1000.0);
        if (!b.hasAgentId()) {
            b.setAgentId(task.info.getAgentId());
        }
        return b.build();
    }
}
