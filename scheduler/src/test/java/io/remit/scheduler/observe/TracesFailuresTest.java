package io.remit.scheduler.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.remit.http.ApiException;
import io.remit.http.ErrorDetail;
import io.remit.testkit.EtcdServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/traces/dependencies} when Zipkin fails, on loopback servers that fail so: 503
 * whose message and details say what happened in words, without Java class names.
 */
class TracesFailuresTest {

    static TracesResource resource(String url) {
        ZipkinSettings settings = new ZipkinSettings();
        settings.url = url;
        settings.timeout = io.dropwizard.util.Duration.milliseconds(500);
        return new TracesResource(settings, new ObjectMapper(), Clock.systemUTC());
    }

    static Consumer<ApiException> unavailableSaying(String words) {
        return e -> {
            assertThat(e.status()).isEqualTo(503);
            String all = e.getMessage() + " " + e.details().stream().map(ErrorDetail::message).toList();
            assertThat(all).contains(words).doesNotContain("Exception").doesNotContain("java.")
                    .doesNotContain("com.fasterxml");
        };
    }

    @Test
    void aRefusedConnectionIsSaidInWords() throws Exception {
        int dead = EtcdServer.freePort();
        assertThatThrownBy(() -> resource("http://127.0.0.1:" + dead).dependencies(null))
                .isInstanceOfSatisfying(ApiException.class, unavailableSaying("connection was refused"));
    }

    @Test
    void anAnswerThatIsNotJsonIsSaidSo() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", x -> {
            byte[] page = "<html>a proxy's login page</html>".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, page.length);
            x.getResponseBody().write(page);
            x.close();
        });
        server.start();
        try {
            assertThatThrownBy(() -> resource("http://127.0.0.1:" + server.getAddress().getPort()).dependencies(null))
                    .isInstanceOfSatisfying(ApiException.class, unavailableSaying("not JSON"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aZipkinThatAcceptsButNeverAnswersIsATimeoutSaidInWords() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> resource("http://127.0.0.1:" + silent.getLocalPort()).dependencies(null))
                    .isInstanceOfSatisfying(ApiException.class, unavailableSaying("no answer within"));
        }
    }
}
