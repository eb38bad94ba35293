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
 *
 * deployment:
 *   strategy: blueGreen       # all new beside all old, then every request to the new at once
 *   previewPause: manual      # after the new are all healthy, before the switch: a duration or manual
 *   keepOld: 5m               # the old stay this long after the switch, for an instant switch back
 *   analysis: {...}           # judged over keepOld: the new version's traffic against the old's before the switch
 * </pre>
 *
 * <p>A rolling deployment replaces instances keeping at most {@code instances + maxSurge} active
 * and at least {@code instances - maxUnavailable} healthy. A canary runs each step's count of new
 * instances beside all the old ones (so the old version never drops below its count), pauses,
 * is analysed, and after the last step is promoted by a rolling replacement. A blue/green
 * deployment starts the whole new version beside the old one with no traffic to it (the
 * discovery traffic record names only the old version), then sends every request to the new
 * version at once, keeps the old instances for {@code keepOld} and only then removes them.
 */
public record DeploymentSpec(
        Strategy strategy, Amount maxSurge, Amount maxUnavailable, Duration progressDeadline, List<CanaryStep> steps,
        JsonNode analysis, Duration previewPause, boolean previewManual, Duration keepOld) {

    public enum Strategy {
        ROLLING, CANARY, BLUE_GREEN;

        /** As written in a spec: {@code rolling}, {@code canary}, {@code blueGreen}. */
        public String text() {
            return this == BLUE_GREEN ? "blueGreen" : name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The strategy written {@code text} (case-insensitive), or null. */
        public static Strategy of(String text) {
            for (Strategy s : values()) {
                if (s.text().equalsIgnoreCase(text.strip())) {
                    return s;
                }
            }
            return null;
        }
    }

    /** How long a blue/green deployment keeps the old version after the switch, unless the spec says. */
    public static final Duration DEFAULT_KEEP_OLD = Duration.ofMinutes(5);

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

    public DeploymentSpec(Strategy strategy, Amount maxSurge, Amount maxUnavailable, Duration progressDeadline,
                          List<CanaryStep> steps, JsonNode analysis) {
        this(strategy, maxSurge, maxUnavailable, progressDeadline, steps, analysis, null, false, null);
    }

    public DeploymentSpec {
        strategy = strategy == null ? Strategy.ROLLING : strategy;
        maxSurge = maxSurge == null ? Amount.ONE : maxSurge;
        maxUnavailable = maxUnavailable == null ? Amount.ZERO : maxUnavailable;
        progressDeadline = progressDeadline == null ? DEFAULT_PROGRESS_DEADLINE : progressDeadline;
        steps = steps == null ? List.of() : List.copyOf(steps);
        analysis = analysis == null || analysis.isNull() || analysis.isMissingNode() ? null : analysis.deepCopy();
    }

    /** How long the old version stays after a blue/green switch. */
    public Duration keepOldOrDefault() {
        return keepOld == null ? DEFAULT_KEEP_OLD : keepOld;
    }

    public boolean isDefault() {
        return equals(DEFAULT);
    }
}
