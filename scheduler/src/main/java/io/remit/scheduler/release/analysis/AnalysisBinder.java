package io.remit.scheduler.release.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.scheduler.spec.TreeBinder;
import io.remit.scheduler.spec.Violation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Binds the JSON/YAML tree of a spec's {@code analysis} block to an {@link AnalysisSpec},
 * recording every shape and type error (unknown field or metric, missing field, a string where a
 * number belongs) instead of stopping at the first, as the spec's own binder does. A wrong value
 * gets a stand-in so that the value rules ({@link AnalysisRules}) can still run on the rest; they
 * skip paths that already have a type error.
 */
final class AnalysisBinder extends TreeBinder {

    record Bound(AnalysisSpec spec, List<Violation> violations) {}

    static final List<String> FIELDS = List.of("interval", "minRequests", "errorRate", "p50Ms", "p99Ms", "metrics");
    static final List<String> ERROR_RATE = List.of("max", "maxIncrease");
    static final List<String> LATENCY = List.of("max", "maxRatio");
    static final List<String> METRIC = List.of("name", "query", "max", "maxRatio");

    private AnalysisBinder() {
        super("10s, 1m or PT10S", false);
    }

    /**
     * Binds {@code tree}; the spec is null when the tree is not an object. Paths are relative to
     * the block ({@code errorRate.max}; empty for the block itself).
     */
    static Bound bind(JsonNode tree) {
        AnalysisBinder b = new AnalysisBinder();
        AnalysisSpec spec = b.analysis(tree);
        return new Bound(spec, b.violations());
    }

    private AnalysisSpec analysis(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            add("", "must be an object (a mapping) of checks, e.g. {errorRate: {max: 0.01}}, got nothing");
            return null;
        }
        if (!object(n, "")) {
            return null;
        }
        Duration interval = optional(n, "interval", "", this::duration);
        Integer minRequests = optional(n, "minRequests", "", this::integer);
        AnalysisSpec.ErrorRate errorRate = optional(n, "errorRate", "", this::errorRate);
        AnalysisSpec.Latency p50 = optional(n, "p50Ms", "", this::latency);
        AnalysisSpec.Latency p99 = optional(n, "p99Ms", "", this::latency);
        List<AnalysisSpec.Metric> metrics = optional(n, "metrics", "", this::metrics);
        unknownFields(n, metrics == null ? List.of() : metrics.stream().map(AnalysisSpec.Metric::name).toList());
        return new AnalysisSpec(interval, minRequests == null ? AnalysisSpec.DEFAULT_MIN_REQUESTS : minRequests,
                errorRate, p50, p99, metrics);
    }

    private AnalysisSpec.ErrorRate errorRate(JsonNode n, String path) {
        if (!object(n, path)) {
            return new AnalysisSpec.ErrorRate(null, null);
        }
        knownFields(n, path, ERROR_RATE);
        return new AnalysisSpec.ErrorRate(optional(n, "max", path, this::number), optional(n, "maxIncrease", path, this::number));
    }

    private AnalysisSpec.Latency latency(JsonNode n, String path) {
        if (!object(n, path)) {
            return new AnalysisSpec.Latency(null, null);
        }
        knownFields(n, path, LATENCY);
        return new AnalysisSpec.Latency(optional(n, "max", path, this::number), optional(n, "maxRatio", path, this::number));
    }

    private List<AnalysisSpec.Metric> metrics(JsonNode n, String path) {
        if (!n.isArray()) {
            add(path, "must be a list of {name, query, max, maxRatio}, got " + describe(n));
            return List.of();
        }
        List<AnalysisSpec.Metric> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            out.add(metric(n.get(i), index(path, i)));
        }
        return out;
    }

    private AnalysisSpec.Metric metric(JsonNode n, String path) {
        if (!object(n, path)) {
            return new AnalysisSpec.Metric("", "", null, null);
        }
        knownFields(n, path, METRIC);
        String name = required(n, "name", path, this::string);
        String query = required(n, "query", path, this::string);
        return new AnalysisSpec.Metric(name == null ? "" : name, query == null ? "" : query,
                optional(n, "max", path, this::number), optional(n, "maxRatio", path, this::number));
    }

    /**
     * A field of the block that is not one of its own: an object there reads as a metric's
     * thresholds, so it is an unknown metric (one the analysis cannot measure); anything else an
     * unknown field.
     */
    private void unknownFields(JsonNode n, List<String> declared) {
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            String name = e.getKey();
            if (FIELDS.contains(name)) {
                continue;
            }
            if (e.getValue().isObject()) {
                String hint = declared.contains(name)
                        ? "; '" + name + "' is declared under metrics: give its max and maxRatio there"
                        : "; declare your own under metrics, with a PromQL query";
                add(name, "unknown metric (known: " + String.join(", ", AnalysisSpec.BUILT_IN)
                        + (declared.isEmpty() ? "" : ", and under metrics: " + String.join(", ", declared)) + ")" + hint);
            } else {
                add(name, "unknown field (" + similar(name, FIELDS) + "known: " + String.join(", ", FIELDS) + ")");
            }
        }
    }
}
