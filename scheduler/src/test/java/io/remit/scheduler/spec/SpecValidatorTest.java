package io.remit.scheduler.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {

    private static List<String> problemsOf(String yaml) throws Exception {
        JsonNode tree = SpecParser.readYaml(yaml);
        return SpecValidator.validate(tree).stream().map(Violation::toString).toList();
    }

    /** The full valid spec with one line replaced. */
    private static List<String> problemsWith(String line, String replacement) throws Exception {
        assertThat(Specs.FULL_YAML).contains(line);
        return problemsOf(Specs.FULL_YAML.replace(line, replacement));
    }

    @Test
    void theFullSpecIsValid() throws Exception {
        assertThat(problemsOf(Specs.FULL_YAML)).isEmpty();
        assertThat(SpecValidator.validate(Specs.minimal("a"))).isEmpty();
    }

    @Test
    void listsEveryProblemAtOnceWithPaths() throws Exception {
        List<String> problems = problemsOf("""
        id: Payments_Service
        version: ""
        artifacts: ["ftp://x/a.jar", "relative.jar"]
        instances: 1001
        resources: {cpus: -1, memMb: 16, diskMb: -5, ports: [http, http, "Admin"]}
        jvmOptions: [Xmx1g]
        env: {"1BAD": x}
        healthCheck: {path: health, interval: 5s, timeout: 10s, consecutiveFailures: 0}
        constraints: [[hostname, UNIQUE], [zone, NEAR, eu-1], [rack, LIKE, "r[1"], [zone, IS]]
        dependencies: [Payments_Service, fx, fx]
        labels: {"": x}
        """);

        assertThat(problems).containsExactlyInAnyOrder(
                "id: must be a DNS label: 1-63 lowercase letters, digits or '-', starting and ending with a letter or digit",
                "version: must be 1-128 letters, digits or '.', '_', '+', '-', starting with a letter or digit",
                "artifacts[0]: scheme 'ftp' is not supported (http, https, file)",
                "artifacts[1]: must be an absolute http, https or file URI, or start with {{artifacts}}/",
                "instances: must be between 0 and 1000",
                "resources.cpus: must be greater than 0",
                "resources.memMb: must be at least 32",
                "resources.diskMb: must be 0 or more",
                "resources.ports[1]: duplicate port name 'http'",
                "resources.ports[2]: a port name is 1-31 lowercase letters, digits or '-', starting with a letter",
                "resources.ports: must include 'admin' (the health check runs on the admin port)",
                "jvmOptions[0]: must start with '-', e.g. -Xmx256m",
                "env.1BAD: not a valid variable name (letters, digits and '_', not starting with a digit)",
                "healthCheck.path: must start with '/'",
                "healthCheck.timeout: must not exceed the interval (5s)",
                "healthCheck.consecutiveFailures: must be at least 1",
                "constraints[1]: unknown operator 'NEAR' (known: UNIQUE, GROUP_BY, LIKE, UNLIKE, IS, IS_NOT)",
                "constraints[2]: not a valid regular expression: Unclosed character class",
                "constraints[3]: IS needs a value: [zone, IS, value]",
                "dependencies[0]: 'Payments_Service' is not a service id",
                "dependencies[2]: duplicate dependency 'fx'",
                "labels.: not a valid label name (1-63 letters, digits, '.', '_', '/', '-')");
    }

    @Test
    void typeErrorsAreReportedOnceEach() throws Exception {
        List<String> problems = problemsOf("""
        id: a
        version: 1.10
        artifacts: "{{artifacts}}/a.jar"
        instances: "two"
        resources: {cpus: lots, memMb: 2.5, ports: [admin, 8080]}
        healthCheck: {interval: 5, gracePeriod: soon}
        env: {PORT: 8080, SECRET: {value: x, secret: "yes"}}
        constraints: [hostname-UNIQUE, [zone, GROUP_BY, many]]
        labels: {tier: 1}
        """);

        assertThat(problems).containsExactlyInAnyOrder(
                "version: must be a string, got number 1.1 (quote it in YAML: \"1.1\")",
                "artifacts: must be a list, got string \"{{artifacts}}/a.jar\"",
                "instances: must be a number, got string \"two\"",
                "resources.cpus: must be a number, got string \"lots\"",
                "resources.memMb: must be a whole number, got 2.5",
                "resources.ports[1]: must be a string, got number 8080 (quote it in YAML: \"8080\")",
                "healthCheck.interval: must be a duration such as 500ms, 5s, 2m or PT5S, got number 5",
                "healthCheck.gracePeriod: must be a duration such as 500ms, 5s, 2m or PT5S, got string \"soon\"",
                "env.PORT: must be a string or {value: ..., secret: true}, got number 8080 (quote it in YAML: \"8080\")",
                "env.SECRET.secret: must be true or false, got string \"yes\"",
                "constraints[0]: must be [attribute, OPERATOR] or [attribute, OPERATOR, value], e.g. [hostname, UNIQUE], "
                        + "got string \"hostname-UNIQUE\"",
                "constraints[1]: GROUP_BY takes an optional positive number of groups, got 'many'",
                "labels.tier: must be a string, got number 1 (quote it in YAML: \"1\")");
    }

    @Test
    void unknownAndMissingFields() throws Exception {
        List<String> problems = problemsOf("""
        id: a
        replicas: 2
        resources: {cpus: 1, mem: 64, ports: [admin]}
        healthCheck: {path: /h, retries: 3}
        """);

        assertThat(problems).containsExactlyInAnyOrder(
                "replicas: unknown field (known: id, version, artifacts, config, instances, resources, jvmOptions, command, "
                        + "args, env, healthCheck, constraints, dependencies, labels, signals, deployment)",
                "resources.mem: unknown field (did you mean 'memMb'? known: cpus, memMb, diskMb, ports)",
                "healthCheck.retries: unknown field (known: path, port, interval, timeout, gracePeriod, consecutiveFailures)",
                "version: required",
                "artifacts: required",
                "resources.memMb: required");
    }

    @Test
    void constraintRules() throws Exception {
        assertThat(problemsWith("  - [hostname, UNIQUE]", "  - [hostname, UNIQUE, yes]"))
                .containsExactly("constraints[0]: UNIQUE takes no value: [hostname, UNIQUE]");
        assertThat(problemsWith("  - [hostname, UNIQUE]", "  - [hostname, unique]"))
                .containsExactly("constraints[0]: unknown operator 'unique' (operators are upper case) "
                        + "(known: UNIQUE, GROUP_BY, LIKE, UNLIKE, IS, IS_NOT)");
        assertThat(problemsWith("  - [hostname, UNIQUE]", "  - [rack, GROUP_BY]"))
                .containsExactly("constraints[1]: at most one GROUP_BY constraint per service");
        assertThat(problemsWith("  - [hostname, UNIQUE]", "  - [\"no spaces\", UNIQUE]"))
                .containsExactly("constraints[0]: attribute must be 'hostname' or an agent attribute name (letters, digits, '.', '_', '-')");
        assertThat(problemsWith("  - [hostname, UNIQUE]", "  - [hostname, UNIQUE, a, b]"))
                .singleElement().asString().startsWith("constraints[0]: must be [attribute, OPERATOR]");
        assertThat(problemsWith("  - [zone, GROUP_BY, 3]", "  - [zone, GROUP_BY, 0]"))
                .containsExactly("constraints[1]: GROUP_BY takes an optional positive number of groups, got '0'");
    }

    @Test
    void configPlaceholdersMustBeKnown() throws Exception {
        assertThat(problemsWith("{{etcd.endpoints}}", "{{etcd.endpoint}} {{port.metrics}} {{oops"))
                .containsExactly(
                        "config: unknown placeholder {{etcd.endpoint}} (known: {{port.<name>}}, {{etcd.endpoints}}, {{instance.id}}, "
                                + "{{service.version}})",
                        "config: placeholder {{port.metrics}} names no port in resources.ports [http, admin]",
                        "config: '{{' at line 4 does not start a placeholder such as {{port.http}}");
    }

    @Test
    void artifactRules() throws Exception {
        assertThat(problemsWith("\"{{artifacts}}/payments.jar\"", "\"{{artifacts}}payments.jar\""))
                .containsExactly("artifacts[0]: after {{artifacts}} must come a path to a file, such as {{artifacts}}/hello.jar");
        assertThat(problemsWith("\"{{artifacts}}/payments.jar\"", "\"{{artifacts}}/../etc/passwd\""))
                .containsExactly("artifacts[0]: the path must not leave the artifact base ('..')");
        assertThat(problemsWith("\"{{artifacts}}/payments.jar\"", "\"http://{{host}}/a.jar\""))
                .containsExactly("artifacts[0]: the only placeholder allowed is {{artifacts}}, at the start");
        assertThat(problemsWith("\"{{artifacts}}/payments.jar\"", "\"https:///a.jar\""))
                .containsExactly("artifacts[0]: an https URI needs a host");
        assertThat(problemsWith("\"{{artifacts}}/payments.jar\"", "\"http://h/dir/\""))
                .containsExactly("artifacts[0]: must name a file");
        assertThat(problemsWith("\"{{artifacts}}/payments.jar\"", "\"http://h/a b.jar\""))
                .singleElement().asString().startsWith("artifacts[0]: not a valid URI: Illegal character in path");
        assertThat(problemsWith("\"{{artifacts}}/payments.jar\"", "\"file:///srv/a.jar\"")).isEmpty();
    }

    @Test
    void validatesSpecsBuiltInCode() {
        ServiceSpec s = Specs.minimal("a")
                .withDependencies(List.of("a"))
                .withResources(new Resources(0.1, 31, 0, List.of("admin")))
                .withInstances(-1);

        assertThat(SpecValidator.validate(s)).extracting(Violation::toString).containsExactly(
                "instances: must be between 0 and 1000",
                "resources.memMb: must be at least 32",
                "dependencies[0]: service cannot depend on itself");
        ServiceSpec noId = new ServiceSpec(null, null, null, null, 1, null, null, null, null, null, null, null);
        assertThat(SpecValidator.validate(noId)).extracting(Violation::toString)
                .containsExactly("id: required", "version: required", "artifacts: must list at least one artifact (or give a command or args to run instead of a jar)",
                        "resources: required");
        assertThat(SpecValidator.validate(Specs.minimal("a").withConstraints(List.of(new Constraint("zone", null, null)))))
                .extracting(Violation::toString).containsExactly("constraints[0]: operator required");
    }

    @Test
    void healthCheckDurationsInBothForms() throws Exception {
        ServiceSpec s = SpecParser.parseYaml(Specs.FULL_YAML.replace("interval: 5s", "interval: PT1M").replace("timeout: 500ms", "timeout: 30s"));
        assertThat(s.healthCheck().interval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(problemsWith("timeout: 500ms", "timeout: 0s")).containsExactly("healthCheck.timeout: must be greater than 0");
        assertThat(problemsWith("gracePeriod: PT30S", "gracePeriod: PT-1S")).containsExactly("healthCheck.gracePeriod: must not be negative");
    }

    @Test
    void acrossSpecsUnknownDependenciesDuplicatesAndCycles() {
        ServiceSpec a = Specs.minimal("a").withDependencies(List.of("b"));
        ServiceSpec b = Specs.minimal("b").withDependencies(List.of("c", "ghost"));
        ServiceSpec c = Specs.minimal("c").withDependencies(List.of("a"));
        ServiceSpec d = Specs.minimal("d").withDependencies(List.of("e"));
        ServiceSpec e = Specs.minimal("e").withDependencies(List.of("d"));
        ServiceSpec f = Specs.minimal("f").withDependencies(List.of("a")).withInstances(5000);
        ServiceSpec dupe = Specs.minimal("a");

        assertThat(SpecValidator.validateAll(List.of(a, b, c, d, e, f, dupe))).extracting(Violation::toString).containsExactly(
                "services[f].instances: must be between 0 and 1000",
                "services[a].id: duplicate id 'a'",
                "services[b].dependencies[1]: unknown service 'ghost'",
                "services[a].dependencies: dependency cycle: a -> b -> c -> a",
                "services[d].dependencies: dependency cycle: d -> e -> d");
    }

    @Test
    void aValidSetHasNoProblems() {
        ServiceSpec fx = Specs.minimal("fx");
        ServiceSpec payments = Specs.minimal("payments").withDependencies(List.of("fx"));
        assertThat(SpecValidator.validateAll(List.of(payments, fx))).isEmpty();
    }

    @Test
    void secretFlagIsKeptAndPlainStringsAreNotSecret() throws Exception {
        ServiceSpec s = SpecParser.parseYaml(Specs.FULL_YAML);
        assertThat(s.env()).isEqualTo(Map.of("CURRENCY", EnvValue.plain("EUR"), "DB_PASSWORD", EnvValue.secret("hunter2")));
        assertThat(s.env().get("DB_PASSWORD").display()).isEqualTo("****");
    }
}
