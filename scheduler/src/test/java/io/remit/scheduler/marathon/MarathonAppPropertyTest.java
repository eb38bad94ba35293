package io.remit.scheduler.marathon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.remit.scheduler.spec.InvalidSpecException;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.spec.SpecParser;
import io.remit.scheduler.spec.SpecValidator;
import io.remit.scheduler.spec.TextEdits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The Marathon app reader (POST/PUT /v2/apps) on generated input: the example app with any value
 * in any field, or its text with characters changed, cut or added, is either a valid spec or a
 * list of problems by path (a 422), never an exception (a 500); what an app reads as is what
 * /v2 then shows, and showing it and reading it back changes nothing.
 */
class MarathonAppPropertyTest {

    static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final Instant NOW = Instant.parse("2026-11-28T06:52:00.123Z");
    static final List<String> FIELDS = List.of("id", "cmd", "args", "instances", "cpus", "mem", "disk", "gpus",
            "portDefinitions", "ports", "env", "labels", "constraints", "healthChecks", "upgradeStrategy", "fetch",
            "uris", "acceptedResourceRoles", "requirePorts", "container", "dependencies", "user", "version",
            "backoffSeconds", "unknownField", "tasks");

    @Property(tries = 1000)
    void anyValueInAnyFieldIsASpecOrProblems(@ForAll("fieldValues") Map<String, JsonNode> values) throws Exception {
        ObjectNode app = (ObjectNode) SpecParser.readJson(AppTranslationTest.WEB);
        values.forEach(app::set);
        translate(app);
    }

    @Property(tries = 1000)
    void mutatedAppTextIsASpecOrProblems(@ForAll("edits") List<int[]> edits) {
        String text = TextEdits.apply(AppTranslationTest.WEB, edits);
        JsonNode app;
        try {
            app = SpecParser.readJson(text);
        } catch (InvalidSpecException e) {
            assertThat(e.violations()).isNotEmpty();
            return;
        } catch (RuntimeException e) {
            fail("reading the app's text threw " + e, e);
            return;
        }
        translate(app);
    }

    @Property(tries = 200)
    void whatAnAppReadsAsShowsAndReadsBackTheSame(@ForAll("instances") int instances, @ForAll("cpus") double cpus)
            throws Exception {
        ObjectNode app = (ObjectNode) SpecParser.readJson(AppTranslationTest.WEB);
        app.put("instances", instances).put("cpus", cpus);
        AppTranslation.Result first = AppTranslation.toSpec(app, null, null, List.of(), NOW);
        assertThat(first.ok()).as("%s", first.problems().lines()).isTrue();
        ObjectNode shown = AppWriter.app(first.spec(), List.of(), null, false);
        AppTranslation.Result again = AppTranslation.toSpec(shown, null, first.spec(), List.of(), NOW.plusSeconds(60));
        assertThat(again.problems().lines()).isEmpty();
        assertThat(again.spec()).isEqualTo(first.spec());
    }

    private static void translate(JsonNode app) {
        try {
            AppTranslation.Result r = AppTranslation.toSpec(app, null, null, List.of(), NOW);
            if (r.ok()) {
                ServiceSpec spec = r.spec();
                assertThat(SpecValidator.validate(spec)).as("an accepted app is a valid spec").isEmpty();
            } else {
                assertThat(r.problems().details()).isNotEmpty();
                r.problems().details().forEach(d -> assertThat(d.errors()).isNotEmpty());
            }
        } catch (RuntimeException e) {
            fail("translating " + app + " threw " + e, e);
        }
    }

    // ---------------------------------------------------------------- generators

    @Provide
    Arbitrary<Integer> instances() {
        return Arbitraries.integers().between(0, 1000);
    }

    @Provide
    Arbitrary<Double> cpus() {
        return Arbitraries.integers().between(1, 16_000).map(m -> m / 1000.0);
    }

    @Provide
    Arbitrary<Map<String, JsonNode>> fieldValues() {
        return Arbitraries.maps(Arbitraries.of(FIELDS), jsonValues(2)).ofMinSize(1).ofMaxSize(3);
    }

    @Provide
    Arbitrary<List<int[]>> edits() {
        return TextEdits.edits(AppTranslationTest.WEB.length(), 4);
    }

    private static Arbitrary<JsonNode> jsonValues(int depth) {
        List<Arbitrary<JsonNode>> leaves = List.of(
                Arbitraries.just(F.nullNode()),
                Arbitraries.of(true, false).map(F::booleanNode),
                Arbitraries.integers().map(F::numberNode),
                Arbitraries.doubles().map(F::numberNode),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, -0.0, 1e308, 1e-300).map(F::numberNode),
                Arbitraries.strings().ofMaxLength(30).map(F::textNode),
                Arbitraries.of("", "/", "/web", "//x", "/a/b/c", "UNIQUE", "hostname", "MESOS_HTTP", "HTTP", "TCP",
                        "COMMAND", "$PORT0", "http", "*", "\u0000").map(F::textNode));
        if (depth == 0) {
            return Arbitraries.oneOf(leaves);
        }
        List<Arbitrary<JsonNode>> all = new ArrayList<>(leaves);
        all.add(jsonValues(depth - 1).list().ofMaxSize(3).map(items -> {
            var array = F.arrayNode();
            items.forEach(array::add);
            return array;
        }));
        all.add(Arbitraries.maps(Arbitraries.of("port", "name", "protocol", "path", "portIndex", "uri", "type", "value",
                        "minimumHealthCapacity", "maximumOverCapacity", "intervalSeconds"), jsonValues(depth - 1))
                .ofMaxSize(3).map(m -> {
                    var object = F.objectNode();
                    m.forEach(object::set);
                    return object;
                }));
        return Arbitraries.oneOf(all);
    }
}
