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
 * Deployments as persisted plans, on the scheduler app with real etcd and simulated agents
 * (instances are healthy at once): a canary holds its step beside every old instance, waits to
 * be resumed, is promoted; an operator's rollback brings the old revision back before the new
 * goes; a standby that takes over in the middle of a canary step carries the deployment on from
 * that step without launching anything twice; a step that makes no progress rolls back with the reason; a blue/green deployment
 * previews the whole new version with the traffic record naming only the old, switches it at once
 * while the old are kept, then removes them.
 */
@ExtendWith(EtcdExtension.class)
class DeploymentsIT {

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
    }

    @AfterEach
    void stop() throws Exception {
        scheduler.close();
        cluster.close();
        SchedulerHarness.wipe(etcd);
    }

    static String spec(String version, int memMb, String deployment) {
        return """
                {"id":"fx","version":"%s","artifacts":["{{artifacts}}/svc.jar"],"instances":3,
                 "resources":{"cpus":0.1,"memMb":%d,"diskMb":0,"ports":["http","admin"]},
                 "config":"server: {port: {{port.http}}, admin: {{port.admin}}}"%s}"""
                .formatted(version, memMb, deployment == null ? "" : ",\"deployment\":" + deployment);
    }

    static final String CANARY = """
            {"strategy":"canary","progressDeadline":"30s",
             "steps":[{"instances":1,"pause":"manual"},{"weight":50,"pause":"1s"}]}""";

    /** Active instances of fx by version. */
    Set<String> versions(JsonNode instances, String version) {
        Set<String> ids = new HashSet<>();
        instances.forEach(i -> {
            if (i.path("version").asText().equals(version) && isActive(i)) {
                ids.add(i.path("taskId").asText());
            }
        });
        return ids;
    }

    static boolean isActive(JsonNode i) {
        return Set.of("PENDING", "LAUNCHED", "STARTING", "RUNNING_UNHEALTHY", "HEALTHY").contains(i.path("state").asText());
    }

    static long healthy(JsonNode instances, String version) {
        long n = 0;
        for (JsonNode i : instances) {
            if (i.path("version").asText().equals(version) && i.path("state").asText().equals("HEALTHY")) {
                n++;
            }
        }
        return n;
    }

    JsonNode deploymentOf(String version) throws Exception {
        for (JsonNode d : scheduler.get("/v1/deployments?service=fx")) {
            if (d.path("to").path("version").asText().equals(version)) {
                return d;
            }
        }
        return null;
    }

    JsonNode awaitDeployment(String version, String state, Duration timeout) throws Exception {
        return scheduler.await("/v1/deployments?service=fx", list -> {
            for (JsonNode d : list) {
                if (d.path("to").path("version").asText().equals(version) && d.path("state").asText().equals(state)) {
                    return true;
                }
            }
            return false;
        }, timeout);
    }

    void createFx(String version) throws Exception {
        HttpResponse<String> created = scheduler.send("POST", "/v1/services", spec(version, 64, CANARY));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        scheduler.await("/v1/services/fx/instances", i -> healthy(i, version) == 3, Duration.ofSeconds(30));
    }

    @Test
    void aCanaryHoldsItsStepBesideTheWholeOldVersionWaitsToBeResumedAndIsPromoted() throws Exception {
        createFx("1.0.0");
        assertThat(scheduler.send("PUT", "/v1/services/fx", spec("2.0.0", 64, CANARY)).statusCode()).isEqualTo(200);

        awaitDeployment("2.0.0", "paused", Duration.ofSeconds(30));
        JsonNode instances = scheduler.get("/v1/services/fx/instances");
        assertThat(healthy(instances, "1.0.0")).as("the old version keeps its count").isEqualTo(3);
        assertThat(versions(instances, "2.0.0")).as("step 1: one canary").hasSize(1);
        JsonNode paused = deploymentOf("2.0.0");
        assertThat(paused.path("strategy").asText()).isEqualTo("canary");
        assertThat(paused.path("currentStep").asInt()).isEqualTo(1);
        assertThat(paused.path("reason").asText()).isEqualTo("step 1 of 3 done: waiting to be resumed");
        assertThat(paused.path("from").path("version").asText()).isEqualTo("1.0.0");
        scheduler.holds("/v1/services/fx/instances", i -> versions(i, "2.0.0").size() == 1 && healthy(i, "1.0.0") == 3,
                Duration.ofSeconds(2));

        String id = paused.path("id").asText();
        HttpResponse<String> resumed = scheduler.send("POST", "/v1/deployments/" + id + "/resume", "");
        assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(200);
        // Old instances never drop below their count until the promotion replaces them.
        scheduler.await("/v1/deployments/" + id, d -> d.path("state").asText().equals("succeeded"),
                d -> !d.path("state").asText().equals("rolling-back"), Duration.ofSeconds(60));
        JsonNode after = scheduler.await("/v1/services/fx/instances",
                i -> healthy(i, "2.0.0") == 3 && versions(i, "1.0.0").isEmpty(), Duration.ofSeconds(30));
        assertThat(versions(after, "2.0.0")).hasSize(3);

        HttpResponse<String> again = scheduler.send("POST", "/v1/deployments/" + id + "/resume", "");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("\"path\":\"state\"");
        assertThat(scheduler.send("POST", "/v1/deployments/nope/pause", "").statusCode()).isEqualTo(404);
    }

    @Test
    void anOperatorsRollbackBringsTheOldBackBeforeTheNewGoesAndPutsTheOldSpecBack() throws Exception {
        createFx("1.0.0");
        scheduler.send("PUT", "/v1/services/fx", spec("2.0.0", 64, CANARY));
        awaitDeployment("2.0.0", "paused", Duration.ofSeconds(30));
        String id = deploymentOf("2.0.0").path("id").asText();

        HttpResponse<String> rolledBack = scheduler.send("POST", "/v1/deployments/" + id + "/rollback", "");
        assertThat(rolledBack.statusCode()).as(rolledBack.body()).isEqualTo(200);
        JsonNode done = scheduler.await("/v1/deployments/" + id, d -> d.path("state").asText().equals("rolled-back"),
                Duration.ofSeconds(30));
        assertThat(done.path("reason").asText()).startsWith("rolled back by ");
        JsonNode instances = scheduler.get("/v1/services/fx/instances");
        assertThat(healthy(instances, "1.0.0")).isEqualTo(3);
        assertThat(versions(instances, "2.0.0")).isEmpty();
        assertThat(scheduler.get("/v1/services/fx").path("spec").path("version").asText()).isEqualTo("1.0.0");
        scheduler.holds("/v1/deployments?service=fx", list -> list.size() == 1, Duration.ofSeconds(2));
    }

    @Test
    void aSucceededDeploymentsRollbackIsANewRevisionByTheCallerAnsweredLikeTheServicesRollback() throws Exception {
        HttpResponse<String> created = scheduler.send("POST", "/v1/services", spec("1.0.0", 64, null));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        scheduler.await("/v1/services/fx/instances", i -> healthy(i, "1.0.0") == 3, Duration.ofSeconds(30));
        assertThat(scheduler.send("PUT", "/v1/services/fx", spec("2.0.0", 64, null)).statusCode()).isEqualTo(200);
        JsonNode succeeded = awaitDeployment("2.0.0", "succeeded", Duration.ofSeconds(60));
        String id = null;
        for (JsonNode d : succeeded) {
            if (d.path("to").path("version").asText().equals("2.0.0")) {
                id = d.path("id").asText();
            }
        }

        HttpResponse<String> rolledBack = scheduler.send("POST", "/v1/deployments/" + id + "/rollback", "", null,
                java.util.Map.of("X-Remit-Message", "2.0.0 misquotes EUR"));
        assertThat(rolledBack.statusCode()).as(rolledBack.body()).isEqualTo(201);
        String revision = rolledBack.headers().firstValue("X-Remit-Revision").orElseThrow();
        assertThat(rolledBack.headers().firstValue("Location").orElseThrow()).endsWith("/v1/services/fx/revisions/" + revision);
        JsonNode body = SchedulerHarness.JSON.readTree(rolledBack.body());
        assertThat(body.path("revision").asText()).isEqualTo(revision);
        assertThat(body.path("changed").asBoolean()).isTrue();
        JsonNode made = scheduler.get("/v1/services/fx/revisions/" + revision);
        assertThat(made.path("version").asText()).isEqualTo("1.0.0");
        assertThat(made.path("message").asText()).isEqualTo("2.0.0 misquotes EUR");
        assertThat(made.path("who").asText()).as("the caller, not Remit").isEqualTo("anonymous");
        scheduler.await("/v1/services/fx/instances", i -> healthy(i, "1.0.0") == 3 && versions(i, "2.0.0").isEmpty(),
                Duration.ofSeconds(60));

        // The service runs another revision now: rolling the same deployment back again is refused.
        HttpResponse<String> again = scheduler.send("POST", "/v1/deployments/" + id + "/rollback", "");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
    }

    @Test
    void theServicesRollbackDuringACanaryRollsThatDeploymentBackAndStartsNoOtherOne() throws Exception {
        createFx("1.0.0");
        scheduler.send("PUT", "/v1/services/fx", spec("2.0.0", 64, CANARY));
        awaitDeployment("2.0.0", "paused", Duration.ofSeconds(30));
        String id = deploymentOf("2.0.0").path("id").asText();

        HttpResponse<String> rolledBack = scheduler.send("POST", "/v1/services/fx/rollback", "");
        assertThat(rolledBack.statusCode()).as(rolledBack.body()).isEqualTo(201);

        // Never more than the one canary of 2.0.0: the old version is not "new" and the canary not "old".
        JsonNode done = scheduler.await("/v1/deployments/" + id, d -> d.path("state").asText().equals("rolled-back"),
                d -> {
                    try {
                        return versions(scheduler.get("/v1/services/fx/instances"), "2.0.0").size() <= 1;
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }, Duration.ofSeconds(30));
        assertThat(done.path("reason").asText()).startsWith("the spec was put back to revision ");
        scheduler.await("/v1/services/fx/instances", i -> healthy(i, "1.0.0") == 3 && versions(i, "2.0.0").isEmpty(),
                Duration.ofSeconds(30));
        scheduler.holds("/v1/deployments?service=fx", list -> list.size() == 1, Duration.ofSeconds(2));
    }

    @Test
    void theSameChangePutAgainAfterItsRollbackIsANewDeployment() throws Exception {
        createFx("1.0.0");
        scheduler.send("PUT", "/v1/services/fx", spec("2.0.0", 64, CANARY));
        awaitDeployment("2.0.0", "paused", Duration.ofSeconds(30));
        String first = deploymentOf("2.0.0").path("id").asText();
        scheduler.send("POST", "/v1/deployments/" + first + "/rollback", "");
        scheduler.await("/v1/deployments/" + first, d -> d.path("state").asText().equals("rolled-back"), Duration.ofSeconds(30));

        // The very same spec again (same revision): a new try, as a canary again, not held forever.
        HttpResponse<String> again = scheduler.send("PUT", "/v1/services/fx", spec("2.0.0", 64, CANARY));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        JsonNode list = scheduler.await("/v1/deployments?service=fx", l -> l.size() == 2
                && l.get(0).path("to").path("version").asText().equals("2.0.0") && l.get(0).path("state").asText().equals("paused"),
                Duration.ofSeconds(30));
        assertThat(list.get(0).path("id").asText()).isNotEqualTo(first);
        assertThat(list.get(1).path("state").asText()).isEqualTo("rolled-back");
        JsonNode instances = scheduler.get("/v1/services/fx/instances");
        assertThat(healthy(instances, "1.0.0")).isEqualTo(3);
        assertThat(versions(instances, "2.0.0")).as("step 1 again: one canary").hasSize(1);
    }

    @Test
    void aStandbyTakingOverMidCanaryCarriesTheDeploymentOnFromItsStepLaunchingNothingTwice() throws Exception {
        createFx("1.0.0");
        String twoSteps = """
                {"strategy":"canary","progressDeadline":"30s",
                 "steps":[{"instances":1,"pause":"4s"},{"instances":2,"pause":"manual"}]}""";
        try (SchedulerHarness standby = new SchedulerHarness(etcd, cluster.masterUrl(), SchedulerHarness.freePort(), null)) {
            standby.await("/v1/leader", l -> !l.path("isLeader").asBoolean(), Duration.ofSeconds(30));
            assertThat(scheduler.send("PUT", "/v1/services/fx", spec("2.0.0", 64, twoSteps)).statusCode()).isEqualTo(200);
            // In the middle of step 1: its canary healthy, its pause running.
            JsonNode mid = scheduler.await("/v1/deployments?service=fx", list -> list.size() == 1
                    && list.get(0).path("reason").asText().equals("step 1 of 3: 1 new instances healthy"), Duration.ofSeconds(30));
            String id = mid.get(0).path("id").asText();
            Set<String> canary = versions(scheduler.get("/v1/services/fx/instances"), "2.0.0");
            assertThat(canary).hasSize(1);

            scheduler.close();
            standby.await("/v1/leader", l -> l.path("isLeader").asBoolean() && l.path("subscribed").asBoolean(),
                    Duration.ofSeconds(30));
            // Carried on from step 1: its pause ends, step 2 adds one canary beside the first.
            JsonNode paused = standby.await("/v1/deployments/" + id, d -> d.path("state").asText().equals("paused"),
                    d -> d.path("currentStep").asInt() <= 2 && !d.path("state").asText().equals("rolling-back"),
                    Duration.ofSeconds(60));
            assertThat(paused.path("currentStep").asInt()).isEqualTo(2);
            JsonNode instances = standby.await("/v1/services/fx/instances", i -> healthy(i, "2.0.0") == 2, Duration.ofSeconds(30));
            assertThat(versions(instances, "2.0.0")).as("the first canary kept, one more launched").hasSize(2).containsAll(canary);
            assertThat(healthy(instances, "1.0.0")).as("the old version kept its count").isEqualTo(3);
            assertThat(standby.get("/v1/deployments?service=fx")).as("no second deployment").hasSize(1);

            standby.send("POST", "/v1/deployments/" + id + "/resume", "");
            standby.await("/v1/deployments/" + id, d -> d.path("state").asText().equals("succeeded"), Duration.ofSeconds(60));
            scheduler = standby;
        }
    }

    @Test
    void aStepThatMakesNoProgressRollsBackWithTheReason() throws Exception {
        createFx("1.0.0");
        // 100 GB a instance fits no agent: the canary never starts.
        String stuck = """
                {"strategy":"canary","progressDeadline":"3s","steps":[{"instances":1}]}""";
        scheduler.send("PUT", "/v1/services/fx", spec("2.0.0", 100_000, stuck));

        JsonNode d = awaitDeployment("2.0.0", "rolled-back", Duration.ofSeconds(30));
        JsonNode mine = deploymentOf("2.0.0");
        assertThat(mine.path("reason").asText())
                .isEqualTo("step 1 of 2 (1 new instance beside the old) made no progress for 3s: 0 of 1 new instances healthy");
        assertThat(scheduler.get("/v1/services/fx").path("spec").path("version").asText()).isEqualTo("1.0.0");
        assertThat(healthy(scheduler.get("/v1/services/fx/instances"), "1.0.0")).isEqualTo(3);
        assertThat(d).isNotNull();
    }

    String traffic() throws Exception {
        try (io.remit.registry.etcd.Etcd client = io.remit.registry.etcd.Etcd.connect(io.remit.registry.etcd.EtcdSettings.of(etcd.endpoint()))) {
            return new io.remit.registry.etcd.KeyValues(client).get("/remit/traffic/fx").map(io.remit.registry.etcd.KeyValue::string)
                    .orElse(null);
        }
    }

    @Test
    void aBlueGreenPreviewsWithoutTrafficSwitchesAtOnceKeepsTheOldAWhileThenRemovesThem() throws Exception {
        createFx("1.0.0");
        String blueGreen = "{\"strategy\":\"blueGreen\",\"previewPause\":\"manual\",\"keepOld\":\"4s\",\"progressDeadline\":\"30s\"}";
        assertThat(scheduler.send("PUT", "/v1/services/fx", spec("2.0.0", 64, blueGreen)).statusCode()).isEqualTo(200);

        awaitDeployment("2.0.0", "paused", Duration.ofSeconds(30));
        JsonNode preview = scheduler.get("/v1/services/fx/instances");
        assertThat(healthy(preview, "1.0.0")).isEqualTo(3);
        assertThat(healthy(preview, "2.0.0")).as("the whole new version beside the old").isEqualTo(3);
        assertThat(traffic()).isEqualTo("{\"versions\":{\"1.0.0\":100,\"2.0.0\":0}}");
        JsonNode d = deploymentOf("2.0.0");
        assertThat(d.path("strategy").asText()).isEqualTo("blueGreen");
        assertThat(d.path("steps")).extracting(st -> st.path("kind").asText()).containsExactly("preview", "switch", "promote");

        String id = d.path("id").asText();
        assertThat(scheduler.send("POST", "/v1/deployments/" + id + "/resume", "").statusCode()).isEqualTo(200);
        scheduler.await("/v1/deployments/" + id, x -> x.path("currentStep").asInt() == 2, Duration.ofSeconds(15));
        assertThat(traffic()).isEqualTo("{\"versions\":{\"1.0.0\":0,\"2.0.0\":100}}");
        assertThat(versions(scheduler.get("/v1/services/fx/instances"), "1.0.0")).as("the old kept after the switch").hasSize(3);

        scheduler.await("/v1/deployments/" + id, x -> x.path("state").asText().equals("succeeded"),
                x -> !x.path("state").asText().equals("rolling-back"), Duration.ofSeconds(60));
        scheduler.await("/v1/services/fx/instances", i -> healthy(i, "2.0.0") == 3 && versions(i, "1.0.0").isEmpty(),
                Duration.ofSeconds(30));
        assertThat(traffic()).as("the record goes with the old version").isNull();
    }
}
