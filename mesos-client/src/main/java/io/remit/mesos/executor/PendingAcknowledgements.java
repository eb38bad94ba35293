package io.remit.mesos.executor;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.executor.Protos.Call;

/**
 * What an executor must resend when it resubscribes: the status updates the agent has not
 * acknowledged, and the tasks it launched whose terminal update has not been acknowledged.
 *
 * <p>Not thread-safe: {@link ExecutorClient} guards it with its lock.
 */
final class PendingAcknowledgements {

    /** The states after which a task never changes again (Mesos's {@code isTerminalState}). */
    static final Set<TaskState> TERMINAL = EnumSet.of(TaskState.TASK_FINISHED, TaskState.TASK_FAILED,
            TaskState.TASK_KILLED, TaskState.TASK_ERROR, TaskState.TASK_LOST, TaskState.TASK_DROPPED,
            TaskState.TASK_GONE, TaskState.TASK_GONE_BY_OPERATOR);

    private final Map<String, TaskInfo> tasks = new LinkedHashMap<>();
    private final Map<ByteString, Call.Update> updates = new LinkedHashMap<>();

    /** A LAUNCH (or one task of a LAUNCH_GROUP) arrived. */
    void launched(TaskInfo task) {
        tasks.put(task.getTaskId().getValue(), task);
    }

    /** An update is about to be sent; it stays pending until acknowledged. Its status must have a uuid. */
    void sending(Call.Update update) {
        updates.put(update.getStatus().getUuid(), update);
    }

    /**
     * An ACKNOWLEDGED arrived: forgets the update, and the task too when the update was terminal.
     *
     * @return whether it matched a pending update
     */
    boolean acknowledged(TaskID taskId, ByteString uuid) {
        Call.Update update = updates.get(uuid);
        if (update == null || !update.getStatus().getTaskId().equals(taskId)) {
            return false;
        }
        updates.remove(uuid);
        if (TERMINAL.contains(update.getStatus().getState())) {
            tasks.remove(taskId.getValue());
        }
        return true;
    }

    /** The {@code unacknowledged_updates} of a resubscribe, oldest first. */
    List<Call.Update> updates() {
        return new ArrayList<>(updates.values());
    }

    /** The {@code unacknowledged_tasks} of a resubscribe, in launch order. */
    List<TaskInfo> tasks() {
        return new ArrayList<>(tasks.values());
    }
}
