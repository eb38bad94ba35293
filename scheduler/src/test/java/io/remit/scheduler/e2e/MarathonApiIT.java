package io.remit.scheduler.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.registry.discovery.DiscoveryCache;
import io.remit.registry.discovery.Instance;
import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.EtcdSettings;
import io.remit.scheduler.auth.Role;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import mesosphere.marathon.client.Marathon;
import mesosphere.marathon.client.MarathonClient;
import mesosphere.marathon.client.MarathonException;
import mesosphere.marathon.client.model.v2.App;
import mesosphere.marathon.client.model.v2.Container;
import mesosphere.marathon.client.model.v2.Fetchable;
import mesosphere.marathon.client.model.v2.HealthCheck;
import mesosphere.marathon.client.model.v2.PortDefinition;
import mesosphere.marathon.client.model.v2.Result;
import mesosphere.marathon.client.model.v2.Task;
import mesosphere.marathon.client.model.v2.UpgradeStrategy;
import mesosphere.marathon.client.model.v2.VersionedApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real marathon-client 0.6.3 against a real scheduler (with access control), a real etcd and
 * localcluster running real executor processes: a Marathon app with a {@code cmd} (a small Java
 * HTTP server run from source, so that nothing but a JDK is needed) is created, runs healthy and
 * discoverable with Marathon's environment, scales without replacing anything, restarts, refuses
 * bad input whole, and is deleted with its processes.
 */
@ExtendWith(EtcdExtension.class)
class MarathonApiIT {

    static final String OPERATOR_TOKEN = "ci-7c1d9e3f5a2b4c6d8e0f1a2b";
    static final String VIEWER_PASSWORD = "look-1a2b3c4d5e6f";
    static final Duration LONG = Duration.ofSeconds(180);

    @TempDir
    Path work;
    RealAgentStack stack;
    SchedulerHarness scheduler;
    Etcd etcd;
    DiscoveryCache discovery;
    Path server;
    Marathon operator;

    @BeforeEach
    void start(EtcdServer etcdServer) throws Exception {
        // Ports below the ephemeral range and apart from ./remit local's and the other ITs' 31000-31999,
        // which may run on the same machine at the same time.
        stack = RealAgentStack.start(work, etcdServer, "cpus:4;mem:8192;disk:10000;ports:[30000-30999]");
        scheduler = stack.scheduler(SchedulerHarness.freePort(), c -> {
            c.auth.enabled = true;
            c.auth.users = List.of(SchedulerHarness.user("ci", Role.operator, OPERATOR_TOKEN, null),
                    SchedulerHarness.user("alice", Role.viewer, null, VIEWER_PASSWORD));
        });
        etcd = Etcd.connect(EtcdSettings.of(etcdServer.endpoint()));
        discovery = new DiscoveryCache(etcd, "web").start();
        assertThat(discovery.awaitReady(Duration.ofSeconds(10))).isTrue();
        server = work.resolve("WebServer.java");
        try (InputStream in = getClass().getResourceAsStream("/marathon/WebServer.java")) {
            Files.copy(in, server);
        }
        operator = MarathonClient.getInstanceWithTokenAuth(scheduler.url, OPERATOR_TOKEN);
        stack.until("the scheduler leads", Duration.ofSeconds(60), () -> {
            try {
                return Boolean.TRUE.equals(operator.getServerInfo().getElected());
            } catch (MarathonException e) {
                return false;
            }
        });
    }

    @AfterEach
    void stop(EtcdServer etcdServer) throws Exception {
        discovery.close();
        etcd.close();
        scheduler.close();
        stack.close();
        SchedulerHarness.wipe(etcdServer);
    }

    /** A Marathon app as a team moving from Marathon would write it. */
    App webApp(int instances) {
        App app = new App();
        app.setId("/web");
        app.setCmd("exec \"" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "\" -Xmx48m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC WebServer.java");
        app.setInstances(instances);
        app.setCpus(0.1);
        app.setMem(192.0);
        PortDefinition http = new PortDefinition();
        http.setPort(0);
        http.setName("http");
        PortDefinition admin = new PortDefinition();
        admin.setPort(0);
        admin.setName("admin");
        app.setPortDefinitions(List.of(http, admin));
        app.setEnv(Map.of("GREETING", "hi"));
        app.setLabels(Map.of("team", "web"));
        app.setConstraints(List.of(List.of("hostname", "LIKE", ".*")));
        HealthCheck check = new HealthCheck();
        check.setProtocol("HTTP");
        check.setPath("/health");
        check.setPortIndex(0);
        check.setGracePeriodSeconds(60);
        check.setIntervalSeconds(1);
        check.setTimeoutSeconds(1);
        check.setMaxConsecutiveFailures(5);
        app.setHealthChecks(List.of(check));
        UpgradeStrategy upgrade = new UpgradeStrategy();
        upgrade.setMinimumHealthCapacity(1.0);
        upgrade.setMaximumOverCapacity(1.0);
        app.setUpgradeStrategy(upgrade);
        Fetchable fetch = new Fetchable();
        fetch.setUri(server.toUri().toString());
        app.setFetch(List.of(fetch));
        return app;
    }

    @Test
    void aMarathonAppRunsHealthyScalesRestartsAndGoes() throws Exception {
        VersionedApp created = operator.createApp(webApp(2));
        assertThat(created.getId()).isEqualTo("/web");
        assertThat(created.getVersion()).isNotBlank();

        Map<String, Task> running = awaitHealthy(2);
        assertThat(running.values()).allSatisfy(t -> {
            assertThat(t.getAppId()).isEqualTo("/web");
            assertThat(t.getPorts()).hasSize(2);
            assertThat(t.getVersion()).isEqualTo(created.getVersion());
            assertThat(t.getStartedAt()).isNotBlank();
        });
        stack.until("both instances in /remit/discovery/web/", LONG, () -> discovery.instances().size() == 2);
        assertThat(discovery.instances()).extracting(Instance::taskId).containsExactlyInAnyOrderElementsOf(running.keySet());

        Task one = running.values().iterator().next();
        List<Integer> ports = List.copyOf(one.getPorts());
        Map<String, String> env = envOf(one.getHost(), ports.get(0));
        assertThat(env).containsEntry("PORT0", ports.get(0).toString()).containsEntry("PORT1", ports.get(1).toString())
                .containsEntry("PORT", ports.get(0).toString()).containsEntry("PORT_HTTP", ports.get(0).toString())
                .containsEntry("PORT_ADMIN", ports.get(1).toString()).containsEntry("PORTS", ports.get(0) + "," + ports.get(1))
                .containsEntry("HOST", one.getHost()).containsEntry("MESOS_TASK_ID", one.getId())
                .containsEntry("MARATHON_APP_ID", "/web").containsEntry("MARATHON_APP_LABEL_TEAM", "web")
                .containsEntry("GREETING", "hi");
        assertThat(env.get("MESOS_SANDBOX")).isNotEqualTo("null");

        // Scale: a PUT with only instances adds one and replaces nothing; the version stays.
        App scale = new App();
        scale.setInstances(3);
        Result scaled = operator.updateApp("web", scale, false);
        assertThat(scaled.getVersion()).isEqualTo(created.getVersion());
        assertThat(scaled.getDeploymentId()).isNotBlank();
        Map<String, Task> three = awaitHealthy(3);
        assertThat(three.keySet()).containsAll(running.keySet());
        stack.until("the deployment is over", LONG, () -> operator.getDeployments().stream()
                .noneMatch(d -> d.getId().equals(scaled.getDeploymentId())));

        assertThat(operator.getApps().getApps()).singleElement().satisfies(a -> {
            assertThat(a.getId()).isEqualTo("/web");
            assertThat(a.getInstances()).isEqualTo(3);
            assertThat(a.getTasksHealthy()).isEqualTo(3);
            assertThat(a.getHealthChecks()).singleElement().satisfies(h -> assertThat(h.getPath()).isEqualTo("/health"));
        });
        assertThat(operator.getApp("web").getApp().getTasks()).hasSize(3);
        assertThat(operator.getTasks().getTasks()).extracting(Task::getId).containsExactlyInAnyOrderElementsOf(three.keySet());

        // Kill one task: it is replaced; killing and scaling down in one step is refused.
        String victim = three.keySet().iterator().next();
        assertThat(catchThrowableOfType(() -> operator.deleteAppTask("web", victim, "true"), MarathonException.class)
                .getStatus()).isEqualTo(422);
        assertThat(operator.deleteAppTask("web", victim, "false").getTask().getId()).isEqualTo(victim);
        stack.until("the killed task is replaced by a healthy one", LONG, () -> {
            Map<String, Task> now = healthyTasks();
            return now.size() == 3 && !now.containsKey(victim);
        });
        Map<String, Task> afterKill = healthyTasks();

        // Restart: every instance replaced, new ones healthy.
        Result restarted = operator.restartApp("web", false);
        assertThat(restarted.getDeploymentId()).isNotBlank();
        stack.until("three new healthy instances after the restart", LONG, () -> {
            Map<String, Task> now = healthyTasks();
            return now.size() == 3 && now.keySet().stream().noneMatch(afterKill::containsKey);
        });

        // Delete: the tasks and their discovery records go, and so do the processes.
        Set<Long> pids = healthyTasks().keySet().stream().map(this::servicePid).collect(Collectors.toSet());
        operator.deleteApp("web");
        stack.until("no tasks, no discovery records, no processes", LONG, () -> operator.getTasks().getTasks().isEmpty()
                && discovery.instances().isEmpty() && pids.stream().noneMatch(p -> ProcessHandle.of(p).isPresent()));
        assertThat(catchThrowableOfType(() -> operator.getApp("web"), MarathonException.class).getStatus()).isEqualTo(404);
    }

    @Test
    void badAppsAreRefusedWholeWithEveryProblemAndChangeNothing() throws Exception {
        App bad = webApp(1);
        bad.setId("/shop/web");
        Container docker = new Container();
        docker.setType("DOCKER");
        bad.setContainer(docker);
        bad.setConstraints(List.of(List.of("hostname", "MAX_PER", "2")));
        bad.setAcceptedResourceRoles(List.of("slave_public"));
        MarathonException refused = catchThrowableOfType(() -> operator.createApp(bad), MarathonException.class);
        assertThat(refused.getStatus()).isEqualTo(422);

        HttpResponse<String> raw = send("POST", "/v2/apps", new com.google.gson.Gson().toJson(bad), "token=" + OPERATOR_TOKEN);
        assertThat(raw.statusCode()).isEqualTo(422);
        JsonNode body = SchedulerHarness.JSON.readTree(raw.body());
        assertThat(body.path("message").asText()).startsWith("Object is not valid");
        assertThat(body.path("details").findValuesAsText("path"))
                .containsExactlyInAnyOrder("/id", "/container", "/constraints/0", "/acceptedResourceRoles");

        assertThat(operator.getApps().getApps()).isEmpty();

        // A bad change to an existing app changes nothing either.
        VersionedApp created = operator.createApp(webApp(1));
        App badChange = new App();
        badChange.setInstances(-1);
        badChange.setMem(8.0);
        MarathonException refusedChange = catchThrowableOfType(() -> operator.updateApp("web", badChange, false),
                MarathonException.class);
        assertThat(refusedChange.getStatus()).isEqualTo(422);
        App after = operator.getApp("web").getApp();
        assertThat(after.getInstances()).isEqualTo(1);
        assertThat(after.getMem()).isEqualTo(192.0);
        assertThat(((VersionedApp) after).getVersion()).isEqualTo(created.getVersion());
    }

    @Test
    void credentialsAreCheckedAsForV1() throws Exception {
        assertThat(catchThrowableOfType(() -> MarathonClient.getInstance(scheduler.url).getApps(), MarathonException.class)
                .getStatus()).isEqualTo(401);
        assertThat(catchThrowableOfType(() -> MarathonClient.getInstanceWithTokenAuth(scheduler.url, "forged").getApps(),
                MarathonException.class).getStatus()).isEqualTo(401);
        assertThat(catchThrowableOfType(() -> MarathonClient.getInstanceWithBasicAuth(scheduler.url, "alice", "wrong")
                .getApps(), MarathonException.class).getStatus()).isEqualTo(401);

        Marathon viewer = MarathonClient.getInstanceWithBasicAuth(scheduler.url, "alice", VIEWER_PASSWORD);
        assertThat(viewer.getApps().getApps()).isEmpty();
        assertThat(catchThrowableOfType(() -> viewer.createApp(webApp(1)), MarathonException.class).getStatus())
                .isEqualTo(403);
        assertThat(operator.getApps().getApps()).isEmpty();

        // What Remit does not serve is a MarathonException too, not a client crash.
        MarathonException groups = catchThrowableOfType(() -> operator.getGroup("payments"), MarathonException.class);
        assertThat(groups.getStatus()).isEqualTo(404);
        assertThat(groups.getMessage()).contains("Remit does not serve /v2/groups/payments");
        HttpResponse<String> v1 = send("GET", "/v1/nothing", null, "Bearer " + OPERATOR_TOKEN);
        assertThat(v1.statusCode()).isEqualTo(404);
        assertThat(SchedulerHarness.JSON.readTree(v1.body()).path("code").asInt()).isEqualTo(404);

        HttpResponse<String> ping = send("GET", "/ping", null, null);
        assertThat(ping.statusCode()).isEqualTo(200);
        assertThat(ping.body()).isEqualTo("pong");
    }

    private Map<String, Task> awaitHealthy(int n) {
        stack.until(() -> n + " healthy tasks of /web; have " + healthyTasks().keySet(), LONG, () -> healthyTasks().size() == n);
        return healthyTasks();
    }

    private Map<String, Task> healthyTasks() {
        Collection<Task> tasks = operator.getAppTasks("web").getTasks();
        Map<String, Task> healthy = new HashMap<>();
        for (Task t : tasks) {
            if (t.getHealthCheckResults() != null && t.getHealthCheckResults().stream().anyMatch(r -> Boolean.TRUE.equals(r.getAlive()))) {
                healthy.put(t.getId(), t);
            }
        }
        return healthy;
    }

    private long servicePid(String taskId) {
        try {
            return stack.servicePid(taskId);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Map<String, String> envOf(String host, int port) {
        String body = RealAgentStack.get(host, port, "/env").orElseThrow().body();
        return body.lines().map(l -> l.split("=", 2)).collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
    }

    private HttpResponse<String> send(String method, String path, String body, String authorization) throws Exception {
        return scheduler.send(method, path, body, authorization);
    }
}
