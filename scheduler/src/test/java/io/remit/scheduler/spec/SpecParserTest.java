package io.remit.scheduler.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecParserTest {

    @Test
    void readsEveryFieldFromYaml() throws Exception {
        ServiceSpec s = SpecParser.parseYaml(Specs.FULL_YAML);

        assertThat(s.id()).isEqualTo("payments");
        assertThat(s.version()).isEqualTo("2.3.1");
        assertThat(s.artifacts()).containsExactly("{{artifacts}}/payments.jar", "https://artifacts.example.com/remit/agent.jar");
        assertThat(s.instances()).isEqualTo(3);
        assertThat(s.resources()).isEqualTo(new Resources(0.5, 512, 100, List.of("http", "admin")));
        assertThat(s.jvmOptions()).containsExactly("-Xmx384m");
        assertThat(s.env()).containsEntry("CURRENCY", EnvValue.plain("EUR")).containsEntry("DB_PASSWORD", EnvValue.secret("hunter2"));
        assertThat(s.healthCheck()).isEqualTo(new HealthCheck("/healthcheck", Duration.ofSeconds(5), Duration.ofMillis(500),
                Duration.ofSeconds(30), 2));
        assertThat(s.constraints()).containsExactly(
                Constraint.unique("hostname"),
                Constraint.groupBy("zone", 3),
                Constraint.of("rack", Constraint.Operator.LIKE, "r[1-3]"),
                Constraint.of("zone", Constraint.Operator.IS_NOT, "eu-9"));
        assertThat(s.dependencies()).containsExactly("fx", "schools");
        assertThat(s.labels()).containsEntry("team", "payments").containsEntry("tier", "critical");
        assertThat(s.config()).contains("{{port.http}}");
    }

    @Test
    void appliesDefaults() throws Exception {
        ServiceSpec s = SpecParser.parseJson("""
        {"id":"a","version":"1","artifacts":["file:///srv/a.jar"],"resources":{"cpus":1,"memMb":64,"ports":["admin"]}}""");

        assertThat(s.instances()).isEqualTo(1);
        assertThat(s.resources().diskMb()).isZero();
        assertThat(s.healthCheck()).isEqualTo(HealthCheck.DEFAULT);
        assertThat(s.healthCheck().path()).isEqualTo("/healthcheck");
        assertThat(s.config()).isEmpty();
        assertThat(s.constraints()).isEmpty();
    }

    @Test
    void jsonRoundTripKeepsEverything() throws Exception {
        ServiceSpec s = SpecParser.parseYaml(Specs.FULL_YAML);

        assertThat(SpecParser.parseJson(SpecParser.toJson(s))).isEqualTo(s);
    }

    @Test
    void theExampleHelloSpecIsValid() throws Exception {
        ServiceSpec hello = SpecParser.parseYaml(Files.readString(Path.of("../configs/examples/hello.yml")));

        assertThat(hello.id()).isEqualTo("hello");
        assertThat(hello.instances()).isEqualTo(2);
        assertThat(hello.resources()).isEqualTo(new Resources(0.2, 256, 0, List.of("http", "admin")));
        assertThat(hello.healthCheck().path()).isEqualTo("/healthcheck");
        assertThat(hello.constraints()).isEmpty();
        assertThat(Templates.resolveArtifact(hello.artifacts().get(0), java.net.URI.create("file:///srv/artifacts/")))
                .hasToString("file:///srv/artifacts/hello.jar");
    }

    @Test
    void secretsAreMaskedWhenPrinted() throws Exception {
        ServiceSpec s = SpecParser.parseYaml(Specs.FULL_YAML);

        assertThat(s.toString()).doesNotContain("hunter2").contains("****");
    }

    @Test
    void syntaxErrorsNameTheLine() {
        assertThatThrownBy(() -> SpecParser.parseYaml("id: a\nresources: [unclosed\n"))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> {
                    assertThat(e.violations()).hasSize(1);
                    assertThat(e.violations().get(0).toString()).startsWith("not valid YAML at line");
                });
        assertThatThrownBy(() -> SpecParser.parseJson("{\"id\": }"))
                .isInstanceOfSatisfying(InvalidSpecException.class,
                        e -> assertThat(e.violations().get(0).message()).startsWith("not valid JSON at line 1"));
    }

    @Test
    void duplicateKeysAreErrors() {
        assertThatThrownBy(() -> SpecParser.parseYaml("id: a\nid: b\n"))
                .isInstanceOfSatisfying(InvalidSpecException.class,
                        e -> assertThat(e.violations().get(0).message()).contains("Duplicate field 'id'"));
    }

    @Test
    void emptyAndNonObjectDocumentsAreRefused() {
        assertThatThrownBy(() -> SpecParser.parseYaml(""))
                .isInstanceOfSatisfying(InvalidSpecException.class,
                        e -> assertThat(e.violations()).extracting(Violation::toString).containsExactly("the spec is empty"));
        assertThatThrownBy(() -> SpecParser.parseYaml("- a\n- b\n"))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.violations())
                        .extracting(Violation::toString).containsExactly("a spec must be an object (a YAML mapping), got a list"));
    }

    @Test
    void theExceptionListsEveryProblem() {
        assertThatThrownBy(() -> SpecParser.parseYaml("id: Bad_Id\nversion: \"1\"\nartifacts: []\nresources: {cpus: 0, memMb: 8}\n"))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.violations()).hasSize(5))
                .hasMessageContaining("resources.memMb: must be at least 32");
    }
}
