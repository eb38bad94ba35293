package io.remit.scheduler.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What differs between two specs, as the revisions API shows it: a list of changed fields, or a
 * unified diff of the specs as YAML. Secret env values never show: a changed secret is listed as
 * changed with both sides {@value EnvValue#MASK} (and {@code secret: true}), and in the text its
 * new side reads {@value #CHANGED_SECRET}. Pure and thread-safe.
 */
public final class SpecDiff {

    /** The text diff's new side of a secret whose value changed. */
    public static final String CHANGED_SECRET = EnvValue.MASK + " (changed)";

    /** Lines of context around each change in the text diff, as {@code diff -u} has. */
    static final int CONTEXT = 3;

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .build();

    private SpecDiff() {
    }

    /**
     * One changed field.
     *
     * @param path   dotted, as validation errors name fields: {@code version}, {@code resources.memMb},
     *               {@code env.DB_PASSWORD}; a list (artifacts, constraints, ...) is one field
     * @param before its value in the first spec, secrets masked; null when it was not there
     * @param after  its value in the second, secrets masked; null when it is not there
     * @param secret whether a secret value is involved (its masks hide a real change)
     */
    public record Change(String path, JsonNode before, JsonNode after, boolean secret) {
    }

    /** The fields that differ from {@code from} to {@code to}, in the spec's field order. */
    public static List<Change> changes(ServiceSpec from, ServiceSpec to) {
        List<Change> out = new ArrayList<>();
        compare("", SpecJson.tree(from, true), SpecJson.tree(to, true), from, to, out);
        return out;
    }

    /**
     * A unified diff ({@code diff -u} style, {@value #CONTEXT} lines of context) of the two specs
     * as YAML, secrets masked; "" when they are the same.
     *
     * @param fromLabel what the {@code ---} line names, e.g. "payments revision 2"
     */
    public static String text(ServiceSpec from, String fromLabel, ServiceSpec to, String toLabel) {
        ObjectNode before = masked(from, null);
        ObjectNode after = masked(to, from);
        List<String> a = yaml(before);
        List<String> b = yaml(after);
        return LineDiff.unified(a, b, fromLabel, toLabel, CONTEXT);
    }

    /** The spec's YAML, its lines. */
    static List<String> yaml(ObjectNode tree) {
        try {
            return YAML.writeValueAsString(tree).lines().toList();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot happen: writing a tree of strings and numbers", e);
        }
    }

    /**
     * The spec's tree with secret values masked; where {@code other} (the spec it is compared
     * with) holds another value for the same secret, {@value #CHANGED_SECRET} instead.
     */
    private static ObjectNode masked(ServiceSpec spec, ServiceSpec other) {
        ObjectNode tree = SpecJson.tree(spec, true);
        JsonNode env = tree.path("env");
        spec.env().forEach((name, value) -> {
            if (value.secret()) {
                EnvValue was = other == null ? null : other.env().get(name);
                boolean changed = was != null && was.secret() && !was.value().equals(value.value());
                ((ObjectNode) env.get(name)).put("value", changed ? CHANGED_SECRET : EnvValue.MASK);
            }
        });
        return tree;
    }

    private static void compare(String path, JsonNode a, JsonNode b, ServiceSpec from, ServiceSpec to, List<Change> out) {
        if (a != null && b != null && a.equals(b)) {
            return;
        }
        if (a != null && b != null && a.isObject() && b.isObject() && !isEnvEntry(path)) {
            Set<String> names = new LinkedHashSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                compare(path.isEmpty() ? name : path + "." + name, a.get(name), b.get(name), from, to, out);
            }
            return;
        }
        boolean secret = secretAt(path, from) || secretAt(path, to);
        out.add(new Change(path, mask(path, a), mask(path, b), secret));
    }

    /** {@code env.NAME}: one variable, compared whole (a value with its secret flag). */
    private static boolean isEnvEntry(String path) {
        return path.startsWith("env.") && path.indexOf('.', 4) < 0;
    }

    private static boolean secretAt(String path, ServiceSpec spec) {
        if (path.equals("env")) {
            return spec.env().values().stream().anyMatch(EnvValue::secret);
        }
        if (!path.startsWith("env.")) {
            return false;
        }
        EnvValue v = spec.env().get(path.substring(4));
        return v != null && v.secret();
    }

    /** The value at {@code path} with every secret value in it replaced by the mask. */
    private static JsonNode mask(String path, JsonNode node) {
        if (node == null || !path.equals("env") && !path.startsWith("env.")) {
            return node;
        }
        JsonNode copy = node.deepCopy();
        if (path.equals("env")) {
            for (Iterator<JsonNode> it = copy.elements(); it.hasNext(); ) {
                maskEntry(it.next());
            }
        } else {
            maskEntry(copy);
        }
        return copy;
    }

    private static void maskEntry(JsonNode entry) {
        if (entry.isObject() && entry.path("secret").asBoolean(false)) {
            ((ObjectNode) entry).put("value", EnvValue.MASK);
        }
    }
}
