package io.remit.scheduler.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.localcluster.LocalCluster;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Releases across services on the scheduler app with real etcd and simulated agents: changes go
 * out in dependency order, each deployment passing before the next starts; a failing one puts
 * back what went out, in reverse order; bad input is refused whole.
 */
@ExtendWith(EtcdExtension.class)
class ReleasesIT {

    @TempDir
    Path work;
    LocalCluster cluster;
    SchedulerHarness scheduler;
    EtcdServer etcd;

    @BeforeEach
    void start(EtcdServer etcd) throws Exception {
        this.etcd = etcd;
        cluster = LocalCluster.builder().freePorts().agents(0).simulatedAgents(2).workDir(work).start();
        scheduler = new SchedulerHarness(etcd, cluster.masterUrl(), SchedulerHarness.freePort(), null);
        scheduler.await("/v1/leader", l -> l.path("isLeader").asBoolean() && l.path("subscribed").asBoolean(),
                Duration.ofSeconds(60));
        assertThat(scheduler.send("POST", "/v1/services", spec("fx", "1.0", 64, "[]", null)).statusCode()).isEqualTo(201);
        assertThat(scheduler.send("POST", "/v1/services", spec("payments", "1.0", 64, "[\"fx\"]", null)).statusCode()).isEqualTo(201);
        scheduler.await("/v1/services/payments", s -> s.path("status").path("healthy").asInt() == 2, Duration.ofSeconds(30));
        scheduler.await("/v1/services/fx", s -> s.path("status").path("healthy").asInt() == 2, Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() throws Exception {
        scheduler.close();
        cluster.close();
        SchedulerHarness.wipe(etcd);
    }

    static String spec(String id, String version, int memMb, String dependencies, String deployment) {
        return """
                {"id":"%s","version":"%s","artifacts":["{{artifacts}}/svc.jar"],"instances":2,
                 "resources":{"cpus":0.1,"memMb":%d,"diskMb":0,"ports":["http","admin"]},"dependencies":%s,
                 "config":"server: {port: {{port.http}}, admin: {{port.admin}}}"%s}"""
                .formatted(id, version, memMb, dependencies, deployment == null ? "" : ",\"deployment\":" + deployment);
    }

    static String release(String message, String... specs) {
        return "{\"message\":\"" + message + "\",\"services\":[" + String.join(",", specs) + "]}";
    }

    String version(String service) throws Exception {
        return scheduler.get("/v1/services/" + service).path("spec").path("version").asText();
    }

    @Test
    void aReleaseGoesOutInDependencyOrderEachDeploymentPassingFirst() throws Exception {
        // Given payments first: fx still goes first, payments depends on it.
        HttpResponse<String> created = scheduler.send("POST", "/v1/releases", release("quote field",
                spec("payments", "2.0", 64, "[\"fx\"]", null), spec("fx", "2.0", 64, "[]", null)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = SchedulerHarness.JSON.readTree(created.body()).path("id").asText();
        assertThat(created.headers().firstValue("Location").orElse("")).endsWith("/v1/releases/" + id);

        JsonNode done = scheduler.await("/v1/releases/" + id, r -> r.path("state").asText().equals("succeeded"),
                r -> !r.path("state").asText().startsWith("rolled"), Duration.ofSeconds(60));
        assertThat(done.path("changes").findValuesAsText("service")).containsExactly("fx", "payments");
        assertThat(done.path("message").asText()).isEqualTo("quote field");
        assertThat(version("fx")).isEqualTo("2.0");
        assertThat(version("payments")).isEqualTo("2.0");
        // payments' deployment started only after fx's had succeeded, and both carry the release's id
        JsonNode fx = scheduler.get("/v1/deployments/" + done.path("changes").get(0).path("deployment").asText());
        JsonNode payments = scheduler.get("/v1/deployments/" + done.path("changes").get(1).path("deployment").asText());
        assertThat(fx.path("releaseId").asText()).isEqualTo(id);
        assertThat(payments.path("releaseId").asText()).isEqualTo(id);
        assertThat(Instant.parse(payments.path("createdAt").asText())).isAfterOrEqualTo(Instant.parse(fx.path("finishedAt").asText()));
    }

    @Test
    void aFailingChangePutsBackWhatWentOutBeforeItInReverseOrder() throws Exception {
        // payments 2.0 asks for 100 GB an instance: its deployment makes no progress and rolls back.
        String stuck = "{\"progressDeadline\":\"3s\"}";
        HttpResponse<String> created = scheduler.send("POST", "/v1/releases", release("doomed",
                spec("fx", "2.0", 64, "[]", null), spec("payments", "2.0", 100_000, "[\"fx\"]", stuck)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = SchedulerHarness.JSON.readTree(created.body()).path("id").asText();

        JsonNode back = scheduler.await("/v1/releases/" + id, r -> r.path("state").asText().equals("rolled-back"),
                Duration.ofSeconds(90));
        assertThat(back.path("reason").asText()).startsWith("payments 2.0 did not go out (deployment payments-")
                .contains("made no progress for 3s").endsWith("everything is back on its previous spec");
        assertThat(back.path("changes").findValuesAsText("step")).containsExactly("reverted", "failed");
        assertThat(version("fx")).isEqualTo("1.0");
        assertThat(version("payments")).isEqualTo("1.0");
        scheduler.await("/v1/services/fx/instances", i -> {
            int healthyOld = 0;
            for (JsonNode t : i) {
                if (t.path("state").asText().equals("HEALTHY") && t.path("version").asText().equals("1.0")) {
                    healthyOld++;
                }
            }
            return healthyOld == 2;
        }, Duration.ofSeconds(30));
    }

    @Test
    void badInputIsRefusedWholeWithEveryProblemAndNothingStarts() throws Exception {
        String canaryWithoutCount = "{\"strategy\":\"canary\",\"steps\":[{\"pause\":\"1m\"},{\"weight\":150}],"
                + "\"analysis\":{\"latency\":{\"max\":1}}}";
        HttpResponse<String> bad = scheduler.send("POST", "/v1/releases", release("bad",
                spec("fx", "2.0", 64, "[\"payments\"]", canaryWithoutCount), spec("payments", "2.0", 64, "[\"fx\"]", null)));

        assertThat(bad.statusCode()).isEqualTo(422);
        JsonNode details = SchedulerHarness.JSON.readTree(bad.body()).path("details");
        assertThat(details.findValuesAsText("path")).contains(
                "services[0].deployment.steps[0]", "services[0].deployment.steps[1].weight",
                "services[0].deployment.analysis.latency", "services[fx].dependencies");
        assertThat(bad.body()).contains("dependency cycle: fx -> payments -> fx");
        assertThat(scheduler.get("/v1/releases").size()).isZero();
        assertThat(version("fx")).isEqualTo("1.0");
        assertThat(scheduler.send("POST", "/v1/releases", "{\"services\":[]}").statusCode()).isEqualTo(422);
        assertThat(scheduler.send("GET", "/v1/releases/nope", null).statusCode()).isEqualTo(404);
    }

    @Test
    void ofReleasesRacingForOneServiceExactlyOneStartsTheOthersAreTold() throws Exception {
        int racers = 6;
        // A canary that waits to be resumed: the winning release stays unfinished while the others check.
        String held = "{\"strategy\":\"canary\",\"steps\":[{\"instances\":1,\"pause\":\"manual\"}]}";
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(racers);
        List<java.util.concurrent.Future<HttpResponse<String>>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < racers; i++) {
            String message = "racer " + i;
            answers.add(pool.submit(() -> {
                go.await();
                return scheduler.send("POST", "/v1/releases", release(message, spec("fx", "2.0", 64, "[]", held)));
            }));
        }
        go.countDown();
        List<Integer> statuses = new java.util.ArrayList<>();
        for (java.util.concurrent.Future<HttpResponse<String>> a : answers) {
            HttpResponse<String> r = a.get(60, java.util.concurrent.TimeUnit.SECONDS);
            statuses.add(r.statusCode());
            if (r.statusCode() != 201) {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
                assertThat(r.body()).contains("fx is in release rel-");
            }
        }
        pool.shutdown();
        assertThat(statuses).as("a service is in one unfinished release: exactly one racer starts").containsOnlyOnce(201);
        assertThat(scheduler.get("/v1/releases").size()).isEqualTo(1);
    }
}
