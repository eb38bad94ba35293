package io.remit.mesos.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.mesos.MediaType;
import io.remit.mesos.fake.Await;
import io.remit.mesos.fake.FakeMesos;
import io.remit.mesos.fake.FakeMesos.Reply;
import io.remit.mesos.fake.FakeStream;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shared loop on its own, against a fake executor API: generations, the reader, retries. */
class SubscriptionTest {

    private final Object lock = new Object();
    private final FakeMesos<Call> agent = new FakeMesos<>("/api/v1/executor", Call::newBuilder,
            call -> call.getType() == Call.Type.SUBSCRIBE, false);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final Recorder recorder = new Recorder();
    private final Subscription<Event> subscription = new Subscription<>(lock,
            new MesosHttp(MediaType.PROTOBUF, Map.of(), Duration.ofSeconds(10)),
            new Backoff(Duration.ofMillis(1), Duration.ofMillis(5), new Random()), timer, "subscription-test-",
            1 << 20, record -> MediaType.PROTOBUF.decode(record, Event.newBuilder()), recorder);

    @AfterEach
    void stop() {
        synchronized (lock) {
            subscription.close();
        }
        agent.close();
        timer.shutdownNow();
    }

    private void start() {
        synchronized (lock) {
            subscription.start();
        }
    }

    private static Event kill(String taskId) {
        return Event.newBuilder().setType(Event.Type.KILL)
                .setKill(Event.Kill.newBuilder().setTaskId(TaskID.newBuilder().setValue(taskId))).build();
    }

    @Test
    void eventsReachTheHandlerUntilTheStreamIsHaltedThenNothingDoes() {
        start();
        FakeStream stream = Await.next("stream", agent.streams);
        long gen = Await.next("opening()", recorder.opened);

        stream.send(kill("t-1"));
        assertThat(Await.next("event()", recorder.events)).isEqualTo(gen + ":t-1");

        synchronized (lock) {
            subscription.halt();
            assertThat(subscription.hasStream()).isFalse();
            assertThat(subscription.isStreaming(gen)).isFalse();
        }
        try {
            stream.send(kill("t-2"));
        } catch (UncheckedIOException e) {
            // the client has closed the connection: just as good
        }
        Await.nothingWithin("event() after halt", recorder.events, Duration.ofMillis(300));
        Await.nothingWithin("ended() of an abandoned stream", recorder.ended, Duration.ofMillis(100));
    }

    @Test
    void theAnswerToAnAbandonedAttemptReachesNoOne() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        agent.onSubscribe(r -> {
            try {
                answer.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Reply.stream();
        });
        start();
        Await.next("SUBSCRIBE", agent.subscribes);

        synchronized (lock) {
            subscription.halt();
        }
        answer.countDown();

        Await.nothingWithin("opening() of an abandoned attempt", recorder.opened, Duration.ofMillis(300));
        assertThat(recorder.failures).as("failed() of an abandoned attempt").isEmpty();
        assertThat(recorder.answers).isEmpty();
    }

    @Test
    void retryLaterSubscribesAgainOnlyWhileRunning() {
        agent.onSubscribe(r -> Reply.status(503, "Agent is recovering"));
        recorder.onAnswer = status -> {
            if (recorder.answers.size() == 2) {
                subscription.stopResubscribing();
            }
            subscription.retryLater();
        };
        start();

        Await.next("first SUBSCRIBE", agent.subscribes);
        Await.next("second SUBSCRIBE", agent.subscribes);
        Await.until("two answers", () -> recorder.answers.size() == 2);

        assertThat(recorder.answers).containsOnly("503: Agent is recovering");
        Await.nothingWithin("SUBSCRIBE once stopped", agent.subscribes, Duration.ofMillis(300));
        synchronized (lock) {
            assertThat(subscription.failures()).isEqualTo(2);
            assertThat(subscription.isRunning()).isFalse();
            subscription.resetBackoff();
            assertThat(subscription.failures()).isZero();
        }
    }

    /** Records what the loop tells it; every method runs with the lock held. */
    private final class Recorder implements Subscription.Handler<Event> {
        final BlockingQueue<Long> opened = new LinkedBlockingQueue<>();
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        final BlockingQueue<String> ended = new LinkedBlockingQueue<>();
        final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
        final BlockingQueue<Throwable> failures = new LinkedBlockingQueue<>();
        volatile Consumer<Integer> onAnswer = status -> { };

        @Override
        public Subscription.Request subscribeRequest() {
            URI uri = URI.create("http://127.0.0.1:" + agent.port() + "/api/v1/executor");
            return new Subscription.Request(uri, Call.newBuilder().setType(Call.Type.SUBSCRIBE)
                    .setExecutorId(ExecutorID.newBuilder().setValue("ex-1"))
                    .setFrameworkId(FrameworkID.newBuilder().setValue("fw-1"))
                    .build());
        }

        @Override
        public boolean opening(long gen, URI uri, HttpResponse<InputStream> response) {
            opened.add(gen);
            return true;
        }

        @Override
        public void answered(URI uri, HttpResponse<InputStream> response, String body) {
            answers.add(response.statusCode() + ": " + body);
            onAnswer.accept(response.statusCode());
        }

        @Override
        public void failed(URI uri, Throwable failure) {
            failures.add(failure);
        }

        @Override
        public void event(long gen, Event event) {
            events.add(gen + ":" + event.getKill().getTaskId().getValue());
        }

        @Override
        public void ended(long gen, String reason) {
            ended.add(reason);
        }
    }
}
