package io.remit.scheduler.release.analysis;

import io.remit.scheduler.observe.MetricQuery;
import io.remit.scheduler.spec.Violation;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Judges a canary: reads what its instances and the baseline's served over a window, through a
 * {@link MetricQuery}, and compares them by the spec's analysis ({@link Judgement} says how).
 * Stateless and thread-safe; each call asks the metrics source 6 queries, and 2 more per extra
 * metric, each bounded by the source's own timeout.
 *
 * <p>The deployment controller calls it between canary steps, over the window since the step
 * began (or since the canary's instances turned healthy): a PASS promotes, a FAIL rolls back,
 * and an INCONCLUSIVE (too few requests, or no metrics) means judge again later, until the
 * step's deadline.
 */
public final class CanaryJudge {

    private final MetricQuery metrics;
    private final CohortReader reader;

    public CanaryJudge(MetricQuery metrics) {
        this.metrics = metrics;
        this.reader = new CohortReader(metrics);
    }

    /**
     * The verdict on the canary over {@code from} to {@code to}. Never throws for the metrics'
     * sake: a source that does not answer gives INCONCLUSIVE with its reason.
     *
     * @throws IllegalArgumentException when {@code spec} is not valid ({@link AnalysisValidator})
     *     or {@code from} is not before {@code to}
     */
    public Verdict judge(AnalysisSpec spec, Cohorts cohorts, Instant from, Instant to) {
        return judge(spec, cohorts, from, to, from, to);
    }

    /**
     * The verdict on the canary over {@code from} to {@code to}, against the baseline over its own
     * window of the same length (after a blue/green switch: the old version just before it).
     */
    public Verdict judge(AnalysisSpec spec, Cohorts cohorts, Instant baselineFrom, Instant baselineTo, Instant from,
                         Instant to) {
        List<Violation> problems = AnalysisValidator.validate(spec, "analysis");
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("not a valid analysis: "
                    + problems.stream().map(Violation::toString).collect(Collectors.joining("; ")));
        }
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("the window must end after it starts: " + from + " to " + to);
        }
        CohortMetrics canary;
        CohortMetrics baseline;
        try {
            canary = reader.read(cohorts.canaryMatchers(), spec, from, to);
            baseline = reader.read(cohorts.baselineMatchers(), spec, baselineFrom, baselineTo);
        } catch (MetricQuery.Unavailable e) {
            return Verdict.inconclusive("metrics unavailable: " + e.getMessage(), from, to, metrics.source());
        }
        return Judgement.decide(spec, canary, baseline, from, to, metrics.source());
    }
}
