package io.remit.mesos.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.remit.mesos.MediaType;
import io.remit.mesos.MesosCallException;
import io.remit.mesos.fake.Await;
import io.remit.mesos.fake.FakeMesos;
import io.remit.mesos.fake.FakeMesos.Reply;
import io.remit.mesos.fake.FakeMesos.Request;
import io.remit.mesos.fake.FakeStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class SchedulerClientTest {

    static final FrameworkInfo FRAMEWORK =
            FrameworkInfo.newBuilder().setUser("foo").setName("Example HTTP Framework").build();

    private final RecordingListener listener = new RecordingListener();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private FakeMesos<Call> master(double heartbeatSeconds) {
        FakeMesos<Call> m = FakeMaster.start(heartbeatSeconds);
        toClose.add(m);
        return m;
    }

    private static SchedulerConfig.Builder config(URI... masters) {
        return SchedulerConfig.builder()
                .masters(List.of(masters))
                .frameworkInfo(FRAMEWORK)
                .backoff(Duration.ofMillis(10), Duration.ofMillis(50));
    }

    private SchedulerClient start(SchedulerConfig config) {
        SchedulerClient client = new SchedulerClient(config, listener);
        toClose.add(0, client);
        client.start();
        return client;
    }

    private static OfferID offer(String id) {
        return OfferID.newBuilder().setValue(id).build();
    }

    private static Event rescind(String offerId) {
        return Event.newBuilder()
                .setType(Event.Type.RESCIND)
                .setRescind(Event.Rescind.newBuilder().setOfferId(offer(offerId)))
                .build();
    }

    @ParameterizedTest
    @EnumSource(MediaType.class)
    void subscribesAndDeliversSubscribed(MediaType type) {
        FakeMesos<Call> master = master(15);
        SchedulerClient client = start(config(master.base()).mediaType(type).build());

        Request<Call> subscribe = Await.next("SUBSCRIBE", master.subscribes);
        assertThat(subscribe.type()).isEqualTo(type);
        assertThat(subscribe.header("Content-Type")).contains(type.mime());
        assertThat(subscribe.header("Accept")).contains(type.mime());
        assertThat(subscribe.header(MediaType.STREAM_ID_HEADER)).isEmpty();
        assertThat(subscribe.call().hasFrameworkId()).isFalse();
        FrameworkInfo sent = subscribe.call().getSubscribe().getFrameworkInfo();
        assertThat(sent.getUser()).isEqualTo("foo");
        assertThat(sent.getName()).isEqualTo("Example HTTP Framework");
        assertThat(sent.hasId()).isFalse();

        Event subscribed = listener.next(Event.Type.SUBSCRIBED);
        FakeStream stream = Await.next("stream", master.streams);
        assertThat(subscribed.getSubscribed().getFrameworkId().getValue()).isEqualTo(FakeMaster.NEW_FRAMEWORK_ID);
        assertThat(client.frameworkId()).map(FrameworkID::getValue).contains(FakeMaster.NEW_FRAMEWORK_ID);
        assertThat(client.streamId()).contains(stream.streamId());
    }

    @Test
    void deliversEventsInStreamOrderOnOneThreadOneAtATime() {
        FakeMesos<Call> master = master(15);
        start(config(master.base()).build());
        FakeStream stream = Await.next("stream", master.streams);
        for (int i = 0; i < 300; i++) {
            stream.send(rescind("o-" + i));
        }

        listener.next(Event.Type.SUBSCRIBED);
        List<String> received = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            received.add(listener.next(Event.Type.RESCIND).getRescind().getOfferId().getValue());
        }
        assertThat(received).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, 300).mapToObj(i -> "o-" + i).toList());
        assertThat(listener.threads).containsExactly("mesos-scheduler-events");
        assertThat(listener.mostInside).hasValue(1);
    }

    @Test
    void callsCarryStreamIdAndFrameworkId() throws Exception {
        FakeMesos<Call> master = master(15);
        SchedulerClient client = start(config(master.base()).mediaType(MediaType.JSON).build());
        listener.next(Event.Type.SUBSCRIBED);
        FakeStream stream = Await.next("stream", master.streams);

        client.send(SchedulerCalls.decline(List.of(offer("o-1")), Duration.ofSeconds(5))).get(10, TimeUnit.SECONDS);

        Request<Call> decline = Await.next("DECLINE", master.calls);
        assertThat(decline.header(MediaType.STREAM_ID_HEADER)).contains(stream.streamId());
        assertThat(decline.header("Content-Type")).contains(MediaType.JSON.mime());
        assertThat(decline.call().getFrameworkId().getValue()).isEqualTo(FakeMaster.NEW_FRAMEWORK_ID);
        assertThat(decline.call().getDecline().getOfferIds(0).getValue()).isEqualTo("o-1");
        assertThat(decline.call().getDecline().getFilters().getRefuseSeconds()).isEqualTo(5.0);
    }

    @Test
    void callAnsweredOtherThan202FailsWithStatusAndBody() {
        FakeMesos<Call> master = master(15);
        master.onCall(r -> Reply.status(400, "Framework 'fw-1' is not subscribed"));
        SchedulerClient client = start(config(master.base()).build());
        listener.next(Event.Type.SUBSCRIBED);

        CompletableFuture<Void> sent = client.send(SchedulerCalls.revive());

        ExecutionException failure =
                catchThrowableOfType(ExecutionException.class, () -> sent.get(10, TimeUnit.SECONDS));
        assertThat(failure.getCause()).isInstanceOfSatisfying(MesosCallException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.body()).contains("is not subscribed");
            assertThat(e.getMessage()).startsWith("REVIVE answered 400");
        });
    }

    @Test
    void sendBeforeSubscribingFails() {
        FakeMesos<Call> master = master(15);
        SchedulerClient client = new SchedulerClient(config(master.base()).build(), listener);
        toClose.add(0, client);

        assertThat(client.send(SchedulerCalls.revive()))
                .failsWithin(Duration.ofSeconds(1))
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(IllegalStateException.class)
                .withMessageContaining("not subscribed");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void followsRedirectToTheLeaderAndSticksToIt(boolean schemeRelative) throws Exception {
        FakeMesos<Call> follower = master(15);
        FakeMesos<Call> leader = master(15);
        String location = (schemeRelative ? "//127.0.0.1:" : "http://127.0.0.1:") + leader.port() + "/api/v1/scheduler";
        follower.onSubscribe(r -> Reply.redirect(location));
        SchedulerClient client = start(config(follower.base()).build());

        Await.next("SUBSCRIBE at the follower", follower.subscribes);
        Await.next("SUBSCRIBE at the leader", leader.subscribes);
        listener.next(Event.Type.SUBSCRIBED);
        client.send(SchedulerCalls.suppress()).get(10, TimeUnit.SECONDS);
        assertThat(Await.next("SUPPRESS", leader.calls).call().getType()).isEqualTo(Call.Type.SUPPRESS);

        Await.next("stream", leader.streams).close();
        assertThat(listener.nextDisconnect().resubscribing()).isTrue();
        Await.next("second SUBSCRIBE at the leader", leader.subscribes);
        assertThat(follower.subscribes).isEmpty();
    }

    @Test
    void failedSubscribeMovesOnToTheNextMaster() {
        FakeMesos<Call> broken = master(15);
        FakeMesos<Call> good = master(15);
        broken.onSubscribe(r -> Reply.status(503, "Master is not yet recovered"));
        start(config(broken.base(), good.base()).build());

        Await.next("SUBSCRIBE at the broken master", broken.subscribes);
        Await.next("SUBSCRIBE at the good master", good.subscribes);
        listener.next(Event.Type.SUBSCRIBED);
    }

    @Test
    void configuredFrameworkIdSubscribesAsFailoverInBothPlaces() {
        FakeMesos<Call> master = master(15);
        FrameworkInfo withId = FRAMEWORK.toBuilder().setId(FrameworkID.newBuilder().setValue("fw-old")).build();
        start(config(master.base()).frameworkInfo(withId).build());

        Call subscribe = Await.next("SUBSCRIBE", master.subscribes).call();
        assertThat(subscribe.getFrameworkId().getValue()).isEqualTo("fw-old");
        assertThat(subscribe.getSubscribe().getFrameworkInfo().getId().getValue()).isEqualTo("fw-old");
    }

    @Test
    void resubscribesWithFrameworkIdInBothPlacesWhenTheMasterClosesTheStream() {
        FakeMesos<Call> master = master(15);
        start(config(master.base()).build());
        Await.next("first SUBSCRIBE", master.subscribes);
        listener.next(Event.Type.SUBSCRIBED);

        Await.next("stream", master.streams).close();

        RecordingListener.Disconnect disconnect = listener.nextDisconnect();
        assertThat(disconnect.reason()).contains("ended by the server");
        assertThat(disconnect.resubscribing()).isTrue();
        Call again = Await.next("second SUBSCRIBE", master.subscribes).call();
        assertThat(again.getFrameworkId().getValue()).isEqualTo(FakeMaster.NEW_FRAMEWORK_ID);
        assertThat(again.getSubscribe().getFrameworkInfo().getId().getValue()).isEqualTo(FakeMaster.NEW_FRAMEWORK_ID);
        listener.next(Event.Type.SUBSCRIBED);
    }

    @Test
    void silentMasterTripsTheHeartbeatWatchdog() {
        FakeMesos<Call> master = master(0.2);
        start(config(master.base()).heartbeatMisses(3).build());
        listener.next(Event.Type.SUBSCRIBED);

        RecordingListener.Disconnect disconnect = listener.nextDisconnect();

        assertThat(disconnect.reason()).startsWith("no event for");
        assertThat(disconnect.resubscribing()).isTrue();
        Await.next("first SUBSCRIBE", master.subscribes);
        Call again = Await.next("SUBSCRIBE after the watchdog fired", master.subscribes).call();
        assertThat(again.getFrameworkId().getValue()).isEqualTo(FakeMaster.NEW_FRAMEWORK_ID);
        listener.next(Event.Type.SUBSCRIBED);
    }

    @Test
    void theWatchdogCountsSilenceOnTheMonotonicTimeSourceItIsGivenNotTheWallClock() {
        FakeMesos<Call> master = master(0.2);
        java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
        start(config(master.base()).heartbeatMisses(3).nanoTime(nanos::get).build());
        listener.next(Event.Type.SUBSCRIBED);

        // No event for far longer than 3 heartbeats of real time, but the given time source stands still.
        Await.nothingWithin("disconnect while the monotonic time stands still", listener.disconnects, Duration.ofMillis(1500));
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(listener.nextDisconnect().reason()).startsWith("no event for 1000 ms");
    }

    @Test
    void heartbeatsKeepTheStreamAliveLongerThanTheRequestTimeout() {
        FakeMesos<Call> master = master(0.2);
        start(config(master.base()).heartbeatMisses(3).requestTimeout(Duration.ofMillis(300)).build());
        FakeStream stream = Await.next("stream", master.streams);
        var beats = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        toClose.add(beats::shutdownNow);
        beats.scheduleAtFixedRate(() -> stream.send(FakeMaster.heartbeat()), 100, 100, TimeUnit.MILLISECONDS);

        Await.nothingWithin("disconnect while heartbeats flow", listener.disconnects, Duration.ofMillis(1500));
    }

    @Test
    void errorSayingTheFrameworkIsRemovedStopsResubscribing() {
        FakeMesos<Call> master = master(15);
        start(config(master.base()).build());
        Await.next("SUBSCRIBE", master.subscribes);
        FakeStream stream = Await.next("stream", master.streams);

        stream.send(FakeMaster.error("Framework has been removed"));
        stream.close();

        assertThat(listener.next(Event.Type.ERROR).getError().getMessage()).isEqualTo("Framework has been removed");
        assertThat(listener.nextDisconnect().resubscribing()).isFalse();
        Await.nothingWithin("SUBSCRIBE after removal", master.subscribes, Duration.ofMillis(300));
    }

    @Test
    void otherErrorsAreRetried() {
        FakeMesos<Call> master = master(15);
        start(config(master.base()).build());
        Await.next("SUBSCRIBE", master.subscribes);
        FakeStream stream = Await.next("stream", master.streams);

        stream.send(FakeMaster.error("Role 'x' is not present in the master's --roles"));
        stream.close();

        assertThat(listener.nextDisconnect().resubscribing()).isTrue();
        Await.next("SUBSCRIBE again", master.subscribes);
    }

    @Test
    void teardownSendsTeardownAndStops() throws Exception {
        FakeMesos<Call> master = master(15);
        SchedulerClient client = start(config(master.base()).build());
        listener.next(Event.Type.SUBSCRIBED);
        Await.next("SUBSCRIBE", master.subscribes);

        client.teardown().get(10, TimeUnit.SECONDS);

        Call teardown = Await.next("TEARDOWN", master.calls).call();
        assertThat(teardown.getType()).isEqualTo(Call.Type.TEARDOWN);
        assertThat(teardown.getFrameworkId().getValue()).isEqualTo(FakeMaster.NEW_FRAMEWORK_ID);
        assertThat(listener.nextDisconnect().resubscribing()).isFalse();
        Await.nothingWithin("SUBSCRIBE after teardown", master.subscribes, Duration.ofMillis(300));
    }

    @Test
    void closeStopsEverythingAndIsIdempotent() {
        FakeMesos<Call> master = master(0.2);
        SchedulerClient client = start(config(master.base()).build());
        Await.next("SUBSCRIBE", master.subscribes);
        listener.next(Event.Type.SUBSCRIBED);

        client.close();
        client.close();

        assertThat(listener.nextDisconnect()).isEqualTo(new RecordingListener.Disconnect("client closed", false));
        assertThat(client.send(SchedulerCalls.revive())).isCompletedExceptionally();
        Await.until("client threads to end", () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("mesos-scheduler")));
        Await.nothingWithin("SUBSCRIBE after close", master.subscribes, Duration.ofMillis(500));
    }
}
