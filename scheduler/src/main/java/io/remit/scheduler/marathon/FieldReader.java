package io.remit.scheduler.marathon;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads scalar fields of a Marathon app definition, adding a problem (at its Marathon path, such
 * as {@code /cpus}) where a value has the wrong type and returning a stand-in so that reading
 * goes on and every problem is found. Not thread-safe: one per request.
 */
abstract class FieldReader {

    protected final AppProblems problems;

    protected FieldReader(AppProblems problems) {
        this.problems = problems;
    }

    protected static boolean has(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && !v.isNull();
    }

    protected String text(JsonNode n, String path) {
        if (n.isTextual()) {
            return n.textValue();
        }
        problems.add(path, "must be a string");
        return n.asText();
    }

    protected double number(JsonNode n, String path) {
        if (n.isNumber()) {
            return n.doubleValue();
        }
        problems.add(path, "must be a number");
        return 0;
    }

    protected int integer(JsonNode n, String path, int min) {
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            problems.add(path, "must be a whole number");
            return min;
        }
        if (n.intValue() < min) {
            problems.add(path, "must be at least " + min);
        }
        return n.intValue();
    }

    protected List<String> strings(JsonNode n, String path) {
        List<String> out = new ArrayList<>();
        if (!n.isArray()) {
            problems.add(path, "must be a list of strings");
            return out;
        }
        for (int i = 0; i < n.size(); i++) {
            out.add(text(n.get(i), path + "/" + i));
        }
        return out;
    }

    protected Map<String, String> stringMap(JsonNode n, String path) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!n.isObject()) {
            problems.add(path, "must be an object of names to strings");
            return out;
        }
        n.fields().forEachRemaining(e -> out.put(e.getKey(), text(e.getValue(), path + "/" + e.getKey())));
        return out;
    }
}
