package io.remit.scheduler.events;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The scheduler's recent events, in a bounded ring: recorded by whoever decides them (the
 * engine's transitions, the leadership, a standby's watch on the task records); read by SSE
 * clients, which block until there is something after the last id they saw. Thread-safe.
 */
public final class EventJournal {

    private final int capacity;
    private final Clock clock;
    private final ArrayDeque<Event> events = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appended = lock.newCondition();
    private long lastId;
    private boolean closed;

    public EventJournal(int capacity, Clock clock) {
        this.capacity = capacity;
        this.clock = clock;
    }

    /**
     * Keeps the event, as {@link EventFormat} writes it, and wakes the readers waiting; an event
     * the stream does not tell (a task's PENDING step) is dropped. Callers on several threads
     * may record at once; each event gets the next id.
     */
    public Optional<Event> record(SchedulerEvent event) {
        Optional<EventFormat.Entry> entry = EventFormat.of(event);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        lock.lock();
        try {
            Event e = add(entry.get().type(), entry.get().data());
            appended.signalAll();
            return Optional.of(e);
        } finally {
            lock.unlock();
        }
    }

    private Event add(String type, Map<String, Object> data) {
        Event e = new Event(++lastId, type, clock.instant(), Map.copyOf(data));
        events.addLast(e);
        while (events.size() > capacity) {
            events.removeFirst();
        }
        return e;
    }

    public long lastId() {
        lock.lock();
        try {
            return lastId;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The events after {@code afterId}, oldest first; empty when there are none. When events after
     * {@code afterId} have already left the ring, the answer starts with the oldest kept and
     * {@link Page#gap()} is true, so the client knows it missed some and should reload.
     */
    public Page after(long afterId) {
        lock.lock();
        try {
            return page(afterId);
        } finally {
            lock.unlock();
        }
    }

    /** As {@link #after}, waiting up to {@code timeoutMillis} for at least one event. */
    public Page await(long afterId, long timeoutMillis) throws InterruptedException {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (lastId <= afterId && nanos > 0 && !closed) {
                nanos = appended.awaitNanos(nanos);
            }
            return page(afterId);
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiting reader and makes waits return at once: the scheduler is stopping. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            appended.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** The newest {@code n} events, oldest first. */
    public List<Event> recent(int n) {
        lock.lock();
        try {
            List<Event> all = new ArrayList<>(events);
            return List.copyOf(all.subList(Math.max(0, all.size() - n), all.size()));
        } finally {
            lock.unlock();
        }
    }

    private Page page(long afterId) {
        if (afterId > lastId) {
            // An id from before this scheduler restarted (ids start again at 1): everything is new.
            afterId = 0;
        }
        List<Event> out = new ArrayList<>();
        Optional<Event> oldest = Optional.ofNullable(events.peekFirst());
        boolean gap = oldest.isPresent() && oldest.get().id() > afterId + 1;
        for (Event e : events) {
            if (e.id() > afterId) {
                out.add(e);
            }
        }
        return new Page(out, gap);
    }

    /** Events after an id, and whether some in between were dropped. */
    public record Page(List<Event> events, boolean gap) {
    }
}
