package io.remit.mesos.http;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/**
 * Capped exponential backoff with full jitter: the ceiling of attempt {@code n} (counting from
 * 0) is {@code min(max, min * 2^n)} and the delay is drawn uniformly from {@code [0, ceiling)}.
 * So {@code min} is the ceiling of the first retry, not a floor.
 *
 * <p>Thread-safe if the {@link Random} is (java.util.Random is).
 */
public final class Backoff {

    private final Duration min;
    private final Duration max;
    private final Random random;

    public Backoff(Duration min, Duration max, Random random) {
        if (min.isNegative() || min.isZero()) {
            throw new IllegalArgumentException("backoff min must be positive: " + min);
        }
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException("backoff max " + max + " is below min " + min);
        }
        this.min = min;
        this.max = max;
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The largest delay attempt {@code attempt} (0-based) may wait. */
    public Duration ceiling(int attempt) {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must not be negative: " + attempt);
        }
        long minNanos = min.toNanos();
        long maxNanos = max.toNanos();
        if (attempt >= 62 || minNanos > (maxNanos >> attempt)) {
            return max;
        }
        return Duration.ofNanos(Math.min(maxNanos, minNanos << attempt));
    }

    /** A random delay for attempt {@code attempt} (0-based), between zero and {@link #ceiling}. */
    public Duration delay(int attempt) {
        long ceiling = ceiling(attempt).toNanos();
        return Duration.ofNanos(Math.min(ceiling, (long) (random.nextDouble() * ceiling)));
    }
}
