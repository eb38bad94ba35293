package io.remit.kit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.DropwizardTestSupport;
import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.EtcdSettings;
import io.remit.registry.etcd.KeyValues;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import io.remit.testkit.ZipkinServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two services on the kit ({@code front} calls {@code back}) reporting to a real Zipkin server,
 * with a real etcd for their runtime config: what a user finds in Zipkin from a response's
 * {@code X-Trace-Id}.
 */
@ExtendWith(EtcdExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZipkinTracingIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final HttpClient http = HttpClient.newHttpClient();
    private ZipkinServer zipkin;
    private Etcd etcd;
    private DropwizardTestSupport<RemitConfiguration> back;
    private DropwizardTestSupport<RemitConfiguration> front;

    @BeforeAll
    void start(EtcdServer server) throws Exception {
        zipkin = ZipkinServer.start();
        etcd = Etcd.connect(EtcdSettings.of(server.endpoint()));
        // back learns where Zipkin is from etcd only; front from its config file.
        new KeyValues(etcd).put("/remit/config/back/tracing.zipkinUrl", zipkin.url());
        Path dir = Files.createTempDirectory("kit-zipkin-it");
        back = new DropwizardTestSupport<>(EchoApp.class, config(dir, "back", "b-1", server.endpoint(), """
                tracing: {zipkinUrl: ""}
                """).toString());
        back.before();
        int dead = EtcdServer.freePort();
        front = new DropwizardTestSupport<>(EchoApp.class, config(dir, "front", "f-1", server.endpoint(), """
                tracing: {zipkinUrl: %s, sampleRate: 1.0}
                dependencies:
                  back: {urls: ["http://127.0.0.1:%d"], timeout: 2s}
                  nowhere: {urls: ["http://127.0.0.1:%d"], timeout: 1s, maxAttempts: 3, backoffBase: 1ms, backoffMax: 5ms}
                """.formatted(zipkin.url(), back.getLocalPort(), dead)).toString());
        front.before();
    }

    @AfterAll
    void stop() {
        if (front != null) {
            front.after();
        }
        if (back != null) {
            back.after();
        }
        if (etcd != null) {
            etcd.close();
        }
        if (zipkin != null) {
            zipkin.close();
        }
    }

    private static Path config(Path dir, String service, String instance, String etcdEndpoint, String extra) throws IOException {
        Path file = dir.resolve(service + ".yml");
        Files.writeString(file, """
                server:
                  applicationConnectors: [{type: http, port: 0, bindHost: 127.0.0.1}]
                  adminConnectors: [{type: http, port: 0, bindHost: 127.0.0.1}]
                  requestLog: {appenders: []}
                logging:
                  level: WARN
                remit:
                  service: %s
                  version: "1.2.3"
                  instanceId: %s
                  etcdEndpoints: %s
                """.formatted(service, instance, etcdEndpoint) + extra);
        return file;
    }

    @Test
    void aRequestsTraceIdOpensItsTraceInZipkinWithSpansOfBothServices() throws Exception {
        HttpResponse<String> r = get("/echo/call/back");
        assertThat(r.statusCode()).isEqualTo(200);
        String traceId = r.headers().firstValue("X-Trace-Id").orElseThrow();
        assertThat(traceId).hasSize(32);

        List<JsonNode> spans = awaitTrace(traceId, s -> s.size() >= 4);
        JsonNode frontServer = only(spans, "front", "SERVER");
        JsonNode client = only(spans, "front", "CLIENT");
        JsonNode backServer = only(spans, "back", "SERVER");
        JsonNode call = spans.stream().filter(s -> s.path("name").asText().equals("call back")).findFirst().orElseThrow();

        assertThat(frontServer.path("traceId").asText()).isEqualTo(traceId);
        assertThat(frontServer.path("name").asText()).isEqualTo("get /echo/call/{dependency}");
        assertThat(frontServer.path("tags").path("http.status_code").asText()).isEqualTo("200");
        assertThat(call.path("parentId").asText()).isEqualTo(frontServer.path("id").asText());
        assertThat(client.path("parentId").asText()).isEqualTo(call.path("id").asText());
        assertThat(client.path("remoteEndpoint").path("serviceName").asText()).isEqualTo("back");
        assertThat(backServer.path("parentId").asText()).isEqualTo(client.path("id").asText());
        for (JsonNode s : List.of(frontServer, backServer)) {
            String service = s.path("localEndpoint").path("serviceName").asText();
            assertThat(s.path("tags").path("service").asText()).isEqualTo(service);
            assertThat(s.path("tags").path("version").asText()).isEqualTo("1.2.3");
            assertThat(s.path("tags").path("instance").asText()).isEqualTo(service.equals("front") ? "f-1" : "b-1");
        }
    }

    @Test
    void retriesShowAsOneClientSpanPerAttemptUnderTheCall() throws Exception {
        HttpResponse<String> r = get("/echo/call/nowhere");
        assertThat(r.statusCode()).isEqualTo(503);
        String traceId = r.headers().firstValue("X-Trace-Id").orElseThrow();

        List<JsonNode> spans = awaitTrace(traceId, s -> s.stream().filter(x -> x.path("kind").asText().equals("CLIENT")).count() >= 3
                && s.stream().anyMatch(x -> x.path("kind").asText().equals("SERVER")));
        JsonNode call = spans.stream().filter(s -> s.path("name").asText().equals("call nowhere")).findFirst().orElseThrow();
        assertThat(call.path("tags").has("error")).isTrue();
        List<JsonNode> attempts = spans.stream().filter(s -> s.path("kind").asText().equals("CLIENT")).toList();
        assertThat(attempts).extracting(s -> s.path("tags").path("attempt").asText()).containsExactlyInAnyOrder("1", "2", "3");
        assertThat(attempts).allSatisfy(a -> {
            assertThat(a.path("parentId").asText()).isEqualTo(call.path("id").asText());
            assertThat(a.path("tags").path("error").asText()).contains("connection refused");
        });
        assertThat(only(spans, "front", "SERVER").path("tags").path("error").asText()).isEqualTo("503");
    }

    @Test
    void aW3cTraceparentIsContinued() throws Exception {
        String trace = hex(32);
        String parent = hex(16);
        HttpResponse<String> r = get("/echo/trace", "traceparent", "00-" + trace + "-" + parent + "-01");
        assertThat(r.headers().firstValue("X-Trace-Id")).hasValue(trace);
        JsonNode server = only(awaitTrace(trace, s -> !s.isEmpty()), "front", "SERVER");
        assertThat(server.path("parentId").asText()).isEqualTo(parent);
        assertThat(server.path("id").asText()).isEqualTo(JSON.readTree(r.body()).path("spanId").asText());
    }

    @Test
    void b3SingleAndMultipleHeadersAreContinued() throws Exception {
        String single = hex(32);
        String singleParent = hex(16);
        HttpResponse<String> r1 = get("/echo/trace", "b3", single + "-" + singleParent + "-1");
        assertThat(r1.headers().firstValue("X-Trace-Id")).hasValue(single);
        assertThat(only(awaitTrace(single, s -> !s.isEmpty()), "front", "SERVER").path("parentId").asText()).isEqualTo(singleParent);

        String multi = hex(32);
        String multiParent = hex(16);
        HttpResponse<String> r2 = get("/echo/trace", "X-B3-TraceId", multi, "X-B3-SpanId", multiParent, "X-B3-Sampled", "1");
        assertThat(r2.headers().firstValue("X-Trace-Id")).hasValue(multi);
        assertThat(only(awaitTrace(multi, s -> !s.isEmpty()), "front", "SERVER").path("parentId").asText()).isEqualTo(multiParent);
    }

    @Test
    void aSampleRateOfZeroInEtcdStopsReportingWithoutARestart() throws Exception {
        KeyValues kv = new KeyValues(etcd);
        kv.put("/remit/config/front/tracing.sampleRate", "0");
        try {
            // The sampler learns the new rate from its watch: the first trace it starts unsampled.
            HttpResponse<String> unsampled = awaitResponse(() -> get("/echo/call/back"),
                    r -> r.headers().firstValue("traceparent").orElseThrow().endsWith("-00"));
            assertThat(unsampled.statusCode()).isEqualTo(200);
            String dropped = unsampled.headers().firstValue("X-Trace-Id").orElseThrow();

            // A trace sampled by its caller is still reported; once it is in Zipkin, anything of
            // the earlier request would be too (each service reports in order).
            String marker = hex(32);
            get("/echo/call/back", "traceparent", "00-" + marker + "-" + hex(16) + "-01");
            awaitTrace(marker, s -> s.size() >= 4);
            assertThat(zipkin.trace(dropped)).isEmpty();
        } finally {
            kv.put("/remit/config/front/tracing.sampleRate", "1.0");
        }
        String again = awaitResponse(() -> get("/echo/trace"),
                r -> r.headers().firstValue("traceparent").orElseThrow().endsWith("-01"))
                .headers().firstValue("X-Trace-Id").orElseThrow();
        assertThat(awaitTrace(again, s -> !s.isEmpty())).isNotEmpty();
    }

    // ------------------------------------------------------------------ helpers

    private HttpResponse<String> get(String path, String... headers) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front.getLocalPort() + path));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** The spans Zipkin holds for {@code traceId}, once {@code enough} holds of them. */
    private List<JsonNode> awaitTrace(String traceId, Predicate<List<JsonNode>> enough) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<JsonNode> spans = List.of();
        while (System.nanoTime() < deadline) {
            String body = zipkin.trace(traceId);
            spans = new ArrayList<>();
            if (!body.isEmpty()) {
                JSON.readTree(body).forEach(spans::add);
            }
            if (enough.test(spans)) {
                return spans;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Zipkin did not get the spans expected of trace " + traceId + " within " + WAIT
                + "; it has: " + spans);
    }

    /** Sends requests until one answers as {@code wanted} asks. */
    private static HttpResponse<String> awaitResponse(Request send, Predicate<HttpResponse<String>> wanted) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            last = send.get();
            if (wanted.test(last)) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no answer as wanted within " + WAIT + "; the last: " + last + " " + last.headers().map());
    }

    @FunctionalInterface
    private interface Request {
        HttpResponse<String> get() throws IOException;
    }

    private static JsonNode only(List<JsonNode> spans, String service, String kind) {
        List<JsonNode> found = spans.stream()
                .filter(s -> s.path("localEndpoint").path("serviceName").asText().equals(service)
                        && s.path("kind").asText().equals(kind)).toList();
        assertThat(found).as("%s spans of %s in %s", kind, service, spans).hasSize(1);
        return found.get(0);
    }

    private static String hex(int digits) {
        StringBuilder b = new StringBuilder();
        while (b.length() < digits) {
            b.append(Long.toHexString(ThreadLocalRandom.current().nextLong() | 1L));
        }
        String s = b.substring(0, digits);
        return s.charAt(0) == '0' ? "a" + s.substring(1) : s;
    }
}
