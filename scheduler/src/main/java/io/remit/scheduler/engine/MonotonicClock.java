package io.remit.scheduler.engine;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock for measuring how long something has lasted: it starts at the wall-clock time of its
 * creation and then moves only with {@link System#nanoTime()}, so a step of the wall clock (NTP,
 * an operator's {@code date -s}) neither ends a backoff or a timeout early nor makes one last
 * as long as the step. Its instants are for comparing with each other; they drift from the wall
 * clock by whatever steps it has taken since, so records meant for people take the wall clock.
 */
public final class MonotonicClock extends Clock {

    private final Instant origin;
    private final long originNanos;

    private MonotonicClock(Instant origin, long originNanos) {
        this.origin = origin;
        this.originNanos = originNanos;
    }

    /** A clock that reads the wall clock's time now and counts monotonic time from there. */
    public static MonotonicClock start() {
        return new MonotonicClock(Instant.now(), System.nanoTime());
    }

    @Override
    public Instant instant() {
        return origin.plusNanos(System.nanoTime() - originNanos);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (zone.equals(ZoneOffset.UTC)) {
            return this;
        }
        throw new UnsupportedOperationException("a monotonic clock is kept in UTC");
    }
}
