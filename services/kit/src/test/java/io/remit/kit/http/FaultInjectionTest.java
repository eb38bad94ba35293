package io.remit.kit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.core.Application;
import io.dropwizard.testing.DropwizardTestSupport;
import io.remit.kit.EchoApp;
import io.remit.kit.RemitConfiguration;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code REMIT_FAULT_ERROR_RATIO}: a kit service answers that share of its application requests
 * 500 in the kit's error shape, counted by its metrics like any 500, while its admin port (health
 * check, metrics) answers as always; unset or 0, nothing is injected; a value that is no share
 * stops the service at start.
 */
class FaultInjectionTest {

    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void theEnvironmentTurnsItOnOnlyWithAShareAboveZero() {
        assertThat(FaultInjection.fromEnvironment(Map.of())).isEmpty();
        assertThat(FaultInjection.fromEnvironment(Map.of(FaultInjection.ENV, " "))).isEmpty();
        assertThat(FaultInjection.fromEnvironment(Map.of(FaultInjection.ENV, "0"))).isEmpty();
        assertThat(FaultInjection.fromEnvironment(Map.of(FaultInjection.ENV, "0.2"))).hasValueSatisfying(
                f -> assertThat(f.ratio()).isEqualTo(0.2));
        assertThat(FaultInjection.fromEnvironment(Map.of(FaultInjection.ENV, "1"))).isPresent();
        for (String bad : List.of("a fifth", "1.5", "-0.1", "NaN")) {
            assertThatThrownBy(() -> FaultInjection.fromEnvironment(Map.of(FaultInjection.ENV, bad)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(FaultInjection.ENV).hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void exactlyTheShareFailsOfAnyFirstRequests() {
        FaultInjection fifth = new FaultInjection(0.2);
        assertThat(LongStream.rangeClosed(1, 10).filter(fifth::fails).boxed()).containsExactly(5L, 10L);
        for (double ratio : new double[] {0.01, 0.2, 0.3, 0.5, 0.75, 1}) {
            FaultInjection f = new FaultInjection(ratio);
            for (long n : new long[] {1, 7, 100, 1000}) {
                long failed = LongStream.rangeClosed(1, n).filter(f::fails).count();
                assertThat(failed).as("of the first %d at %s", n, ratio).isEqualTo((long) Math.floor(n * ratio + 1e-9));
            }
        }
    }

    @Test
    void aFifthOfTheApplicationsRequestsAre500sCountedByTheMetricsAndTheAdminPortIsUntouched() throws Exception {
        DropwizardTestSupport<RemitConfiguration> app = start(Map.of(FaultInjection.ENV, "0.2"));
        try {
            List<Integer> statuses = new ArrayList<>();
            List<JsonNode> errors = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> r = get(app.getLocalPort(), "/echo/config/greeting");
                statuses.add(r.statusCode());
                if (r.statusCode() != 200) {
                    errors.add(JSON.readTree(r.body()));
                    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                            t -> assertThat(t).startsWith("application/json"));
                }
            }
            assertThat(statuses.stream().filter(s -> s == 500).count()).as("statuses %s", statuses).isEqualTo(4);
            assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(16);
            assertThat(errors).allSatisfy(e -> {
                assertThat(e.path("code").asInt()).isEqualTo(500);
                assertThat(e.path("message").asText()).startsWith("injected fault (REMIT_FAULT_ERROR_RATIO=0.2)");
                assertThat(e.path("details").get(0).path("path").asText()).isEqualTo("fault");
            });
            for (int i = 0; i < 5; i++) {
                assertThat(get(app.getAdminPort(), "/healthcheck").statusCode()).as("admin /healthcheck").isEqualTo(200);
            }
            String metrics = get(app.getAdminPort(), "/prometheus").body();
            assertThat(metrics).contains(
                    "http_server_requests_seconds_count{method=\"GET\",path=\"/echo/config/{key}\",status=\"500\"} 4",
                    "http_server_requests_seconds_count{method=\"GET\",path=\"/echo/config/{key}\",status=\"200\"} 16");
        } finally {
            app.after();
        }
    }

    @Test
    void withoutTheVariableNothingIsInjected() throws Exception {
        DropwizardTestSupport<RemitConfiguration> app = start(Map.of("REMIT_FAULT_ERROR_RATIO_TYPO", "1"));
        try {
            for (int i = 0; i < 20; i++) {
                assertThat(get(app.getLocalPort(), "/echo/config/greeting").statusCode()).isEqualTo(200);
            }
        } finally {
            app.after();
        }
    }

    @Test
    void aValueThatIsNoShareStopsTheServiceAtStartNamingIt() throws Exception {
        DropwizardTestSupport<RemitConfiguration> app = support(Map.of(FaultInjection.ENV, "20%"));
        assertThatThrownBy(app::before).hasStackTraceContaining(FaultInjection.ENV).hasStackTraceContaining("'20%'");
        app.after();
    }

    private DropwizardTestSupport<RemitConfiguration> start(Map<String, String> environment) throws Exception {
        DropwizardTestSupport<RemitConfiguration> app = support(environment);
        app.before();
        return app;
    }

    private DropwizardTestSupport<RemitConfiguration> support(Map<String, String> processEnvironment) throws IOException {
        Path config = dir.resolve("echo.yml");
        Files.writeString(config, """
                server:
                  applicationConnectors: [{type: http, port: 0, bindHost: 127.0.0.1}]
                  adminConnectors: [{type: http, port: 0, bindHost: 127.0.0.1}]
                  requestLog: {appenders: []}
                logging: {level: WARN, appenders: [{type: console}]}
                remit: {service: echo}
                """);
        return new DropwizardTestSupport<>(EchoApp.class, config.toString()) {
            @Override
            public Application<RemitConfiguration> newApplication() {
                return new EchoApp(processEnvironment);
            }
        };
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
