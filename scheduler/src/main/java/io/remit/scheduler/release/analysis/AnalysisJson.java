package io.remit.scheduler.release.analysis;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Writes an {@link AnalysisSpec} as the tree {@link AnalysisValidator#bind} reads (the spec's
 * YAML shape), so a spec that carries one can be stored and read back unchanged. Field order
 * fixed; thresholds left out are not written.
 */
public final class AnalysisJson {

    private AnalysisJson() {}

    public static ObjectNode tree(AnalysisSpec a) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("interval", a.interval().toString());
        o.put("minRequests", a.minRequests());
        if (a.errorRate() != null) {
            ObjectNode e = o.putObject("errorRate");
            putIfSet(e, "max", a.errorRate().max());
            putIfSet(e, "maxIncrease", a.errorRate().maxIncrease());
        }
        latency(o, "p50Ms", a.p50Ms());
        latency(o, "p99Ms", a.p99Ms());
        if (!a.metrics().isEmpty()) {
            var list = o.putArray("metrics");
            for (AnalysisSpec.Metric m : a.metrics()) {
                ObjectNode n = list.addObject().put("name", m.name()).put("query", m.query());
                putIfSet(n, "max", m.max());
                putIfSet(n, "maxRatio", m.maxRatio());
            }
        }
        return o;
    }

    private static void latency(ObjectNode o, String field, AnalysisSpec.Latency l) {
        if (l != null) {
            ObjectNode n = o.putObject(field);
            putIfSet(n, "max", l.max());
            putIfSet(n, "maxRatio", l.maxRatio());
        }
    }

    private static void putIfSet(ObjectNode o, String field, Double v) {
        if (v != null) {
            o.put(field, v);
        }
    }
}
