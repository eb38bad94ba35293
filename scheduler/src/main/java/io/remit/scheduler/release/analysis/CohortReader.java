package io.remit.scheduler.release.analysis;

import io.remit.scheduler.observe.MetricQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads one cohort's requests from the kit's histogram {@value #HISTOGRAM} through a
 * {@link MetricQuery}: three queries, whatever the number of endpoints, plus one per extra
 * metric. Every value is an {@code increase()} over the cohort's series, so instances that
 * restarted, or began within the window, count what they served in it.
 *
 * <ul>
 *   <li>requests by endpoint and status over the window, at its end:
 *       {@code sum by (method, path, status) (increase(..._count{M}[W]))};
 *   <li>latency buckets by endpoint over the window: the same on {@code _bucket}, by {@code le};
 *   <li>latency buckets by endpoint per interval: {@code increase(..._bucket{M}[I])} every I from
 *       {@code from + I} to {@code to}, so that the intervals do not overlap.
 * </ul>
 */
final class CohortReader {

    static final String HISTOGRAM = "http_server_requests_seconds";

    private final MetricQuery metrics;

    CohortReader(MetricQuery metrics) {
        this.metrics = metrics;
    }

    /**
     * @param matchers the cohort's label matchers ({@link Cohorts#canaryMatchers()})
     * @throws MetricQuery.Unavailable when a request query fails; an extra metric's failure is
     *     kept as its problem instead
     */
    CohortMetrics read(String matchers, AnalysisSpec spec, Instant from, Instant to) throws MetricQuery.Unavailable {
        String window = seconds(Duration.between(from, to));
        String interval = seconds(spec.interval());
        Instant firstEnd = from.plus(spec.interval());
        Map<Endpoint, double[]> counts = new HashMap<>(); // requests, errors
        for (MetricQuery.Sample s : metrics.instant("sum by (method, path, status) (increase(" + HISTOGRAM + "_count{"
                + matchers + "}[" + window + "]))", to)) {
            if (!Double.isFinite(s.value())) {
                continue;
            }
            double[] c = counts.computeIfAbsent(endpoint(s.labels()), e -> new double[2]);
            c[0] += s.value();
            if (serverError(s.labels().get("status"))) {
                c[1] += s.value();
            }
        }
        Map<Endpoint, Map<Double, Double>> windowBuckets = new HashMap<>();
        for (MetricQuery.Sample s : metrics.instant(buckets(matchers, window), to)) {
            Double le = upperBound(s.labels().get("le"));
            if (le != null) {
                windowBuckets.computeIfAbsent(endpoint(s.labels()), e -> new HashMap<>()).merge(le, s.value(), Double::sum);
            }
        }
        Map<Endpoint, SortedMap<Instant, Map<Double, Double>>> intervalBuckets = new HashMap<>();
        if (!firstEnd.isAfter(to)) {
            for (MetricQuery.Series series : metrics.range(buckets(matchers, interval), firstEnd, to, spec.interval())) {
                Double le = upperBound(series.labels().get("le"));
                if (le == null) {
                    continue;
                }
                SortedMap<Instant, Map<Double, Double>> byTime =
                        intervalBuckets.computeIfAbsent(endpoint(series.labels()), e -> new TreeMap<>());
                for (MetricQuery.Point p : series.points()) {
                    byTime.computeIfAbsent(p.at(), t -> new HashMap<>()).merge(le, p.value(), Double::sum);
                }
            }
        }
        SortedMap<Endpoint, Traffic> endpoints = new TreeMap<>();
        for (Map.Entry<Endpoint, double[]> e : counts.entrySet()) {
            SortedMap<Instant, LatencyHistogram> perInterval = new TreeMap<>();
            intervalBuckets.getOrDefault(e.getKey(), new TreeMap<>())
                    .forEach((t, b) -> perInterval.put(t, LatencyHistogram.of(b)));
            endpoints.put(e.getKey(), new Traffic(e.getValue()[0], e.getValue()[1],
                    LatencyHistogram.of(windowBuckets.getOrDefault(e.getKey(), Map.of())), perInterval));
        }
        Map<String, CohortMetrics.MetricValues> own = new LinkedHashMap<>();
        for (AnalysisSpec.Metric m : spec.metrics()) {
            own.put(m.name(), metric(m, matchers, firstEnd, to, spec.interval()));
        }
        return new CohortMetrics(endpoints, own);
    }

    private CohortMetrics.MetricValues metric(AnalysisSpec.Metric m, String matchers, Instant from, Instant to, Duration step) {
        if (from.isAfter(to)) {
            return CohortMetrics.MetricValues.problem("the window is shorter than one interval");
        }
        List<MetricQuery.Series> series;
        try {
            series = metrics.range(withSelector(m.query(), matchers), from, to, step);
        } catch (MetricQuery.Unavailable e) {
            return CohortMetrics.MetricValues.problem("its query failed: " + e.getMessage());
        }
        if (series.isEmpty() || series.stream().allMatch(s -> s.points().isEmpty())) {
            return CohortMetrics.MetricValues.problem("its query selects no series");
        }
        if (series.size() > 1) {
            return CohortMetrics.MetricValues.problem("its query gives " + series.size()
                    + " series; it must give one (aggregate it, e.g. with sum or avg)");
        }
        List<Double> values = new ArrayList<>();
        series.get(0).points().forEach(p -> {
            if (Double.isFinite(p.value())) {
                values.add(p.value());
            }
        });
        return CohortMetrics.MetricValues.of(values);
    }

    /**
     * The query with the cohort's selector in place of each {@code {{selector}}}: its label
     * matchers alone where the placeholder stands inside braces after {@code {} or {@code ,}
     * ({@code up{job="x",{{selector}}}}), the whole selector in braces anywhere else
     * ({@code rate(jvm_gc_collection_seconds_sum{{selector}}[1m])}).
     */
    static String withSelector(String query, String matchers) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int i = query.indexOf(AnalysisRules.SELECTOR, at);
            if (i < 0) {
                out.append(query, at, query.length());
                return out.toString();
            }
            out.append(query, at, i);
            int before = out.length() - 1;
            while (before >= 0 && Character.isWhitespace(out.charAt(before))) {
                before--;
            }
            boolean inside = before >= 0 && (out.charAt(before) == '{' || out.charAt(before) == ',');
            out.append(inside ? matchers : "{" + matchers + "}");
            at = i + AnalysisRules.SELECTOR.length();
        }
    }

    private static String buckets(String matchers, String range) {
        return "sum by (method, path, le) (increase(" + HISTOGRAM + "_bucket{" + matchers + "}[" + range + "]))";
    }

    /** A PromQL range in whole seconds, at least 1 ({@code 300s}); a part second rounds up. */
    static String seconds(Duration d) {
        long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
        return Math.max(1, s) + "s";
    }

    private static Endpoint endpoint(Map<String, String> labels) {
        return new Endpoint(labels.getOrDefault("method", ""), labels.getOrDefault("path", ""));
    }

    static boolean serverError(String status) {
        return status != null && status.length() == 3 && status.charAt(0) == '5';
    }

    private static Double upperBound(String le) {
        if (le == null) {
            return null;
        }
        if (le.equals("+Inf")) {
            return Double.POSITIVE_INFINITY;
        }
        try {
            return Double.parseDouble(le);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
