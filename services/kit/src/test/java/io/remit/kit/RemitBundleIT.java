package io.remit.kit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.DropwizardTestSupport;
import io.remit.registry.discovery.EtcdRegistry;
import io.remit.registry.discovery.Instance;
import io.remit.registry.discovery.Registration;
import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.EtcdSettings;
import io.remit.registry.etcd.KeyValues;
import io.remit.testkit.Await;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A service built on the kit (two instances of {@link EchoApp}) against a real etcd: runtime
 * config and flags change without a restart, dependencies are found by discovery, one trace
 * crosses both instances and shows in their log lines, errors are JSON, metrics are in
 * Prometheus format.
 */
@ExtendWith(EtcdExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemitBundleIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private DropwizardTestSupport<RemitConfiguration> first;
    private DropwizardTestSupport<RemitConfiguration> second;
    /** Both instances run in this JVM, so they share one logback: one log file. */
    private Path log;
    private Etcd etcd;
    private EtcdRegistry registry;

    @BeforeAll
    void start(EtcdServer server) throws Exception {
        Path dir = Files.createTempDirectory("kit-it");
        log = dir.resolve("echo.log");
        first = new DropwizardTestSupport<>(EchoApp.class, config(dir, "a", server.endpoint(), log).toString());
        second = new DropwizardTestSupport<>(EchoApp.class, config(dir, "b", server.endpoint(), log).toString());
        first.before();
        second.before();
        etcd = Etcd.connect(EtcdSettings.of(server.endpoint()));
        registry = new EtcdRegistry(etcd);
    }

    @AfterAll
    void stop() {
        if (registry != null) {
            registry.close();
        }
        if (etcd != null) {
            etcd.close();
        }
        if (first != null) {
            first.after();
        }
        if (second != null) {
            second.after();
        }
    }

    private static Path config(Path dir, String instance, String etcdEndpoint, Path log) throws IOException {
        Path file = dir.resolve(instance + ".yml");
        Files.writeString(file, """
                server:
                  applicationConnectors: [{type: http, port: 0, bindHost: 127.0.0.1}]
                  adminConnectors: [{type: http, port: 0, bindHost: 127.0.0.1}]
                  requestLog: {appenders: []}
                logging:
                  level: INFO
                  appenders:
                    - type: file
                      currentLogFilename: %s
                      archive: false
                remit:
                  service: echo
                  instanceId: %s
                  etcdEndpoints: %s
                dependencies:
                  echo: {timeout: 2s}
                maxRequestBody: 64KiB
                """.formatted(log, instance, etcdEndpoint));
        return file;
    }

    private HttpResponse<String> get(int port, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(int port, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    private void put(String key, String value) throws Exception {
        new KeyValues(etcd).put(key, value);
    }

    @Test
    void runtimeConfigAndFlagsChangeWithoutARestart() throws Exception {
        int port = first.getLocalPort();
        assertThat(json(get(port, "/echo/config/greeting")).get("value").asText()).isEqualTo("default");
        assertThat(json(get(port, "/echo/flag/new-pricing")).get("enabled").asBoolean()).isFalse();

        put("/remit/config/echo/greeting", "bonjour");
        put("/remit/flags/new-pricing", "{\"enabled\": true}");

        Await.until("the new config value is served", () -> body(port, "/echo/config/greeting").contains("bonjour"));
        Await.until("the flag is on", () -> body(port, "/echo/flag/new-pricing").contains("true"));
        Await.until("the change is logged", () -> read(log).contains("config echo: greeting (absent) -> bonjour"));
    }

    @Test
    void oneTraceCrossesDiscoveredInstancesAndShowsInEveryLogLine() throws Exception {
        Registration reg = registry.register(new Instance("echo", "echo-b", "127.0.0.1",
                Map.of("http", second.getLocalPort(), "admin", second.getAdminPort()), "1", null, "agent-1", Instant.now()),
                Duration.ofSeconds(5));
        try {
            String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
            HttpResponse<String> r = get(first.getLocalPort(), "/echo/call/echo",
                    "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01");
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode answer = json(r);
            // The call went through discovery to instance b, carrying the caller's trace.
            assertThat(answer.get("instance").asText()).isEqualTo("b");
            assertThat(answer.get("traceId").asText()).isEqualTo(traceId);
            assertThat(r.headers().firstValue("traceparent")).hasValueSatisfying(h -> assertThat(h).contains(traceId));

            Await.until("the caller's log line shows the trace", () -> read(log).lines()
                    .anyMatch(l -> l.contains("calling echo") && l.contains("trace=" + traceId)));
            Await.until("the callee's log line shows the same trace", () -> read(log).lines()
                    .anyMatch(l -> l.contains("echo handled a request") && l.contains("trace=" + traceId)));
        } finally {
            reg.deregister();
        }
    }

    @Test
    void aB3HeaderIsContinuedAndAMissingOneStartsATrace() throws Exception {
        JsonNode b3 = json(get(first.getLocalPort(), "/echo/trace", "b3", "a3ce929d0e0e4736-00f067aa0ba902b7-1"));
        assertThat(b3.get("traceId").asText()).isEqualTo("0000000000000000a3ce929d0e0e4736");
        HttpResponse<String> fresh = get(first.getLocalPort(), "/echo/trace");
        assertThat(json(fresh).get("traceId").asText()).hasSize(32);
        assertThat(fresh.headers().firstValue("X-Trace-Id")).hasValue(json(fresh).get("traceId").asText());
    }

    @Test
    void aDependencyWithNoInstanceIsAClear503() throws Exception {
        HttpResponse<String> r = get(first.getLocalPort(), "/echo/call/ledger");
        assertThat(r.statusCode()).isEqualTo(503);
        JsonNode body = json(r);
        assertThat(body.get("code").asInt()).isEqualTo(503);
        assertThat(body.get("message").asText()).isEqualTo("ledger is unavailable: no instance of ledger is registered");
        assertThat(body.get("details").get(0).get("path").asText()).isEqualTo("ledger");
        assertThat(body.get("details").get(0).get("message").asText()).isEqualTo("no instance of ledger is registered");
    }

    @Test
    void badInputIsAnsweredWithEveryProblemAsJson() throws Exception {
        HttpResponse<String> invalid = post(first.getLocalPort(), "/echo/orders", "{\"id\":\"\",\"amount\":0,\"tags\":[]}");
        assertThat(invalid.statusCode()).isEqualTo(422);
        assertThat(json(invalid).get("details").findValuesAsText("path")).containsExactly("id", "amount");
        assertThat(json(invalid).get("details").get(1).get("message").asText()).isEqualTo("must be positive");

        HttpResponse<String> wrongType = post(first.getLocalPort(), "/echo/orders", "{\"id\":\"o1\",\"amount\":\"lots\"}");
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(json(wrongType).get("details").get(0).get("path").asText()).isEqualTo("amount");

        HttpResponse<String> notJson = post(first.getLocalPort(), "/echo/orders", "{\"id\": ");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(json(notJson).get("message").asText()).startsWith("the body is not valid JSON");

        HttpResponse<String> conflict = get(first.getLocalPort(), "/echo/conflict");
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(json(conflict).get("message").asText()).isEqualTo("already done");
        assertThat(json(conflict).get("details").get(0).get("path").asText()).isEqualTo("state");
    }

    @Test
    void aBodyOverTheLimitIsRefusedAtOnceByItsContentLength() throws Exception {
        // Only the headers are sent: the answer comes without the server waiting for 10 MB.
        Raw r = raw(first.getLocalPort(), "POST /echo/orders HTTP/1.0\r\nContent-Type: application/json\r\n"
                + "Content-Length: 10485760\r\n\r\n", null);
        assertErrorJson(r, 413, "the request body is larger than the limit of 65536 bytes");
        assertThat(r.json().get("details").get(0).get("path").asText()).isEqualTo("body");
    }

    @Test
    void aChunkedBodyIsRefusedOnceItPassesTheLimit() throws Exception {
        Raw over = raw(first.getLocalPort(), "POST /echo/size HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n", chunked(70 * 1024));
        assertErrorJson(over, 413, "the request body is larger than the limit of 65536 bytes");

        Raw under = raw(first.getLocalPort(), "POST /echo/size HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n", chunked(60 * 1024));
        assertThat(under.status()).isEqualTo(200);
        assertThat(under.body()).contains("\"length\":61440");
    }

    @Test
    void errorsJettyAnswersItselfAreJsonToo() throws Exception {
        int port = first.getLocalPort();
        assertErrorJson(raw(port, "GET /echo/config/a%2Fb HTTP/1.0\r\nAccept: text/html\r\n\r\n", null), 400, null);
        assertErrorJson(raw(port, "GET /echo/..;/echo/trace HTTP/1.0\r\nAccept: text/html\r\n\r\n", null), 400, null);
        assertErrorJson(raw(port, "GET /echo/trace HTTP/1.0\r\nX-Big: " + "x".repeat(20_000) + "\r\n\r\n", null), 431, null);
        assertErrorJson(raw(port, "GET /echo/config/" + "k".repeat(20_000) + " HTTP/1.0\r\n\r\n", null), 414, null);
        assertErrorJson(raw(port, "GET /echo/%zz HTTP/1.0\r\n\r\n", null), 400, null);
        // A servlet's sendError, outside Jersey.
        assertErrorJson(raw(port, "GET /files/nothing.js HTTP/1.0\r\nAccept: text/html\r\n\r\n", null), 404, null);
    }

    @Test
    void jerseysOwnRefusalsAndUnexpectedFailuresAreJson() throws Exception {
        int port = first.getLocalPort();
        Raw notFound = raw(port, "GET /nothing/here HTTP/1.0\r\nAccept: text/html\r\n\r\n", null);
        assertErrorJson(notFound, 404, null);
        Raw notAllowed = raw(port, "DELETE /echo/trace HTTP/1.0\r\n\r\n", null);
        assertErrorJson(notAllowed, 405, null);
        assertThat(notAllowed.head()).containsIgnoringCase("Allow: ");
        Raw failed = raw(port, "GET /echo/fail HTTP/1.0\r\n\r\n", null);
        assertErrorJson(failed, 500, null);
        assertThat(failed.body()).doesNotContain("a bug");
    }

    /** A raw answer: HTTP/1.0 requests, so the body is never chunked. */
    private record Raw(int status, String head, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    private static void assertErrorJson(Raw r, int status, String message) throws IOException {
        assertThat(r.status()).as(r.head() + "\n" + r.body()).isEqualTo(status);
        assertThat(r.head()).containsIgnoringCase("Content-Type: application/json");
        JsonNode body = r.json();
        assertThat(body.get("code").asInt()).isEqualTo(status);
        assertThat(body.get("message").asText()).isNotBlank();
        if (message != null) {
            assertThat(body.get("message").asText()).isEqualTo(message);
        }
        assertThat(body.get("details").isArray()).isTrue();
        body.get("details").forEach(d -> assertThat(d.fieldNames()).toIterable().containsExactly("path", "message"));
    }

    private static byte[] chunked(int size) {
        StringBuilder b = new StringBuilder();
        for (int sent = 0; sent < size; sent += 1024) {
            b.append("400\r\n").append("y".repeat(1024)).append("\r\n");
        }
        return b.append("0\r\n\r\n").toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Sends {@code head} then {@code body} (from another thread: the server may answer before reading it all). */
    private static Raw raw(int port, String head, byte[] body) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            var out = s.getOutputStream();
            out.write(head.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
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
            String all = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
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

    private static String unchunk(String text) {
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

    @Test
    void endpointAndDependencyMetricsAreInPrometheusFormat() throws Exception {
        get(first.getLocalPort(), "/echo/config/x");
        get(first.getLocalPort(), "/echo/call/ledger");
        String text = get(first.getAdminPort(), "/prometheus").body();
        assertThat(text).contains("endpoint_GET__echo_config__key__requests");
        assertThat(text).contains("dependency_ledger_errors_total");
        assertThat(text).contains("dependency_ledger_breaker_open");
        // The histogram the recording rules read: one series per method, path template and status.
        assertThat(text).contains("http_server_requests_seconds_bucket{method=\"GET\",path=\"/echo/config/{key}\",status=\"200\",le=\"+Inf\"} 1");
        assertThat(text).containsPattern("http_server_requests_seconds_count\\{method=\"GET\",path=\"/echo/config/\\{key}\",status=\"200\"} 1\\b");
        JsonNode health = json(get(first.getAdminPort(), "/healthcheck"));
        assertThat(health.get("dependency-ledger").get("healthy").asBoolean()).isTrue();
        assertThat(health.get("dependency-ledger").get("critical").asBoolean()).isFalse();
    }

    private String body(int port, String path) {
        try {
            return get(port, path).body();
        } catch (Exception e) {
            return "";
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
