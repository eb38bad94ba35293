package io.remit.scheduler.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link MetricQuery} over Prometheus's HTTP API ({@code /api/v1/query} and
 * {@code /api/v1/query_range}). Each call is bounded by {@code timeout}, connection included, so
 * a page that asks while Prometheus is down is answered at once with the reason.
 */
public final class PrometheusQuery implements MetricQuery {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final Duration timeout;
    private final HttpClient http;

    public PrometheusQuery(URI base, Duration timeout) {
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    @Override
    public String source() {
        return base.toString();
    }

    @Override
    public List<Sample> instant(String promql, Instant at) throws Unavailable {
        JsonNode data = call("/api/v1/query?query=" + enc(promql) + "&time=" + seconds(at));
        List<Sample> out = new ArrayList<>();
        for (JsonNode r : data.path("result")) {
            JsonNode v = r.path("value");
            out.add(new Sample(labels(r.path("metric")), Instant.ofEpochMilli((long) (v.path(0).asDouble() * 1000)),
                    number(v.path(1).asText())));
        }
        return out;
    }

    @Override
    public List<Series> range(String promql, Instant from, Instant to, Duration step) throws Unavailable {
        JsonNode data = call("/api/v1/query_range?query=" + enc(promql) + "&start=" + seconds(from) + "&end=" + seconds(to)
                + "&step=" + Math.max(1, step.toSeconds()));
        List<Series> out = new ArrayList<>();
        for (JsonNode r : data.path("result")) {
            List<Point> points = new ArrayList<>();
            for (JsonNode v : r.path("values")) {
                double value = number(v.path(1).asText());
                if (!Double.isNaN(value)) {
                    points.add(new Point(Instant.ofEpochMilli((long) (v.path(0).asDouble() * 1000)), value));
                }
            }
            out.add(new Series(labels(r.path("metric")), points));
        }
        return out;
    }

    private JsonNode call(String pathAndQuery) throws Unavailable {
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Unavailable("Prometheus at " + base + " is not reachable: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while asking Prometheus at " + base, e);
        }
        JsonNode body;
        try {
            body = JSON.readTree(r.body());
        } catch (IOException e) {
            throw new Unavailable("Prometheus at " + base + " answered " + r.statusCode() + " with something not JSON", e);
        }
        if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new Unavailable("Prometheus at " + base + " answered " + r.statusCode() + ": "
                    + body.path("errorType").asText("") + " " + body.path("error").asText(""), null);
        }
        return body.path("data");
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : " (" + m + ")");
    }

    private static Map<String, String> labels(JsonNode metric) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = metric.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    /** Prometheus writes values as strings, with NaN, +Inf and -Inf spelled so. */
    static double number(String text) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    private static String seconds(Instant t) {
        return String.format(java.util.Locale.ROOT, "%.3f", t.toEpochMilli() / 1000.0);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
