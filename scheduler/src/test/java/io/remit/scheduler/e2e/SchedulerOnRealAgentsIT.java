package io.remit.scheduler.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.remit.registry.discovery.Instance;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import io.remit.testkit.PrometheusServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole stack as a user runs it: a real etcd, a localcluster with one process agent, the
 * scheduler app, and for every instance a real executor JVM running a real hello JVM that
 * registers itself in discovery. What is asserted is what a user sees: the REST API, the records
 * under {@code /remit/discovery/hello/}, hello answering on the ports they name, and each
 * executor's own metrics, scraped by a real Prometheus found through the targets endpoint.
 *
 * <p>Service JVMs are slow to start on a small machine, so one cluster and scheduler serve all
 * the scenarios, in order; each first brings hello to the state it starts from, so that any of
 * them can also run alone.
 */
@ExtendWith(EtcdExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SchedulerOnRealAgentsIT {

    private static final String SERVICE = "/v1/services/hello";
    private static final String INSTANCES = SERVICE + "/instances";
    private static final String V1 = "0.1.0";
    private static final String V2 = "0.2.0";
    /** Long enough for several executor and service JVMs to start at once on two busy CPUs. */
    private static final Duration START = Duration.ofSeconds(90);

    @TempDir
    static Path work;
    private RealAgentStack stack;
    private SchedulerHarness scheduler;

    @BeforeAll
    void start(EtcdServer etcd) throws Exception {
        stack = RealAgentStack.start(work, etcd);
        scheduler = stack.scheduler(SchedulerHarness.freePort());
        awaitLeading();
    }

    @AfterAll
    void stop() {
        if (scheduler != null) {
            scheduler.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void aSpecBecomesHealthyInstancesThatRegisterAndAnswer() throws Exception {
        JsonNode instances = deploy(3, V1);

        assertThat(scheduler.get(SERVICE).path("status").path("state").asText()).isEqualTo("running");
        assertRegisteredAndServing(instances, V1);
    }

    @Test
    @Order(2)
    void aKilledServiceJvmIsReportedFailedAndReplaced() throws Exception {
        Set<String> before = ids(deploy(3, V1));
        String victim = before.iterator().next();
        ProcessHandle service = ProcessHandle.of(stack.servicePid(victim)).orElseThrow();

        assertThat(service.destroyForcibly()).as("SIGKILL, as kill -9 sends").isTrue();

        stack.until("the record of " + victim + " to leave discovery", START,
                () -> stack.discovery.instance(victim).isEmpty());
        String lastFailure = scheduler.await(SERVICE,
                s -> s.path("status").path("lastFailure").asText().startsWith(victim), START)
                .path("status").path("lastFailure").asText();
        assertThat(lastFailure).contains("TASK_FAILED").contains("exit status 137");
        JsonNode instances = settled(3, V1);
        before.remove(victim);
        assertThat(ids(instances)).doesNotContain(victim).containsAll(before);
        assertRegisteredAndServing(instances, V1);
    }

    @Test
    @Order(3)
    void scalingUpAndDownIsFollowedByDiscovery() throws Exception {
        Set<String> three = ids(deploy(3, V1));

        JsonNode five = deploy(5, V1);
        assertThat(ids(five)).containsAll(three);
        assertRegisteredAndServing(five, V1);

        JsonNode two = deploy(2, V1);
        assertThat(ids(five)).containsAll(ids(two));
        assertRegisteredAndServing(two, V1);
    }

    @Test
    @Order(4)
    void aNewVersionRollsOutWithoutEverLosingAHealthyInstance() throws Exception {
        JsonNode before = deploy(2, V1);
        awaitDiscovery(before);
        Set<String> old = ids(before);
        int[] fewestHealthy = {Integer.MAX_VALUE};
        int[] fewestRecords = {Integer.MAX_VALUE};
        JsonNode instances;
        // Every change of the discovery records is seen here, as a client's cache would see it.
        try (var watch = stack.discovery.subscribe(
                list -> fewestRecords[0] = Math.min(fewestRecords[0], list.size()))) {
            put(2, V2);
            instances = scheduler.await(INSTANCES, all -> settled(all, 2, V2), all -> {
                fewestHealthy[0] = Math.min(fewestHealthy[0], healthy(all));
                return healthy(all) >= 2;
            }, START);
            awaitDiscovery(instances);
        }
        assertThat(fewestHealthy[0]).as("healthy instances during the rollout").isEqualTo(2);
        assertThat(fewestRecords[0]).as("discovery records during the rollout").isGreaterThanOrEqualTo(2);
        assertThat(ids(instances)).doesNotContainAnyElementsOf(old);
        assertRegisteredAndServing(instances, V2);
    }

    @Test
    @Order(5)
    void aRestartedSchedulerAdoptsEveryInstanceWithoutRelaunching() throws Exception {
        JsonNode running = deploy(2, V2);
        Set<String> before = ids(running);
        Map<String, Long> pids = new HashMap<>();
        for (String id : before) {
            pids.put(id, stack.servicePid(id));
        }

        int port = URI.create(scheduler.url).getPort();
        scheduler.close();
        scheduler = stack.scheduler(port);
        awaitLeading();

        JsonNode after = scheduler.await(INSTANCES, all -> settled(all, 2, V2), START);
        assertThat(ids(after)).as("adopted, not relaunched").isEqualTo(before);
        // Reconciliation with the agent follows the subscription: nothing may be replaced after it either.
        scheduler.holds(INSTANCES, all -> settled(all, 2, V2) && ids(all).equals(before), Duration.ofSeconds(3));
        pids.forEach((id, pid) -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
                .as("the service JVM of %s", id).hasValue(true));
        assertRegisteredAndServing(after, V2);
    }

    @Test
    @Order(6)
    void everyExecutorServesItsOwnMetricsAndPrometheusScrapesItThroughTheTargetsEndpoint() throws Exception {
        JsonNode running = deploy(1, V2);
        JsonNode instance = running.get(0);
        String id = instance.path("taskId").asText();
        String host = instance.path("hostname").asText();
        assertThat(instance.path("executorPort").isInt()).as("the executor's port, in %s", instance).isTrue();
        int executorPort = instance.path("executorPort").asInt();
        Map<String, Integer> ports = SchedulerHarness.JSON.convertValue(instance.path("ports"), new TypeReference<>() { });
        assertThat(ports.values()).as("a port of its own").doesNotContain(executorPort);

        HttpResponse<String> metrics = RealAgentStack.get(host, executorPort, "/metrics")
                .orElseThrow(() -> new AssertionError("the executor of " + id + " does not answer on " + executorPort + stack.logs()));
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("remit_executor_launch_phase_seconds{phase=\"first_healthy\"}")
                .contains("remit_executor_launch_phase_seconds{phase=\"fetch\"}")
                .contains("remit_executor_health_check_duration_seconds_bucket").contains("remit_executor_registered 1");

        JsonNode targets = scheduler.get("/v1/prometheus/targets");
        JsonNode executor = StreamSupport.stream(targets.spliterator(), false)
                .filter(g -> g.path("labels").path("component").asText().equals("executor")
                        && g.path("labels").path("instance").asText().equals(id))
                .findFirst().orElseThrow(() -> new AssertionError("no executor target for " + id + " in " + targets));
        assertThat(executor.path("targets").get(0).asText()).isEqualTo(host + ":" + executorPort);
        assertThat(SchedulerHarness.JSON.convertValue(executor.path("labels"), Map.class)).isEqualTo(Map.of(
                "__metrics_path__", "/metrics", "job", "remit-executor", "component", "executor", "service", "hello",
                "version", V2, "instance", id, "agent", instance.path("agentId").asText(), "team", "platform"));

        try (PrometheusServer prometheus = PrometheusServer.start(Path.of("../configs/prometheus"),
                scheduler.url + "/v1/prometheus/targets")) {
            stack.until("Prometheus to scrape the executor of " + id + " and find it up", START, () -> {
                JsonNode up = query(prometheus, "up{job=\"remit-executor\",instance=\"" + id + "\"}");
                return up.size() == 1 && up.get(0).path("value").path(1).asText().equals("1");
            });
            JsonNode phase = query(prometheus, "remit_executor_launch_phase_seconds{phase=\"first_healthy\",instance=\"" + id + "\"}");
            assertThat(phase).hasSize(1);
            assertThat(phase.get(0).path("metric").path("service").asText()).isEqualTo("hello");
            assertThat(phase.get(0).path("metric").path("component").asText()).isEqualTo("executor");
            assertThat(Double.parseDouble(phase.get(0).path("value").path(1).asText())).isPositive();
            // (hello, a stand-in without the kit, serves no /prometheus: its own target is down.)
        }
    }

    private static JsonNode query(PrometheusServer prometheus, String promql) {
        try {
            return SchedulerHarness.JSON.readTree(prometheus.query(promql)).path("data").path("result");
        } catch (java.io.IOException e) {
            return SchedulerHarness.JSON.createArrayNode();
        }
    }

    // ---------------------------------------------------------------- helpers

    private void awaitLeading() throws Exception {
        scheduler.await("/v1/leader", l -> l.path("isLeader").asBoolean() && l.path("subscribed").asBoolean(),
                Duration.ofSeconds(30));
    }

    private void put(int instances, String version) throws Exception {
        HttpResponse<String> put = scheduler.send("PUT", SERVICE, RealAgentStack.helloSpec(instances, version));
        assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
    }

    /** PUTs the spec, then waits until it is {@link #settled(int, String)}. */
    private JsonNode deploy(int instances, String version) throws Exception {
        put(instances, version);
        return settled(instances, version);
    }

    /** Waits until {@code n} instances of {@code version} run, healthy, and discovery lists exactly them. */
    private JsonNode settled(int n, String version) throws Exception {
        JsonNode all;
        try {
            all = scheduler.await(INSTANCES, i -> settled(i, n, version), START);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + stack.logs(), e);
        }
        awaitDiscovery(all);
        return all;
    }

    /** Exactly {@code n} instances, all HEALTHY and of {@code version}: none starting, none being killed. */
    private static boolean settled(JsonNode all, int n, String version) {
        return all.size() == n && healthy(all) == n
                && StreamSupport.stream(all.spliterator(), false).allMatch(i -> i.path("version").asText().equals(version));
    }

    private static int healthy(JsonNode all) {
        return (int) StreamSupport.stream(all.spliterator(), false)
                .filter(i -> i.path("state").asText().equals("HEALTHY")).count();
    }

    private static Set<String> ids(JsonNode all) {
        Set<String> ids = new TreeSet<>();
        all.forEach(i -> ids.add(i.path("taskId").asText()));
        return ids;
    }

    /** The executor publishes the record right after it reports the instance healthy: a moment later. */
    private void awaitDiscovery(JsonNode instances) {
        Set<String> ids = ids(instances);
        stack.until(() -> "discovery to list exactly " + ids + "; it lists " + stack.discovery.snapshot().keySet(),
                START, () -> stack.discovery.snapshot().keySet().equals(ids));
    }

    /** Each instance has its discovery record, with its ports and version, and hello answers on its http port. */
    private void assertRegisteredAndServing(JsonNode instances, String version) throws Exception {
        Map<String, Instance> records = stack.discovery.snapshot();
        assertThat(records.keySet()).isEqualTo(ids(instances));
        Set<Integer> ports = new HashSet<>();
        for (JsonNode i : instances) {
            String id = i.path("taskId").asText();
            Instance record = records.get(id);
            Map<String, Integer> scheduled = SchedulerHarness.JSON.convertValue(i.path("ports"), new TypeReference<>() { });
            assertThat(record.ports()).as("the ports of %s", id).isEqualTo(scheduled).containsOnlyKeys("http", "admin");
            assertThat(record.version()).isEqualTo(version);
            ports.addAll(record.ports().values());
            HttpResponse<String> hello = RealAgentStack.get(record.host(), record.port("http").orElseThrow(),
                    "/hello?name=remit").orElseThrow(() -> new AssertionError("nothing answers on " + record));
            assertThat(hello.statusCode()).as(hello.body()).isEqualTo(200);
            JsonNode greeting = SchedulerHarness.JSON.readTree(hello.body());
            assertThat(greeting.path("instance").asText()).isEqualTo(id);
            assertThat(greeting.path("version").asText()).isEqualTo(version);
            assertThat(greeting.path("greeting").asText()).isEqualTo("Hello, remit!");
        }
        assertThat(ports).as("no port handed out twice").hasSize(2 * instances.size());
    }
}
