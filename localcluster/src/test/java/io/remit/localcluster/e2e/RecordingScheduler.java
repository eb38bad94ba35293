package io.remit.localcluster.e2e;

import io.remit.mesos.MediaType;
import io.remit.mesos.scheduler.SchedulerCalls;
import io.remit.mesos.scheduler.SchedulerClient;
import io.remit.mesos.scheduler.SchedulerConfig;
import io.remit.mesos.scheduler.SchedulerListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * A {@link SchedulerClient} whose listener queues everything it hears, so that a test can wait
 * for the event it expects next; events it does not wait for yet are kept for later. Waiting
 * methods are for one test thread only.
 */
final class RecordingScheduler implements SchedulerListener, AutoCloseable {

    record Disconnect(String reason, boolean resubscribing) {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    /** Events no waiting call wanted yet; the test thread's own. */
    private final List<Event> passedOver = new ArrayList<>();
    final BlockingQueue<Disconnect> disconnects = new LinkedBlockingQueue<>();
    final SchedulerClient client;

    private RecordingScheduler(SchedulerConfig config) {
        this.client = new SchedulerClient(config, this);
    }

    /** A framework that checkpoints and may fail over within a minute. */
    static FrameworkInfo framework(String name) {
        return FrameworkInfo.newBuilder().setUser("remit").setName(name).setFailoverTimeout(60).setCheckpoint(true).build();
    }

    /** Settings that suit a local cluster: quick resubscription, short request timeout. */
    static SchedulerConfig.Builder config(String masterUrl, MediaType type, FrameworkInfo framework) {
        return SchedulerConfig.builder().master(masterUrl).mediaType(type).frameworkInfo(framework)
                .backoff(Duration.ofMillis(50), Duration.ofMillis(500)).requestTimeout(Duration.ofSeconds(5));
    }

    static RecordingScheduler start(SchedulerConfig config) {
        RecordingScheduler s = new RecordingScheduler(config);
        s.client.start();
        return s;
    }

    @Override
    public void received(Event event) {
        events.add(event);
    }

    @Override
    public void disconnected(String reason, boolean resubscribing) {
        disconnects.add(new Disconnect(reason, resubscribing));
    }

    /**
     * The first event matching {@code which}, whether it is among those earlier calls passed over
     * or yet to come; the others stay queued, in order, for later calls. Fails after {@code timeout}.
     */
    Event next(String what, Predicate<Event> which, Duration timeout) {
        for (Iterator<Event> it = passedOver.iterator(); it.hasNext(); ) {
            Event e = it.next();
            if (which.test(e)) {
                it.remove();
                return e;
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Event e;
            try {
                e = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, ie);
            }
            if (e == null) {
                List<String> last = passedOver.subList(Math.max(0, passedOver.size() - 6), passedOver.size()).stream()
                        .map(RecordingScheduler::describe).toList();
                throw new AssertionError("no " + what + " within " + timeout + "; the last events passed over: " + last);
            }
            if (which.test(e)) {
                return e;
            }
            passedOver.add(e);
        }
    }

    private static String describe(Event e) {
        if (e.getType() != Event.Type.UPDATE) {
            return e.getType().name();
        }
        TaskStatus s = e.getUpdate().getStatus();
        return "UPDATE " + s.getTaskId().getValue() + " " + s.getState() + " " + s.getMessage();
    }

    Event next(Event.Type type) {
        return next(type.name(), e -> e.getType() == type, Await.TIMEOUT);
    }

    /** The offers of the next OFFERS event. */
    List<Offer> offers() {
        return next(Event.Type.OFFERS).getOffers().getOffersList();
    }

    Offer offer() {
        return offers().get(0);
    }

    /** The next status update of {@code taskId}, whatever its state; not acknowledged. */
    TaskStatus nextStatus(String taskId, Duration timeout) {
        return next("UPDATE of " + taskId, e -> e.getType() == Event.Type.UPDATE
                && e.getUpdate().getStatus().getTaskId().getValue().equals(taskId), timeout).getUpdate().getStatus();
    }

    /**
     * Waits for {@code taskId} to reach {@code state}, acknowledging every update with a uuid on
     * the way, the returned one included, as a well-behaved scheduler does.
     */
    TaskStatus reach(String taskId, TaskState state) {
        long deadline = System.nanoTime() + Await.TIMEOUT.toNanos();
        while (true) {
            TaskStatus s = nextStatus(taskId, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (!s.getUuid().isEmpty()) {
                acknowledge(s);
            }
            if (s.getState() == state) {
                return s;
            }
        }
    }

    void acknowledge(TaskStatus status) {
        send(SchedulerCalls.acknowledge(status.getAgentId(), status.getTaskId(), status.getUuid()));
    }

    /** Sends a call and waits for its 202. */
    void send(Call call) {
        Await.done(call.getType() + " call", client.send(call));
    }

    FrameworkID frameworkId() {
        return client.frameworkId().orElseThrow(() -> new AssertionError("not subscribed yet"));
    }

    Disconnect nextDisconnect() {
        try {
            Disconnect d = disconnects.poll(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (d == null) {
                throw new AssertionError("no disconnection within " + Await.TIMEOUT);
            }
            return d;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
