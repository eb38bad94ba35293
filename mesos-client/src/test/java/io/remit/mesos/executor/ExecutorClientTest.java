package io.remit.mesos.executor;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.remit.mesos.MediaType;
import io.remit.mesos.MesosCallException;
import io.remit.mesos.fake.Await;
import io.remit.mesos.fake.FakeMesos;
import io.remit.mesos.fake.FakeMesos.Reply;
import io.remit.mesos.fake.FakeMesos.Request;
import io.remit.mesos.fake.FakeStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ExecutorClientTest {

    private final RecordingExecutorListener listener = new RecordingExecutorListener();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final FakeMesos<Call> agent = FakeAgent.start();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        agent.close();
    }

    private ExecutorClient client(Map<String, String> env, MediaType type) {
        return client(env, type, b -> b);
    }

    private ExecutorClient client(Map<String, String> env, MediaType type, UnaryOperator<ExecutorConfig.Builder> more) {
        ExecutorConfig config = more.apply(ExecutorConfig.builder(ExecutorEnvironment.fromEnv(env))
                .mediaType(type)
                .backoffMin(Duration.ofMillis(10)))
                .build();
        ExecutorClient client = new ExecutorClient(config, listener);
        toClose.add(client);
        return client;
    }

    private ExecutorClient started(boolean checkpoint) {
        ExecutorClient client = client(FakeAgent.env(agent, checkpoint), MediaType.PROTOBUF);
        client.start();
        listener.next(Event.Type.SUBSCRIBED);
        return client;
    }

    private static TaskStatus status(String taskId, TaskState state) {
        return TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue(taskId)).setState(state).build();
    }

    @ParameterizedTest
    @EnumSource(MediaType.class)
    void subscribesWithItsIdsAndDeliversSubscribed(MediaType type) {
        ExecutorClient client = client(FakeAgent.env(agent, false), type);
        client.start();

        Request<Call> subscribe = Await.next("SUBSCRIBE", agent.subscribes);
        assertThat(subscribe.type()).isEqualTo(type);
        assertThat(subscribe.header("Accept")).contains(type.mime());
        assertThat(subscribe.call().getExecutorId().getValue()).isEqualTo("ex-1");
        assertThat(subscribe.call().getFrameworkId().getValue()).isEqualTo("fw-1");
        assertThat(subscribe.call().getSubscribe().getUnacknowledgedUpdatesList()).isEmpty();
        assertThat(subscribe.call().getSubscribe().getUnacknowledgedTasksList()).isEmpty();
        Event subscribed = listener.next(Event.Type.SUBSCRIBED);
        assertThat(subscribed.getSubscribed().getAgentInfo().getHostname()).isEqualTo("agent1");
    }

    @Test
    void sendsTheAuthenticationTokenAsABearerToken() {
        Map<String, String> env = FakeAgent.env(agent, false);
        env.put("MESOS_EXECUTOR_AUTHENTICATION_TOKEN", "s3cret");
        client(env, MediaType.PROTOBUF).start();

        assertThat(Await.next("SUBSCRIBE", agent.subscribes).header("Authorization")).contains("Bearer s3cret");
    }

    @Test
    void deliversEventsInOrderOnOneThreadAndTracksLaunchedTasks() {
        ExecutorClient client = started(false);
        FakeStream stream = Await.next("stream", agent.streams);

        for (int i = 0; i < 100; i++) {
            stream.send(FakeAgent.launch("t-" + i));
            stream.send(FakeAgent.kill("t-" + i));
        }

        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Event e = Await.next("event", listener.events);
            seen.add(e.getType() + ":" + (e.hasLaunch() ? e.getLaunch().getTask().getTaskId() : e.getKill().getTaskId()).getValue());
        }
        assertThat(seen.subList(0, 4)).containsExactly("LAUNCH:t-0", "KILL:t-0", "LAUNCH:t-1", "KILL:t-1");
        assertThat(seen).hasSize(200).endsWith("LAUNCH:t-99", "KILL:t-99");
        assertThat(listener.threads).containsExactly("mesos-executor-events");
        assertThat(listener.mostInside).hasValue(1);
        assertThat(client.unacknowledgedTasks()).hasSize(100).first().extracting(TaskInfo::getName).isEqualTo("t-0");
    }

    @Test
    void updateCarriesAFreshUuidAndIsResentOnResubscribeUntilAcknowledged() throws Exception {
        ExecutorClient client = started(true);
        FakeStream stream = Await.next("stream", agent.streams);
        Await.next("first SUBSCRIBE", agent.subscribes);
        stream.send(FakeAgent.launch("t-1"));
        listener.next(Event.Type.LAUNCH);

        client.update(status("t-1", TaskState.TASK_RUNNING)).get(10, TimeUnit.SECONDS);

        Call update = Await.next("UPDATE", agent.calls).call();
        TaskStatus sent = update.getUpdate().getStatus();
        assertThat(update.getType()).isEqualTo(Call.Type.UPDATE);
        assertThat(update.getExecutorId().getValue()).isEqualTo("ex-1");
        assertThat(sent.getUuid().size()).isEqualTo(16);
        assertThat(sent.getTimestamp()).isPositive();
        assertThat(sent.getExecutorId().getValue()).isEqualTo("ex-1");
        assertThat(sent.getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);

        stream.close();
        assertThat(listener.nextDisconnect().resubscribing()).isTrue();
        Call.Subscribe resubscribe = Await.next("second SUBSCRIBE", agent.subscribes).call().getSubscribe();
        assertThat(resubscribe.getUnacknowledgedUpdatesList()).containsExactly(update.getUpdate());
        assertThat(resubscribe.getUnacknowledgedTasksList()).containsExactly(FakeAgent.task("t-1"));
        listener.next(Event.Type.SUBSCRIBED);

        FakeStream second = Await.next("second stream", agent.streams);
        second.send(FakeAgent.acknowledged("t-1", sent.getUuid()));
        listener.next(Event.Type.ACKNOWLEDGED);
        assertThat(client.unacknowledgedUpdates()).isEmpty();
        assertThat(client.unacknowledgedTasks()).as("running is not terminal").hasSize(1);

        client.update(status("t-1", TaskState.TASK_FINISHED)).get(10, TimeUnit.SECONDS);
        ByteString finished = Await.next("UPDATE", agent.calls).call().getUpdate().getStatus().getUuid();
        assertThat(finished).isNotEqualTo(sent.getUuid());
        second.send(FakeAgent.acknowledged("t-1", finished));
        listener.next(Event.Type.ACKNOWLEDGED);
        assertThat(client.unacknowledgedUpdates()).isEmpty();
        assertThat(client.unacknowledgedTasks()).isEmpty();

        second.close();
        Call.Subscribe third = Await.next("third SUBSCRIBE", agent.subscribes).call().getSubscribe();
        assertThat(third.getUnacknowledgedUpdatesList()).isEmpty();
        assertThat(third.getUnacknowledgedTasksList()).isEmpty();
    }

    @Test
    void updateBeforeSubscribingIsKeptForTheSubscribe() {
        ExecutorClient client = client(FakeAgent.env(agent, false), MediaType.JSON);

        CompletableFuture<Void> early = client.update(status("t-1", TaskState.TASK_STARTING));
        client.start();

        assertThat(early).failsWithin(Duration.ofSeconds(1))
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(IllegalStateException.class);
        Call.Subscribe subscribe = Await.next("SUBSCRIBE", agent.subscribes).call().getSubscribe();
        assertThat(subscribe.getUnacknowledgedUpdatesList()).singleElement()
                .satisfies(u -> assertThat(u.getStatus().getState()).isEqualTo(TaskState.TASK_STARTING));
    }

    @Test
    void updateRefusedByTheAgentFailsWithStatus() {
        agent.onCall(r -> Reply.status(400, "Received unexpected 'UPDATE' call"));
        ExecutorClient client = started(false);

        CompletableFuture<Void> sent = client.update(status("t-1", TaskState.TASK_RUNNING));

        assertThat(sent).failsWithin(Duration.ofSeconds(10))
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(MesosCallException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
        assertThat(client.unacknowledgedUpdates()).hasSize(1);
    }

    @Test
    void withoutCheckpointingALostAgentStopsTheClient() {
        started(false);
        Await.next("SUBSCRIBE", agent.subscribes);

        Await.next("stream", agent.streams).close();

        RecordingExecutorListener.Disconnect disconnect = listener.nextDisconnect();
        assertThat(disconnect.resubscribing()).isFalse();
        assertThat(disconnect.reason()).contains("ended by the server");
        Await.nothingWithin("SUBSCRIBE without checkpointing", agent.subscribes, Duration.ofMillis(300));
    }

    @Test
    void withoutCheckpointingAFailedFirstSubscribeStopsTheClient() {
        agent.onSubscribe(r -> Reply.status(400, "Framework fw-1 is not found"));
        client(FakeAgent.env(agent, false), MediaType.PROTOBUF).start();

        RecordingExecutorListener.Disconnect disconnect = listener.nextDisconnect();
        assertThat(disconnect.resubscribing()).isFalse();
        assertThat(disconnect.reason()).contains("400").contains("is not found");
    }

    @Test
    void withCheckpointingTheClientReconnectsWhenTheAgentComesBack() {
        started(true);
        Await.next("first SUBSCRIBE", agent.subscribes);

        agent.stop();
        assertThat(listener.nextDisconnect().resubscribing()).isTrue();
        agent.restart();

        Await.next("SUBSCRIBE to the restarted agent", agent.subscribes);
        listener.next(Event.Type.SUBSCRIBED);
        assertThat(listener.disconnects).as("one disconnect per outage").isEmpty();
        assertThat(listener.recoveryTimeouts).isEmpty();
    }

    @Test
    void withCheckpointingTheClientGivesUpAfterTheRecoveryTimeout() {
        Map<String, String> env = FakeAgent.env(agent, true);
        env.put("MESOS_RECOVERY_TIMEOUT", "300ms");
        ExecutorClient client = client(env, MediaType.PROTOBUF);
        client.start();
        listener.next(Event.Type.SUBSCRIBED);
        Await.next("first SUBSCRIBE", agent.subscribes);

        agent.stop();

        assertThat(listener.nextDisconnect().resubscribing()).isTrue();
        assertThat(Await.next("recoveryTimedOut()", listener.recoveryTimeouts)).isEqualTo(Duration.ofMillis(300));
        agent.restart();
        Await.nothingWithin("SUBSCRIBE after giving up", agent.subscribes, Duration.ofMillis(300));
    }

    @Test
    void aWallClockSteppedBackDoesNotStretchTheRecoveryWait() {
        Map<String, String> env = FakeAgent.env(agent, true);
        env.put("MESOS_RECOVERY_TIMEOUT", "1secs");
        SteppedClock wall = new SteppedClock();
        client(env, MediaType.PROTOBUF, b -> b.clock(wall)).start();
        listener.next(Event.Type.SUBSCRIBED);

        agent.stop();
        assertThat(listener.nextDisconnect().resubscribing()).isTrue();
        wall.step(Duration.ofHours(-1));

        // An hour more on the wall clock to go, but only a second since the agent went away.
        assertThat(Await.next("recoveryTimedOut()", listener.recoveryTimeouts)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aWallClockSteppedForwardDoesNotEndTheRecoveryWaitEarly() {
        Map<String, String> env = FakeAgent.env(agent, true);
        env.put("MESOS_RECOVERY_TIMEOUT", "300ms");
        SteppedClock wall = new SteppedClock();
        AtomicLong nanos = new AtomicLong();
        client(env, MediaType.PROTOBUF, b -> b.clock(wall).nanoTime(nanos::get)).start();
        listener.next(Event.Type.SUBSCRIBED);

        agent.stop();
        assertThat(listener.nextDisconnect().resubscribing()).isTrue();
        wall.step(Duration.ofHours(1));

        // The wall clock says an hour has passed; the monotonic time source says nothing has.
        Await.nothingWithin("recoveryTimedOut() while the monotonic time stands still", listener.recoveryTimeouts,
                Duration.ofMillis(1500));
        nanos.addAndGet(Duration.ofMillis(300).toNanos());
        assertThat(Await.next("recoveryTimedOut()", listener.recoveryTimeouts)).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void closeStopsEverythingAndIsIdempotent() {
        ExecutorClient client = started(true);
        Await.next("SUBSCRIBE", agent.subscribes);

        client.close();
        client.close();

        assertThat(client.update(status("t-1", TaskState.TASK_RUNNING))).isCompletedExceptionally();
        Await.until("client threads to end", () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("mesos-executor")));
        Await.nothingWithin("SUBSCRIBE after close", agent.subscribes, Duration.ofMillis(300));
        assertThat(listener.disconnects).isEmpty();
    }

    /** The system's wall clock, which the test can step as NTP would. */
    private static final class SteppedClock extends Clock {
        private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

        void step(Duration by) {
            offset.accumulateAndGet(by, Duration::plus);
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset.get());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
