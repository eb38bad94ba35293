package io.remit.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.executor.api.ExecutorEnv;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecutorMetricsTest {

    static final Instant JVM_START = Instant.parse("2026-12-01T10:00:00Z");

    /** The samples of a scrape, by series (name and labels), comments left out. */
    static Map<String, Double> samples(String text) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return out;
    }

    @Test
    void eachLaunchPhaseIsTheTimeBetweenItsTwoMoments() {
        ExecutorMetrics m = new ExecutorMetrics(JVM_START, JVM_START.minusMillis(1500));
        m.startingService(JVM_START.plusMillis(400));
        m.checked(Duration.ofMillis(3));
        m.serviceStarted(JVM_START.plusMillis(420), Duration.ofMillis(17));
        m.healthCheckResult(false, JVM_START.plusMillis(900));
        m.healthCheckResult(true, JVM_START.plusMillis(2420));
        m.healthCheckResult(true, JVM_START.plusMillis(3000)); // not the first: changes nothing
        m.registered(Duration.ofMillis(12), JVM_START.plusMillis(2440));

        Map<String, Double> s = samples(m.scrape());
        assertThat(s).containsEntry("remit_executor_launch_phase_seconds{phase=\"fetch\"}", 1.5)
                .containsEntry("remit_executor_launch_phase_seconds{phase=\"executor\"}", 0.4)
                .containsEntry("remit_executor_launch_phase_seconds{phase=\"artifact\"}", 0.003)
                .containsEntry("remit_executor_launch_phase_seconds{phase=\"process_start\"}", 0.017)
                .containsEntry("remit_executor_launch_phase_seconds{phase=\"first_healthy\"}", 2.0)
                .containsEntry("remit_executor_launch_phase_seconds{phase=\"registration\"}", 0.02)
                .containsEntry("remit_executor_health_checks_total{result=\"passed\"}", 2.0)
                .containsEntry("remit_executor_health_checks_total{result=\"failed\"}", 1.0)
                .containsEntry("remit_executor_registered", 1.0)
                .containsEntry("remit_executor_registration_duration_seconds_count", 1.0)
                .containsEntry("process_start_time_seconds", (double) JVM_START.getEpochSecond());
        assertThat(s).doesNotContainKeys("remit_executor_drain_seconds", "remit_executor_stop_seconds");
    }

    @Test
    void aLaunchTimeAfterTheJvmStartedIsLeftOutAndPhasesNeverGoNegative() {
        ExecutorMetrics m = new ExecutorMetrics(JVM_START, JVM_START.plusSeconds(2)); // the scheduler's clock is ahead
        m.serviceStarted(JVM_START.plusSeconds(1), Duration.ofMillis(5));
        m.healthCheckResult(true, JVM_START.plusMillis(999)); // clocks of another kind: still not negative
        Map<String, Double> s = samples(m.scrape());
        assertThat(s).doesNotContainKey("remit_executor_launch_phase_seconds{phase=\"fetch\"}")
                .containsEntry("remit_executor_launch_phase_seconds{phase=\"first_healthy\"}", 0.0);
    }

    @Test
    void healthCheckTimesFallIntoCumulativeBuckets() {
        ExecutorMetrics m = new ExecutorMetrics(JVM_START, null);
        m.healthCheckAnswered(Duration.ofMillis(2));
        m.healthCheckAnswered(Duration.ofMillis(40));
        m.healthCheckAnswered(Duration.ofSeconds(30));
        Map<String, Double> s = samples(m.scrape());
        String h = "remit_executor_health_check_duration_seconds";
        assertThat(s).containsEntry(h + "_bucket{le=\"0.001\"}", 0.0)
                .containsEntry(h + "_bucket{le=\"0.0025\"}", 1.0)
                .containsEntry(h + "_bucket{le=\"0.05\"}", 2.0)
                .containsEntry(h + "_bucket{le=\"10\"}", 2.0)
                .containsEntry(h + "_bucket{le=\"+Inf\"}", 3.0)
                .containsEntry(h + "_count", 3.0);
        assertThat(s.get(h + "_sum")).isCloseTo(30.042, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void drainStopAndWithdrawalShowOnceTheyHappen() {
        ExecutorMetrics m = new ExecutorMetrics(JVM_START, null);
        m.healthy(true);
        m.registered(Duration.ofMillis(5), JVM_START);
        m.registrationFailed(Duration.ofMillis(2000));
        m.withdrawn();
        m.healthy(false);
        m.drained(Duration.ofMillis(2100));
        m.stopped(Duration.ofMillis(350));
        Map<String, Double> s = samples(m.scrape());
        assertThat(s).containsEntry("remit_executor_drain_seconds", 2.1).containsEntry("remit_executor_stop_seconds", 0.35)
                .containsEntry("remit_executor_registered", 0.0).containsEntry("remit_executor_healthy", 0.0)
                .containsEntry("remit_executor_registration_failures_total", 1.0)
                .containsEntry("remit_executor_registration_duration_seconds_count", 2.0);
    }

    @Test
    void everySeriesHasItsTypeDeclaredOnce() {
        ExecutorMetrics m = new ExecutorMetrics(JVM_START, JVM_START.minusSeconds(1));
        m.drained(Duration.ofSeconds(1));
        String text = m.scrape();
        Map<String, Integer> types = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                types.merge(line.split(" ")[2], 1, Integer::sum);
            }
        }
        assertThat(types.values()).allMatch(n -> n == 1);
        for (String series : samples(text).keySet()) {
            String name = series.replaceAll("\\{.*", "");
            assertThat(types.keySet()).as(series).anyMatch(t -> name.equals(t) || name.equals(t + "_bucket")
                    || name.equals(t + "_sum") || name.equals(t + "_count"));
        }
    }

    @Test
    void theServerAnswersGetOnItsPathAndNothingElse() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ExecutorMetrics m = new ExecutorMetrics(JVM_START, null);
        try (MetricsServer server = MetricsServer.start(Map.of(ExecutorEnv.METRICS_PORT, Integer.toString(port)), m::scrape)) {
            assertThat(server).isNotNull();
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("Content-Type")).hasValue(MetricsServer.CONTENT_TYPE);
            assertThat(ok.body()).contains("remit_executor_healthy 0");
            assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/other")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
            assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(405);
        }
    }

    @Test
    void withoutAUsablePortThereIsNoServerAndTheTaskRunsOn() throws Exception {
        ExecutorMetrics m = new ExecutorMetrics(JVM_START, null);
        assertThat(MetricsServer.start(Map.of(), m::scrape)).isNull();
        assertThat(MetricsServer.start(Map.of(ExecutorEnv.METRICS_PORT, "http"), m::scrape)).isNull();
        assertThat(MetricsServer.start(Map.of(ExecutorEnv.METRICS_PORT, "70000"), m::scrape)).isNull();
        try (ServerSocket taken = new ServerSocket(0)) {
            assertThat(MetricsServer.start(Map.of(ExecutorEnv.METRICS_PORT, Integer.toString(taken.getLocalPort())), m::scrape))
                    .isNull();
        }
    }
}
