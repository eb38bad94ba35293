package io.remit.scheduler.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * What a binder of a JSON/YAML tree needs to read its fields: typed readers that record a
 * {@link Violation} (the field's path, what is wrong) and return null instead of throwing, so a
 * binder reports every shape and type error of a document at once. The spec's binder and the
 * analysis block's binder extend it. One binder, one document; not thread-safe.
 */
public abstract class TreeBinder {

    private final List<Violation> violations = new ArrayList<>();
    private final String durationExamples;
    private final boolean quoteHints;

    /**
     * @param durationExamples how a duration is written, for the message of one that is not,
     *                         e.g. {@code 500ms, 5s, 2m or PT5S}
     * @param quoteHints       whether a number or boolean where a string belongs is told to
     *                         quote it (YAML reads {@code version: 1.0} as a number)
     */
    protected TreeBinder(String durationExamples, boolean quoteHints) {
        this.durationExamples = durationExamples;
        this.quoteHints = quoteHints;
    }

    /** Everything recorded so far, in order. */
    protected final List<Violation> violations() {
        return List.copyOf(violations);
    }

    protected final void add(String path, String message) {
        violations.add(new Violation(path, message));
    }

    // --- scalars ------------------------------------------------------------------------------

    protected final String string(JsonNode n, String path) {
        if (n.isTextual()) {
            return n.textValue();
        }
        add(path, "must be a string, got " + describe(n) + (quoteHints ? quoteHint(n) : ""));
        return null;
    }

    protected final Integer integer(JsonNode n, String path) {
        if (n.isIntegralNumber() && n.canConvertToInt()) {
            return n.intValue();
        }
        if (n.isIntegralNumber()) {
            add(path, "is too large: " + n.asText());
        } else if (n.isNumber()) {
            add(path, "must be a whole number, got " + n.asText());
        } else {
            add(path, "must be a number, got " + describe(n));
        }
        return null;
    }

    protected final Double number(JsonNode n, String path) {
        if (n.isNumber()) {
            return n.doubleValue();
        }
        add(path, "must be a number, got " + describe(n));
        return null;
    }

    protected final Boolean bool(JsonNode n, String path) {
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        add(path, "must be true or false, got " + describe(n));
        return null;
    }

    protected final Duration duration(JsonNode n, String path) {
        if (n.isTextual()) {
            var d = Durations.parse(n.textValue());
            if (d.isPresent()) {
                return d.get();
            }
        }
        add(path, "must be a duration such as " + durationExamples + ", got " + describe(n));
        return null;
    }

    /** A list of strings; an element that is not one is recorded and stands as its text, so indices stay aligned. */
    protected final List<String> strings(JsonNode n, String path) {
        if (!array(n, path)) {
            return null;
        }
        List<String> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            String s = string(n.get(i), index(path, i));
            out.add(s == null ? n.get(i).asText() : s);
        }
        return out;
    }

    // --- structure ----------------------------------------------------------------------------

    protected final <T> T required(JsonNode parent, String field, String path, BiFunction<JsonNode, String, T> read) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            add(child(path, field), "required");
            return null;
        }
        return read.apply(n, child(path, field));
    }

    protected final <T> T optional(JsonNode parent, String field, String path, BiFunction<JsonNode, String, T> read) {
        JsonNode n = parent.get(field);
        return n == null || n.isNull() ? null : read.apply(n, child(path, field));
    }

    protected static boolean present(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        return n != null && !n.isNull();
    }

    protected final boolean object(JsonNode n, String path) {
        if (n.isObject()) {
            return true;
        }
        add(path, "must be an object (a mapping), got " + describe(n));
        return false;
    }

    protected final boolean array(JsonNode n, String path) {
        if (n.isArray()) {
            return true;
        }
        add(path, "must be a list, got " + describe(n));
        return false;
    }

    /** Records each field of {@code n} that is not {@code known}, with the known one it may be a typo of. */
    protected final void knownFields(JsonNode n, String path, List<String> known) {
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            if (!known.contains(e.getKey())) {
                add(child(path, e.getKey()), "unknown field (" + similar(e.getKey(), known) + "known: "
                        + String.join(", ", known) + ")");
            }
        }
    }

    /** {@code did you mean 'x'? } for a known name {@code name} may be a typo of, else empty. */
    protected static String similar(String name, List<String> known) {
        String lower = name.toLowerCase(Locale.ROOT);
        return known.stream()
                .filter(k -> k.equalsIgnoreCase(name) || k.toLowerCase(Locale.ROOT).startsWith(lower))
                .findFirst().map(k -> "did you mean '" + k + "'? ").orElse("");
    }

    // --- paths and messages -------------------------------------------------------------------

    public static String child(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    public static String index(String path, int i) {
        return path + "[" + i + "]";
    }

    /** What to add to a type error where a number or boolean stands for a string. */
    protected static String quoteHint(JsonNode n) {
        return n.isNumber() || n.isBoolean() ? " (quote it in YAML: \"" + n.asText() + "\")" : "";
    }

    /** A node for a message: its type, and its value when short. */
    public static String describe(JsonNode n) {
        if (n.isTextual()) {
            String t = n.textValue();
            return "string \"" + (t.length() > 40 ? t.substring(0, 40) + "..." : t) + "\"";
        }
        if (n.isNumber()) {
            return "number " + n.asText();
        }
        if (n.isBoolean()) {
            return "boolean " + n.asText();
        }
        if (n.isArray()) {
            return "a list";
        }
        if (n.isObject()) {
            return "an object";
        }
        return "null";
    }
}
