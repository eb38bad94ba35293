package io.remit.scheduler.marathon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.remit.scheduler.plan.TaskState;
import io.remit.scheduler.spec.Constraint;
import io.remit.scheduler.spec.EnvValue;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.spec.Specs;
import io.remit.scheduler.state.TaskRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Marathon app JSON to a Remit spec and back; every field Remit cannot honour is refused by path. */
class AppTranslationTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NOW = Instant.parse("2026-11-28T06:52:00.123Z");

    static final String WEB = """
            {"id": "/web", "cmd": "exec python3 -m http.server $PORT0", "instances": 2, "cpus": 0.25, "mem": 64.5,
             "disk": 10, "portDefinitions": [{"port": 0, "protocol": "tcp", "name": "http"}, {"port": 0}],
             "env": {"GREETING": "hi"}, "labels": {"team": "web"},
             "constraints": [["hostname", "UNIQUE"], ["zone", "GROUP_BY", "3"], ["rack", "LIKE", "r[1-3]"],
                             ["rack", "UNLIKE", "r9"], ["zone", "CLUSTER", "eu-1"]],
             "healthChecks": [{"protocol": "MESOS_HTTP", "path": "/health", "portIndex": 1, "gracePeriodSeconds": 30,
                               "intervalSeconds": 5, "timeoutSeconds": 2, "maxConsecutiveFailures": 4,
                               "ignoreHttp1xx": false}],
             "upgradeStrategy": {"minimumHealthCapacity": 0.5, "maximumOverCapacity": 0.5},
             "fetch": [{"uri": "https://artifacts.example.com/site.tgz", "extract": true, "executable": false,
                        "cache": false}],
             "acceptedResourceRoles": ["*"], "requirePorts": false, "gpus": 0}
            """;

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static AppTranslation.Result create(String app) {
        return AppTranslation.toSpec(json(app), null, null, List.of(), NOW);
    }

    static List<String> problems(String app) {
        AppTranslation.Result r = create(app);
        assertThat(r.spec()).isNull();
        return r.problems().lines();
    }

    static String with(String field, String value) {
        return with(WEB, field, value);
    }

    static String with(String base, String field, String value) {
        ObjectNode app = (ObjectNode) json(base);
        app.set(field, json(value));
        return app.toString();
    }

    @Test
    void everyMarathonFieldMapsToTheSpec() {
        AppTranslation.Result r = create(WEB);

        assertThat(r.problems().lines()).isEmpty();
        ServiceSpec s = r.spec();
        assertThat(s.id()).isEqualTo("web");
        assertThat(s.version()).isEqualTo("20261128T065200.123Z");
        assertThat(s.command()).isEqualTo("exec python3 -m http.server $PORT0");
        assertThat(s.instances()).isEqualTo(2);
        assertThat(s.resources().cpus()).isEqualTo(0.25);
        assertThat(s.resources().memMb()).isEqualTo(65);
        assertThat(s.resources().diskMb()).isEqualTo(10);
        assertThat(s.resources().ports()).containsExactly("http", "port1");
        assertThat(s.env()).containsExactly(Map.entry("GREETING", EnvValue.plain("hi")));
        assertThat(s.labels()).containsExactly(Map.entry("team", "web"));
        assertThat(s.constraints()).containsExactly(Constraint.unique("hostname"), Constraint.groupBy("zone", 3),
                Constraint.of("rack", Constraint.Operator.LIKE, "r[1-3]"),
                Constraint.of("rack", Constraint.Operator.UNLIKE, "r9"),
                Constraint.of("zone", Constraint.Operator.IS, "eu-1"));
        assertThat(s.healthCheck().path()).isEqualTo("/health");
        assertThat(s.healthCheck().port()).isEqualTo("port1");
        assertThat(s.healthCheck().gracePeriod()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.healthCheck().interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.healthCheck().timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.healthCheck().consecutiveFailures()).isEqualTo(4);
        assertThat(s.artifacts()).containsExactly("https://artifacts.example.com/site.tgz");
    }

    @Test
    void argsAndUrisAndMarathonsDefaults() {
        ServiceSpec s = create("""
                {"id": "api", "args": ["/usr/bin/python3", "-m", "http.server"], "uris": ["file:///srv/a.tgz"],
                 "healthChecks": [{}]}""").spec();

        assertThat(s.args()).containsExactly("/usr/bin/python3", "-m", "http.server");
        assertThat(s.command()).isNull();
        assertThat(s.instances()).isEqualTo(1);
        assertThat(s.resources().cpus()).isEqualTo(1.0);
        assertThat(s.resources().memMb()).isEqualTo(128);
        assertThat(s.resources().ports()).containsExactly("port0");
        assertThat(s.healthCheck().path()).isEqualTo("/");
        assertThat(s.healthCheck().port()).isEqualTo("port0");
        assertThat(s.healthCheck().interval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.healthCheck().timeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(s.healthCheck().gracePeriod()).isEqualTo(Duration.ofSeconds(300));
    }

    @Test
    void theSpecShowsAsTheSameAppAndReadsBackUnchanged() {
        ServiceSpec s = create(WEB).spec();
        TaskRecord task = new TaskRecord("web.1", "web", s.revision(), s.version(), TaskState.HEALTHY, true, "agent-1",
                "host-a", Map.of("http", 31001, "port1", 31002), NOW, NOW, "TASK_RUNNING", null);

        ObjectNode app = AppWriter.app(s, List.of(task), null, true);

        assertThat(app.path("id").asText()).isEqualTo("/web");
        assertThat(app.path("cmd").asText()).isEqualTo(s.command());
        assertThat(app.path("mem").asDouble()).isEqualTo(65.0);
        assertThat(app.path("portDefinitions").findValuesAsText("name")).containsExactly("http", "port1");
        assertThat(app.path("constraints").toString()).isEqualTo(
                "[[\"hostname\",\"UNIQUE\"],[\"zone\",\"GROUP_BY\",\"3\"],[\"rack\",\"LIKE\",\"r[1-3]\"],"
                        + "[\"rack\",\"UNLIKE\",\"r9\"],[\"zone\",\"IS\",\"eu-1\"]]");
        assertThat(app.path("healthChecks").get(0).path("portIndex").asInt()).isEqualTo(1);
        assertThat(app.path("version").asText()).isEqualTo("2026-11-28T06:52:00.123Z");
        assertThat(app.path("tasksHealthy").asInt()).isEqualTo(1);
        JsonNode t = app.path("tasks").get(0);
        assertThat(t.path("appId").asText()).isEqualTo("/web");
        assertThat(t.path("host").asText()).isEqualTo("host-a");
        assertThat(t.path("ports").toString()).isEqualTo("[31001,31002]");
        assertThat(t.path("healthCheckResults").get(0).path("alive").asBoolean()).isTrue();
        assertThat(t.path("version").asText()).isEqualTo("2026-11-28T06:52:00.123Z");

        app.remove("tasks");
        AppTranslation.Result again = AppTranslation.toSpec(app, "web", s, List.of(), NOW.plusSeconds(60));
        assertThat(again.problems().lines()).isEmpty();
        assertThat(again.spec()).isEqualTo(s);
    }

    @Test
    void aJarServiceShowsWithoutCmdAndAPutOfWhatItShowsKeepsItsJar() {
        ServiceSpec jar = Specs.minimal("fx").withConfig("server: {}").withInstances(2);
        ObjectNode app = AppWriter.app(jar, List.of(), null, false);
        assertThat(app.has("cmd")).isFalse();
        assertThat(app.path("fetch").get(0).path("extract").asBoolean()).isFalse();

        app.put("instances", 3);
        AppTranslation.Result r = AppTranslation.toSpec(app, "fx", jar, List.of(), NOW);
        assertThat(r.problems().lines()).isEmpty();
        assertThat(r.spec()).isEqualTo(jar.withInstances(3));
    }

    @Test
    void aPutChangesOnlyWhatItGivesAndScalingKeepsTheVersion() {
        ServiceSpec s = create(WEB).spec();

        ServiceSpec scaled = AppTranslation.toSpec(json("{\"instances\": 5}"), "web", s, List.of(), NOW.plusSeconds(9)).spec();
        assertThat(scaled).isEqualTo(s.withInstances(5));
        assertThat(scaled.revision()).isEqualTo(s.revision());

        ServiceSpec changed = AppTranslation.toSpec(json("{\"cmd\": \"exec other\"}"), "web", s, List.of(),
                NOW.plusSeconds(9)).spec();
        assertThat(changed.command()).isEqualTo("exec other");
        assertThat(changed.version()).isEqualTo("20261128T065209.123Z");
        assertThat(changed.instances()).isEqualTo(2);
    }

    @Test
    void aSecretShownAsStarsStaysTheSecretWhenSentBack() {
        ServiceSpec base = create(WEB).spec();
        ServiceSpec withSecret = new ServiceSpec(base.id(), base.version(), base.artifacts(), base.config(), 2,
                base.resources(), null, Map.of("DB_PASSWORD", EnvValue.secret("hunter2")), base.healthCheck(),
                base.constraints(), null, base.labels(), base.command(), null);
        ObjectNode shown = AppWriter.app(withSecret, List.of(), null, false);
        assertThat(shown.path("env").path("DB_PASSWORD").asText()).isEqualTo("****");

        ServiceSpec back = AppTranslation.toSpec(shown, "web", withSecret, List.of(), NOW).spec();
        assertThat(back.env().get("DB_PASSWORD")).isEqualTo(EnvValue.secret("hunter2"));
    }

    @Test
    void everyUnsupportedFieldIsRefusedWithItsPath() {
        String bad = """
                {"id": "/shop/web", "cmd": "run", "args": ["x"], "instances": -1, "cpus": "lots", "gpus": 1,
                 "ports": [8080], "portDefinitions": [{"port": 0}], "requirePorts": true,
                 "env": {"TOKEN": {"secret": "tok"}},
                 "constraints": [["hostname", "MAX_PER", "2"], ["hostname", "CLUSTER"], ["zone"]],
                 "healthChecks": [{"protocol": "TCP", "port": 8080, "command": {"value": "true"}, "ignoreHttp1xx": true,
                                   "delaySeconds": 15}],
                 "upgradeStrategy": {"minimumHealthCapacity": 2, "maximumOverCapacity": 0},
                 "container": {"type": "DOCKER", "docker": {"image": "nginx"}}, "residency": {"taskLostBehavior": "WAIT_FOREVER"},
                 "acceptedResourceRoles": ["slave_public"], "ipAddress": {"networkName": "dcos"},
                 "networks": [{"mode": "container"}], "secrets": {"tok": {"source": "x"}}, "user": "nobody",
                 "executor": "/opt/exec", "readinessChecks": [{"name": "r"}], "storeUrls": ["http://x"],
                 "backoffSeconds": 5, "backoffFactor": 1.15, "maxLaunchDelaySeconds": 3600,
                 "uris": ["http://x/a"], "fetch": [{"uri": "http://x/a"}], "version": "2020-01-01T00:00:00.000Z",
                 "killSelection": "OLDEST_FIRST", "unreachableStrategy": "disabled"}""";

        assertThat(problems(bad)).containsExactlyInAnyOrder(
                "/killSelection: not supported by Remit",
                "/unreachableStrategy: not supported by Remit",
                "/id: Remit has no app groups: use a one-level id such as /web",
                "/cmd: give cmd or args, not both",
                "/instances: must be at least 0",
                "/cpus: must be a number",
                "/gpus: Remit does not offer GPUs",
                "/requirePorts: Remit takes every port from the agent's offer; fixed host ports are not supported",
                "/ports: give ports or portDefinitions, not both",
                "/uris: give uris or fetch, not both",
                "/env/TOKEN: secret references are not supported by Remit; give the value (Remit's /v1 API can mark it secret)",
                "/constraints/0: operator MAX_PER is not supported by Remit (supported: UNIQUE, CLUSTER with a value, "
                        + "GROUP_BY, LIKE, UNLIKE, IS)",
                "/constraints/1: CLUSTER without a value (all on whichever agent comes first) is not supported by Remit; "
                        + "name the value: [hostname, CLUSTER, value]",
                "/constraints/2: must be [field, OPERATOR] or [field, OPERATOR, value]",
                "/healthChecks/0/protocol: Remit checks health over HTTP only (HTTP or MESOS_HTTP), not TCP",
                "/healthChecks/0/command: command health checks are not supported by Remit",
                "/healthChecks/0/port: a fixed port is not supported by Remit; use portIndex",
                "/healthChecks/0/ignoreHttp1xx: not supported by Remit: only 2xx answers are healthy",
                "/healthChecks/0/delaySeconds: not supported by Remit: checks start with the process, within gracePeriodSeconds",
                "/upgradeStrategy/minimumHealthCapacity: must be between 0 and 1",
                "/upgradeStrategy/maximumOverCapacity: must be above 0 and at most 1: Remit starts each new instance "
                        + "before it stops an old one (one at a time, never below full health capacity)",
                "/container: containers (Docker, Mesos) are not supported: Remit runs cmd or args on the agent",
                "/residency: resident (stateful) apps are not supported by Remit",
                "/ipAddress: IP-per-task networking is not supported by Remit",
                "/secrets: Marathon secrets are not supported by Remit; give env values (Remit's /v1 API can mark them secret)",
                "/readinessChecks: readiness checks are not supported by Remit; the health check decides",
                "/storeUrls: storeUrls are not supported by Remit",
                "/user: Remit runs every instance as the executor's user; another user is not supported",
                "/executor: Remit runs every app with its own executor; a custom executor is not supported",
                "/acceptedResourceRoles: Remit uses its framework role's resources; only [\"*\"] is supported",
                "/networks: only host networking is supported by Remit",
                "/backoffSeconds: Remit's relaunch backoff is fixed (1 s, doubling, at most 300 s); backoffSeconds must be 1",
                "/backoffFactor: Remit's relaunch backoff is fixed (1 s, doubling, at most 300 s); backoffFactor must be 2.0",
                "/maxLaunchDelaySeconds: Remit's relaunch backoff is fixed (1 s, doubling, at most 300 s); "
                        + "maxLaunchDelaySeconds must be 300",
                "/version: a new app has no earlier version to go back to; leave version out");
    }

    @Test
    void portAndFetchDetailsAreRefusedToo() {
        assertThat(problems(with("portDefinitions", "[{\"port\": 80, \"protocol\": \"udp\", \"labels\": {\"a\": \"b\"}, \"hostPort\": 1}]")))
                .containsExactlyInAnyOrder(
                        "/portDefinitions/0/hostPort: not supported by Remit",
                        "/portDefinitions/0/port: must be 0: Remit takes every port from the agent's offer (fixed ports are not supported)",
                        "/portDefinitions/0/protocol: only tcp is supported",
                        "/portDefinitions/0/labels: port labels are not supported by Remit",
                        "/healthChecks/0/portIndex: names port 1 but the app has 1 port(s)");
        assertThat(problems(with("fetch", "[{\"uri\": \"http://x/a.tgz\", \"extract\": false, \"executable\": true, "
                + "\"cache\": true, \"destPath\": \"b\"}]"))).containsExactlyInAnyOrder(
                "/fetch/0/destPath: not supported by Remit (files go into the sandbox under their own name)",
                "/fetch/0/extract: Remit unpacks archives for a cmd/args app; extract: false is not supported",
                "/fetch/0/executable: not supported by Remit: run it with sh or chmod it in cmd",
                "/fetch/0/cache: not supported by Remit: an app's files are fetched at every launch");
        assertThat(problems(with("healthChecks", "[{}, {}]")))
                .containsExactly("/healthChecks: Remit runs exactly one health check per app (HTTP or MESOS_HTTP); got 2");
    }

    @Test
    void anAppWithoutIdCommandOrHealthCheckSaysWhatItNeeds() {
        assertThat(problems("{}")).containsExactly(
                "/id: required: an app id such as /web",
                "/cmd: required: Remit runs an app's cmd or args (containers are not supported)",
                "/healthChecks: required: Remit needs one HTTP health check (protocol HTTP or MESOS_HTTP) to know when "
                        + "an instance is healthy and may be discovered");
    }

    @Test
    void remitsOwnRulesAreReportedAtTheMarathonFields() {
        assertThat(problems(with(WEB.replace("\"/web\"", "\"/Web_1\"")
                .replace("\"name\": \"http\"", "\"name\": \"HTTP\"").replace("\"r[1-3]\"", "\"r[\"")
                .replace("\"uri\": \"https://artifacts.example.com/site.tgz\"", "\"uri\": \"ftp://x/site.tgz\"")
                .replace("\"timeoutSeconds\": 2", "\"timeoutSeconds\": 9"), "mem", "16")))
                .containsExactly(
                        "/id: must be a DNS label: 1-63 lowercase letters, digits or '-', starting and ending with a letter or digit",
                        "/fetch/0/uri: scheme 'ftp' is not supported (http, https, file)",
                        "/mem: must be at least 32",
                        "/portDefinitions/0/name: a port name is 1-31 lowercase letters, digits or '-', starting with a letter",
                        "/healthChecks/0/timeoutSeconds: must not exceed the interval (5s)",
                        "/constraints/2: not a valid regular expression: Unclosed character class");
    }

    @Test
    void refusedFieldsTypeProblemsAndRemitsRulesComeInOneAnswer() {
        String app = with(with(with(WEB.replace("\"/web\"", "\"/Web_1\""), "mem", "16"), "cpus", "\"lots\""),
                "container", "{\"type\": \"DOCKER\"}");
        assertThat(problems(app)).containsExactlyInAnyOrder(
                "/container: containers (Docker, Mesos) are not supported: Remit runs cmd or args on the agent",
                "/cpus: must be a number",
                "/id: must be a DNS label: 1-63 lowercase letters, digits or '-', starting and ending with a letter or digit",
                "/mem: must be at least 32");
        // A refused command or health check does not make Remit's rules ask for what a jar service needs.
        assertThat(problems(with(with(WEB, "mem", "16"), "healthChecks", "[{\"protocol\": \"TCP\"}]")))
                .containsExactlyInAnyOrder("/healthChecks/0/protocol: Remit checks health over HTTP only (HTTP or MESOS_HTTP), not TCP",
                        "/mem: must be at least 32");
    }

    @Test
    void dependenciesAreAppIdsAndMustExist() {
        AppTranslation.Result r = AppTranslation.toSpec(json(with("dependencies", "[\"/db\", \"/cache\"]")), null, null,
                List.of(Specs.minimal("db")), NOW);
        assertThat(r.problems().lines()).containsExactly("/dependencies/1: unknown service 'cache'");
    }

    @Test
    void aPathIdMustMatchTheBody() {
        AppTranslation.Result r = AppTranslation.toSpec(json(WEB), "api", null, List.of(), NOW);
        assertThat(r.problems().lines()).containsExactly("/id: must match the id in the path (/api), got /web");
    }
}
