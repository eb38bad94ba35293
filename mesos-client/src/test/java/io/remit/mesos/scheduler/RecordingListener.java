package io.remit.mesos.scheduler;

import io.remit.mesos.fake.Await;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mesos.v1.scheduler.Protos.Event;

/** Records what a {@link SchedulerClient} delivers, and on which threads, how concurrently. */
final class RecordingListener implements SchedulerListener {

    record Disconnect(String reason, boolean resubscribing) {
    }

    final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    final BlockingQueue<Disconnect> disconnects = new LinkedBlockingQueue<>();
    final Set<String> threads = ConcurrentHashMap.newKeySet();
    final AtomicInteger inside = new AtomicInteger();
    final AtomicInteger mostInside = new AtomicInteger();

    @Override
    public void received(Event event) {
        enter();
        try {
            events.add(event);
        } finally {
            inside.decrementAndGet();
        }
    }

    @Override
    public void disconnected(String reason, boolean resubscribing) {
        enter();
        try {
            disconnects.add(new Disconnect(reason, resubscribing));
        } finally {
            inside.decrementAndGet();
        }
    }

    private void enter() {
        threads.add(Thread.currentThread().getName());
        mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
    }

    /** The next event of {@code type}, skipping others (e.g. heartbeats). */
    Event next(Event.Type type) {
        while (true) {
            Event e = Await.next(type + " event", events);
            if (e.getType() == type) {
                return e;
            }
        }
    }

    Disconnect nextDisconnect() {
        return Await.next("disconnected()", disconnects);
    }
}
