package io.remit.scheduler.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** What the revisions API shows of the difference between two specs, secrets never among it. */
class SpecDiffTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final ServiceSpec PAYMENTS = parse(Specs.FULL_YAML);

    static ServiceSpec parse(String yaml) {
        try {
            return SpecParser.parseYaml(yaml);
        } catch (InvalidSpecException e) {
            throw new AssertionError(e);
        }
    }

    static ServiceSpec withEnv(ServiceSpec s, Map<String, EnvValue> env) {
        return new ServiceSpec(s.id(), s.version(), s.artifacts(), s.config(), s.instances(), s.resources(), s.jvmOptions(),
                env, s.healthCheck(), s.constraints(), s.dependencies(), s.labels());
    }

    static Map<String, EnvValue> env(Map<String, EnvValue> base, String name, EnvValue value) {
        Map<String, EnvValue> out = new TreeMap<>(base);
        if (value == null) {
            out.remove(name);
        } else {
            out.put(name, value);
        }
        return out;
    }

    static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void theSameSpecHasNoDifference() {
        assertThat(SpecDiff.changes(PAYMENTS, PAYMENTS)).isEmpty();
        assertThat(SpecDiff.text(PAYMENTS, "a", PAYMENTS, "b")).isEmpty();
    }

    @Test
    void eachChangedFieldIsListedByItsPathInTheSpecsOrder() throws Exception {
        ServiceSpec next = PAYMENTS.withVersion("2.4.0").withInstances(5)
                .withResources(new Resources(0.5, 768, 100, List.of("http", "admin")))
                .withDependencies(List.of("fx"));

        assertThat(SpecDiff.changes(PAYMENTS, next)).containsExactly(
                new SpecDiff.Change("version", json("\"2.3.1\""), json("\"2.4.0\""), false),
                new SpecDiff.Change("instances", json("3"), json("5"), false),
                new SpecDiff.Change("resources.memMb", json("512"), json("768"), false),
                new SpecDiff.Change("dependencies", json("[\"fx\",\"schools\"]"), json("[\"fx\"]"), false));
    }

    @Test
    void variablesAddedRemovedOrChangedAreListedWholeAndSecretsOnlyAsMasks() throws Exception {
        ServiceSpec next = withEnv(PAYMENTS, env(env(env(PAYMENTS.env(), "CURRENCY", null),
                "DB_PASSWORD", EnvValue.secret("correct-horse")), "REGION", EnvValue.plain("eu-west")));

        List<SpecDiff.Change> changes = SpecDiff.changes(PAYMENTS, next);

        assertThat(changes).containsExactly(
                new SpecDiff.Change("env.CURRENCY", json("\"EUR\""), null, false),
                new SpecDiff.Change("env.DB_PASSWORD", json("{\"value\":\"****\",\"secret\":true}"),
                        json("{\"value\":\"****\",\"secret\":true}"), true),
                new SpecDiff.Change("env.REGION", null, json("\"eu-west\""), false));
        assertThat(changes.toString()).doesNotContain("hunter2").doesNotContain("correct-horse");
    }

    @Test
    void aSecretMadePlainShowsItsNewPlainValueButNeverTheOldSecret() throws Exception {
        ServiceSpec next = withEnv(PAYMENTS, env(PAYMENTS.env(), "DB_PASSWORD", EnvValue.plain("now-public")));

        assertThat(SpecDiff.changes(PAYMENTS, next)).containsExactly(new SpecDiff.Change("env.DB_PASSWORD",
                json("{\"value\":\"****\",\"secret\":true}"), json("\"now-public\""), true));
    }

    @Test
    void theTextIsAUnifiedDiffOfTheYamlWithSecretsMasked() {
        ServiceSpec next = withEnv(PAYMENTS.withVersion("2.4.0"),
                env(PAYMENTS.env(), "DB_PASSWORD", EnvValue.secret("correct-horse")));

        String text = SpecDiff.text(PAYMENTS, "payments revision 2", next, "payments revision 5");

        assertThat(text).isEqualTo("""
                --- payments revision 2
                +++ payments revision 5
                @@ -1,5 +1,5 @@
                 id: payments
                -version: 2.3.1
                +version: 2.4.0
                 artifacts:
                 - "{{artifacts}}/payments.jar"
                 - https://artifacts.example.com/remit/agent.jar
                @@ -23,7 +23,7 @@
                 env:
                   CURRENCY: EUR
                   DB_PASSWORD:
                -    value: '****'
                +    value: '**** (changed)'
                     secret: true
                 healthCheck:
                   path: /healthcheck
                """);
    }

    @Test
    void aLongConfigTemplateDiffsLineByLineWithChangesCloseTogetherInOneHunk() {
        StringBuilder config = new StringBuilder();
        for (int i = 1; i <= 40; i++) {
            config.append("key").append(i).append(": value").append(i).append('\n');
        }
        String before = config.toString();
        String after = before.replace("key10: value10\n", "key10: changed\n")
                .replace("key16: value16\n", "key16: changed\n")      // 5 lines after: the same hunk
                .replace("key30: value30\n", "")                         // far: a hunk of its own
                .replace("key40: value40\n", "key40: value40\nkey41: added\n");

        String text = SpecDiff.text(PAYMENTS.withConfig(before), "a", PAYMENTS.withConfig(after), "b");

        List<String> hunks = text.lines().filter(l -> l.startsWith("@@")).toList();
        assertThat(hunks).containsExactly("@@ -13,13 +13,13 @@", "@@ -33,7 +33,6 @@", "@@ -44,6 +43,7 @@");
        assertThat(text.lines().filter(l -> l.startsWith("-") && !l.startsWith("---")).toList())
                .containsExactly("-  key10: value10", "-  key16: value16", "-  key30: value30");
        assertThat(text.lines().filter(l -> l.startsWith("+") && !l.startsWith("+++")).toList())
                .containsExactly("+  key10: changed", "+  key16: changed", "+  key41: added");
        assertThat(text).as("the template is a YAML block: its lines are the diff's").contains("\n   key9: value9\n");
    }
}
