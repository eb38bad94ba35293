package io.remit.scheduler.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.localcluster.LocalCluster;
import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.EtcdSettings;
import io.remit.scheduler.auth.Credentials;
import io.remit.scheduler.auth.Role;
import io.remit.scheduler.spec.EnvValue;
import io.remit.scheduler.state.EtcdSpecStore;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Revisions through a real scheduler's HTTP API, on a real etcd: every accepted change is one,
 * with who made it and why; scaling is none; a rollback is a new revision with the old spec and
 * today's instance count; secrets stay masked in lists, revisions and diffs; bad input is refused
 * with every problem and changes nothing.
 *
 * <p>Nothing acknowledged is lost: a spec and its revision are written in one etcd transaction
 * (EtcdSpecStore), before the answer, so a scheduler killed -9 right after a 200/201 leaves both
 * or (had it died before the commit) neither. That holds by construction; EtcdSpecStoreIT checks
 * that both keys carry one etcd revision.
 */
@ExtendWith(EtcdExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RevisionsIT {

    static final String OPERATOR_TOKEN = "revisions-op-7c1e9a3b5d2f4a6c";
    static final String OPERATOR = "Bearer " + OPERATOR_TOKEN;
    static final String VIEWER = "Basic " + Base64.getEncoder().encodeToString("vera:view-only-4b3c2d1e".getBytes(StandardCharsets.UTF_8));
    static final String SECRET_1 = "first-db-password-91f3";
    static final String SECRET_2 = "second-db-password-27ac";

    Path work;
    LocalCluster cluster;
    SchedulerHarness scheduler;
    EtcdServer etcd;

    @BeforeAll
    void start(EtcdServer etcd) throws Exception {
        this.etcd = etcd;
        work = Files.createTempDirectory("revisions-it");
        cluster = LocalCluster.builder().freePorts().agents(0).simulatedAgents(2).workDir(work.resolve("cluster")).start();
        scheduler = new SchedulerHarness(etcd, cluster.masterUrl(), SchedulerHarness.freePort(), null, c -> {
            c.auth.enabled = true;
            c.auth.users = List.of(SchedulerHarness.user("ci-pipeline", Role.operator, OPERATOR_TOKEN, null),
                    SchedulerHarness.user("vera", Role.viewer, null, "view-only-4b3c2d1e"));
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!json(call("GET", "/v1/leader", null, OPERATOR)).path("isLeader").asBoolean()) {
            assertThat(System.nanoTime()).as("the scheduler leads within 60 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (scheduler != null) {
            scheduler.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        SchedulerHarness.wipe(etcd);
    }

    static String spec(String id, String version, int instances, String env) {
        return """
                {"id":"%s","version":"%s","artifacts":["{{artifacts}}/svc.jar"],"instances":%d,
                 "resources":{"cpus":0.1,"memMb":64,"diskMb":0,"ports":["http","admin"]},
                 "env":{%s}}""".formatted(id, version, instances, env);
    }

    HttpResponse<String> call(String method, String path, String body, String auth) throws Exception {
        return scheduler.send(method, path, body, auth);
    }

    HttpResponse<String> call(String method, String path, String body, String auth, Map<String, String> headers)
            throws Exception {
        return scheduler.send(method, path, body, auth, headers);
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return SchedulerHarness.JSON.readTree(r.body());
    }

    static Map<String, String> message(String m) {
        return Map.of("X-Remit-Message", m);
    }

    JsonNode revisions(String id) throws Exception {
        HttpResponse<String> r = call("GET", "/v1/services/" + id + "/revisions", null, OPERATOR);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    @Test
    void everyChangeIsARevisionWithWhoAndWhyAndScalingIsNone() throws Exception {
        HttpResponse<String> created = call("POST", "/v1/services", spec("fx", "1.0.0", 1, ""), OPERATOR,
                message("fx for the quotes API"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("X-Remit-Revision")).contains("1");

        HttpResponse<String> changed = call("PUT", "/v1/services/fx", spec("fx", "1.1.0", 1, ""), OPERATOR,
                message("UTF-8''fx 1.1: quotes in CHF %E2%82%AC"));
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.headers().firstValue("X-Remit-Revision")).contains("2");

        HttpResponse<String> scaled = call("POST", "/v1/services/fx/scale", "{\"instances\": 2}", OPERATOR);
        assertThat(scaled.statusCode()).as(scaled.body()).isEqualTo(200);
        assertThat(json(scaled).path("message").asText()).isEqualTo("scaling fx from 1 to 2 instances");
        HttpResponse<String> sameAgain = call("PUT", "/v1/services/fx", spec("fx", "1.1.0", 3, ""), OPERATOR,
                message("more fx"));
        assertThat(sameAgain.statusCode()).isEqualTo(200);
        assertThat(sameAgain.headers().firstValue("X-Remit-Revision")).as("instances alone").isEmpty();

        JsonNode list = revisions("fx");
        assertThat(list.path("current").asLong()).isEqualTo(2);
        List<JsonNode> rs = new ArrayList<>();
        list.path("revisions").forEach(rs::add);
        assertThat(rs).extracting(r -> r.path("revision").asLong()).containsExactly(2L, 1L);
        assertThat(rs).extracting(r -> r.path("who").asText()).containsExactly("ci-pipeline", "ci-pipeline");
        assertThat(rs).extracting(r -> r.path("message").asText())
                .containsExactly("fx 1.1: quotes in CHF \u20ac", "fx for the quotes API");
        assertThat(rs).extracting(r -> r.path("current").asBoolean()).containsExactly(true, false);
        assertThat(rs.get(0).path("version").asText()).isEqualTo("1.1.0");
        assertThat(rs.get(0).path("instances").asInt()).as("as it was accepted").isEqualTo(1);
        assertThat(rs.get(0).path("at").asText()).isNotBlank();
        assertThat(json(call("GET", "/v1/services/fx", null, OPERATOR)).path("spec").path("instances").asInt()).isEqualTo(3);

        // The fingerprint is what task records call their revision: the instances running it.
        String fingerprint = rs.get(0).path("fingerprint").asText();
        await("/v1/services/fx/instances", all -> all.size() == 3 && all.findValuesAsText("revision").stream()
                .allMatch(fingerprint::equals));

        // A viewer reads them but may not roll back; the refusal changes nothing.
        assertThat(call("GET", "/v1/services/fx/revisions", null, VIEWER).statusCode()).isEqualTo(200);
        assertThat(call("POST", "/v1/services/fx/rollback", "{}", VIEWER).statusCode()).isEqualTo(403);
        assertThat(revisions("fx").path("revisions")).hasSize(2);

        // Each revision was told on /v1/events.
        List<JsonNode> told = revisionEvents("fx", 2);
        assertThat(told).extracting(e -> e.path("data").path("revision").asLong()).containsExactly(1L, 2L);
        assertThat(told.get(1).path("data").path("who").asText()).isEqualTo("ci-pipeline");
        assertThat(told.get(1).path("data").path("fingerprint").asText()).isEqualTo(fingerprint);
    }

    @Test
    void aRollbackIsANewRevisionWithTheOldSpecAndTodaysInstanceCount() throws Exception {
        assertThat(call("POST", "/v1/services", spec("schools", "1.0.0", 1, "\"MODE\":\"a\""), OPERATOR).statusCode())
                .isEqualTo(201);
        assertThat(call("PUT", "/v1/services/schools", spec("schools", "2.0.0", 1, "\"MODE\":\"b\""), OPERATOR,
                message("schools 2.0")).statusCode()).isEqualTo(200);
        assertThat(call("POST", "/v1/services/schools/scale", "{\"instances\": 3}", OPERATOR).statusCode()).isEqualTo(200);

        HttpResponse<String> back = call("POST", "/v1/services/schools/rollback", null, OPERATOR);

        assertThat(back.statusCode()).as(back.body()).isEqualTo(201);
        assertThat(back.headers().firstValue("X-Remit-Revision")).contains("3");
        assertThat(json(back).path("rolledBackTo").asLong()).as("no body: the previous revision").isEqualTo(1);
        JsonNode now = json(call("GET", "/v1/services/schools", null, OPERATOR));
        assertThat(now.path("spec").path("version").asText()).isEqualTo("1.0.0");
        assertThat(now.path("spec").path("env").path("MODE").asText()).isEqualTo("a");
        assertThat(now.path("spec").path("instances").asInt()).as("today's count, not revision 1's").isEqualTo(3);
        JsonNode three = json(call("GET", "/v1/services/schools/revisions/3", null, OPERATOR));
        assertThat(three.path("message").asText()).isEqualTo("rollback to revision 1");
        assertThat(three.path("current").asBoolean()).isTrue();
        assertThat(three.path("fingerprint").asText())
                .isEqualTo(json(call("GET", "/v1/services/schools/revisions/1", null, OPERATOR)).path("fingerprint").asText());
        await("/v1/services/schools", s -> s.path("status").path("healthy").asInt() == 3
                && s.path("status").path("active").asInt() == 3);

        HttpResponse<String> toTwo = call("POST", "/v1/services/schools/rollback", "{\"revision\": 2}", OPERATOR,
                message("2.0 again, the cause was elsewhere"));
        assertThat(toTwo.statusCode()).isEqualTo(201);
        assertThat(json(call("GET", "/v1/services/schools/revisions/4", null, OPERATOR)).path("message").asText())
                .isEqualTo("2.0 again, the cause was elsewhere");

        HttpResponse<String> again = call("POST", "/v1/services/schools/rollback", "{\"revision\": 2}", OPERATOR);
        assertThat(again.statusCode()).as("already that spec").isEqualTo(200);
        assertThat(json(again).path("changed").asBoolean()).isFalse();
        assertThat(revisions("schools").path("revisions")).hasSize(4);
    }

    @Test
    void secretsAreMaskedInTheListTheRevisionsAndTheDiffsAndARollbackRestoresTheRealOne() throws Exception {
        String first = "\"DB_PASSWORD\":{\"value\":\"" + SECRET_1 + "\",\"secret\":true},\"REGION\":\"eu\"";
        String second = "\"DB_PASSWORD\":{\"value\":\"" + SECRET_2 + "\",\"secret\":true},\"REGION\":\"eu\"";
        assertThat(call("POST", "/v1/services", spec("payments", "2.3.0", 1, first), OPERATOR).statusCode()).isEqualTo(201);
        assertThat(call("PUT", "/v1/services/payments", spec("payments", "2.3.0", 1, second), OPERATOR,
                message("rotate the DB password")).statusCode()).isEqualTo(200);

        List<HttpResponse<String>> reads = List.of(
                call("GET", "/v1/services/payments/revisions", null, OPERATOR),
                call("GET", "/v1/services/payments/revisions/1", null, OPERATOR),
                call("GET", "/v1/services/payments/revisions/2", null, VIEWER),
                call("GET", "/v1/services/payments/revisions/diff?from=1&to=2", null, OPERATOR),
                call("GET", "/v1/services/payments/revisions/diff?from=1&to=2", null, OPERATOR, Map.of("Accept", "text/plain")));
        for (HttpResponse<String> r : reads) {
            assertThat(r.statusCode()).as(r.uri() + ": " + r.body()).isEqualTo(200);
            assertThat(r.body()).as(r.uri().toString()).doesNotContain(SECRET_1).doesNotContain(SECRET_2);
        }
        assertThat(json(reads.get(1)).path("spec").path("env").path("DB_PASSWORD").path("value").asText()).isEqualTo("****");
        JsonNode diff = json(reads.get(3));
        assertThat(diff.path("changes")).hasSize(1);
        JsonNode change = diff.path("changes").get(0);
        assertThat(change.path("path").asText()).isEqualTo("env.DB_PASSWORD");
        assertThat(change.path("secret").asBoolean()).isTrue();
        assertThat(change.path("old").path("value").asText()).isEqualTo("****");
        String text = reads.get(4).body();
        assertThat(reads.get(4).headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(text).startsWith("--- payments revision 1\n+++ payments revision 2\n@@ ")
                .contains("\n-    value: '****'\n+    value: '**** (changed)'\n");

        assertThat(call("POST", "/v1/services/payments/rollback", "{\"revision\": 1}", OPERATOR).statusCode()).isEqualTo(201);
        try (Etcd client = Etcd.connect(EtcdSettings.of(etcd.endpoint()))) {
            assertThat(new EtcdSpecStore(client).get("payments").orElseThrow().spec().env().get("DB_PASSWORD"))
                    .as("the secret itself is back, not its mask").isEqualTo(EnvValue.secret(SECRET_1));
        }
    }

    @Test
    void badInputIsRefusedWithEveryProblemAndChangesNothing() throws Exception {
        assertThat(call("POST", "/v1/services", spec("hello", "1.0.0", 1, ""), OPERATOR).statusCode()).isEqualTo(201);

        assertError(call("GET", "/v1/services/nosuch/revisions", null, OPERATOR), 404);
        assertError(call("GET", "/v1/services/hello/revisions/7", null, OPERATOR), 404);
        assertError(call("GET", "/v1/services/hello/revisions/seven", null, OPERATOR), 404);
        JsonNode diff = assertError(call("GET", "/v1/services/hello/revisions/diff?from=one&to=9&format=yaml", null, OPERATOR), 422);
        assertThat(paths(diff)).containsExactly("from", "to", "format");
        assertThat(diff.path("details").get(1).path("message").asText()).isEqualTo("no revision 9 of hello; it has revision 1");
        JsonNode same = json(call("GET", "/v1/services/hello/revisions/diff?from=1&to=1", null, OPERATOR));
        assertThat(same.path("changes")).as("from = to is fine").isEmpty();

        assertThat(paths(assertError(call("POST", "/v1/services/hello/rollback", null, OPERATOR), 422)))
                .as("no revision before the only one").containsExactly("revision");
        assertThat(paths(assertError(call("POST", "/v1/services/hello/rollback", "{\"revision\":\"x\",\"force\":true}", OPERATOR), 422)))
                .containsExactlyInAnyOrder("revision", "force");
        assertThat(paths(assertError(call("POST", "/v1/services/hello/rollback", "{\"revision\":4}", OPERATOR), 422)))
                .containsExactly("revision");
        assertError(call("POST", "/v1/services/hello/rollback", "{revision", OPERATOR), 400);
        assertError(call("POST", "/v1/services/nosuch/rollback", "{\"revision\":1}", OPERATOR), 404);
        assertThat(paths(assertError(call("POST", "/v1/services/hello/scale", "{\"instances\":-1,\"cpus\":2}", OPERATOR), 422)))
                .containsExactlyInAnyOrder("instances", "cpus");
        assertError(call("POST", "/v1/services/nosuch/scale", "{\"instances\":1}", OPERATOR), 404);
        assertThat(paths(assertError(call("PUT", "/v1/services/hello", spec("hello", "2.0.0", 1, ""), OPERATOR,
                message("x".repeat(1001))), 422))).containsExactly("X-Remit-Message");
        assertThat(paths(assertError(call("PUT", "/v1/services/hello", spec("hello", "2.0.0", -1, ""), OPERATOR,
                message("UTF-8''%E2%82")), 422))).as("the message's problem with the spec's")
                .containsExactly("X-Remit-Message", "instances");

        JsonNode after = revisions("hello");
        assertThat(after.path("revisions")).as("nothing was changed").hasSize(1);
        assertThat(json(call("GET", "/v1/services/hello", null, OPERATOR)).path("spec").path("version").asText())
                .isEqualTo("1.0.0");
    }

    static JsonNode assertError(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.uri() + ": " + r.body()).isEqualTo(status);
        JsonNode body = json(r);
        assertThat(body.path("code").asInt()).isEqualTo(status);
        assertThat(body.path("message").asText()).isNotBlank();
        assertThat(body.path("details").isArray()).isTrue();
        return body;
    }

    static List<String> paths(JsonNode error) {
        List<String> out = new ArrayList<>();
        error.path("details").forEach(d -> out.add(d.path("path").asText()));
        return out;
    }

    /** Polls {@code path} as the operator until {@code ok} holds, for at most 60 s. */
    JsonNode await(String path, java.util.function.Predicate<JsonNode> ok) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode last = null;
        while (System.nanoTime() - deadline < 0) {
            HttpResponse<String> r = call("GET", path, null, OPERATOR);
            last = r.statusCode() == 200 ? json(r) : null;
            if (last != null && ok.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not within 60 s: GET " + path + " last answered " + last);
    }

    /** The revision.created events of {@code service} on /v1/events, once there are {@code count}. */
    List<JsonNode> revisionEvents(String service, int count) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(scheduler.url + "/v1/events?type=revision.&service="
                        + service + "&recent=100")).header("Accept", "text/event-stream").header("Authorization", OPERATOR)
                .build();
        HttpResponse<java.io.InputStream> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            timer.schedule(() -> {
                try {
                    r.body().close();
                } catch (java.io.IOException ignored) {
                    // closing ends the read below
                }
            }, 20, java.util.concurrent.TimeUnit.SECONDS);
            String line;
            while (out.size() < count && (line = in.readLine()) != null) {
                if (line.startsWith("data: ")) {
                    out.add(SchedulerHarness.JSON.readTree(line.substring(6)));
                }
            }
            timer.shutdownNow();
        } catch (java.io.IOException e) {
            // closed by the timer
        }
        assertThat(out).as("revision.created events of " + service + " within 20 s").hasSize(count);
        return out;
    }
}
