package io.remit.mesos.executor;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PendingAcknowledgementsTest {

    private final PendingAcknowledgements pending = new PendingAcknowledgements();

    private static TaskID id(String value) {
        return TaskID.newBuilder().setValue(value).build();
    }

    private static Call.Update update(String taskId, TaskState state, String uuid) {
        return Call.Update.newBuilder()
                .setStatus(TaskStatus.newBuilder().setTaskId(id(taskId)).setState(state).setUuid(ByteString.copyFromUtf8(uuid)))
                .build();
    }

    @ParameterizedTest
    @EnumSource(TaskState.class)
    void aTaskIsForgottenOnlyOnceATerminalUpdateIsAcknowledged(TaskState state) {
        pending.launched(FakeAgent.task("t"));
        pending.sending(update("t", state, "u1"));

        assertThat(pending.acknowledged(id("t"), ByteString.copyFromUtf8("u1"))).isTrue();

        assertThat(pending.updates()).isEmpty();
        boolean terminal = switch (state) {
            case TASK_FINISHED, TASK_FAILED, TASK_KILLED, TASK_ERROR, TASK_LOST, TASK_DROPPED, TASK_GONE,
                    TASK_GONE_BY_OPERATOR -> true;
            default -> false;
        };
        assertThat(pending.tasks()).hasSize(terminal ? 0 : 1);
    }

    @Test
    void keepsUpdatesInOrderUntilEachIsAcknowledged() {
        pending.sending(update("t", TaskState.TASK_STARTING, "u1"));
        pending.sending(update("t", TaskState.TASK_RUNNING, "u2"));
        pending.sending(update("t", TaskState.TASK_FINISHED, "u3"));

        pending.acknowledged(id("t"), ByteString.copyFromUtf8("u2"));

        assertThat(pending.updates()).extracting(u -> u.getStatus().getUuid().toStringUtf8()).containsExactly("u1", "u3");
    }

    @Test
    void ignoresAcknowledgementsThatMatchNothing() {
        pending.launched(FakeAgent.task("t"));
        pending.sending(update("t", TaskState.TASK_FINISHED, "u1"));

        assertThat(pending.acknowledged(id("other"), ByteString.copyFromUtf8("u1"))).isFalse();
        assertThat(pending.acknowledged(id("t"), ByteString.copyFromUtf8("nope"))).isFalse();

        assertThat(pending.updates()).hasSize(1);
        assertThat(pending.tasks()).hasSize(1);
    }
}
