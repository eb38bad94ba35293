package io.remit.scheduler.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import io.remit.scheduler.spec.SignalThresholds;

/**
 * A service's golden signals (request rate, error ratio, p50 and p99 latency) per version, read
 * through a {@link MetricQuery} from the recording rules Remit ships (configs/prometheus): the
 * charts of a service page, and the numbers the dashboard compares with the thresholds.
 */
public final class GoldenSignals {

    /** Each signal: its name in answers, and the recorded series it reads. */
    static final Map<String, String> SIGNALS = orderedSignals();

    private final MetricQuery metrics;
    private final double maxErrorRatio;
    private final double maxP99Seconds;
    private final Executor queries;

    /**
     * @param queries runs the queries of one answer side by side (four range queries for a
     *                service page's charts: one after the other, they took most of its first render)
     */
    public GoldenSignals(MetricQuery metrics, double maxErrorRatio, Duration maxP99, Executor queries) {
        this.metrics = metrics;
        this.maxErrorRatio = maxErrorRatio;
        this.maxP99Seconds = maxP99.toNanos() / 1e9;
        this.queries = queries;
    }

    private static Map<String, String> orderedSignals() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("requestRate", "service_version:http_requests:rate1m");
        m.put("errorRatio", "service_version:http_error_ratio:rate1m");
        m.put("p50Seconds", "service_version:http_latency_seconds:p50_1m");
        m.put("p99Seconds", "service_version:http_latency_seconds:p99_1m");
        return m;
    }

    public String source() {
        return metrics.source();
    }

    /** The scheduler's defaults, for services whose spec sets no {@code signals}. */
    public Map<String, Object> thresholds() {
        return thresholds(SignalThresholds.NONE);
    }

    /** A service's thresholds: what its spec sets, the scheduler's default for the rest. */
    public Map<String, Object> thresholds(SignalThresholds spec) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("maxErrorRatio", maxErrorRatio(spec));
        t.put("maxP99Seconds", maxP99Seconds(spec));
        t.put("fromSpec", !spec.isNone());
        return t;
    }

    private double maxErrorRatio(SignalThresholds spec) {
        return spec.maxErrorRatio() != null ? spec.maxErrorRatio() : maxErrorRatio;
    }

    private double maxP99Seconds(SignalThresholds spec) {
        return spec.maxP99() != null ? spec.maxP99().toNanos() / 1e9 : maxP99Seconds;
    }

    /**
     * Each signal of {@code service} over {@code window} up to {@code now}: per version, its points
     * as {@code [epochMillis, value]}. About 120 points a series.
     */
    public Map<String, Object> history(String service, SignalThresholds limits, Duration window, Instant now)
            throws MetricQuery.Unavailable {
        Duration step = Duration.ofSeconds(Math.max(15, window.toSeconds() / 120));
        Instant from = now.minus(window);
        Map<String, CompletableFuture<List<MetricQuery.Series>>> asked = new LinkedHashMap<>();
        for (Map.Entry<String, String> s : SIGNALS.entrySet()) {
            String promql = s.getValue() + "{service=" + quote(service) + "}";
            asked.put(s.getKey(), ask(() -> metrics.range(promql, from, now, step)));
        }
        Map<String, Object> signals = new LinkedHashMap<>();
        for (Map.Entry<String, String> s : SIGNALS.entrySet()) {
            List<Map<String, Object>> byVersion = new ArrayList<>();
            for (MetricQuery.Series series : answer(asked.get(s.getKey()))) {
                List<double[]> points = new ArrayList<>();
                for (MetricQuery.Point p : series.points()) {
                    if (Double.isFinite(p.value())) {
                        points.add(new double[] {p.at().toEpochMilli(), p.value()});
                    }
                }
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("version", series.labels().getOrDefault("version", ""));
                v.put("points", points);
                byVersion.add(v);
            }
            byVersion.sort((a, b) -> String.valueOf(a.get("version")).compareTo(String.valueOf(b.get("version"))));
            signals.put(s.getKey(), byVersion);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("service", service);
        out.put("source", metrics.source());
        out.put("from", from.toString());
        out.put("to", now.toString());
        out.put("stepSeconds", step.toSeconds());
        out.put("thresholds", thresholds(limits));
        out.put("signals", signals);
        return out;
    }

    /**
     * Every service's signals now, all versions together: request rate, error ratio (5xx over all
     * requests), the highest p99 of its versions, its thresholds ({@code limits} by service, the
     * defaults for a service not in it) and which of the two it is above.
     */
    public Map<String, Map<String, Object>> now(Instant at, Map<String, SignalThresholds> limits)
            throws MetricQuery.Unavailable {
        var requestsAsked = ask(() -> metrics.instant("sum by (service) (service_version:http_requests:rate1m)", at));
        var errorsAsked = ask(() -> metrics.instant("sum by (service) (service_version:http_errors:rate1m)", at));
        var p99Asked = ask(() -> metrics.instant("max by (service) (service_version:http_latency_seconds:p99_1m)", at));
        Map<String, Double> requests = byService(answer(requestsAsked));
        Map<String, Double> errors = byService(answer(errorsAsked));
        Map<String, Double> p99 = byService(answer(p99Asked));
        Map<String, Map<String, Object>> out = new TreeMap<>();
        for (String service : requests.keySet()) {
            double rate = requests.get(service);
            Double ratio = rate > 0 ? errors.getOrDefault(service, 0.0) / rate : null;
            Double latency = p99.get(service);
            SignalThresholds limit = limits.getOrDefault(service, SignalThresholds.NONE);
            List<String> above = new ArrayList<>();
            if (ratio != null && ratio > maxErrorRatio(limit)) {
                above.add("errorRatio");
            }
            if (latency != null && latency > maxP99Seconds(limit)) {
                above.add("p99Seconds");
            }
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("requestRate", rate);
            s.put("errorRatio", ratio);
            s.put("p99Seconds", latency);
            s.put("thresholds", thresholds(limit));
            s.put("above", above);
            out.put(service, s);
        }
        return out;
    }

    /** One query, started on the query executor. */
    private <T> CompletableFuture<T> ask(Query<T> query) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return query.run();
            } catch (MetricQuery.Unavailable e) {
                throw new CompletionException(e);
            }
        }, queries);
    }

    /** The answer of a query started by {@link #ask}; its {@code Unavailable} as thrown. */
    private static <T> T answer(CompletableFuture<T> asked) throws MetricQuery.Unavailable {
        try {
            return asked.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof MetricQuery.Unavailable u) {
                throw u;
            }
            throw e;
        }
    }

    @FunctionalInterface
    private interface Query<T> {
        T run() throws MetricQuery.Unavailable;
    }

    private static Map<String, Double> byService(List<MetricQuery.Sample> samples) {
        Map<String, Double> out = new HashMap<>();
        for (MetricQuery.Sample s : samples) {
            String service = s.labels().get("service");
            if (service != null && Double.isFinite(s.value())) {
                out.put(service, s.value());
            }
        }
        return out;
    }

    /** A PromQL string literal. */
    static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
