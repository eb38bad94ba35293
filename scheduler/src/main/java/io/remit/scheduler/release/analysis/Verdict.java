package io.remit.scheduler.release.analysis;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * The outcome of one analysis, with the numbers it used: what a deployment stores and the UI
 * shows. Plain records: Jackson writes and reads them (instants as ISO-8601 text with the
 * JavaTimeModule and {@code WRITE_DATES_AS_TIMESTAMPS} off, as the scheduler's mappers have it).
 * Numbers are never NaN or infinite; a value there is none of is null.
 *
 * @param outcome PASS, FAIL, or INCONCLUSIVE (too few requests, metrics unavailable, a metric
 *     without data): wait and judge again, until the deployment's deadline
 * @param reason in words, for a person: the failed checks, or why there is no verdict
 * @param from start of the window judged
 * @param to end of the window judged
 * @param source where the metrics came from ({@code http://127.0.0.1:9090})
 * @param canaryRequests requests the canary served in the window, null when unknown
 * @param baselineRequests requests the baseline served in the window, null when unknown
 * @param checks every check made: overall first, then per endpoint
 * @param notes what else a reader should know: endpoints judged only overall, and why
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Verdict(Outcome outcome, String reason, Instant from, Instant to, String source, Long canaryRequests,
        Long baselineRequests, List<Check> checks, List<String> notes) {

    public Verdict {
        checks = checks == null ? List.of() : List.copyOf(checks);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    public enum Outcome { PASS, FAIL, INCONCLUSIVE }

    /** No verdict, for {@code reason}, before or without any numbers. */
    static Verdict inconclusive(String reason, Instant from, Instant to, String source) {
        return new Verdict(Outcome.INCONCLUSIVE, reason, from, to, source, null, null, List.of(), List.of());
    }

    /** The checks that failed. */
    public List<Check> failed() {
        return checks.stream().filter(c -> c.outcome() == Outcome.FAIL).toList();
    }

    /**
     * One comparison of the canary with the baseline.
     *
     * @param name the metric and, for one endpoint, the endpoint: {@code errorRate},
     *     {@code p99Ms POST /payments}
     * @param metric {@code errorRate}, {@code p50Ms}, {@code p99Ms} or a name under {@code metrics}
     * @param endpoint {@code POST /payments}, or null for all endpoints together
     * @param unit {@code ratio} (0 to 1), {@code ms}, or null for an extra metric's own unit
     * @param canary the canary's value over the window (latency: the quantile of the window's
     *     histogram; extra metric: the mean of its values)
     * @param baseline the baseline's, null where the baseline has too little traffic to compare
     * @param threshold the limit the canary's value was held to: the absolute maximum, or what
     *     the baseline's value and the allowed increase or ratio give, whichever decided
     * @param thresholdKind {@code max}, {@code maxIncrease} or {@code maxRatio}
     * @param test the per-interval comparison for a ratio, null for the error rate
     * @param summary the check in words, e.g. "error rate 20.1% on the canary against 0.2% on
     *     the baseline, above the maximum 1%"
     */
    @JsonIgnoreProperties(value = "passed", allowGetters = true)
    public record Check(String name, String metric, String endpoint, String unit, Double canary, Double baseline,
            Double threshold, String thresholdKind, Outcome outcome, IntervalTest test, String summary) {

        @JsonProperty("passed")
        public boolean passed() {
            return outcome == Outcome.PASS;
        }
    }

    /**
     * The canary's values per interval against the baseline's: the Mann-Whitney U test when each
     * side has at least {@code minSamples} values; otherwise {@code u} and {@code pValue} are null
     * and the check was decided by the window's values alone.
     *
     * @param significant whether p is below 0.05 with the canary the higher
     */
    public record IntervalTest(String name, int canarySamples, int baselineSamples, int minSamples, Double canaryMedian,
            Double baselineMedian, Double u, Double pValue, boolean significant) {
    }
}
