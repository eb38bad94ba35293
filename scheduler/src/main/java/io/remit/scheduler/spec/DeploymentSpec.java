package io.remit.scheduler.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;

/**
 * How a change that needs new instances goes out (spec field {@code deployment}). Not part of
 * the {@link SpecRevision}: changing only this restarts nothing.
 *
 * <pre>
 * deployment:
 *   strategy: canary          # or rolling (the default)
 *   maxSurge: 1               # instances above the count while replacing: a number or "25%"
 *   maxUnavailable: 0         # healthy instances below the count while replacing
 *   progressDeadline: 10m     # a step that makes no progress this long fails the deployment
 *   steps:                    # canary only: the new version beside the whole old one
 *     - instances: 1
 *       pause: 1m             # then the analysis, then the next step
 *     - weight: 50            # a share of the count, in instances (rounded up)
 *       pause: manual         # until resumed by hand
 *   analysis: {...}           # see docs/releases.md
 * </pre>
 *
 * <p>A rolling deployment replaces instances keeping at most {@code instances + maxSurge} active
 * and at least {@code instances - maxUnavailable} healthy. A canary runs each step's count of new
 * instances beside all the old ones (so the old version never drops below its count), pauses,
 * is analysed, and after the last step is promoted by a rolling replacement.
 */
public record DeploymentSpec(
        Strategy strategy, Amount maxSurge, Amount maxUnavailable, Duration progressDeadline, List<CanaryStep> steps,
        JsonNode analysis) {

    public enum Strategy {
        ROLLING, CANARY;

        public String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A count, or a percentage of the instance count. */
    public record Amount(int value, boolean percent) {

        public static final Amount ONE = new Amount(1, false);
        public static final Amount ZERO = new Amount(0, false);

        /** Of {@code instances}: a percentage rounded up ({@code roundUp}) or down, as Kubernetes does. */
        public int of(int instances, boolean roundUp) {
            if (!percent) {
                return value;
            }
            long scaled = (long) instances * value;
            return (int) (roundUp ? (scaled + 99) / 100 : scaled / 100);
        }

        public String text() {
            return percent ? value + "%" : Integer.toString(value);
        }
    }

    /**
     * One canary step: {@code instances} new ones, or {@code weight} percent of the count; then a
     * pause ({@code pause}, or until resumed when {@code manual}), then the analysis.
     */
    public record CanaryStep(Integer instances, Integer weight, Duration pause, boolean manual) {

        /** The new instances this step runs, for a service of {@code count} instances. */
        public int instancesOf(int count) {
            if (instances != null) {
                return instances;
            }
            return weight == null ? 0 : Math.max(1, (int) Math.ceil(count * weight / 100.0));
        }
    }

    public static final Duration DEFAULT_PROGRESS_DEADLINE = Duration.ofMinutes(10);

    /** Today's behaviour: rolling, one extra instance at a time, none unavailable. */
    public static final DeploymentSpec DEFAULT =
            new DeploymentSpec(Strategy.ROLLING, Amount.ONE, Amount.ZERO, DEFAULT_PROGRESS_DEADLINE, List.of(), null);

    public DeploymentSpec {
        strategy = strategy == null ? Strategy.ROLLING : strategy;
        maxSurge = maxSurge == null ? Amount.ONE : maxSurge;
        maxUnavailable = maxUnavailable == null ? Amount.ZERO : maxUnavailable;
        progressDeadline = progressDeadline == null ? DEFAULT_PROGRESS_DEADLINE : progressDeadline;
        steps = steps == null ? List.of() : List.copyOf(steps);
        analysis = analysis == null || analysis.isNull() || analysis.isMissingNode() ? null : analysis.deepCopy();
    }

    public boolean isDefault() {
        return equals(DEFAULT);
    }
}
