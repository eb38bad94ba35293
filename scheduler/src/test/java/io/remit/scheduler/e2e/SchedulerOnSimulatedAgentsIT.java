package io.remit.scheduler.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.localcluster.LocalCluster;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler app with a real etcd and localcluster's simulated agents (tasks report
 * TASK_RUNNING healthy at once): specs over REST become instances, scale, wait with a reason,
 * get replaced, and survive a scheduler restart without relaunch.
 */
@ExtendWith(EtcdExtension.class)
class SchedulerOnSimulatedAgentsIT {

    @TempDir
    Path work;
    LocalCluster cluster;
    SchedulerHarness scheduler;
    EtcdServer etcd;

    @BeforeEach
    void start(EtcdServer etcd) throws Exception {
        this.etcd = etcd;
        cluster = LocalCluster.builder().freePorts().agents(0).simulatedAgents(3).zones(java.util.List.of("a", "b", "c"))
                .workDir(work).start();
        scheduler = new SchedulerHarness(etcd, cluster.masterUrl(), SchedulerHarness.freePort(), null);
        scheduler.await("/v1/leader", l -> l.path("isLeader").asBoolean() && l.path("subscribed").asBoolean(),
                Duration.ofSeconds(60));
    }

    @AfterEach
    void stop() throws Exception {
        scheduler.close();
        cluster.close();
        SchedulerHarness.wipe(etcd);
    }

    static String spec(String id, int instances, int memMb) {
        return """
                {"id":"%s","version":"1.0.0","artifacts":["{{artifacts}}/svc.jar"],"instances":%d,
                 "resources":{"cpus":0.1,"memMb":%d,"diskMb":0,"ports":["http","admin"]},
                 "config":"server: {port: {{port.http}}, admin: {{port.admin}}}",
                 "constraints":[["zone","GROUP_BY"]],"labels":{"team":"payments"}}"""
                .formatted(id, instances, memMb);
    }

    static boolean healthy(JsonNode service, int n) {
        JsonNode st = service.path("status");
        return st.path("healthy").asInt() == n && st.path("active").asInt() == n;
    }

    @Test
    void aSpecBecomesHealthyInstancesSpreadOverZonesAndScales() throws Exception {
        HttpResponse<String> created = scheduler.send("POST", "/v1/services", spec("fx", 3, 128));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode fx = scheduler.await("/v1/services/fx", s -> healthy(s, 3), Duration.ofSeconds(20));
        assertThat(fx.path("status").path("state").asText()).isEqualTo("running");
        JsonNode instances = scheduler.get("/v1/services/fx/instances");
        Set<String> agents = new HashSet<>();
        instances.forEach(i -> agents.add(i.path("agentId").asText()));
        assertThat(agents).as("GROUP_BY zone spreads over the three zones").hasSize(3);
        assertThat(instances.get(0).path("ports").path("http").asInt()).isBetween(31000, 32000);

        assertThat(scheduler.send("PUT", "/v1/services/fx", spec("fx", 5, 128)).statusCode()).isEqualTo(200);
        scheduler.await("/v1/services/fx", s -> healthy(s, 5), Duration.ofSeconds(20));
        assertThat(scheduler.send("PUT", "/v1/services/fx", spec("fx", 2, 128)).statusCode()).isEqualTo(200);
        scheduler.await("/v1/services/fx", s -> healthy(s, 2), Duration.ofSeconds(20));
        assertThat(cluster.master().state().toString()).contains("TASK_KILLED");

        java.net.http.HttpResponse<String> prometheus = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + scheduler.adminPort
                        + "/prometheus")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(prometheus.statusCode()).as(prometheus.body()).isEqualTo(200);
        assertThat(prometheus.body()).contains("remit_offers_received").contains("remit_instances_launched")
                .contains("remit_tasks_healthy")
                // the planner's runs, timed, and fx's per-service gauges
                .containsPattern("remit_planner_runs_count [1-9]")
                .contains("remit_service_instances_healthy{service=\"fx\"} 2.0");
    }

    @Test
    void aBurstOfNewServicesIsAllPlaced() throws Exception {
        // Each create revives offers and each full placement suppresses them again: dozens of
        // SUPPRESS/REVIVE pairs in a second. They must reach the master in order, or it ends
        // suppressed while the scheduler waits for offers (it did: a 200-service burst stalled).
        int services = 40;
        for (int i = 0; i < services; i++) {
            HttpResponse<String> created = scheduler.send("POST", "/v1/services", spec("burst-" + i, 1, 32));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }
        JsonNode all = scheduler.await("/v1/services", list -> {
            int healthy = 0;
            for (JsonNode s : list) {
                healthy += s.path("status").path("healthy").asInt();
            }
            return healthy == services;
        }, Duration.ofSeconds(25));
        assertThat(all).hasSize(services);
    }

    @Test
    void anInvalidSpecGets422WithEveryProblemAndChangesNothing() throws Exception {
        assertThat(scheduler.send("POST", "/v1/services", spec("ok", 1, 64)).statusCode()).isEqualTo(201);
        HttpResponse<String> bad = scheduler.send("PUT", "/v1/services/ok", """
                {"id":"ok","version":"1.0.0","instances":-1,"resources":{"cpus":0,"memMb":"lots","ports":["admin"]},
                 "config":"x","constraints":[["zone","NEAR"]]}""");
        assertThat(bad.statusCode()).isEqualTo(422);
        JsonNode body = SchedulerHarness.JSON.readTree(bad.body());
        assertThat(body.path("code").asInt()).isEqualTo(422);
        assertThat(body.path("details").size()).isGreaterThanOrEqualTo(3);
        assertThat(bad.body()).contains("instances").contains("resources.memMb").contains("constraints[0]");
        assertThat(scheduler.get("/v1/services/ok").path("spec").path("instances").asInt()).isEqualTo(1);
        assertThat(scheduler.send("POST", "/v1/services", "{not json").statusCode()).isEqualTo(400);
        assertThat(scheduler.send("GET", "/v1/services/nope", null).statusCode()).isEqualTo(404);
        assertThat(scheduler.send("POST", "/v1/services", spec("ok", 1, 64)).statusCode()).isEqualTo(409);
    }

    @Test
    void aSpecThatCannotFitWaitsWithTheReasonVisible() throws Exception {
        scheduler.send("POST", "/v1/services", spec("huge", 1, 1_000_000));
        JsonNode huge = scheduler.await("/v1/services/huge",
                s -> s.path("status").path("waiting").asText().contains("mem"), Duration.ofSeconds(20));
        assertThat(huge.path("status").path("state").asText()).isEqualTo("waiting");
        assertThat(huge.path("status").path("waiting").asText()).contains("needs mem 1000");
        // The reason outlives the engine's periodic re-planning (once a second).
        scheduler.holds("/v1/services/huge", s -> s.path("status").path("waiting").asText().contains("needs mem"),
                Duration.ofMillis(2500));
    }

    @Test
    void aKilledInstanceIsReplacedAndARestartedSchedulerAdoptsEverything() throws Exception {
        scheduler.send("POST", "/v1/services", spec("pay", 3, 64));
        scheduler.await("/v1/services/pay", s -> healthy(s, 3), Duration.ofSeconds(20));
        String victim = scheduler.get("/v1/services/pay/instances").get(0).path("taskId").asText();
        assertThat(scheduler.send("DELETE", "/v1/instances/" + victim, null).statusCode()).isEqualTo(202);
        scheduler.await("/v1/services/pay", s -> healthy(s, 3), Duration.ofSeconds(20));
        Set<String> before = new HashSet<>();
        scheduler.get("/v1/services/pay/instances").forEach(i -> before.add(i.path("taskId").asText()));
        assertThat(before).doesNotContain(victim).hasSize(3);

        int port = java.net.URI.create(scheduler.url).getPort();
        scheduler.close();
        scheduler = new SchedulerHarness(etcd, cluster.masterUrl(), port, null);
        scheduler.await("/v1/leader", l -> l.path("subscribed").asBoolean(), Duration.ofSeconds(20));
        JsonNode pay = scheduler.await("/v1/services/pay", s -> healthy(s, 3), Duration.ofSeconds(20));
        Set<String> after = new HashSet<>();
        scheduler.get("/v1/services/pay/instances").forEach(i -> after.add(i.path("taskId").asText()));
        assertThat(after).as("adopted, not relaunched").isEqualTo(before);
        assertThat(pay.path("status").path("active").asInt()).isEqualTo(3);
    }
}
