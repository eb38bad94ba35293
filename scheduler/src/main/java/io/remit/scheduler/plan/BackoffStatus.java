package io.remit.scheduler.plan;

import java.time.Duration;
import java.time.Instant;

/**
 * A service's restart backoff at one moment, for the {@link Planner} and for display.
 *
 * @param failures failures since the last reset
 * @param delay the wait imposed after the last failure
 * @param nextAllowedLaunch no instance of the service is launched before this
 * @param crashLooping whether the service fails again and again (see {@link BackoffPolicy})
 */
public record BackoffStatus(int failures, Duration delay, Instant nextAllowedLaunch, boolean crashLooping) {

    /** No failures: launches are allowed at any time. */
    public static final BackoffStatus NONE = new BackoffStatus(0, Duration.ZERO, Instant.EPOCH, false);
}
