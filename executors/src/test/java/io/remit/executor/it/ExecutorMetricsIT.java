package io.remit.executor.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remit.executor.api.ExecutorEnv;
import io.remit.executor.api.LaunchSpec;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor as the scheduler launches it, the real jar on a real localcluster agent with a
 * real etcd and the real hello service: on the port reserved for it in its ExecutorInfo it serves
 * {@code /metrics} with the launch phases, the health checks and the registration, with values a
 * launch can have; and with {@code REMIT_LOG_FORMAT=json} every line of its log is a JSON object
 * naming the service, version and task.
 */
@ExtendWith(EtcdExtension.class)
class ExecutorMetricsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;
    static ExecutorHarness harness;

    @BeforeAll
    static void start(EtcdServer etcd) throws Exception {
        harness = ExecutorHarness.start(work, etcd);
    }

    @AfterAll
    static void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    /** The samples of a scrape by series (name and labels). */
    static Map<String, Double> samples(String text) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                int space = line.lastIndexOf(' ');
                out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return out;
    }

    static Map<String, Double> scrape(int port) {
        HttpResponse<String> r = ExecutorHarness.get(port, ExecutorEnv.METRICS_PATH)
                .orElseThrow(() -> new AssertionError("nothing answers on the executor's metrics port " + port));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
        return samples(r.body());
    }

    static double phase(Map<String, Double> s, String name) {
        Double v = s.get("remit_executor_launch_phase_seconds{phase=\"" + name + "\"}");
        assertThat(v).as("phase %s in %s", name, s.keySet()).isNotNull();
        return v;
    }

    @Test
    void aRunningExecutorServesItsLaunchPhasesHealthChecksAndRegistrationAndLogsJsonLines() throws Exception {
        HelloSpec hello = harness.hello("hello." + UUID.randomUUID().toString().substring(0, 8));
        LaunchSpec spec = hello.build();
        String id = spec.instanceId();
        int metricsPort = HelloSpec.freePort();
        Instant launchedAt = Instant.now();
        harness.launchWithExecutorEnv(spec, Map.of(ExecutorEnv.METRICS_PORT, Integer.toString(metricsPort),
                ExecutorEnv.LAUNCHED_AT, launchedAt.toString(), ExecutorEnv.LOG_FORMAT, "json",
                ExecutorEnv.SERVICE_ID, "hello", ExecutorEnv.SERVICE_VERSION, HelloSpec.VERSION, ExecutorEnv.INSTANCE_ID, id),
                metricsPort);
        TaskStatus running = harness.awaitHealthy(spec);
        harness.awaitRecord(id, true);
        Duration wall = Duration.between(launchedAt, Instant.now());

        Map<String, Double> s = scrape(metricsPort);
        double fetch = phase(s, "fetch");
        double executor = phase(s, "executor");
        double artifact = phase(s, "artifact");
        double processStart = phase(s, "process_start");
        double firstHealthy = phase(s, "first_healthy");
        double registration = phase(s, "registration");
        System.out.printf("executor launch phases (s): fetch %.3f, executor %.3f, artifact %.3f, process_start %.3f,"
                + " first_healthy %.3f, registration %.3f; wall %.3f%n", fetch, executor, artifact, processStart, firstHealthy,
                registration, wall.toNanos() / 1e9);
        // Each took some time, none took longer than the whole launch, and together they fit in it.
        for (double v : List.of(fetch, executor, artifact, processStart, firstHealthy, registration)) {
            assertThat(v).isGreaterThanOrEqualTo(0).isLessThan(wall.toNanos() / 1e9);
        }
        assertThat(firstHealthy).as("a Dropwizard JVM takes a while to answer its health check").isGreaterThan(0.2);
        assertThat(executor).as("the executor's JVM start and subscription").isGreaterThan(0);
        assertThat(fetch + executor + artifact + processStart + firstHealthy + registration)
                .isLessThanOrEqualTo(wall.toNanos() / 1e9 + 0.1);
        assertThat(s.get("remit_executor_healthy")).isEqualTo(1.0);
        assertThat(s.get("remit_executor_registered")).isEqualTo(1.0);
        assertThat(s.get("remit_executor_registration_duration_seconds_count")).isGreaterThanOrEqualTo(1);
        assertThat(s.get("remit_executor_registration_failures_total")).isEqualTo(0.0);
        double passed = s.get("remit_executor_health_checks_total{result=\"passed\"}");
        assertThat(passed).isGreaterThanOrEqualTo(1);
        assertThat(s.get("remit_executor_health_check_duration_seconds_count")).isGreaterThanOrEqualTo(passed);
        assertThat(s.get("remit_executor_health_check_duration_seconds_sum")).isGreaterThan(0);
        assertThat(s.get("remit_executor_health_check_duration_seconds_bucket{le=\"+Inf\"}"))
                .isEqualTo(s.get("remit_executor_health_check_duration_seconds_count"));
        assertThat(s.get("process_start_time_seconds")).isBetween(launchedAt.getEpochSecond() - 1.0,
                Instant.now().getEpochSecond() + 1.0);
        // Live: the checks every 300 ms keep counting.
        Await.until("more health checks counted", () -> scrape(metricsPort)
                .get("remit_executor_health_checks_total{result=\"passed\"}") >= passed + 2);

        harness.kill(running, Duration.ofMillis(200));
        TaskStatus killed = harness.next(id);
        assertThat(killed.getState()).isEqualTo(TaskState.TASK_KILLED);
        Await.until("the executor to stop serving its metrics as it exits",
                () -> ExecutorHarness.get(metricsPort, ExecutorEnv.METRICS_PATH).isEmpty());

        List<String> lines = Files.readAllLines(harness.sandbox(id).resolve("stderr"));
        assertThat(lines).as("the executor's log").hasSizeGreaterThan(5);
        for (String line : lines) {
            JsonNode json = parse(line);
            for (String field : List.of("timestamp", "level", "thread", "logger", "message")) {
                assertThat(json.path(field).asText()).as(field + " in " + line).isNotBlank();
            }
            assertThat(json.path("service").asText()).as(line).isEqualTo("hello");
            assertThat(json.path("version").asText()).as(line).isEqualTo(HelloSpec.VERSION);
            assertThat(json.path("instance").asText()).as(line).isEqualTo(id);
            assertThat(json.path("component").asText()).as(line).isEqualTo("executor");
        }
        assertThat(lines).anyMatch(l -> l.contains("TASK_RUNNING healthy=true")).anyMatch(l -> l.contains("metrics on port " + metricsPort));
        assertThat(Files.readString(harness.sandbox(id).resolve("service.stdout"))).as("the service's own log is its own")
                .doesNotContain("\"component\":\"executor\"");
    }

    private static JsonNode parse(String line) {
        try {
            JsonNode json = JSON.readTree(line);
            assertThat(json.isObject()).as(line).isTrue();
            return json;
        } catch (IOException e) {
            throw new AssertionError("not a JSON object: " + line, e);
        }
    }
}
