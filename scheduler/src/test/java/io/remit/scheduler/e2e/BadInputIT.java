package io.remit.scheduler.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.localcluster.LocalCluster;
import io.remit.scheduler.auth.Role;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad input on a real scheduler is refused cleanly, as JSON in the path's error shape (Remit's
 * {@code {code, message, details: [{path, message}]}}, Marathon's on {@code /v2}): bodies over the
 * limit, URIs and headers Jetty refuses, paths and methods nothing serves; a Marathon app's
 * problems all in one answer; refused writes of callers without credentials in the audit log.
 */
@ExtendWith(EtcdExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputIT {

    static final String OPERATOR_TOKEN = "bad-input-3e9a7c1f5b2d4e6a";
    static final String OPERATOR = "Bearer " + OPERATOR_TOKEN;

    Path work;
    LocalCluster cluster;
    SchedulerHarness scheduler;
    int port;

    @BeforeAll
    void start(EtcdServer etcd) throws Exception {
        work = Files.createTempDirectory("bad-input-it");
        cluster = LocalCluster.builder().freePorts().agents(0).simulatedAgents(1).workDir(work.resolve("cluster")).start();
        port = SchedulerHarness.freePort();
        scheduler = new SchedulerHarness(etcd, cluster.masterUrl(), port, null, c -> {
            c.auth.enabled = true;
            c.auth.auditFile = work.resolve("audit.log").toString();
            c.auth.users = List.of(SchedulerHarness.user("ci-pipeline", Role.operator, OPERATOR_TOKEN, null));
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!SchedulerHarness.JSON.readTree(scheduler.send("GET", "/v1/leader", null, OPERATOR).body())
                .path("isLeader").asBoolean()) {
            assertThat(System.nanoTime()).as("the scheduler leads within 60 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @AfterAll
    void stop(EtcdServer etcd) throws Exception {
        if (scheduler != null) {
            scheduler.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        SchedulerHarness.wipe(etcd);
    }

    @Test
    void aBodyOverTheLimitIsRefusedAtOnceByItsContentLength() throws Exception {
        // Only the headers are sent: the answer comes without the scheduler waiting for 10 MB.
        Raw v1 = raw("POST /v1/services HTTP/1.0\r\nAuthorization: " + OPERATOR + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: 10485760\r\n\r\n", null);
        assertRemitError(v1, 413);
        assertThat(v1.json().path("message").asText()).isEqualTo("the request body is larger than the limit of 1048576 bytes");
        assertThat(v1.json().path("details").get(0).path("path").asText()).isEqualTo("body");

        Raw v2 = raw("POST /v2/apps HTTP/1.0\r\nAuthorization: " + OPERATOR + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: 10485760\r\n\r\n", null);
        assertMarathonError(v2, 413);
        assertThat(v2.json().path("details").get(0).path("path").asText()).isEqualTo("/body");
    }

    @Test
    void aChunkedBodyIsRefusedOnceItPassesTheLimit() throws Exception {
        Raw r = raw("POST /v1/services HTTP/1.1\r\nHost: x\r\nAuthorization: " + OPERATOR + "\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
                chunked(1100 * 1024));
        assertRemitError(r, 413);
        assertThat(scheduler.send("GET", "/v1/services", null, OPERATOR).body()).isEqualTo("[]");
    }

    @Test
    void errorsJettyAnswersItselfAreJson() throws Exception {
        assertRemitError(raw("GET /v1/services/a%2Fb HTTP/1.0\r\nAccept: text/html\r\n\r\n", null), 400);
        assertRemitError(raw("GET /v1/..;/v1/services HTTP/1.0\r\nAccept: text/html\r\n\r\n", null), 400);
        assertRemitError(raw("GET /v1/services HTTP/1.0\r\nX-Big: " + "x".repeat(20_000) + "\r\n\r\n", null), 431);
        assertRemitError(raw("GET /v1/services/" + "s".repeat(20_000) + " HTTP/1.0\r\n\r\n", null), 414);
        // Outside Jersey: the web UI's static files.
        Raw missing = raw("GET /ui/nothing.js HTTP/1.0\r\nAccept: text/html\r\n\r\n", null);
        assertRemitError(missing, 404);
        // On the Marathon API, Marathon's shape.
        assertMarathonError(raw("GET /v2/apps/a%2Fb HTTP/1.0\r\nAuthorization: " + OPERATOR + "\r\n\r\n", null), 400);
    }

    @Test
    void jerseysOwnRefusalsAreJsonInTheOneShape() throws Exception {
        Raw notFound = raw("GET /v1/nothing HTTP/1.0\r\nAuthorization: " + OPERATOR + "\r\nAccept: text/html\r\n\r\n", null);
        assertRemitError(notFound, 404);
        Raw notAllowed = raw("DELETE /v1/leader HTTP/1.0\r\nAuthorization: " + OPERATOR + "\r\n\r\n", null);
        assertRemitError(notAllowed, 405);
        assertThat(notAllowed.head()).containsIgnoringCase("Allow: ");
        assertMarathonError(raw("DELETE /v2/info HTTP/1.0\r\nAuthorization: " + OPERATOR + "\r\n\r\n", null), 405);
    }

    @Test
    void aMarathonAppsProblemsOfEveryKindComeInOneAnswer() throws Exception {
        var r = scheduler.send("POST", "/v2/apps", """
                {"id": "/web", "cmd": "python3 -m http.server $PORT0", "mem": 16, "instances": 1,
                 "container": {"type": "DOCKER", "docker": {"image": "nginx"}},
                 "portDefinitions": [{"port": 0, "name": "http"}],
                 "healthChecks": [{"protocol": "HTTP", "path": "/", "portIndex": 0}]}""", OPERATOR);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        JsonNode body = SchedulerHarness.JSON.readTree(r.body());
        List<String> paths = new ArrayList<>();
        body.path("details").forEach(d -> paths.add(d.path("path").asText()));
        assertThat(paths).as(r.body()).containsExactlyInAnyOrder("/container", "/mem");
        body.path("details").forEach(d -> assertThat(d.path("errors").isArray()).isTrue());
        assertThat(scheduler.send("GET", "/v2/apps/web", null, OPERATOR).statusCode()).as("nothing created").isEqualTo(404);
    }

    @Test
    void writesRefusedForWantOfCredentialsAreAuditedWithTheReason() throws Exception {
        var none = scheduler.send("POST", "/v1/services/nothing-here/restart", "{}", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(SchedulerHarness.JSON.readTree(none.body()).path("details").get(0).path("path").asText())
                .isEqualTo("Authorization");
        assertThat(scheduler.send("DELETE", "/v2/apps/web", null, "Bearer forged").statusCode()).isEqualTo(401);

        JsonNode audit = SchedulerHarness.JSON.readTree(scheduler.send("GET", "/v1/audit", null, OPERATOR).body());
        List<String> seen = new ArrayList<>();
        audit.forEach(e -> seen.add(e.path("who").asText() + " " + e.path("method").asText() + " " + e.path("path").asText()
                + " " + e.path("status").asInt() + " " + e.path("reason").asText()));
        assertThat(seen).contains(
                "(unauthenticated) POST /v1/services/nothing-here/restart 401 credentials are required",
                "(unauthenticated) DELETE /v2/apps/web 401 the credentials are not valid");
        assertThat(Files.readString(work.resolve("audit.log")))
                .contains("\"path\":\"/v1/services/nothing-here/restart\"").contains("\"reason\":\"credentials are required\"");
    }

    // ------------------------------------------------------------------ raw HTTP, as a client may send it

    /** An answer to a raw request; HTTP/1.0 requests are answered without chunking. */
    record Raw(int status, String head, String body) {
        JsonNode json() throws IOException {
            return SchedulerHarness.JSON.readTree(body);
        }
    }

    static void assertRemitError(Raw r, int status) throws IOException {
        assertThat(r.status()).as(r.head() + "\n" + r.body()).isEqualTo(status);
        assertThat(r.head()).containsIgnoringCase("Content-Type: application/json");
        JsonNode body = r.json();
        assertThat(body.path("code").asInt()).as(r.body()).isEqualTo(status);
        assertThat(body.path("message").asText()).isNotBlank();
        assertThat(body.path("details").isArray()).as(r.body()).isTrue();
        body.path("details").forEach(d -> assertThat(d.fieldNames()).toIterable().containsExactly("path", "message"));
    }

    static void assertMarathonError(Raw r, int status) throws IOException {
        assertThat(r.status()).as(r.head() + "\n" + r.body()).isEqualTo(status);
        assertThat(r.head()).containsIgnoringCase("Content-Type: application/json");
        JsonNode body = r.json();
        assertThat(body.has("code")).as(r.body()).isFalse();
        assertThat(body.path("message").asText()).isNotBlank();
        assertThat(body.path("details").isArray()).as(r.body()).isTrue();
        body.path("details").forEach(d -> assertThat(d.fieldNames()).toIterable().containsExactly("path", "errors"));
    }

    static byte[] chunked(int size) {
        StringBuilder b = new StringBuilder();
        for (int sent = 0; sent < size; sent += 1024) {
            b.append("400\r\n").append("y".repeat(1024)).append("\r\n");
        }
        return b.append("0\r\n\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends {@code head} then {@code body} (from another thread: the server may answer before reading it all). */
    Raw raw(String head, byte[] body) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            var out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread writer = null;
            if (body != null) {
                writer = new Thread(() -> {
                    try {
                        out.write(body);
                        out.flush();
                    } catch (IOException ignored) {
                        // the server answered and closed before reading it all
                    }
                });
                writer.start();
            }
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (writer != null) {
                writer.join(10_000);
            }
            int split = all.indexOf("\r\n\r\n");
            String headers = split < 0 ? all : all.substring(0, split);
            String rest = split < 0 ? "" : all.substring(split + 4);
            if (headers.toLowerCase().contains("transfer-encoding: chunked")) {
                rest = unchunk(rest);
            }
            return new Raw(Integer.parseInt(headers.split(" ", 3)[1]), headers, rest);
        }
    }

    static String unchunk(String text) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int eol = text.indexOf("\r\n", at);
            int size = Integer.parseInt(text.substring(at, eol).trim(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(text, eol + 2, eol + 2 + size);
            at = eol + 2 + size + 2;
        }
    }
}
