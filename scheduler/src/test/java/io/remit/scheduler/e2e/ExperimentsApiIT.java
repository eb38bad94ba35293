package io.remit.scheduler.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.localcluster.LocalCluster;
import io.remit.registry.discovery.EtcdRegistry;
import io.remit.registry.discovery.Experiment;
import io.remit.registry.discovery.Instance;
import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.EtcdSettings;
import io.remit.registry.etcd.KeyValues;
import io.remit.registry.etcd.Keys;
import io.remit.scheduler.auth.Role;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /v1/experiments} on a real scheduler with access control: an operator starts, changes
 * and ends an A/B experiment, stored in etcd where the kit reads it; a viewer reads but may not
 * change; a bad experiment is refused whole, every problem named; each change is an event.
 */
@ExtendWith(EtcdExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExperimentsApiIT {

    static final String OPERATOR = "Bearer experiments-7c2e9a41d3b5f608";
    static final String VIEWER = "Basic " + Base64.getEncoder().encodeToString("alice:viewer-5a1b2c3d".getBytes(StandardCharsets.UTF_8));
    static final String NEW_FEES = """
            {"split": 10, "cohort": {"field": "payerId"},
             "versions": {"fx": {"control": "1.4.2", "treatment": "1.5.0"},
                          "payments": {"control": "2.2.0", "treatment": "2.3.0"}}}""";

    Path work;
    LocalCluster cluster;
    SchedulerHarness scheduler;
    Etcd etcd;

    @BeforeAll
    void start(EtcdServer server) throws Exception {
        work = Files.createTempDirectory("experiments-it");
        cluster = LocalCluster.builder().freePorts().agents(0).simulatedAgents(1).workDir(work.resolve("cluster")).start();
        scheduler = new SchedulerHarness(server, cluster.masterUrl(), SchedulerHarness.freePort(), null, c -> {
            c.auth.enabled = true;
            c.auth.users = List.of(SchedulerHarness.user("ci-pipeline", Role.operator, OPERATOR.substring(7), null),
                    SchedulerHarness.user("alice", Role.viewer, null, "viewer-5a1b2c3d"));
        });
        scheduler.awaitAs(OPERATOR, "/v1/leader", l -> l.path("isLeader").asBoolean(), Duration.ofSeconds(60));
        for (String id : List.of("fx", "payments")) {
            HttpResponse<String> r = scheduler.send("POST", "/v1/services", """
                    {"id":"%s","version":"1.0.0","artifacts":["{{artifacts}}/%s.jar"],"instances":1,
                     "resources":{"cpus":0.1,"memMb":128,"diskMb":0,"ports":["http","admin"]}}""".formatted(id, id), OPERATOR);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        }
        etcd = Etcd.connect(EtcdSettings.of(server.endpoint()));
    }

    @AfterAll
    void stop(EtcdServer server) throws Exception {
        if (etcd != null) {
            etcd.close();
        }
        if (scheduler != null) {
            scheduler.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        SchedulerHarness.wipe(server);
    }

    HttpResponse<String> call(String method, String path, String body, String who) throws Exception {
        return scheduler.send(method, path, body, who);
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return SchedulerHarness.JSON.readTree(r.body());
    }

    static List<String> paths(HttpResponse<String> r) throws Exception {
        List<String> out = new ArrayList<>();
        json(r).path("details").forEach(d -> out.add(d.path("path").asText()));
        return out;
    }

    @Test
    void anOperatorStartsChangesAndEndsAnExperimentAndAViewerOnlyReadsIt() throws Exception {
        BlockingQueue<JsonNode> events = events("/v1/events?type=experiment.");

        HttpResponse<String> byViewer = call("PUT", "/v1/experiments/new-fees", NEW_FEES, VIEWER);
        assertThat(byViewer.statusCode()).isEqualTo(403);
        assertThat(call("GET", "/v1/experiments/new-fees", null, VIEWER).statusCode()).isEqualTo(404);

        HttpResponse<String> created = call("PUT", "/v1/experiments/new-fees", NEW_FEES, OPERATOR);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/v1/experiments/new-fees"));
        // Stored before the answer, where every kit service reads it.
        Experiment stored = Experiment.fromJson("new-fees", new KeyValues(etcd).get(Keys.experiment("new-fees")).orElseThrow().value());
        assertThat(stored.split()).isEqualTo(10);
        assertThat(stored.versions().get("payments")).isEqualTo(new Experiment.Arms("2.2.0", "2.3.0"));

        // A viewer reads it, with each arm's live instances: one of fx's control version is registered.
        try (EtcdRegistry registry = new EtcdRegistry(etcd)) {
            registry.register(new Instance("fx", "fx.old", "127.0.0.1", Map.of("http", 31001), "1.4.2", null, "agent",
                    Instant.now()), Duration.ofSeconds(30));
            JsonNode one = json(call("GET", "/v1/experiments/new-fees", null, VIEWER));
            assertThat(one.path("name").asText()).isEqualTo("new-fees");
            assertThat(one.path("cohort").path("field").asText()).isEqualTo("payerId");
            assertThat(one.path("instances").path("fx").path("control").asInt()).isEqualTo(1);
            assertThat(one.path("instances").path("fx").path("treatment").asInt()).isZero();
            assertThat(one.path("instances").path("payments").path("control").asInt()).isZero();
        }
        JsonNode list = json(call("GET", "/v1/experiments", null, VIEWER));
        assertThat(list).hasSize(1);
        assertThat(list.get(0).path("split").asInt()).isEqualTo(10);

        HttpResponse<String> raised = call("PUT", "/v1/experiments/new-fees", NEW_FEES.replace("\"split\": 10", "\"split\": 20"),
                OPERATOR);
        assertThat(raised.statusCode()).as(raised.body()).isEqualTo(200);
        assertThat(json(call("GET", "/v1/experiments/new-fees", null, VIEWER)).path("split").asInt()).isEqualTo(20);

        JsonNode changed = next(events, "experiment.changed");
        assertThat(changed.path("data").path("name").asText()).isEqualTo("new-fees");
        assertThat(changed.path("data").path("who").asText()).isEqualTo("ci-pipeline");
        assertThat(changed.path("data").path("split").asInt()).isEqualTo(10);
        assertThat(next(events, "experiment.changed").path("data").path("split").asInt()).isEqualTo(20);

        assertThat(call("DELETE", "/v1/experiments/new-fees", null, VIEWER).statusCode()).isEqualTo(403);
        assertThat(call("DELETE", "/v1/experiments/new-fees", null, OPERATOR).statusCode()).isEqualTo(204);
        assertThat(new KeyValues(etcd).get(Keys.experiment("new-fees"))).isEmpty();
        assertThat(call("GET", "/v1/experiments/new-fees", null, VIEWER).statusCode()).isEqualTo(404);
        assertThat(call("DELETE", "/v1/experiments/new-fees", null, OPERATOR).statusCode()).isEqualTo(404);
        JsonNode deleted = next(events, "experiment.deleted");
        assertThat(deleted.path("data").path("name").asText()).isEqualTo("new-fees");
        assertThat(json(call("GET", "/v1/experiments", null, VIEWER))).isEmpty();
    }

    @Test
    void aBadExperimentIsRefusedWholeWithEveryProblemNamed() throws Exception {
        HttpResponse<String> bad = call("PUT", "/v1/experiments/bad", """
                {"split": 150, "cohort": {"header": "X-Remit-Cohort", "field": "payerId"},
                 "versions": {"fx": {"control": "1.4.2", "treatment": "1.4.2"}, "ledger": {"control": "1", "treatment": "2"},
                              "payments": {"control": ""}},
                 "duration": "7d"}""", OPERATOR);
        assertThat(bad.statusCode()).as(bad.body()).isEqualTo(422);
        assertThat(json(bad).path("code").asInt()).isEqualTo(422);
        assertThat(paths(bad)).containsExactlyInAnyOrder("duration", "split", "cohort", "versions.fx.treatment",
                "versions.payments.control", "versions.payments.treatment", "versions.ledger");
        assertThat(json(bad).path("details").toString()).contains("is not a service Remit runs");
        assertThat(new KeyValues(etcd).get(Keys.experiment("bad"))).as("nothing stored").isEmpty();

        assertThat(call("PUT", "/v1/experiments/bad", "{not json", OPERATOR).statusCode()).isEqualTo(400);
        assertThat(paths(call("PUT", "/v1/experiments/-bad-", NEW_FEES, OPERATOR))).containsExactly("name");

        // With one running: a service is in one experiment at a time, and every experiment keys requests alike.
        assertThat(call("PUT", "/v1/experiments/first", NEW_FEES, OPERATOR).statusCode()).isEqualTo(201);
        try {
            HttpResponse<String> overlapping = call("PUT", "/v1/experiments/second", """
                    {"split": 50, "cohort": {"header": "X-Remit-Cohort"},
                     "versions": {"fx": {"control": "1.4.2", "treatment": "1.6.0"}}}""", OPERATOR);
            assertThat(overlapping.statusCode()).isEqualTo(422);
            assertThat(paths(overlapping)).containsExactlyInAnyOrder("versions.fx", "cohort");
            assertThat(json(overlapping).path("details").toString()).contains("is already in experiment first")
                    .contains("as in experiment first");
        } finally {
            call("DELETE", "/v1/experiments/first", null, OPERATOR);
        }
    }

    @Test
    void ofExperimentsRacingForOneServiceExactlyOneIsStoredTheOthersAreTold() throws Exception {
        int racers = 6;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            names.add("race-" + i);
        }
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(racers);
            List<java.util.concurrent.Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (String name : names) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return call("PUT", "/v1/experiments/" + name, """
                            {"split": 20, "cohort": {"field": "payerId"},
                             "versions": {"payments": {"control": "2.2.0", "treatment": "2.3.0"}}}""", OPERATOR);
                }));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (java.util.concurrent.Future<HttpResponse<String>> a : answers) {
                HttpResponse<String> r = a.get(60, TimeUnit.SECONDS);
                statuses.add(r.statusCode());
                if (r.statusCode() != 201) {
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
                    assertThat(json(r).path("details").toString()).contains("is already in experiment race-");
                }
            }
            pool.shutdown();
            assertThat(statuses).as("one experiment per service: exactly one of the racers wins").containsOnlyOnce(201);
            long stored = new KeyValues(etcd).list(Keys.EXPERIMENTS).stream()
                    .filter(k -> k.key().startsWith(Keys.EXPERIMENTS + "race-")).count();
            assertThat(stored).isEqualTo(1);
        } finally {
            for (String name : names) {
                call("DELETE", "/v1/experiments/" + name, null, OPERATOR);
            }
        }
    }

    /** The scheduler's event stream, from the newest kept events on, as JSON events on a queue. */
    BlockingQueue<JsonNode> events(String path) throws Exception {
        HttpResponse<java.io.InputStream> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(scheduler.url + path)).header("Accept", "text/event-stream").header("Authorization", VIEWER).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        BlockingQueue<JsonNode> queue = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("data: ")) {
                        queue.add(SchedulerHarness.JSON.readTree(line.substring(6)));
                    }
                }
            } catch (Exception e) {
                // the test ended
            }
        }, "experiment-events");
        reader.setDaemon(true);
        reader.start();
        return queue;
    }

    static JsonNode next(BlockingQueue<JsonNode> events, String type) throws InterruptedException {
        JsonNode e = events.poll(10, TimeUnit.SECONDS);
        assertThat(e).as("an event within 10 s").isNotNull();
        assertThat(e.path("type").asText()).isEqualTo(type);
        return e;
    }
}
