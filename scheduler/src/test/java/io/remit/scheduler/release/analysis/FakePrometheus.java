package io.remit.scheduler.release.analysis;

import io.remit.scheduler.observe.MetricQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for Prometheus holding every request each fake instance served, that answers the
 * query shapes the analysis asks ({@code sum by (...) (increase(http_server_requests_seconds_count
 * or _bucket{matchers}[Ns]))}, instant and range) by counting them exactly, and simple gauges
 * ({@code sum|avg|max(name{matchers})}, or {@code name{matchers}} for one series per instance).
 * Instances are selected as Prometheus would: by the {@code service} and the {@code instance}
 * regular expression of the query, so a badly escaped selector picks the wrong ones. A query of
 * any other shape fails the test.
 */
final class FakePrometheus implements MetricQuery {

    /** The kit's bucket bounds (EndpointMetrics), in seconds. */
    static final double[] BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private static final Pattern INCREASE = Pattern.compile(
            "sum by \\(([a-z, ]+)\\) \\(increase\\(http_server_requests_seconds_(count|bucket)\\{(.*)\\}\\[(\\d+)s\\]\\)\\)");
    private static final Pattern GAUGE = Pattern.compile("(?:(sum|avg|max)\\()?([a-z_]+)\\{(.*)\\}\\)?");
    private static final Pattern MATCHER = Pattern.compile("(\\w+)(=~|=)\"((?:[^\"\\\\]|\\\\.)*)\"");

    record Request(String service, String instance, Instant at, String method, String path, int status, double seconds) {}

    private final List<Request> requests = new ArrayList<>();
    private final Map<String, Map<String, BiFunction<String, Instant, Double>>> gauges = new LinkedHashMap<>();
    private final Map<String, String> serviceOf = new LinkedHashMap<>();
    final List<String> asked = new ArrayList<>();
    private String down;

    /** {@code count} requests spread evenly over {@code from} to {@code to}, the latency of each given by its index. */
    FakePrometheus serve(String service, String instance, Instant from, Instant to, int count, String method, String path,
            java.util.function.IntUnaryOperator status, java.util.function.IntToDoubleFunction seconds) {
        serviceOf.put(instance, service);
        long span = Duration.between(from, to).toMillis();
        for (int i = 0; i < count; i++) {
            Instant at = from.plusMillis(span * (i + 1) / count);
            requests.add(new Request(service, instance, at, method, path, status.applyAsInt(i), seconds.applyAsDouble(i)));
        }
        return this;
    }

    /** A gauge {@code name} on {@code instance}, its value at each time. */
    FakePrometheus gauge(String name, String service, String instance, BiFunction<String, Instant, Double> value) {
        serviceOf.put(instance, service);
        gauges.computeIfAbsent(name, n -> new LinkedHashMap<>()).put(instance, value);
        return this;
    }

    /** From now on every query fails, as an unreachable Prometheus does. */
    FakePrometheus down(String message) {
        this.down = message;
        return this;
    }

    @Override
    public String source() {
        return "fake";
    }

    @Override
    public List<Sample> instant(String promql, Instant at) throws Unavailable {
        asked.add(promql);
        if (down != null) {
            throw new Unavailable(down, null);
        }
        return evaluate(promql, at);
    }

    @Override
    public List<Series> range(String promql, Instant from, Instant to, Duration step) throws Unavailable {
        asked.add(promql);
        if (down != null) {
            throw new Unavailable(down, null);
        }
        Map<Map<String, String>, List<Point>> series = new LinkedHashMap<>();
        for (Instant t = from; !t.isAfter(to); t = t.plus(step)) {
            for (Sample s : evaluate(promql, t)) {
                series.computeIfAbsent(s.labels(), l -> new ArrayList<>()).add(new Point(t, s.value()));
            }
        }
        List<Series> out = new ArrayList<>();
        series.forEach((labels, points) -> out.add(new Series(labels, points)));
        return out;
    }

    private List<Sample> evaluate(String promql, Instant at) {
        Matcher m = INCREASE.matcher(promql);
        if (m.matches()) {
            return increase(m.group(1), m.group(2).equals("bucket"), m.group(3), Duration.ofSeconds(Long.parseLong(m.group(4))), at);
        }
        Matcher g = GAUGE.matcher(promql);
        if (g.matches() && gauges.containsKey(g.group(2))) {
            return gauge(g.group(1), g.group(2), g.group(3), at);
        }
        throw new AssertionError("the fake does not know this query: " + promql);
    }

    private List<Sample> increase(String by, boolean buckets, String matchers, Duration range, Instant at) {
        Pattern instance = selected(matchers);
        String service = matcher(matchers, "service");
        Map<Map<String, String>, Double> sums = new LinkedHashMap<>();
        for (Request r : requests) {
            if (!r.service().equals(service) || !instance.matcher(r.instance()).matches()
                    || !r.at().isAfter(at.minus(range)) || r.at().isAfter(at)) {
                continue;
            }
            if (!buckets) {
                sums.merge(labels(by, r, null), 1.0, Double::sum);
                continue;
            }
            for (double le : BOUNDS) {
                sums.merge(labels(by, r, Double.toString(le)), r.seconds() <= le ? 1.0 : 0.0, Double::sum);
            }
            sums.merge(labels(by, r, "+Inf"), 1.0, Double::sum);
        }
        List<Sample> out = new ArrayList<>();
        sums.forEach((labels, v) -> out.add(new Sample(labels, at, v)));
        return out;
    }

    private static Map<String, String> labels(String by, Request r, String le) {
        Map<String, String> labels = new TreeMap<>();
        for (String name : by.split(",\\s*")) {
            switch (name) {
                case "method" -> labels.put(name, r.method());
                case "path" -> labels.put(name, r.path());
                case "status" -> labels.put(name, Integer.toString(r.status()));
                case "le" -> labels.put(name, le);
                default -> throw new AssertionError("the fake cannot group by " + name);
            }
        }
        return labels;
    }

    private List<Sample> gauge(String aggregation, String name, String matchers, Instant at) {
        Pattern instance = selected(matchers);
        String service = matcher(matchers, "service");
        List<Sample> each = new ArrayList<>();
        gauges.get(name).forEach((id, value) -> {
            Double v = serviceOf.get(id).equals(service) && instance.matcher(id).matches() ? value.apply(id, at) : null;
            if (v != null) {
                each.add(new Sample(Map.of("instance", id), at, v));
            }
        });
        if (aggregation == null || each.isEmpty()) {
            return each;
        }
        var values = each.stream().mapToDouble(Sample::value);
        double v = switch (aggregation) {
            case "sum" -> values.sum();
            case "avg" -> values.average().orElseThrow();
            default -> values.max().orElseThrow();
        };
        return List.of(new Sample(Map.of(), at, v));
    }

    private static Pattern selected(String matchers) {
        return Pattern.compile(matcher(matchers, "instance"));
    }

    /** The value of one label matcher, its PromQL string literal read back. */
    private static String matcher(String matchers, String label) {
        Matcher m = MATCHER.matcher(matchers);
        while (m.find()) {
            if (m.group(1).equals(label)) {
                return m.group(3).replace("\\\"", "\"").replace("\\\\", "\\");
            }
        }
        throw new AssertionError("no " + label + " matcher in " + matchers);
    }
}
