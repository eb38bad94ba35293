package io.remit.localcluster.agent;

import com.google.protobuf.ByteString;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * An agent that runs nothing: a launched task goes straight to TASK_RUNNING (with
 * {@code healthy: true}, standing in for an executor whose health check passes), a killed one to
 * TASK_KILLED. Updates still need acknowledging, exactly as from a real agent. Many simulated
 * agents share one thread, so a thousand of them cost little more than their task tables; it
 * exists for tests and benchmarks of schedulers at scale, not as a stand-in for a real agent.
 */
public final class SimulatedAgent extends Agent {

    /** Live tasks by framework/task; touched only on the shared thread. */
    private final Map<String, TaskInfo> running = new HashMap<>();

    public SimulatedAgent(AgentInfo info, MasterLink master, ScheduledExecutorService sharedThread, Clock clock,
                          Duration updateRetryMin) {
        super(info, master, sharedThread, clock, updateRetryMin);
    }

    @Override
    protected void onLaunch(FrameworkInfo framework, TaskInfo task) {
        running.put(key(framework.getId(), task.getTaskId()), task);
        report(framework.getId(), status(task.getTaskId(), task, TaskState.TASK_RUNNING, null).toBuilder()
                .setHealthy(true).build());
    }

    @Override
    protected void onKill(FrameworkID frameworkId, TaskID taskId, KillPolicy killPolicy) {
        TaskInfo task = running.remove(key(frameworkId, taskId));
        if (task != null) {
            report(frameworkId, status(taskId, task, TaskState.TASK_KILLED, "Command terminated with signal Terminated"));
        }
    }

    @Override
    protected void onShutdownExecutor(FrameworkID frameworkId, ExecutorID executorId) {
        running.entrySet().removeIf(e -> {
            TaskInfo t = e.getValue();
            if (e.getKey().startsWith(frameworkId.getValue() + "/") && t.hasExecutor()
                    && t.getExecutor().getExecutorId().equals(executorId)) {
                report(frameworkId, status(t.getTaskId(), t, TaskState.TASK_KILLED, "Executor shut down"));
                return true;
            }
            return false;
        });
    }

    @Override
    protected void onShutdownFramework(FrameworkID frameworkId) {
        running.keySet().removeIf(k -> k.startsWith(frameworkId.getValue() + "/"));
    }

    @Override
    protected void onFrameworkMessage(FrameworkID frameworkId, ExecutorID executorId, ByteString data) {
        // Nothing runs here to receive it; Mesos drops messages for executors it cannot reach, too.
    }

    @Override
    public void stop() {
        stopped = true;
    }

    private static TaskStatus status(TaskID taskId, TaskInfo task, TaskState state, String message) {
        TaskStatus.Builder b = TaskStatus.newBuilder().setTaskId(taskId).setState(state)
                .setSource(TaskStatus.Source.SOURCE_EXECUTOR)
                .setExecutorId(task.hasExecutor() ? task.getExecutor().getExecutorId()
                        : ExecutorID.newBuilder().setValue(taskId.getValue()).build());
        if (message != null) {
            b.setMessage(message);
        }
        return b.build();
    }
}
