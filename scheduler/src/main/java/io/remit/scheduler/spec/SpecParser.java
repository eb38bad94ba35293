package io.remit.scheduler.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.List;

/**
 * Reads service specs from YAML or JSON text. Reading is two steps, so that every problem is
 * reported at once: the text is parsed to a tree (syntax errors, duplicate keys), then the tree
 * is validated and bound ({@link SpecValidator#validate(JsonNode)}). Pure and thread-safe.
 */
public final class SpecParser {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    private SpecParser() {}

    /** A valid spec from YAML. */
    public static ServiceSpec parseYaml(String text) throws InvalidSpecException {
        return bind(readYaml(text));
    }

    /** A valid spec from JSON. */
    public static ServiceSpec parseJson(String text) throws InvalidSpecException {
        return bind(readJson(text));
    }

    /** A valid spec from a tree. */
    public static ServiceSpec bind(JsonNode tree) throws InvalidSpecException {
        SpecBinder.Bound bound = SpecValidator.bind(tree);
        if (!bound.violations().isEmpty()) {
            throw new InvalidSpecException(bound.violations());
        }
        return bound.spec();
    }

    /** The YAML text as a tree, without checking it is a spec. */
    public static JsonNode readYaml(String text) throws InvalidSpecException {
        return read(YAML, text, "YAML");
    }

    /** The JSON text as a tree, without checking it is a spec. */
    public static JsonNode readJson(String text) throws InvalidSpecException {
        return read(JSON, text, "JSON");
    }

    private static JsonNode read(ObjectMapper mapper, String text, String format) throws InvalidSpecException {
        try {
            JsonNode tree = mapper.readTree(text == null ? "" : text);
            return tree == null ? mapper.missingNode() : tree;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new InvalidSpecException(List.of(new Violation("", "not valid " + format + where + ": "
                    + e.getOriginalMessage().lines().findFirst().orElse(""))));
        }
    }

    /** The spec as JSON, in the form {@link #parseJson(String)} reads back. */
    public static String toJson(ServiceSpec spec) {
        return SpecJson.write(JSON, spec);
    }

    /**
     * The spec as shown to users (REST, UI): the same tree as {@link #toJson}, but every env value
     * marked secret is replaced by {@code ****}, so a secret never leaves the scheduler.
     */
    public static com.fasterxml.jackson.databind.node.ObjectNode toPublicTree(ServiceSpec spec) {
        com.fasterxml.jackson.databind.node.ObjectNode tree = SpecJson.tree(spec, true);
        com.fasterxml.jackson.databind.JsonNode env = tree.path("env");
        env.fields().forEachRemaining(e -> {
            if (e.getValue().isObject() && e.getValue().path("secret").asBoolean(false)) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) e.getValue()).put("value", EnvValue.MASK);
            }
        });
        return tree;
    }
}
