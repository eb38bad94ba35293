package io.remit.scheduler.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The spec reader on generated input: every valid spec survives JSON and YAML round trips
 * unchanged; any text (the full example with characters changed, cut or added) and any JSON value
 * put in any field is either a spec or a list of violations with a path and a message, never
 * another exception. That is what keeps POST and PUT of a spec from ever answering 500.
 */
class SpecPropertyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FIELDS = List.of("id", "version", "artifacts", "config", "instances",
            "resources", "resources.cpus", "resources.memMb", "resources.diskMb", "resources.ports", "jvmOptions",
            "env", "healthCheck", "healthCheck.path", "healthCheck.interval", "healthCheck.timeout",
            "healthCheck.gracePeriod", "healthCheck.consecutiveFailures", "healthCheck.port", "constraints",
            "dependencies", "labels", "command", "args", "unknown");

    @Property(tries = 300)
    void validSpecsRoundTripThroughJson(@ForAll("specs") ServiceSpec spec) throws InvalidSpecException {
        assertThat(SpecValidator.validate(spec)).as("generated spec is valid").isEmpty();
        assertThat(SpecParser.parseJson(SpecParser.toJson(spec))).isEqualTo(spec);
    }

    @Property(tries = 200)
    void validSpecsReadTheSameFromYaml(@ForAll("specs") ServiceSpec spec) throws Exception {
        String yaml = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper()
                .writeValueAsString(JSON.readTree(SpecParser.toJson(spec)));
        assertThat(SpecParser.parseYaml(yaml)).isEqualTo(spec);
    }

    @Property(tries = 1000)
    void mutatedYamlIsASpecOrViolations(@ForAll("edits") List<int[]> edits) {
        read(() -> SpecParser.parseYaml(TextEdits.apply(Specs.FULL_YAML, edits)));
    }

    @Property(tries = 1000)
    void anyValueInAnyFieldIsASpecOrViolations(@ForAll("fieldValues") Map<String, JsonNode> values) throws Exception {
        ObjectNode tree = (ObjectNode) JSON.readTree(SpecParser.toJson(Specs.minimal("svc")));
        values.forEach((path, value) -> put(tree, path, value));
        read(() -> SpecParser.bind(tree));
        read(() -> SpecParser.parseJson(tree.toString()));
    }

    private interface Read {
        ServiceSpec run() throws InvalidSpecException;
    }

    private static void read(Read read) {
        try {
            ServiceSpec spec = read.run();
            assertThat(SpecValidator.validate(spec)).as("a spec that was accepted is valid").isEmpty();
        } catch (InvalidSpecException e) {
            assertThat(e.violations()).isNotEmpty();
            e.violations().forEach(v -> assertThat(v.message()).isNotBlank());
        } catch (RuntimeException e) {
            fail("reading threw " + e + " instead of listing violations", e);
        }
    }

    private static void put(ObjectNode tree, String path, JsonNode value) {
        int dot = path.indexOf('.');
        if (dot < 0) {
            tree.set(path, value);
            return;
        }
        JsonNode parent = tree.get(path.substring(0, dot));
        if (!(parent instanceof ObjectNode)) {
            parent = tree.putObject(path.substring(0, dot));
        }
        ((ObjectNode) parent).set(path.substring(dot + 1), value);
    }

    // ---------------------------------------------------------------- generators

    @Provide
    Arbitrary<ServiceSpec> specs() {
        Arbitrary<String> id = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789-").ofMinLength(1)
                .ofMaxLength(40).filter(s -> SpecRules.DNS_LABEL.matcher(s).matches());
        Arbitrary<String> version = Arbitraries.strings().withChars("0123456789.abcXYZ_+-").ofMinLength(1).ofMaxLength(20)
                .filter(s -> Character.isLetterOrDigit(s.charAt(0)));
        Arbitrary<Integer> instances = Arbitraries.integers().between(0, ServiceSpec.MAX_INSTANCES);
        Arbitrary<Resources> resources = Combinators.combine(
                Arbitraries.integers().between(1, 64_000).map(m -> m / 1000.0),
                Arbitraries.integers().between(SpecRules.MIN_MEM_MB, 65_536),
                Arbitraries.integers().between(0, 100_000),
                Arbitraries.strings().withChars("abcdefghij").ofMinLength(1).ofMaxLength(6).set().ofMaxSize(3)
        ).as((cpus, mem, disk, extra) -> {
            List<String> ports = new ArrayList<>(List.of("admin"));
            extra.stream().filter(p -> !p.equals("admin")).sorted().forEach(ports::add);
            return new Resources(cpus, mem, disk, ports);
        });
        Arbitrary<Map<String, EnvValue>> env = Arbitraries.maps(
                Arbitraries.strings().withChars("ABCDEFGH_").ofMinLength(1).ofMaxLength(12),
                Combinators.combine(Arbitraries.strings().ofMaxLength(40).filter(SpecPropertyTest::wellFormed),
                        Arbitraries.of(true, false)).as((v, secret) -> secret ? EnvValue.secret(v) : EnvValue.plain(v))
        ).ofMaxSize(4);
        Arbitrary<Map<String, String>> labels = Arbitraries.maps(
                Arbitraries.strings().withChars("abcdefXYZ0189._/-").ofMinLength(1).ofMaxLength(20)
                        .filter(s -> Character.isLetterOrDigit(s.charAt(0))),
                Arbitraries.strings().ofMaxLength(60).filter(SpecPropertyTest::wellFormed)).ofMaxSize(4);
        Arbitrary<List<String>> jvm = Arbitraries.strings().alpha().numeric().ofMaxLength(10).map(s -> "-X" + s)
                .list().ofMaxSize(3);
        return Combinators.combine(id, version, instances, resources, env, labels, jvm)
                .as((i, v, n, r, e, l, j) -> new ServiceSpec(i, v, List.of("{{artifacts}}/" + i + ".jar"), "", n, r, j, e,
                        null, List.of(), List.of(), l));
    }

    /** Text a JSON string can carry as it is: no lone surrogates. */
    private static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    @Provide
    Arbitrary<List<int[]>> edits() {
        return TextEdits.edits(Specs.FULL_YAML.length(), 5);
    }

    @Provide
    Arbitrary<Map<String, JsonNode>> fieldValues() {
        return Arbitraries.maps(Arbitraries.of(FIELDS), jsonValues(2)).ofMinSize(1).ofMaxSize(4)
                .map(LinkedHashMap::new);
    }

    private static Arbitrary<JsonNode> jsonValues(int depth) {
        var f = JSON.getNodeFactory();
        List<Arbitrary<JsonNode>> leaves = List.of(
                Arbitraries.just(f.nullNode()),
                Arbitraries.of(true, false).map(f::booleanNode),
                Arbitraries.integers().map(f::numberNode),
                Arbitraries.longs().map(f::numberNode),
                Arbitraries.doubles().map(f::numberNode),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, -0.0, 1e308, 4.9e-324).map(f::numberNode),
                Arbitraries.strings().ofMaxLength(30).map(f::textNode),
                Arbitraries.of("", "admin", "-Xmx1g", "5s", "PT1S", "-1s", "0", "{{port.http}}", "{{artifacts}}/x.jar",
                        "[a-", "UNIQUE", "hostname", "http://x/y.jar", "/healthcheck", "\u0000", "a".repeat(300)).map(f::textNode));
        if (depth == 0) {
            return Arbitraries.oneOf(leaves);
        }
        List<Arbitrary<JsonNode>> all = new ArrayList<>(leaves);
        all.add(jsonValues(depth - 1).list().ofMaxSize(3).map(items -> {
            var array = f.arrayNode();
            items.forEach(array::add);
            return array;
        }));
        all.add(Arbitraries.maps(Arbitraries.of("a", "path", "value", "secret", "admin", "cpus", "X"), jsonValues(depth - 1))
                .ofMaxSize(3).map(m -> {
                    var object = f.objectNode();
                    m.forEach(object::set);
                    return object;
                }));
        return Arbitraries.oneOf(all);
    }
}
