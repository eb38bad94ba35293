package io.remit.scheduler.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.localcluster.LocalCluster;
import io.remit.scheduler.auth.Credentials;
import io.remit.scheduler.auth.Role;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Access control on a real scheduler: no or forged credentials get 401, a viewer's change gets
 * 403 and changes nothing, an operator's goes through; every attempted change is audited; secrets
 * in specs never leave the scheduler.
 */
@ExtendWith(EtcdExtension.class)
class AccessControlIT {

    static final String OPERATOR_TOKEN = "op-4f1c2a9e7b3d5f60a8c1e2d3";
    static final String VIEWER_PASSWORD = "view-9d8c7b6a5f4e3d2c";

    @TempDir
    Path work;
    LocalCluster cluster;
    SchedulerHarness scheduler;
    Path auditFile;

    @BeforeEach
    void start(EtcdServer etcd) throws Exception {
        cluster = LocalCluster.builder().freePorts().agents(0).simulatedAgents(1).workDir(work.resolve("cluster")).start();
        auditFile = work.resolve("audit.log");
        Path credentialsFile = work.resolve("credentials.yml");
        Files.writeString(credentialsFile, """
                users:
                  - name: alice
                    role: viewer
                    password: %s
                """.formatted(Credentials.hash(VIEWER_PASSWORD)));
        scheduler = new SchedulerHarness(etcd, cluster.masterUrl(), SchedulerHarness.freePort(), null, c -> {
            c.auth.enabled = true;
            c.auth.credentialsFile = credentialsFile.toString();
            c.auth.auditFile = auditFile.toString();
            c.auth.users = List.of(SchedulerHarness.user("ci-pipeline", Role.operator, OPERATOR_TOKEN, null));
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!SchedulerHarness.JSON.readTree(call("GET", "/v1/leader", null, VIEWER).body()).path("isLeader").asBoolean()) {
            assertThat(System.nanoTime()).as("the scheduler leads within 60 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @AfterEach
    void stop(EtcdServer etcd) throws Exception {
        scheduler.close();
        cluster.close();
        SchedulerHarness.wipe(etcd);
    }

    HttpResponse<String> call(String method, String path, String body, String authorization) throws Exception {
        return scheduler.send(method, path, body, authorization);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static final String OPERATOR = "Bearer " + OPERATOR_TOKEN;
    static final String VIEWER = basic("alice", VIEWER_PASSWORD);

    static final String SECRET_SPEC = """
            {"id":"fx","version":"1.0.0","artifacts":["{{artifacts}}/fx.jar"],"instances":1,
             "resources":{"cpus":0.1,"memMb":128,"diskMb":0,"ports":["http","admin"]},
             "env":{"FX_QUOTE_KEY":{"value":"s3cr3t-signing-key","secret":true},"MODE":"live"}}""";

    @Test
    void aTokenAddedToTheFileWorksWithoutARestartAnExpiredOneIsRefusedAndGuessingIsSlowedDown() throws Exception {
        Files.writeString(work.resolve("credentials.yml"), """
                users:
                  - name: alice
                    role: viewer
                    password: %s
                  - name: ci-2027
                    role: operator
                    token: %s
                  - name: contractor
                    role: operator
                    token: %s
                    expires: 2020-01-01T00:00:00Z
                """.formatted(Credentials.hash(VIEWER_PASSWORD), Credentials.hash("rotated-token-2027"),
                Credentials.hash("contractor-token")));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (call("GET", "/v1/services", null, "Bearer rotated-token-2027").statusCode() != 200) {
            assertThat(System.nanoTime()).as("the new token works within 10 s, no restart").isLessThan(deadline);
            Thread.sleep(100);
        }
        HttpResponse<String> expired = call("GET", "/v1/services", null, "Bearer contractor-token");
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(SchedulerHarness.JSON.readTree(expired.body()).path("message").asText())
                .isEqualTo("the credentials of contractor expired at 2020-01-01T00:00:00Z");

        // The expired token and any tries of the new one before the file was read again were
        // failures too: guesses are refused as wrong until the tenth failure within the minute.
        int guesses = 0;
        while (call("GET", "/v1/services", null, "Bearer guess-" + guesses).statusCode() == 401) {
            guesses++;
            assertThat(guesses).as("wrong guesses answered 401 before the limit").isLessThan(10);
        }
        HttpResponse<String> locked = call("GET", "/v1/services", null, OPERATOR);
        assertThat(locked.statusCode()).as("even the right token, from this address, for now").isEqualTo(429);
        assertThat(locked.headers().firstValue("Retry-After")).hasValueSatisfying(v ->
                assertThat(Integer.parseInt(v)).isBetween(1, 60));
        assertThat(SchedulerHarness.JSON.readTree(locked.body()).path("details").get(0).path("path").asText())
                .isEqualTo("Authorization");
    }

    @Test
    void withoutValidCredentialsNothingIsReadNorChanged() throws Exception {
        HttpResponse<String> none = call("GET", "/v1/services", null, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).contains("Basic"));
        JsonNode body = SchedulerHarness.JSON.readTree(none.body());
        assertThat(body.path("code").asInt()).isEqualTo(401);
        assertThat(body.path("details").get(0).path("path").asText()).isEqualTo("Authorization");

        assertThat(call("GET", "/v1/services", null, "Bearer forged-token").statusCode()).isEqualTo(401);
        assertThat(call("GET", "/v1/services", null, basic("alice", "wrong")).statusCode()).isEqualTo(401);
        assertThat(call("POST", "/v1/services", SECRET_SPEC, "Bearer forged-token").statusCode()).isEqualTo(401);
        assertThat(call("GET", "/v1/events", null, null).statusCode()).isEqualTo(401);
        assertThat(call("GET", "/v1/services/fx", null, OPERATOR).statusCode()).as("nothing was created").isEqualTo(404);
    }

    @Test
    void aViewerReadsButMayNotChangeAndEveryAttemptIsAudited() throws Exception {
        assertThat(call("GET", "/v1/services", null, VIEWER).statusCode()).isEqualTo(200);
        JsonNode me = SchedulerHarness.JSON.readTree(call("GET", "/v1/whoami", null, VIEWER).body());
        assertThat(me.path("role").asText()).isEqualTo("viewer");
        assertThat(me.path("mayChange").asBoolean()).isFalse();

        HttpResponse<String> refused = call("POST", "/v1/services", SECRET_SPEC, VIEWER);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("alice is a viewer");
        assertThat(call("GET", "/v1/services/fx", null, VIEWER).statusCode()).as("nothing was created").isEqualTo(404);

        assertThat(call("POST", "/v1/services", SECRET_SPEC, OPERATOR).statusCode()).isEqualTo(201);
        assertThat(call("DELETE", "/v1/services/fx", null, VIEWER).statusCode()).isEqualTo(403);
        assertThat(call("GET", "/v1/services/fx", null, VIEWER).statusCode()).as("still there").isEqualTo(200);

        JsonNode audit = SchedulerHarness.JSON.readTree(call("GET", "/v1/audit", null, VIEWER).body());
        assertThat(audit).hasSize(3);
        assertThat(audit.get(0).path("who").asText()).isEqualTo("alice");
        assertThat(audit.get(0).path("method").asText()).isEqualTo("DELETE");
        assertThat(audit.get(0).path("status").asInt()).isEqualTo(403);
        assertThat(audit.get(0).path("reason").asText()).isEqualTo("alice is a viewer and may not change anything");
        assertThat(audit.get(1).path("who").asText()).isEqualTo("ci-pipeline");
        assertThat(audit.get(1).path("status").asInt()).isEqualTo(201);
        assertThat(audit.get(1).path("path").asText()).isEqualTo("/v1/services");
        assertThat(Files.readAllLines(auditFile)).hasSize(3)
                .allSatisfy(line -> assertThat(SchedulerHarness.JSON.readTree(line).has("at")).isTrue());
    }

    @Test
    void secretsInSpecsNeverLeaveTheScheduler() throws Exception {
        assertThat(call("POST", "/v1/services", SECRET_SPEC, OPERATOR).statusCode()).isEqualTo(201);
        for (String who : List.of(OPERATOR, VIEWER)) {
            String one = call("GET", "/v1/services/fx", null, who).body();
            String all = call("GET", "/v1/services", null, who).body();
            assertThat(one).doesNotContain("s3cr3t-signing-key").contains("live");
            assertThat(all).doesNotContain("s3cr3t-signing-key");
        }
    }

    @Test
    void aSpecReadBackAndSavedUnchangedKeepsItsSecrets(EtcdServer etcd) throws Exception {
        assertThat(call("POST", "/v1/services", SECRET_SPEC, OPERATOR).statusCode()).isEqualTo(201);
        // What the UI's editor and a GET-edit-PUT script do: read the spec (secret masked), change the count, save.
        com.fasterxml.jackson.databind.node.ObjectNode spec = (com.fasterxml.jackson.databind.node.ObjectNode)
                SchedulerHarness.JSON.readTree(call("GET", "/v1/services/fx", null, OPERATOR).body()).path("spec");
        assertThat(spec.path("env").path("FX_QUOTE_KEY").path("value").asText()).isEqualTo("****");
        spec.put("instances", 2);
        HttpResponse<String> saved = call("PUT", "/v1/services/fx", spec.toString(), OPERATOR);
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
        try (io.remit.registry.etcd.Etcd client = io.remit.registry.etcd.Etcd.connect(io.remit.registry.etcd.EtcdSettings.of(etcd.endpoint()))) {
            String stored = new String(new io.remit.registry.etcd.KeyValues(client).get(io.remit.registry.etcd.Keys.serviceSpec("fx"))
                    .orElseThrow().value(), StandardCharsets.UTF_8);
            assertThat(stored).contains("s3cr3t-signing-key").doesNotContain("****").contains("\"instances\":2");
        }

        // A masked value with no stored secret behind it is refused, naming the field; nothing changes.
        ((com.fasterxml.jackson.databind.node.ObjectNode) spec.path("env")).set("NEW_KEY",
                SchedulerHarness.JSON.readTree("{\"value\":\"****\",\"secret\":true}"));
        spec.put("instances", 3);
        HttpResponse<String> refused = call("PUT", "/v1/services/fx", spec.toString(), OPERATOR);
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(SchedulerHarness.JSON.readTree(refused.body()).path("details").get(0).path("path").asText())
                .isEqualTo("env.NEW_KEY.value");
        assertThat(SchedulerHarness.JSON.readTree(call("GET", "/v1/services/fx", null, OPERATOR).body())
                .path("spec").path("instances").asInt()).isEqualTo(2);

        // The dashboard's summary view leaves the long parts (and env) out.
        JsonNode summary = SchedulerHarness.JSON.readTree(call("GET", "/v1/services?view=summary", null, VIEWER).body());
        assertThat(summary.get(0).path("spec").has("env")).isFalse();
        assertThat(summary.get(0).path("spec").has("config")).isFalse();
        assertThat(summary.get(0).path("spec").path("instances").asInt()).isEqualTo(2);
        assertThat(call("GET", "/v1/services?view=everything", null, VIEWER).statusCode()).isEqualTo(422);
    }

    @Test
    void artifactsTheWebUiAndTheApiDocumentStayOpen() throws Exception {
        HttpResponse<String> r = call("GET", "/artifacts/nothing-here.jar", null, null);
        assertThat(r.statusCode()).isEqualTo(404);
        HttpResponse<String> root = call("GET", "/", null, null);
        assertThat(root.statusCode()).isEqualTo(303);
        assertThat(root.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/ui/"));
        HttpResponse<String> page = call("GET", "/ui/", null, null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<script type=\"module\" src=\"/ui/app.js\">");
        assertThat(call("GET", "/ui/app.js", null, null).body()).contains("/v1/events");
        HttpResponse<String> doc = call("GET", "/openapi.json", null, null);
        assertThat(doc.statusCode()).isEqualTo(200);
        assertThat(SchedulerHarness.JSON.readTree(doc.body()).path("paths").has("/v1/services")).isTrue();
    }
}
