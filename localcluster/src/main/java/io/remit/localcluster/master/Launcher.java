package io.remit.localcluster.master;

import io.remit.localcluster.agent.AgentHandle;
import io.remit.localcluster.resources.Resources;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.Offer.Operation;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** ACCEPT with LAUNCH, and KILL: validation, resource accounting and hand-off to agents. Master's lock held. */
final class Launcher {

    private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

    private final Master master;

    Launcher(Master master) {
        this.master = master;
    }

    void accept(FrameworkState fw, Call.Accept accept) {
        Offers.Taken taken = master.offerBook().take(fw, accept.getOfferIdsList());
        if (taken.error() != null) {
            refuseAll(fw, accept.getOperationsList(), taken.error());
            return;
        }
        AgentState agent = master.agents.get(taken.agentId());
        Resources remaining = taken.resources();
        Map<String, ExecutorInfo> newExecutors = new HashMap<>();
        for (Operation op : accept.getOperationsList()) {
            switch (op.getType()) {
                case LAUNCH -> {
                    for (TaskInfo task : op.getLaunch().getTaskInfosList()) {
                        remaining = launch(fw, agent, task, remaining, newExecutors);
                    }
                }
                case LAUNCH_GROUP -> {
                    for (TaskInfo task : op.getLaunchGroup().getTaskGroup().getTasksList()) {
                        error(fw, task, "LAUNCH_GROUP is not supported by localcluster; use LAUNCH");
                    }
                }
                default -> LOG.info("Framework {}: operation {} is not supported by localcluster; ignored",
                        fw.id.getValue(), op.getType());
            }
        }
        master.offerBook().recover(fw, agent.id, remaining, accept.hasFilters() ? accept.getFilters() : null);
    }

    /** Validates and launches one task; returns what is left of the offered resources. */
    private Resources launch(FrameworkState fw, AgentState agent, TaskInfo task, Resources remaining,
                             Map<String, ExecutorInfo> newExecutors) {
        String error = TaskValidation.validate(fw, agent, task);
        if (error != null) {
            error(fw, task, error);
            return remaining;
        }
        Resources taskResources;
        Resources executorResources = Resources.EMPTY;
        try {
            taskResources = Resources.fromProto(task.getResourcesList());
            if (task.hasExecutor()) {
                String key = fw.id.getValue() + "/" + task.getExecutor().getExecutorId().getValue();
                if (!agent.executors.containsKey(key) && !newExecutors.containsKey(key)) {
                    executorResources = Resources.fromProto(task.getExecutor().getResourcesList());
                }
            }
        } catch (IllegalArgumentException e) {
            error(fw, task, "Task uses invalid resources: " + e.getMessage());
            return remaining;
        }
        Resources needed = taskResources.plus(executorResources);
        if (!remaining.contains(needed)) {
            error(fw, task, "Total resources " + needed + " required by task and its executor is more than available "
                    + remaining);
            return remaining;
        }
        TaskInfo.Builder placed = task.toBuilder();
        if (task.hasExecutor() && !task.getExecutor().hasFrameworkId()) {
            placed.getExecutorBuilder().setFrameworkId(fw.id);
        }
        TaskInfo launched = placed.build();
        if (task.hasExecutor()) {
            String key = fw.id.getValue() + "/" + task.getExecutor().getExecutorId().getValue();
            if (!agent.executors.containsKey(key)) {
                newExecutors.put(key, task.getExecutor());
                agent.executors.put(key, executorResources);
            }
        }
        TaskStatus staging = TaskStatus.newBuilder().setTaskId(task.getTaskId()).setState(org.apache.mesos.v1.Protos.TaskState.TASK_STAGING)
                .setAgentId(agent.info.getId()).setTimestamp(master.clock.millis() / 1000.0).build();
        fw.tasks.put(task.getTaskId().getValue(), new TaskRecord(launched, fw.id.getValue(), taskResources, staging));
        agent.handle.launch(fw.info, launched);
        LOG.info("Launching task {} of framework {} on agent {} with {}", task.getTaskId().getValue(),
                fw.id.getValue(), agent.id, needed);
        return remaining.minus(needed);
    }

    private void refuseAll(FrameworkState fw, List<Operation> operations, String reason) {
        org.apache.mesos.v1.Protos.TaskState state = fw.partitionAware() ? org.apache.mesos.v1.Protos.TaskState.TASK_DROPPED : org.apache.mesos.v1.Protos.TaskState.TASK_LOST;
        for (Operation op : operations) {
            List<TaskInfo> tasks = op.getType() == Operation.Type.LAUNCH ? op.getLaunch().getTaskInfosList()
                    : op.getType() == Operation.Type.LAUNCH_GROUP ? op.getLaunchGroup().getTaskGroup().getTasksList()
                    : List.of();
            for (TaskInfo task : tasks) {
                master.send(fw, Events.update(Statuses.master(task.getTaskId(), task.getAgentId(), state,
                        TaskStatus.Reason.REASON_INVALID_OFFERS, "Task launched with invalid offers: " + reason,
                        master.clock)));
            }
        }
    }

    private void error(FrameworkState fw, TaskInfo task, String message) {
        LOG.info("Framework {}: task {} is invalid: {}", fw.id.getValue(), task.getTaskId().getValue(), message);
        master.send(fw, Events.update(Statuses.master(task.getTaskId(), task.getAgentId(), org.apache.mesos.v1.Protos.TaskState.TASK_ERROR,
                TaskStatus.Reason.REASON_TASK_INVALID, message, master.clock)));
    }

    void kill(FrameworkState fw, Call.Kill kill) {
        TaskRecord task = fw.tasks.get(kill.getTaskId().getValue());
        if (task == null) {
            LOG.info("Cannot kill task {} of framework {}: it is unknown; reconciling",
                    kill.getTaskId().getValue(), fw.id.getValue());
            Reconciler.reconcile(master, fw, Call.Reconcile.newBuilder()
                    .addTasks(Call.Reconcile.Task.newBuilder().setTaskId(kill.getTaskId())
                            .setAgentId(kill.hasAgentId() ? kill.getAgentId() : Protos.AgentID.getDefaultInstance()))
                    .build());
            return;
        }
        if (task.terminal()) {
            return;
        }
        AgentState agent = master.agents.get(task.agentId);
        if (agent != null) {
            agent.handle.kill(fw.id, kill.getTaskId(), kill.hasKillPolicy() ? kill.getKillPolicy() : null);
        }
    }

    /** Takes a task an agent reports after a master restart into the master's view. */
    void adopt(AgentState agent, AgentHandle.RunningTask rt) {
        String fid = rt.framework().getId().getValue();
        FrameworkState fw = master.frameworks.get(fid);
        if (fw == null) {
            fw = new FrameworkState(rt.framework().getId(), rt.framework(), master.clock.instant());
            fw.unregisteredAt = master.clock.instant();
            fw.recovered = true;
            master.frameworks.put(fid, fw);
        }
        Resources resources = Resources.fromProto(rt.task().getResourcesList());
        TaskRecord task = new TaskRecord(rt.task(), fid, resources, rt.latest());
        fw.tasks.put(rt.task().getTaskId().getValue(), task);
        if (!task.terminal()) {
            agent.allocated = agent.allocated.plus(resources);
        }
        if (rt.task().hasExecutor() && !task.terminal()) {
            String key = fid + "/" + rt.task().getExecutor().getExecutorId().getValue();
            if (!agent.executors.containsKey(key)) {
                Resources er = Resources.fromProto(rt.task().getExecutor().getResourcesList());
                agent.executors.put(key, er);
                agent.allocated = agent.allocated.plus(er);
            }
        }
    }
}
