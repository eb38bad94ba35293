package io.remit.scheduler.release.analysis;

import io.remit.scheduler.release.analysis.Verdict.Check;
import io.remit.scheduler.release.analysis.Verdict.IntervalTest;
import io.remit.scheduler.release.analysis.Verdict.Outcome;
import io.remit.scheduler.spec.Durations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * The verdict on what two cohorts served: a pure function of the spec and their metrics.
 *
 * <ul>
 *   <li>Fewer than {@code minRequests} on either side overall: INCONCLUSIVE, no check made.
 *   <li>Error rate: the canary's 5xx share may be neither above {@code max} nor above the
 *       baseline's share plus {@code maxIncrease}.
 *   <li>Latency (and each extra metric, by its mean): not above {@code max}; and, for
 *       {@code maxRatio}, the per-interval values of the canary are compared with the
 *       baseline's by the Mann-Whitney U test: it fails when they are significantly higher
 *       (two-sided p below {@value #SIGNIFICANCE}) and their median is above the baseline's
 *       median times {@code maxRatio}. With fewer than {@link MannWhitney#MIN_SAMPLES} intervals
 *       on a side there is no test: the window's values are compared by the ratio alone, and the
 *       check says so.
 *   <li>All of it overall, then error rate and latency per endpoint on which the canary served
 *       at least {@code minRequests}; relative limits there only where the baseline did too.
 *       When both served one and the same endpoint alone, the overall checks are its own.
 * </ul>
 * FAIL when any check fails; else INCONCLUSIVE when any check could not be made; else PASS.
 */
final class Judgement {

    static final double SIGNIFICANCE = 0.05;
    private static final double EPSILON = 1e-12;
    private static final int REASONS_SHOWN = 3;

    private final AnalysisSpec spec;
    private final List<Check> checks = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private Judgement(AnalysisSpec spec) {
        this.spec = spec;
    }

    static Verdict decide(AnalysisSpec spec, CohortMetrics canary, CohortMetrics baseline, Instant from, Instant to,
            String source) {
        Traffic c = canary.overall();
        Traffic b = baseline.overall();
        long canaryRequests = Math.round(c.requests());
        long baselineRequests = Math.round(b.requests());
        if (canaryRequests < spec.minRequests() || baselineRequests < spec.minRequests()) {
            String reason = "too few requests to judge: the canary served " + canaryRequests + " in the window and the baseline "
                    + baselineRequests + "; minRequests asks " + spec.minRequests() + " of each";
            return new Verdict(Outcome.INCONCLUSIVE, reason, from, to, source, canaryRequests, baselineRequests, List.of(),
                    List.of());
        }
        Judgement j = new Judgement(spec);
        j.traffic(null, c, b);
        for (AnalysisSpec.Metric m : spec.metrics()) {
            j.metric(m, canary.metrics().get(m.name()), baseline.metrics().get(m.name()));
        }
        j.endpoints(canary, baseline);
        return j.verdict(from, to, source, canaryRequests, baselineRequests);
    }

    private void endpoints(CohortMetrics canary, CohortMetrics baseline) {
        if (canary.endpoints().size() == 1 && canary.endpoints().keySet().equals(baseline.endpoints().keySet())) {
            notes.add("every request was on " + canary.endpoints().firstKey() + ": the overall checks are its own");
            return;
        }
        List<String> few = new ArrayList<>();
        for (Endpoint e : canary.endpoints().keySet()) {
            Traffic c = canary.endpoint(e);
            if (c.requests() < spec.minRequests()) {
                few.add(e + " (" + Math.round(c.requests()) + ")");
                continue;
            }
            Traffic b = baseline.endpoint(e);
            if (b.requests() < spec.minRequests()) {
                notes.add(e + ": the baseline served " + Math.round(b.requests())
                        + " requests on it, too few to compare with; only the maximums hold there");
                b = null;
            }
            traffic(e, c, b);
        }
        if (!few.isEmpty()) {
            notes.add("judged only with all endpoints together, the canary having served fewer than " + spec.minRequests()
                    + " requests on each: " + String.join(", ", few));
        }
    }

    /** Error rate and latency of one endpoint, or of all ({@code e} null); {@code b} null: nothing to compare with. */
    private void traffic(Endpoint e, Traffic c, Traffic b) {
        if (spec.errorRate() != null) {
            add(errorRate(e, c, b));
        }
        latency("p50Ms", "p50", 0.5, spec.p50Ms(), e, c, b);
        latency("p99Ms", "p99", 0.99, spec.p99Ms(), e, c, b);
    }

    private Check errorRate(Endpoint e, Traffic c, Traffic b) {
        AnalysisSpec.ErrorRate t = spec.errorRate();
        double canary = c.errorRate();
        Double base = b == null ? null : b.errorRate();
        Double limit = null;
        String kind = null;
        if (t.max() != null) {
            limit = t.max();
            kind = "max";
        }
        if (t.maxIncrease() != null && base != null && (limit == null || base + t.maxIncrease() < limit)) {
            limit = base + t.maxIncrease();
            kind = "maxIncrease";
        }
        if (limit == null) {
            return null;
        }
        boolean fail = canary > limit + EPSILON;
        String against = base == null ? "" : " against " + Words.percent(base) + " on the baseline";
        String bound = kind.equals("max") ? "the maximum " + Words.percent(limit)
                : "the baseline's plus the allowed increase of " + Words.percent(t.maxIncrease()) + " (" + Words.percent(limit) + ")";
        String summary = subject("error rate", e) + " " + Words.percent(canary) + " on the canary" + against + ", "
                + (fail ? "above " : "within ") + bound;
        return check("errorRate", e, "ratio", canary, base, limit, kind, fail ? Outcome.FAIL : Outcome.PASS, null, summary);
    }

    private void latency(String metric, String label, double q, AnalysisSpec.Latency t, Endpoint e, Traffic c, Traffic b) {
        if (t == null) {
            return;
        }
        double canary = c.latencyMs(q);
        if (Double.isNaN(canary)) {
            add(check(metric, e, "ms", null, null, null, null, Outcome.INCONCLUSIVE, null,
                    "no latency recorded for the canary"));
            return;
        }
        Double base = b == null || Double.isNaN(b.latencyMs(q)) ? null : b.latencyMs(q);
        add(relative(metric, subject(label, e), e, "ms", Words::ms, t.max(), t.maxRatio(), canary, base,
                c.intervalLatenciesMs(q), b == null ? new double[0] : b.intervalLatenciesMs(q)));
    }

    private void metric(AnalysisSpec.Metric m, CohortMetrics.MetricValues canary, CohortMetrics.MetricValues baseline) {
        if (canary == null || canary.problem() != null || canary.values().isEmpty()) {
            add(check(m.name(), null, null, null, null, null, null, Outcome.INCONCLUSIVE, null,
                    "no value for the canary: " + problem(canary)));
            return;
        }
        boolean noBase = baseline == null || baseline.problem() != null || baseline.values().isEmpty();
        if (noBase && m.maxRatio() != null) {
            add(check(m.name(), null, null, null, null, null, null, Outcome.INCONCLUSIVE, null,
                    "no value for the baseline: " + problem(baseline)));
            return;
        }
        double[] cs = canary.values().stream().mapToDouble(Double::doubleValue).toArray();
        double[] bs = noBase ? new double[0] : baseline.values().stream().mapToDouble(Double::doubleValue).toArray();
        add(relative(m.name(), m.name(), null, null, Words::number, m.max(), m.maxRatio(), mean(cs), noBase ? null : mean(bs),
                cs, bs));
    }

    private static String problem(CohortMetrics.MetricValues v) {
        return v == null ? "not read" : v.problem() != null ? v.problem() : "its query gives no values in the window";
    }

    /**
     * A check of a value where higher is worse: not above {@code max}, and within
     * {@code maxRatio} of the baseline as the Mann-Whitney test on the intervals (or, with too
     * few, the window's values) says. Null when no limit applies.
     */
    private Check relative(String metric, String subject, Endpoint e, String unit, DoubleFunction<String> fmt, Double max,
            Double maxRatio, double canary, Double base, double[] cs, double[] bs) {
        boolean ratio = maxRatio != null && base != null;
        if (max == null && !ratio) {
            return null;
        }
        StringBuilder s = new StringBuilder(subject).append(' ').append(fmt.apply(canary)).append(" on the canary");
        if (base != null) {
            s.append(" against ").append(fmt.apply(base)).append(" on the baseline");
        }
        boolean maxFail = max != null && canary > max + EPSILON;
        if (max != null) {
            s.append(maxFail ? ", above" : ", within").append(" the maximum ").append(fmt.apply(max));
        }
        IntervalTest test = null;
        boolean ratioFail = false;
        if (ratio) {
            int min = MannWhitney.MIN_SAMPLES;
            Double cm = cs.length == 0 ? null : MannWhitney.median(cs);
            Double bm = bs.length == 0 ? null : MannWhitney.median(bs);
            String every = Durations.format(spec.interval());
            if (cs.length >= min && bs.length >= min) {
                MannWhitney.Result r = MannWhitney.test(cs, bs);
                boolean significant = r.pValue() < SIGNIFICANCE && r.firstHigher();
                boolean over = cm > bm * maxRatio + EPSILON;
                ratioFail = significant && over;
                test = new IntervalTest("Mann-Whitney U", cs.length, bs.length, min, cm, bm, r.u(), r.pValue(), significant);
                s.append("; per ").append(every).append(" interval the canary's median ").append(fmt.apply(cm))
                        .append(times(cm, bm)).append(" the baseline's ").append(fmt.apply(bm))
                        .append(over ? ", above" : ", within").append(" the allowed ").append(Words.ratio(maxRatio))
                        .append(significant ? (over ? ", and" : ", though") + " significantly higher"
                                : over ? ", but not significantly higher" : "")
                        .append(" (Mann-Whitney p ").append(Words.p(r.pValue())).append(')');
            } else {
                ratioFail = canary > base * maxRatio + EPSILON;
                test = new IntervalTest("Mann-Whitney U", cs.length, bs.length, min, cm, bm, null, null, false);
                s.append(";").append(times(canary, base)).append(" the baseline's, ").append(ratioFail ? "above" : "within")
                        .append(" the allowed ").append(Words.ratio(maxRatio)).append(" (too few ").append(every)
                        .append(" intervals for the Mann-Whitney test: ").append(cs.length).append(" on the canary, ")
                        .append(bs.length).append(" on the baseline, ").append(min).append(" needed on each)");
            }
        }
        Double threshold;
        String kind;
        Double ratioLimit = ratio ? base * maxRatio : null;
        if (maxFail || (!ratioFail && max != null && (ratioLimit == null || max <= ratioLimit))) {
            threshold = max;
            kind = "max";
        } else {
            threshold = ratioLimit;
            kind = "maxRatio";
        }
        return check(metric, e, unit, canary, base, threshold, kind, maxFail || ratioFail ? Outcome.FAIL : Outcome.PASS,
                test, s.toString());
    }

    /** " is 1.37x" of a against b, or " is above"/" is at" when b is 0. */
    private static String times(double a, double b) {
        if (b > 0) {
            return " is " + Words.ratio(a / b);
        }
        return a > 0 ? " is above" : " is at";
    }

    private static double mean(double[] v) {
        double sum = 0;
        for (double x : v) {
            sum += x;
        }
        return sum / v.length;
    }

    private static String subject(String what, Endpoint e) {
        return e == null ? what : what + " of " + e;
    }

    private static Check check(String metric, Endpoint e, String unit, Double canary, Double base, Double threshold,
            String kind, Outcome outcome, IntervalTest test, String summary) {
        return new Check(e == null ? metric : metric + " " + e, metric, e == null ? null : e.toString(), unit, finite(canary),
                finite(base), finite(threshold), kind, outcome, test, summary);
    }

    private static Double finite(Double v) {
        return v == null || !Double.isFinite(v) ? null : v;
    }

    private void add(Check c) {
        if (c != null) {
            checks.add(c);
        }
    }

    private Verdict verdict(Instant from, Instant to, String source, long canaryRequests, long baselineRequests) {
        List<Check> failed = checks.stream().filter(c -> c.outcome() == Outcome.FAIL).toList();
        List<Check> open = checks.stream().filter(c -> c.outcome() == Outcome.INCONCLUSIVE).toList();
        Outcome outcome;
        String reason;
        if (!failed.isEmpty()) {
            outcome = Outcome.FAIL;
            reason = list(failed, " failed: ");
        } else if (!open.isEmpty()) {
            outcome = Outcome.INCONCLUSIVE;
            reason = "no verdict yet: " + list(open, " could not be judged: ");
        } else {
            outcome = Outcome.PASS;
            reason = "all " + checks.size() + (checks.size() == 1 ? " check" : " checks") + " passed, over "
                    + canaryRequests + " requests on the canary and " + baselineRequests + " on the baseline";
        }
        return new Verdict(outcome, reason, from, to, source, canaryRequests, baselineRequests, checks, notes);
    }

    private static String list(List<Check> checks, String verb) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < Math.min(REASONS_SHOWN, checks.size()); i++) {
            parts.add(checks.get(i).name() + verb + checks.get(i).summary());
        }
        if (checks.size() > REASONS_SHOWN) {
            parts.add("and " + (checks.size() - REASONS_SHOWN) + " more");
        }
        return String.join("; ", parts);
    }
}
