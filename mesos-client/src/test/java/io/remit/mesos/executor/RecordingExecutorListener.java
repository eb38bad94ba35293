package io.remit.mesos.executor;

import io.remit.mesos.fake.Await;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mesos.v1.executor.Protos.Event;

/** Records what an {@link ExecutorClient} delivers, on which threads, how concurrently. */
final class RecordingExecutorListener implements ExecutorListener {

    record Disconnect(String reason, boolean resubscribing) {
    }

    final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    final BlockingQueue<Disconnect> disconnects = new LinkedBlockingQueue<>();
    final BlockingQueue<Duration> recoveryTimeouts = new LinkedBlockingQueue<>();
    final Set<String> threads = ConcurrentHashMap.newKeySet();
    final AtomicInteger inside = new AtomicInteger();
    final AtomicInteger mostInside = new AtomicInteger();

    @Override
    public void received(Event event) {
        record(() -> events.add(event));
    }

    @Override
    public void disconnected(String reason, boolean resubscribing) {
        record(() -> disconnects.add(new Disconnect(reason, resubscribing)));
    }

    @Override
    public void recoveryTimedOut(Duration recoveryTimeout) {
        record(() -> recoveryTimeouts.add(recoveryTimeout));
    }

    private void record(Runnable r) {
        threads.add(Thread.currentThread().getName());
        mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
        try {
            r.run();
        } finally {
            inside.decrementAndGet();
        }
    }

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
