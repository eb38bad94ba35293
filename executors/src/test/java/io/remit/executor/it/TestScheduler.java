package io.remit.executor.it;

import io.remit.mesos.scheduler.SchedulerCalls;
import io.remit.mesos.scheduler.SchedulerClient;
import io.remit.mesos.scheduler.SchedulerConfig;
import io.remit.mesos.scheduler.SchedulerListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * The scheduler side of the tests, on mesos-client's {@link SchedulerClient}: it queues every
 * event so that a test can wait for the one it expects, and acknowledges each status update it
 * hands out, as a well-behaved scheduler does. The waiting methods belong to one test thread.
 */
final class TestScheduler implements SchedulerListener, AutoCloseable {

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    /** Events that no wait wanted yet, oldest first; the test thread's own. */
    private final List<Event> passedOver = new ArrayList<>();
    private final SchedulerClient client;

    private TestScheduler(String masterUrl) {
        FrameworkInfo framework = FrameworkInfo.newBuilder().setUser("remit").setName("executor-its")
                .setFailoverTimeout(60).setCheckpoint(true).build();
        this.client = new SchedulerClient(SchedulerConfig.builder().master(masterUrl).frameworkInfo(framework)
                .backoff(Duration.ofMillis(50), Duration.ofMillis(500)).requestTimeout(Duration.ofSeconds(10)).build(), this);
    }

    static TestScheduler start(String masterUrl) {
        TestScheduler s = new TestScheduler(masterUrl);
        s.client.start();
        return s;
    }

    @Override
    public void received(Event event) {
        events.add(event);
    }

    @Override
    public void disconnected(String reason, boolean resubscribing) {
        // The tests notice through missing events.
    }

    /** The first event matching {@code which}, earlier passed-over ones first; fails after {@code timeout}. */
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
            Event e;
            try {
                e = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, ie);
            }
            if (e == null) {
                throw new AssertionError("no " + what + " within " + timeout);
            }
            if (which.test(e)) {
                return e;
            }
            passedOver.add(e);
        }
    }

    /**
     * The first offer that {@code fits}; offers that do not are declined (to come back merged
     * with what is freed later), as a scheduler does with offers it cannot use.
     */
    Offer offer(Predicate<Offer> fits) {
        long deadline = System.nanoTime() + Await.TIMEOUT.toNanos();
        while (true) {
            Event offers = next("a fitting offer", e -> e.getType() == Event.Type.OFFERS,
                    Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            Offer chosen = null;
            for (Offer offer : offers.getOffers().getOffersList()) {
                if (chosen == null && fits.test(offer)) {
                    chosen = offer;
                } else {
                    send(SchedulerCalls.decline(List.of(offer.getId()), Duration.ZERO));
                }
            }
            if (chosen != null) {
                return chosen;
            }
        }
    }

    /** The next status update of {@code taskId}, acknowledged. */
    TaskStatus nextStatus(String taskId, Duration timeout) {
        TaskStatus status = next("status update of " + taskId, e -> e.getType() == Event.Type.UPDATE
                && e.getUpdate().getStatus().getTaskId().getValue().equals(taskId), timeout).getUpdate().getStatus();
        if (!status.getUuid().isEmpty()) {
            send(SchedulerCalls.acknowledge(status.getAgentId(), status.getTaskId(), status.getUuid()));
        }
        return status;
    }

    /** Sends a call and waits for its 202. */
    void send(Call call) {
        try {
            client.send(call).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(call.getType() + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException | InterruptedException e) {
            throw new AssertionError(call.getType() + " not answered: " + e, e);
        }
    }

    FrameworkID frameworkId() {
        return client.frameworkId().orElseThrow(() -> new AssertionError("not subscribed yet"));
    }

    @Override
    public void close() {
        client.close();
    }
}
