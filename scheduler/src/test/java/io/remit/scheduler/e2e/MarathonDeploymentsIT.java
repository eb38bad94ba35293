package io.remit.scheduler.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.localcluster.LocalCluster;
import io.remit.scheduler.auth.Role;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;
import mesosphere.marathon.client.Marathon;
import mesosphere.marathon.client.MarathonClient;
import mesosphere.marathon.client.MarathonException;
import mesosphere.marathon.client.model.v2.App;
import mesosphere.marathon.client.model.v2.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Marathon's deployments and versions over Remit's own, through the real marathon-client 0.6.3
 * against the scheduler app with access control, a real etcd and simulated agents (instances are
 * healthy at once), as {@link DeploymentsIT} runs them: an app whose service deploys as a canary
 * that waits to be resumed, so that a deployment stays in progress until something acts on it.
 * A change through {@code /v2} is listed by {@code GET /v2/deployments} in Marathon's shape under
 * the id the change answered; {@code DELETE} of it rolls it back; the app's versions are its
 * revisions, each readable; a {@code PUT} of an old version brings that definition back as a new
 * revision with a new deployment, which {@code DELETE ?force=true} stops where it is.
 */
@ExtendWith(EtcdExtension.class)
class MarathonDeploymentsIT {

    static final String TOKEN = "v2deploy-3f8a1c6e9b2d4f7a";
    static final String OPERATOR = "Bearer " + TOKEN;
    static final String VIEWER = "Basic " + Base64.getEncoder().encodeToString("vic:look-9d8c7b6a".getBytes(StandardCharsets.UTF_8));
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path work;
    LocalCluster cluster;
    SchedulerHarness scheduler;
    EtcdServer etcd;
    Marathon marathon;

    @BeforeEach
    void start(EtcdServer etcd) throws Exception {
        this.etcd = etcd;
        cluster = LocalCluster.builder().freePorts().agents(0).simulatedAgents(1).workDir(work).start();
        scheduler = new SchedulerHarness(etcd, cluster.masterUrl(), SchedulerHarness.freePort(), null, c -> {
            c.auth.enabled = true;
            c.auth.users = List.of(SchedulerHarness.user("ci", Role.operator, TOKEN, null),
                    SchedulerHarness.user("vic", Role.viewer, null, "look-9d8c7b6a"));
        });
        marathon = MarathonClient.getInstanceWithTokenAuth(scheduler.url, TOKEN);
        await("/v1/leader", l -> l.path("isLeader").asBoolean() && l.path("subscribed").asBoolean(), Duration.ofSeconds(60));
    }

    @AfterEach
    void stop() throws Exception {
        scheduler.close();
        cluster.close();
        SchedulerHarness.wipe(etcd);
    }

    /** A command-mode service that deploys as a canary of one instance, held until resumed. */
    static final String WEB_V1 = """
            {"id":"web","version":"1","command":"exec ./web --release 1","instances":2,
             "resources":{"cpus":0.1,"memMb":64,"diskMb":0,"ports":["http"]},"healthCheck":{"path":"/","port":"http"},
             "deployment":{"strategy":"canary","progressDeadline":"60s","steps":[{"instances":1,"pause":"manual"}]}}""";

    @Test
    void aChangeIsListedAsAMarathonDeploymentRolledBackByDeleteAndAnOldVersionComesBackByPut() throws Exception {
        assertThat(call("POST", "/v1/services", WEB_V1, OPERATOR).statusCode()).isEqualTo(201);
        await("/v1/services/web/instances", i -> healthy(i, "1") == 2, WAIT);

        // A Marathon client changes the command: the change is a deployment, listed while it runs.
        App change = new App();
        change.setCmd("exec ./web --release 2");
        Result put = marathon.updateApp("web", change, false);
        String id = put.getDeploymentId();
        JsonNode listed = await("/v2/deployments", l -> find(l, id) != null, WAIT);
        JsonNode d = find(listed, id);
        assertThat(d.path("affectedApps").toString()).isEqualTo("[\"/web\"]");
        assertThat(d.path("affectedPods").toString()).isEqualTo("[]");
        assertThat(d.path("steps").toString()).as("the canary step, then the promotion").isEqualTo(
                "[{\"actions\":[{\"action\":\"RestartApplication\",\"app\":\"/web\"}]},"
                        + "{\"actions\":[{\"action\":\"RestartApplication\",\"app\":\"/web\"}]}]");
        assertThat(d.path("currentActions").toString())
                .isEqualTo("[{\"action\":\"RestartApplication\",\"app\":\"/web\",\"readinessCheckResults\":[]}]");
        assertThat(d.path("currentStep").asInt()).isEqualTo(1);
        assertThat(d.path("totalSteps").asInt()).isEqualTo(2);
        assertThat(Instant.parse(d.path("version").asText())).isBefore(Instant.now());
        JsonNode remit = await("/v1/deployments/" + id, x -> x.path("state").asText().equals("paused"), WAIT);
        assertThat(remit.path("service").asText()).as("the same deployment as /v1 shows").isEqualTo("web");
        assertThat(marathon.getDeployments()).extracting(x -> x.getId()).containsExactly(id);
        assertThat(json(call("GET", "/v2/apps/web", null, OPERATOR)).path("app").path("deployments").toString())
                .isEqualTo("[{\"id\":\"" + id + "\"}]");
        JsonNode instances = json(call("GET", "/v1/services/web/instances", null, OPERATOR));
        String v2 = put.getVersion();
        assertThat(healthy(instances, "1")).isEqualTo(2);
        assertThat(active(instances, v2.replace("-", "").replace(":", ""))).as("one canary of the change").isEqualTo(1);

        // Its versions: one per revision, newest first, each the definition it was.
        List<String> versions = List.copyOf(marathon.getAppVersions("web").getVersions());
        assertThat(versions).hasSize(2);
        assertThat(marathon.getAppVersion("web", versions.get(0)).getCmd()).isEqualTo("exec ./web --release 2");
        assertThat(marathon.getAppVersion("web", versions.get(1)).getCmd()).isEqualTo("exec ./web --release 1");
        HttpResponse<String> noSuchVersion = call("GET", "/v2/apps/web/versions/2001-01-01T00:00:00.000Z", null, OPERATOR);
        assertThat(noSuchVersion.statusCode()).isEqualTo(404);
        assertThat(json(noSuchVersion).path("message").asText()).isEqualTo("App '/web' does not exist in version 2001-01-01T00:00:00.000Z");

        // A viewer may look but neither cancel nor roll back, as on /v1.
        assertThat(call("DELETE", "/v2/deployments/" + id, null, VIEWER).statusCode()).isEqualTo(403);
        assertThat(call("PUT", "/v2/apps/web", "{\"version\":\"" + versions.get(1) + "\"}", VIEWER).statusCode()).isEqualTo(403);
        assertThat(call("GET", "/v2/deployments", null, VIEWER).statusCode()).isEqualTo(200);

        // DELETE: Marathon's cancel, a rollback listed as the new deployment that reverts it.
        Result cancelled = marathon.cancelDeploymentAndRollback(id);
        assertThat(cancelled.getDeploymentId()).isEqualTo(id + "-rollback");
        await("/v1/deployments/" + id, x -> x.path("state").asText().equals("rolled-back"), WAIT);
        JsonNode back = await("/v1/services/web/instances", i -> healthy(i, "1") == 2 && activeCount(i) == 2, WAIT);
        assertThat(healthy(back, "1")).isEqualTo(2);
        await("/v2/deployments", l -> l.isEmpty(), WAIT);
        assertThat(marathon.getApp("web").getApp().getCmd()).isEqualTo("exec ./web --release 1");
        assertThat(call("DELETE", "/v2/deployments/" + id, null, OPERATOR).statusCode()).as("over").isEqualTo(404);

        // PUT of an old version: that definition back, as a new revision made as /v1's rollback makes it.
        List<String> now = List.copyOf(marathon.getAppVersions("web").getVersions());
        String release2 = versions.get(0);
        assertThat(now).as("the rollback put the old spec back: a revision too").hasSize(3).endsWith(versions.toArray(String[]::new));
        HttpResponse<String> rolled = call("PUT", "/v2/apps/web", "{\"version\":\"" + release2 + "\"}", OPERATOR);
        assertThat(rolled.statusCode()).as(rolled.body()).isEqualTo(200);
        String again = json(rolled).path("deploymentId").asText();
        assertThat(json(rolled).path("version").asText()).isEqualTo(v2);
        assertThat(marathon.getApp("web").getApp().getCmd()).isEqualTo("exec ./web --release 2");
        JsonNode revisions = json(call("GET", "/v1/services/web/revisions", null, OPERATOR));
        assertThat(revisions.path("revisions")).hasSize(4);
        JsonNode newest = revisions.path("revisions").get(0);
        assertThat(newest.path("message").asText()).isEqualTo("rollback to revision 2");
        assertThat(newest.path("who").asText()).isEqualTo("ci");
        assertThat(marathon.getAppVersions("web").getVersions()).hasSize(4);
        JsonNode redeploying = await("/v2/deployments", l -> find(l, again) != null, WAIT);
        assertThat(find(redeploying, again).path("currentStep").asInt()).isEqualTo(1);
        String specVersion = json(call("GET", "/v1/services/web", null, OPERATOR)).path("spec").path("version").asText();
        await("/v1/deployments/" + again, x -> x.path("state").asText().equals("paused")
                && x.path("to").path("version").asText().equals(specVersion), WAIT);

        // Unknown versions and deployments: 404 in Marathon's shape.
        HttpResponse<String> unknown = call("PUT", "/v2/apps/web", "{\"version\":\"2001-01-01T00:00:00.000Z\"}", OPERATOR);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).path("details").get(0).path("path").asText()).isEqualTo("/version");
        assertThat(json(unknown).path("details").get(0).path("errors").get(0).asText()).contains(release2);
        assertThat(catchThrowableOfType(() -> marathon.cancelDeploymentAndRollback("nope-1"), MarathonException.class)
                .getStatus()).isEqualTo(404);

        // DELETE ?force=true: stopped where it is, no rollback.
        marathon.cancelDeployment(again);
        JsonNode aborted = await("/v1/deployments/" + again, x -> x.path("state").asText().equals("aborted"), WAIT);
        assertThat(aborted.path("reason").asText()).startsWith("aborted by ci");
        assertThat(json(call("GET", "/v2/deployments", null, OPERATOR))).isEmpty();
        assertThat(marathon.getApp("web").getApp().getCmd()).as("no rollback").isEqualTo("exec ./web --release 2");
    }

    static JsonNode find(JsonNode list, String id) {
        for (JsonNode d : list) {
            if (d.path("id").asText().equals(id)) {
                return d;
            }
        }
        return null;
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

    static long active(JsonNode instances, String version) {
        long n = 0;
        for (JsonNode i : instances) {
            if (i.path("version").asText().equals(version) && DeploymentsIT.isActive(i)) {
                n++;
            }
        }
        return n;
    }

    static long activeCount(JsonNode instances) {
        long n = 0;
        for (JsonNode i : instances) {
            if (DeploymentsIT.isActive(i)) {
                n++;
            }
        }
        return n;
    }

    HttpResponse<String> call(String method, String path, String body, String auth) throws Exception {
        return scheduler.send(method, path, body, auth);
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return SchedulerHarness.JSON.readTree(r.body());
    }

    /** Polls {@code path} as the operator every 100 ms until {@code ok} holds; fails after {@code timeout} with the last answer. */
    JsonNode await(String path, Predicate<JsonNode> ok, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        List<String> last = new ArrayList<>(1);
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> r = call("GET", path, null, OPERATOR);
            last.clear();
            last.add(r.statusCode() + " " + r.body());
            if (r.statusCode() == 200) {
                JsonNode answer = json(r);
                if (ok.test(answer)) {
                    return answer;
                }
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        throw new AssertionError("not within " + timeout + ": GET " + path + " last answered " + last);
    }
}
