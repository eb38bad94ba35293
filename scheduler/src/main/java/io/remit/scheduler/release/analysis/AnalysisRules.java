package io.remit.scheduler.release.analysis;

import io.remit.scheduler.spec.Durations;
import io.remit.scheduler.spec.Violation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The value rules of an {@link AnalysisSpec}, checked on the record. Pure. Paths are relative to
 * the analysis block; {@link AnalysisValidator} puts the block's own path before them.
 */
final class AnalysisRules {

    static final Pattern METRIC_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,62}");
    static final String SELECTOR = "{{selector}}";

    private final List<Violation> out = new ArrayList<>();
    private final List<String> brokenPaths;

    private AnalysisRules(List<String> brokenPaths) {
        this.brokenPaths = brokenPaths;
    }

    /**
     * @param brokenPaths paths that already have a type error: their values are stand-ins, not
     *     checked again
     */
    static List<Violation> check(AnalysisSpec a, List<String> brokenPaths) {
        AnalysisRules r = new AnalysisRules(brokenPaths);
        r.analysis(a);
        return r.out;
    }

    /** Whether path has a type error, or lies inside a field that has. */
    private boolean broken(String path) {
        for (String b : brokenPaths) {
            if (b.isEmpty() || path.equals(b) || path.startsWith(b + ".") || path.startsWith(b + "[")) {
                return true;
            }
        }
        return false;
    }

    private void analysis(AnalysisSpec a) {
        interval(a.interval());
        if (a.minRequests() < 1) {
            add("minRequests", "must be at least 1 (requests each cohort must have served before a verdict), got "
                    + a.minRequests());
        }
        if (a.errorRate() != null) {
            errorRate(a.errorRate());
        }
        latency("p50Ms", a.p50Ms());
        latency("p99Ms", a.p99Ms());
        metrics(a.metrics());
        if (!a.checksAnything() && brokenPaths.isEmpty()) {
            add("", "names no check: give at least one of errorRate, p50Ms, p99Ms or metrics");
        }
    }

    private void interval(Duration d) {
        if (broken("interval")) {
            return;
        }
        String given = d.getNano() == 0 ? Durations.format(d) : d.toMillis() + "ms";
        if (d.compareTo(Duration.ofSeconds(1)) < 0) {
            add("interval", "must be at least 1s, got " + given);
        } else if (d.getNano() != 0) {
            add("interval", "must be whole seconds, got " + given);
        }
    }

    private void errorRate(AnalysisSpec.ErrorRate e) {
        if (broken("errorRate")) {
            return;
        }
        if (e.max() == null && e.maxIncrease() == null && !broken("errorRate.max") && !broken("errorRate.maxIncrease")) {
            add("errorRate", "needs a threshold: max, maxIncrease or both, e.g. {max: 0.01, maxIncrease: 0.005}");
        }
        share("errorRate.max", e.max());
        share("errorRate.maxIncrease", e.maxIncrease());
    }

    private void share(String path, Double v) {
        if (v != null && !(v >= 0 && v <= 1)) {
            add(path, "must be a share from 0 to 1 (0.01 is 1%), got " + number(v));
        }
    }

    private void latency(String path, AnalysisSpec.Latency l) {
        if (l == null || broken(path)) {
            return;
        }
        thresholds(path, l.max(), l.maxRatio(), "e.g. {max: 500, maxRatio: 1.2}", "milliseconds");
    }

    private void thresholds(String path, Double max, Double maxRatio, String example, String unit) {
        if (max == null && maxRatio == null && !broken(path + ".max") && !broken(path + ".maxRatio")) {
            add(path, "needs a threshold: max, maxRatio or both, " + example);
        }
        if (max != null) {
            if (max < 0 || Double.isNaN(max)) {
                add(path + ".max", "must not be negative, got " + number(max));
            } else if (unit != null && max == 0) {
                add(path + ".max", "must be greater than 0 (" + unit + ")");
            }
        }
        if (maxRatio != null && !(maxRatio >= 1)) {
            add(path + ".maxRatio", "must be at least 1 (1.2 allows the canary 20% above the baseline), got " + number(maxRatio));
        }
    }

    private void metrics(List<AnalysisSpec.Metric> metrics) {
        if (broken("metrics")) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < metrics.size(); i++) {
            AnalysisSpec.Metric m = metrics.get(i);
            String p = "metrics[" + i + "]";
            if (broken(p)) {
                continue;
            }
            if (!broken(p + ".name")) {
                if (!METRIC_NAME.matcher(m.name()).matches()) {
                    add(p + ".name", "a metric name is 1-63 letters, digits or '_', starting with a letter");
                } else if (AnalysisSpec.BUILT_IN.contains(m.name())) {
                    add(p + ".name", "'" + m.name() + "' is built in: set its thresholds under " + m.name()
                            + ", or give your metric another name");
                } else if (!seen.add(m.name())) {
                    add(p + ".name", "duplicate metric name '" + m.name() + "'");
                }
            }
            if (!broken(p + ".query")) {
                if (m.query().isBlank()) {
                    add(p + ".query", "must not be empty");
                } else if (!m.query().contains(SELECTOR)) {
                    add(p + ".query", "must contain " + SELECTOR + ", where each cohort's series selector goes, e.g. "
                            + "sum(rate(jvm_gc_collection_seconds_sum" + SELECTOR + "[1m]))");
                }
            }
            thresholds(p, m.max(), m.maxRatio(), "e.g. {max: 0.05} or {maxRatio: 1.5}", null);
        }
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private void add(String path, String message) {
        out.add(new Violation(path, message));
    }
}
