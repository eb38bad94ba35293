package io.remit.localcluster.agent;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * The agent's reliable delivery of status updates, as Mesos's status update manager: one queue
 * per task; only the head is sent to the master, and it is resent with exponential backoff
 * until the framework acknowledges it; then the next one goes. Updates with a uuid already
 * queued are ignored (an executor resending after a reconnect).
 *
 * <p>Confined to the agent's own thread: every method must be called on {@code thread}.
 */
final class StatusUpdateManager {

    private final AgentID agentId;
    private final MasterLink master;
    private final ScheduledExecutorService thread;
    private final Duration retryMin;
    private final Duration retryMax;
    private final Map<String, Stream> streams = new HashMap<>();
    /** Makes a newly queued update durable before it is first sent. */
    private final Runnable persist;

    StatusUpdateManager(AgentID agentId, MasterLink master, ScheduledExecutorService thread,
                        Duration retryMin, Duration retryMax, Runnable persist) {
        this.agentId = agentId;
        this.persist = persist;
        this.master = master;
        this.thread = thread;
        this.retryMin = retryMin;
        this.retryMax = retryMax;
    }

    /** Queues an update (it must carry a uuid); returns false for a duplicate uuid. */
    boolean update(FrameworkID frameworkId, TaskStatus status) {
        String key = key(frameworkId, status.getTaskId().getValue());
        Stream stream = streams.computeIfAbsent(key, k -> new Stream(frameworkId));
        for (TaskStatus queued : stream.pending) {
            if (queued.getUuid().equals(status.getUuid())) {
                return false;
            }
        }
        if (stream.acknowledged.containsKey(status.getUuid())) {
            return false;
        }
        stream.pending.addLast(status);
        persist.run();
        if (stream.pending.size() == 1) {
            forward(stream, retryMin);
        }
        return true;
    }

    /**
     * The framework acknowledged {@code uuid}; the next queued update for the task goes out.
     *
     * @return the acknowledged status, or null if it was not the head of the task's queue
     */
    TaskStatus acknowledge(FrameworkID frameworkId, String taskId, ByteString uuid) {
        Stream stream = streams.get(key(frameworkId, taskId));
        if (stream == null || stream.pending.isEmpty() || !stream.pending.peekFirst().getUuid().equals(uuid)) {
            return null;
        }
        TaskStatus acked = stream.pending.removeFirst();
        stream.acknowledged.put(uuid, Boolean.TRUE);
        if (stream.retry != null) {
            stream.retry.cancel(false);
            stream.retry = null;
        }
        if (!stream.pending.isEmpty()) {
            forward(stream, retryMin);
        }
        return acked;
    }

    /** Drops every queue of a framework (it was removed). */
    void removeFramework(FrameworkID frameworkId) {
        streams.values().removeIf(s -> {
            if (s.frameworkId.equals(frameworkId)) {
                if (s.retry != null) {
                    s.retry.cancel(false);
                }
                return true;
            }
            return false;
        });
    }

    /** Forgets a task whose terminal update was acknowledged. */
    void forget(FrameworkID frameworkId, String taskId) {
        Stream s = streams.get(key(frameworkId, taskId));
        if (s != null && s.pending.isEmpty()) {
            streams.remove(key(frameworkId, taskId));
        }
    }

    private void forward(Stream stream, Duration backoff) {
        TaskStatus head = stream.pending.peekFirst();
        if (head == null) {
            return;
        }
        master.statusUpdate(agentId, stream.frameworkId, head, stream.pending.peekLast());
        Duration next = backoff.multipliedBy(2).compareTo(retryMax) > 0 ? retryMax : backoff.multipliedBy(2);
        stream.retry = thread.schedule(() -> {
            if (stream.pending.peekFirst() == head) {
                forward(stream, next);
            }
        }, backoff.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The queues as they stand, for a checkpoint. */
    java.util.List<Snapshot> snapshot() {
        java.util.List<Snapshot> list = new java.util.ArrayList<>();
        for (Map.Entry<String, Stream> e : streams.entrySet()) {
            Stream s = e.getValue();
            if (s.pending.isEmpty() && s.acknowledged.isEmpty()) {
                continue;
            }
            String taskId = e.getKey().substring(s.frameworkId.getValue().length() + 1);
            list.add(new Snapshot(s.frameworkId, taskId, java.util.List.copyOf(s.pending),
                    java.util.List.copyOf(s.acknowledged.keySet())));
        }
        return list;
    }

    /** Takes back a queue from a checkpoint and starts sending its head again. */
    void restore(Snapshot snapshot) {
        Stream stream = streams.computeIfAbsent(key(snapshot.frameworkId(), snapshot.taskId()), k -> new Stream(snapshot.frameworkId()));
        stream.pending.addAll(snapshot.pending());
        snapshot.acknowledged().forEach(u -> stream.acknowledged.put(u, Boolean.TRUE));
        if (!stream.pending.isEmpty()) {
            forward(stream, retryMin);
        }
    }

    /** One task's queue: the updates not yet acknowledged, oldest first, and the uuids that were. */
    record Snapshot(FrameworkID frameworkId, String taskId, java.util.List<TaskStatus> pending, java.util.List<ByteString> acknowledged) {
    }

    private static String key(FrameworkID frameworkId, String taskId) {
        return frameworkId.getValue() + "/" + taskId;
    }

    private static final class Stream {
        final FrameworkID frameworkId;
        final ArrayDeque<TaskStatus> pending = new ArrayDeque<>();
        /** Uuids already acknowledged, so a resent duplicate is not delivered twice. */
        final Map<ByteString, Boolean> acknowledged = new HashMap<>();
        ScheduledFuture<?> retry;

        Stream(FrameworkID frameworkId) {
            this.frameworkId = frameworkId;
        }
    }
}
