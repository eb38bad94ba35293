package io.remit.scheduler.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Specs that run a command instead of a jar: what they may leave out, what they may not mix. */
class CommandModeTest {

    private static final String COMMAND_SPEC = """
            id: web
            version: "1"
            command: python3 -m http.server $PORT0
            resources: {cpus: 0.1, memMb: 64, ports: [http]}
            healthCheck: {path: /, port: http}
            """;

    private static List<String> problemsOf(String yaml) throws Exception {
        return SpecValidator.validate(SpecParser.readYaml(yaml)).stream().map(Violation::toString).toList();
    }

    @Test
    void aCommandNeedsNoArtifactAndMayCheckHealthOnAnyNamedPort() throws Exception {
        ServiceSpec s = SpecParser.parseYaml(COMMAND_SPEC);

        assertThat(s.runsCommand()).isTrue();
        assertThat(s.command()).isEqualTo("python3 -m http.server $PORT0");
        assertThat(s.artifacts()).isEmpty();
        assertThat(s.healthCheck().port()).isEqualTo("http");
        assertThat(SpecParser.parseJson(SpecParser.toJson(s))).isEqualTo(s);
    }

    @Test
    void argsRunWithoutAShell() throws Exception {
        ServiceSpec s = SpecParser.parseYaml(COMMAND_SPEC.replace("command: python3 -m http.server $PORT0",
                "args: [/usr/bin/python3, -m, http.server]\nartifacts: [\"https://example.com/site.tgz\"]"));

        assertThat(s.args()).containsExactly("/usr/bin/python3", "-m", "http.server");
        assertThat(s.command()).isNull();
        assertThat(SpecParser.parseJson(SpecParser.toJson(s))).isEqualTo(s);
    }

    @Test
    void everyMistakeIsListed() throws Exception {
        assertThat(problemsOf("""
                id: web
                version: "1"
                command: " "
                args: []
                jvmOptions: ["-Xmx64m"]
                resources: {cpus: 0.1, memMb: 64, ports: [http]}
                healthCheck: {port: Admin}
                """)).containsExactly(
                "jvmOptions: only for a service jar; with command put the options into it",
                "command: must not be empty",
                "args: give either command (run by /bin/sh -c) or args (run without a shell), not both",
                "args: must list at least the program to run",
                "healthCheck.port: a port name is 1-31 lowercase letters, digits or '-', starting with a letter");
        assertThat(problemsOf(COMMAND_SPEC.replace("ports: [http]", "ports: [web]")))
                .containsExactly("resources.ports: must include 'http' (healthCheck.port, where the health check runs)");
    }

    @Test
    void aJarStillNeedsItsArtifactAndAnAdminPort() {
        assertThatThrownBy(() -> SpecParser.parseYaml("""
                id: a
                version: "1"
                resources: {cpus: 0.1, memMb: 64, ports: [http]}
                """)).hasMessage("artifacts: required; resources.ports: must include 'admin' (the health check runs on the admin port)");
    }

    @Test
    void newFieldsLeaveTheRevisionOfAJarServiceAsItWas() {
        ServiceSpec jar = Specs.minimal("a");
        String before = jar.revision();
        assertThat(SpecParser.toJson(jar)).doesNotContain("command").doesNotContain("args").doesNotContain("\"port\"");
        assertThat(new ServiceSpec(jar.id(), jar.version(), jar.artifacts(), jar.config(), 1, jar.resources(), null,
                null, null, null, null, null, "run", null).revision()).isNotEqualTo(before);
    }
}
