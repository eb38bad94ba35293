package io.remit.scheduler.spec;

import java.time.Duration;

/**
 * When the dashboard marks a service (spec field {@code signals}): above {@link #maxErrorRatio()}
 * (the share of requests answered 5xx, 0 to 1) or {@link #maxP99()} (p99 latency). Either may be
 * left out (null): the scheduler's own default ({@code prometheus.maxErrorRatio},
 * {@code prometheus.maxP99}) then holds. Changing them does not restart instances: they are not
 * part of what an instance is started from ({@link SpecRevision}).
 *
 * <pre>
 * signals:
 *   maxErrorRatio: 0.01
 *   maxP99: 300ms
 * </pre>
 */
public record SignalThresholds(Double maxErrorRatio, Duration maxP99) {

    /** Nothing set: the scheduler's defaults hold. */
    public static final SignalThresholds NONE = new SignalThresholds(null, null);

    public boolean isNone() {
        return maxErrorRatio == null && maxP99 == null;
    }
}
