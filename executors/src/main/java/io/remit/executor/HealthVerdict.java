package io.remit.executor;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Whether an instance is healthy, from the results of its health checks: an immutable state
 * machine, fed one {@link Result} at a time by {@link #after(Result)}. Pure; the caller stamps
 * each result with its clock.
 *
 * <ul>
 *   <li>A successful check makes it {@link Health#HEALTHY} at once and clears the failure count.
 *   <li>A failed check before the first success and within the grace period after the start does
 *       not count (the service is still starting).
 *   <li>Otherwise failures count; {@code consecutiveFailures} of them in a row make it
 *       {@link Health#UNHEALTHY}, whether or not it was ever healthy.
 * </ul>
 *
 * @param health the verdict so far
 * @param failuresInARow failures counted since the last success
 * @param everHealthy whether a check has ever succeeded (then the grace period no longer applies)
 * @param graceEnds the end of the grace period
 * @param consecutiveFailures how many counted failures in a row make it unhealthy, at least 1
 * @param lastFailure what the last failed check said, or {@code null}
 */
public record HealthVerdict(Health health, int failuresInARow, boolean everHealthy, Instant graceEnds,
                            int consecutiveFailures, String lastFailure) {

    public enum Health {
        /** Not yet healthy: no successful check yet, and not yet enough counted failures. */
        UNKNOWN,
        HEALTHY,
        UNHEALTHY
    }

    /** One health check's outcome. {@code detail} says what failed (ignored on success). */
    public record Result(Instant at, boolean ok, String detail) {

        public static Result ok(Instant at) {
            return new Result(at, true, "healthy");
        }

        public static Result failed(Instant at, String detail) {
            return new Result(at, false, detail);
        }
    }

    public HealthVerdict {
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(graceEnds, "graceEnds");
        if (consecutiveFailures < 1) {
            throw new IllegalArgumentException("consecutiveFailures must be at least 1: " + consecutiveFailures);
        }
    }

    /** The verdict of a service started at {@code startedAt}, before any check. */
    public static HealthVerdict initial(Instant startedAt, Duration gracePeriod, int consecutiveFailures) {
        return new HealthVerdict(Health.UNKNOWN, 0, false, startedAt.plus(gracePeriod), consecutiveFailures, null);
    }

    /** The verdict after {@code result}. */
    public HealthVerdict after(Result result) {
        if (result.ok()) {
            return new HealthVerdict(Health.HEALTHY, 0, true, graceEnds, consecutiveFailures, lastFailure);
        }
        if (!everHealthy && result.at().isBefore(graceEnds)) {
            return new HealthVerdict(health, 0, false, graceEnds, consecutiveFailures, result.detail());
        }
        int failures = failuresInARow + 1;
        Health next = failures >= consecutiveFailures ? Health.UNHEALTHY : health;
        return new HealthVerdict(next, failures, everHealthy, graceEnds, consecutiveFailures, result.detail());
    }

    /** Whether {@link #health()} differs from {@code before}'s: the moment to tell the scheduler. */
    public boolean changedFrom(HealthVerdict before) {
        return health != before.health;
    }

    /** A sentence for a status update, e.g. why it is unhealthy. */
    public String describe() {
        return switch (health) {
            case HEALTHY -> "healthy";
            case UNKNOWN -> "not yet healthy" + (lastFailure == null ? "" : ": " + lastFailure);
            case UNHEALTHY -> (everHealthy ? "unhealthy" : "never became healthy") + ": " + failuresInARow
                    + " failed health check(s) in a row, the last: " + lastFailure;
        };
    }
}
