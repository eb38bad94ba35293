package io.remit.scheduler.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.remit.http.ApiException;
import io.remit.testkit.EtcdServer;
import io.remit.testkit.ZipkinServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /v1/traces} against a real Zipkin server: the dependency links it computes, and 503 when it is away. */
class TracesResourceIT {

    private static ZipkinServer zipkin;

    @BeforeAll
    static void start() {
        zipkin = ZipkinServer.start();
    }

    @AfterAll
    static void stop() {
        if (zipkin != null) {
            zipkin.close();
        }
    }

    private static TracesResource resource(String url) {
        ZipkinSettings settings = new ZipkinSettings();
        settings.url = url;
        settings.timeout = io.dropwizard.util.Duration.seconds(2);
        return new TracesResource(settings, new ObjectMapper(), Clock.systemUTC());
    }

    @Test
    void theDependencyLinksAreZipkinsOwn() throws Exception {
        // A payments -> fx call, as the kit reports it: a client span in payments, a server span in fx;
        // one more that failed.
        long now = System.currentTimeMillis() * 1000;
        String ok = hex(32);
        String failed = hex(32);
        String spans = "[" + pair(ok, now, false) + "," + pair(failed, now, true) + "]";
        HttpResponse<String> posted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(zipkin.url() + "/api/v2/spans"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(spans)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).isEqualTo(202);

        TracesResource traces = resource(zipkin.url() + "/");
        assertThat(traces.where()).containsEntry("zipkinUrl", zipkin.url()).containsEntry("uiUrl", zipkin.url() + "/zipkin/");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<Object> links = List.of();
        while (links.isEmpty() && System.nanoTime() < deadline) {
            @SuppressWarnings("unchecked")
            List<Object> read = (List<Object>) traces.dependencies("60").get("links");
            links = read;
            if (links.isEmpty()) {
                Thread.sleep(100);
            }
        }
        assertThat(links).containsExactly((Object) Map.<String, Object>of("parent", "payments", "child", "fx", "callCount", 2L, "errorCount", 1L));
    }

    @Test
    void aZipkinThatDoesNotAnswerIs503NamingIt() throws Exception {
        int dead = EtcdServer.freePort();
        assertThatThrownBy(() -> resource("http://127.0.0.1:" + dead).dependencies(null))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.details()).extracting(v -> v.path()).containsExactly("zipkin");
                    assertThat(e.getMessage()).contains("Zipkin at http://127.0.0.1:" + dead);
                });
        assertThatThrownBy(() -> resource("").dependencies(null))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503));
        assertThatThrownBy(() -> resource(zipkin.url()).dependencies("0"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    private static String pair(String traceId, long startMicros, boolean error) {
        String client = hex(16);
        String server = hex(16);
        String tags = error ? ",\"tags\":{\"error\":\"503\"}" : "";
        return """
                {"traceId":"%s","id":"%s","kind":"CLIENT","name":"post fx","timestamp":%d,"duration":2000,
                 "localEndpoint":{"serviceName":"payments"},"remoteEndpoint":{"serviceName":"fx"}%s},
                {"traceId":"%s","parentId":"%s","id":"%s","kind":"SERVER","name":"post /quotes","timestamp":%d,"duration":1000,
                 "localEndpoint":{"serviceName":"fx"}%s}
                """.formatted(traceId, client, startMicros, tags, traceId, client, server, startMicros + 200, tags);
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
