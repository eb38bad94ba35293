package io.remit.registry.etcd;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with jitter for retry loops: the n-th delay is
 * {@code min(max, initial * 2^n)} scaled by a random factor in [0.8, 1.2]. Not thread-safe; each
 * loop owns one and uses it from its own thread.
 */
public final class Backoff {

    private final Duration initial;
    private final Duration max;
    private int failures;

    public Backoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
    }

    public static Backoff standard() {
        return new Backoff(Duration.ofMillis(100), Duration.ofSeconds(3));
    }

    /** The delay before the next attempt, and counts a failure. */
    public Duration next() {
        long base = initial.toMillis() << Math.min(failures, 20);
        failures++;
        long capped = Math.min(base, max.toMillis());
        double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
        return Duration.ofMillis(Math.max(1, Math.round(capped * jitter)));
    }

    /** After a success: the next delay starts from {@code initial} again. */
    public void reset() {
        failures = 0;
    }

    /** The longest delay before jitter (which may add a fifth). */
    public Duration max() {
        return max;
    }

    public int failures() {
        return failures;
    }
}
