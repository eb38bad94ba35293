package io.remit.scheduler.release.analysis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a canary is judged (spec field {@code deployment.analysis}): thresholds on the canary's
 * error rate and latency, absolute and relative to the baseline, extra PromQL checks, how many
 * requests each cohort must have served before any verdict, and the step of the time series the
 * statistical test compares. A check left out (null) is not made; at least one must be given
 * ({@link AnalysisValidator} says so).
 *
 * <pre>
 * analysis:
 *   interval: 10s
 *   minRequests: 50
 *   errorRate: {max: 0.01, maxIncrease: 0.005}
 *   p50Ms: {maxRatio: 1.2}
 *   p99Ms: {max: 500, maxRatio: 1.2}
 *   metrics:
 *     - name: gcPauseShare
 *       query: sum(rate(jvm_gc_collection_seconds_sum{{selector}}[1m]))
 *       max: 0.05
 * </pre>
 *
 * @param interval the step of the per-interval series (latency and extra metrics) the
 *     Mann-Whitney test compares; whole seconds
 * @param minRequests requests each cohort must have served in the window, overall, before a
 *     verdict; an endpoint is judged on its own only when the canary served that many on it
 * @param errorRate thresholds on the share of requests answered 5xx, or null
 * @param p50Ms thresholds on the median latency in milliseconds, or null
 * @param p99Ms thresholds on the 99th percentile latency in milliseconds, or null
 * @param metrics extra checks, each a PromQL query; higher values are worse
 */
public record AnalysisSpec(Duration interval, int minRequests, ErrorRate errorRate, Latency p50Ms, Latency p99Ms,
        List<Metric> metrics) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    public static final int DEFAULT_MIN_REQUESTS = 50;
    /** The checks every analysis knows, by the names the spec and the verdict use. */
    public static final List<String> BUILT_IN = List.of("errorRate", "p50Ms", "p99Ms");

    public AnalysisSpec {
        interval = interval == null ? DEFAULT_INTERVAL : interval;
        metrics = metrics == null ? List.of() : List.copyOf(metrics);
    }

    /**
     * The share of requests answered 5xx (0 to 1).
     *
     * @param max the canary's share may not be above it
     * @param maxIncrease nor above the baseline's share plus this
     */
    public record ErrorRate(Double max, Double maxIncrease) {
    }

    /**
     * A latency quantile in milliseconds.
     *
     * @param max the canary's value may not be above it
     * @param maxRatio nor above the baseline's times this (1.2: 20% slower), when the per-interval
     *     values say the canary is significantly slower (or when there are too few for the test)
     */
    public record Latency(Double max, Double maxRatio) {
    }

    /**
     * An extra check: {@code query} is PromQL with {@code {{selector}}} where each cohort's series
     * selector goes; it must give one series. Its value is the mean of that series over the
     * window, judged as the latencies are: higher is worse.
     */
    public record Metric(String name, String query, Double max, Double maxRatio) {

        public Metric {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(query, "query");
        }
    }

    /** Only an error-rate check, with the default interval and minimum. */
    public static AnalysisSpec errorRateOnly(double max, Double maxIncrease) {
        return new AnalysisSpec(DEFAULT_INTERVAL, DEFAULT_MIN_REQUESTS, new ErrorRate(max, maxIncrease), null, null, List.of());
    }

    /** The names of every check this analysis can make: the built-in ones and its own metrics. */
    public List<String> metricNames() {
        List<String> names = new ArrayList<>(BUILT_IN);
        metrics.forEach(m -> names.add(m.name()));
        return names;
    }

    /** Whether {@code name} is a check this analysis knows (built in, or declared under metrics). */
    public boolean knows(String name) {
        return BUILT_IN.contains(name) || metrics.stream().anyMatch(m -> m.name().equals(name));
    }

    /** Whether any check is configured at all. */
    public boolean checksAnything() {
        return errorRate != null || p50Ms != null || p99Ms != null || !metrics.isEmpty();
    }
}
