package io.remit.localcluster.agent;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every kind of agent shares: its identity, its task table and its reliable status
 * updates. Each request from the master is carried out on the agent's own thread, so subclasses
 * need no locks for their state as long as they touch it only from {@link #thread}.
 */
public abstract class Agent implements AgentHandle {

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

    protected final AgentInfo info;
    protected final MasterLink master;
    protected final ScheduledExecutorService thread;
    protected final Clock clock;
    protected final StatusUpdateManager updates;
    /** Written on {@link #thread}, read anywhere (for re-registration). Key: framework/task. */
    private final Map<String, RunningTask> known = new ConcurrentHashMap<>();
    protected volatile boolean stopped;
    /** Frameworks the master removed: their tasks' last words are not reported. Agent thread. */
    private final java.util.Set<String> removedFrameworks = new java.util.HashSet<>();

    protected Agent(AgentInfo info, MasterLink master, ScheduledExecutorService thread, Clock clock,
                    Duration updateRetryMin) {
        this.info = info;
        this.master = master;
        this.thread = thread;
        this.clock = clock;
        this.updates = new StatusUpdateManager(info.getId(), master, thread, updateRetryMin, Duration.ofMinutes(10),
                this::persistNow);
    }

    @Override
    public AgentInfo info() {
        return info;
    }

    @Override
    public final void launch(FrameworkInfo framework, TaskInfo task) {
        run(() -> {
            known.put(key(framework.getId(), task.getTaskId()), new RunningTask(framework, task,
                    TaskStatus.newBuilder().setTaskId(task.getTaskId()).setState(TaskState.TASK_STAGING)
                            .setAgentId(info.getId()).build()));
            onLaunch(framework, task);
        });
    }

    @Override
    public final void kill(FrameworkID frameworkId, TaskID taskId, KillPolicy killPolicy) {
        run(() -> onKill(frameworkId, taskId, killPolicy));
    }

    @Override
    public final void acknowledge(FrameworkID frameworkId, TaskID taskId, ByteString uuid) {
        run(() -> {
            TaskStatus acked = updates.acknowledge(frameworkId, taskId.getValue(), uuid);
            if (acked != null && isTerminal(acked.getState())) {
                known.remove(key(frameworkId, taskId));
                updates.forget(frameworkId, taskId.getValue());
                onTerminalAcknowledged(frameworkId, taskId);
            }
        });
    }

    @Override
    public final void shutdownExecutor(FrameworkID frameworkId, ExecutorID executorId) {
        run(() -> onShutdownExecutor(frameworkId, executorId));
    }

    @Override
    public final void shutdownFramework(FrameworkID frameworkId) {
        run(() -> {
            removedFrameworks.add(frameworkId.getValue());
            known.keySet().removeIf(k -> k.startsWith(frameworkId.getValue() + "/"));
            updates.removeFramework(frameworkId);
            onShutdownFramework(frameworkId);
        });
    }

    @Override
    public final void frameworkMessage(FrameworkID frameworkId, ExecutorID executorId, ByteString data) {
        run(() -> onFrameworkMessage(frameworkId, executorId, data));
    }

    @Override
    public List<RunningTask> tasks() {
        return new ArrayList<>(known.values());
    }

    /** Reports a status: stamps it with a uuid (if it has none), agent id and time, and queues it. */
    protected final void report(FrameworkID frameworkId, TaskStatus status) {
        if (removedFrameworks.contains(frameworkId.getValue())) {
            return;
        }
        TaskStatus.Builder b = status.toBuilder().setAgentId(info.getId());
        if (!b.hasUuid()) {
            b.setUuid(newUuid());
        }
        if (!b.hasTimestamp()) {
            b.setTimestamp(clock.millis() / 1000.0);
        }
        TaskStatus stamped = b.build();
        RunningTask rt = known.get(key(frameworkId, status.getTaskId()));
        if (rt != null) {
            known.put(key(frameworkId, status.getTaskId()), new RunningTask(rt.framework(), rt.task(), stamped));
        }
        updates.update(frameworkId, stamped);
    }

    /** Runs on the agent's thread; failures are logged, never lost silently. */
    protected final void run(Runnable action) {
        if (stopped) {
            return;
        }
        thread.execute(() -> {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.error("Agent {} failed to handle a request", info.getId().getValue(), e);
            }
            changed();
        });
    }

    /**
     * Called on the agent's thread after anything that may have changed its state, for an agent
     * that checkpoints it. Nothing by default.
     */
    protected void changed() {
    }

    /**
     * Makes the agent's state durable now, for an agent that checkpoints it: called when a
     * status update is queued, before the master first hears of it, so that nothing a
     * framework has seen can be forgotten by a crash. Nothing by default.
     */
    protected void persistNow() {
    }

    /** The tasks the agent knows, with their latest status. Agent thread. */
    protected final java.util.Collection<RunningTask> knownTasks() {
        return known.values();
    }

    /** Takes back a task from a checkpoint. Agent thread. */
    protected final void restoreKnown(RunningTask task) {
        known.put(key(task.framework().getId(), task.task().getTaskId()), task);
    }

    protected abstract void onLaunch(FrameworkInfo framework, TaskInfo task);

    protected abstract void onKill(FrameworkID frameworkId, TaskID taskId, KillPolicy killPolicy);

    protected void onTerminalAcknowledged(FrameworkID frameworkId, TaskID taskId) {
    }

    protected abstract void onShutdownExecutor(FrameworkID frameworkId, ExecutorID executorId);

    protected abstract void onShutdownFramework(FrameworkID frameworkId);

    protected abstract void onFrameworkMessage(FrameworkID frameworkId, ExecutorID executorId, ByteString data);

    public static ByteString newUuid() {
        UUID u = UUID.randomUUID();
        ByteBuffer b = ByteBuffer.allocate(16);
        b.putLong(u.getMostSignificantBits());
        b.putLong(u.getLeastSignificantBits());
        return ByteString.copyFrom(b.array());
    }

    public static boolean isTerminal(TaskState s) {
        return switch (s) {
            case TASK_FINISHED, TASK_FAILED, TASK_KILLED, TASK_ERROR, TASK_LOST, TASK_DROPPED, TASK_GONE,
                    TASK_GONE_BY_OPERATOR -> true;
            default -> false;
        };
    }

    protected static String key(FrameworkID frameworkId, TaskID taskId) {
        return frameworkId.getValue() + "/" + taskId.getValue();
    }
}
