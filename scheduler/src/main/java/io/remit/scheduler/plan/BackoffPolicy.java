package io.remit.scheduler.plan;

import java.time.Duration;
import java.util.Objects;

/**
 * How relaunches of a failing service are spaced.
 *
 * @param base the wait after the first failure
 * @param factor each further failure multiplies the wait by this (at least 1)
 * @param max the wait never exceeds this
 * @param resetAfterHealthy the failure count is forgotten once an instance has been healthy this
 *     long with no failure since
 * @param crashLoopFailures this many failures without a reset make the service crash-looping
 */
public record BackoffPolicy(Duration base, double factor, Duration max, Duration resetAfterHealthy, int crashLoopFailures) {

    /** 1 s, doubling, at most 5 min; reset after 5 min healthy; crash-looping from 3 failures. */
    public static final BackoffPolicy DEFAULT =
            new BackoffPolicy(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5), Duration.ofMinutes(5), 3);

    public BackoffPolicy {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(max, "max");
        Objects.requireNonNull(resetAfterHealthy, "resetAfterHealthy");
        if (base.isNegative() || max.compareTo(base) < 0 || !(factor >= 1) || crashLoopFailures < 1) {
            throw new IllegalArgumentException("invalid backoff policy " + base + " x" + factor + " max " + max);
        }
    }

    /** The wait after {@code failures} failures in a row: 0 for none, else base * factor^(n-1), capped. */
    public Duration delayAfter(int failures) {
        if (failures <= 0) {
            return Duration.ZERO;
        }
        double millis = base.toMillis();
        for (int i = 1; i < failures && millis < max.toMillis(); i++) {
            millis *= factor;
        }
        return millis >= max.toMillis() ? max : Duration.ofMillis((long) millis);
    }
}
