package io.remit.scheduler.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.remit.localcluster.LocalCluster;
import io.remit.registry.discovery.EtcdRegistry;
import io.remit.registry.discovery.Instance;
import io.remit.registry.discovery.Registration;
import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.EtcdSettings;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import io.remit.testkit.PrometheusServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus, configured from configs/prometheus as {@code ./remit local} configures it,
 * finds an instance and the scheduler through {@code /v1/prometheus/targets}, scrapes both with
 * the labels Remit gives, evaluates the shipped recording rules on what it scraped, and drops the
 * instance's target once its discovery record goes.
 */
@ExtendWith(EtcdExtension.class)
class PrometheusIT {

    static final Path CONFIG = Path.of("../configs/prometheus");

    @TempDir
    Path work;
    LocalCluster cluster;
    SchedulerHarness scheduler;
    Etcd etcd;
    EtcdRegistry registry;
    HttpServer instance;
    PrometheusServer prometheus;
    final AtomicLong served = new AtomicLong();
    int prometheusPort;

    @BeforeEach
    void start(EtcdServer etcdServer) throws Exception {
        cluster = LocalCluster.builder().freePorts().agents(0).simulatedAgents(1).workDir(work.resolve("cluster")).start();
        prometheusPort = EtcdServer.freePort();
        scheduler = new SchedulerHarness(etcdServer, cluster.masterUrl(), SchedulerHarness.freePort(), null,
                c -> c.prometheus.url = "http://127.0.0.1:" + prometheusPort);
        etcd = Etcd.connect(EtcdSettings.of(etcdServer.endpoint()));
        registry = new EtcdRegistry(etcd);
        // An instance's admin port, as the kit serves it: the request histogram, growing per scrape.
        instance = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        instance.createContext("/prometheus", exchange -> {
            long n = served.addAndGet(10);
            byte[] body = ("# TYPE http_server_requests_seconds histogram\n"
                    + "http_server_requests_seconds_bucket{method=\"GET\",path=\"/rates\",status=\"200\",le=\"0.1\"} " + n + "\n"
                    + "http_server_requests_seconds_bucket{method=\"GET\",path=\"/rates\",status=\"200\",le=\"+Inf\"} " + n + "\n"
                    + "http_server_requests_seconds_count{method=\"GET\",path=\"/rates\",status=\"200\"} " + n + "\n"
                    + "http_server_requests_seconds_sum{method=\"GET\",path=\"/rates\",status=\"200\"} " + (n * 0.02) + "\n"
                    // and one answer in five a 500: an error ratio of 1/6, above the 5% threshold
                    + "http_server_requests_seconds_bucket{method=\"GET\",path=\"/rates\",status=\"500\",le=\"0.1\"} " + n / 5 + "\n"
                    + "http_server_requests_seconds_bucket{method=\"GET\",path=\"/rates\",status=\"500\",le=\"+Inf\"} " + n / 5 + "\n"
                    + "http_server_requests_seconds_count{method=\"GET\",path=\"/rates\",status=\"500\"} " + n / 5 + "\n"
                    + "http_server_requests_seconds_sum{method=\"GET\",path=\"/rates\",status=\"500\"} " + (n / 5 * 0.02) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        instance.start();
    }

    @AfterEach
    void stop(EtcdServer etcdServer) throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        instance.stop(0);
        registry.close();
        etcd.close();
        scheduler.close();
        cluster.close();
        SchedulerHarness.wipe(etcdServer);
    }

    @Test
    void prometheusScrapesEveryInstanceAndSchedulerItListsWithRemitsLabelsAndDropsAnInstanceWhoseRecordGoes()
            throws Exception {
        assertThat(scheduler.send("POST", "/v1/services", """
                {"id":"fx","version":"1.2.3","artifacts":["{{artifacts}}/fx.jar"],"instances":0,
                 "resources":{"cpus":0.1,"memMb":128,"diskMb":0,"ports":["http","admin"]},"labels":{"team":"treasury"}}
                """).body()).contains("\"id\":\"fx\"");
        int admin = instance.getAddress().getPort();
        Registration record = registry.register(new Instance("fx", "fx.t1", "127.0.0.1",
                Map.of("http", admin, "admin", admin), "1.2.3", "zone-a", "agent-S0", Instant.now()), Duration.ofSeconds(10));

        JsonNode targets = scheduler.await("/v1/prometheus/targets", t -> t.size() == 2, t -> true, Duration.ofSeconds(10));
        JsonNode fx = targets.get(0);
        assertThat(fx.get("targets").get(0).asText()).isEqualTo("127.0.0.1:" + admin);
        assertThat(SchedulerHarness.JSON.convertValue(fx.get("labels"), Map.class)).isEqualTo(Map.of(
                "__metrics_path__", "/prometheus", "service", "fx", "version", "1.2.3", "instance", "fx.t1",
                "agent", "agent-S0", "zone", "zone-a", "team", "treasury"));
        JsonNode self = targets.get(1);
        assertThat(self.get("labels").get("service").asText()).isEqualTo("remit-scheduler");
        assertThat(self.get("targets").get(0).asText()).isEqualTo("127.0.0.1:" + scheduler.adminPort);

        // Before Prometheus runs, the signals say so at once; the rest of the API carries on.
        long asked = System.nanoTime();
        java.net.http.HttpResponse<String> down = scheduler.send("GET", "/v1/signals", null);
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).contains("Prometheus at http://127.0.0.1:" + prometheusPort + " is not reachable");
        assertThat(System.nanoTime() - asked).as("answered within the query timeout").isLessThan(Duration.ofSeconds(3).toNanos());
        assertThat(scheduler.send("GET", "/v1/services/fx", null).statusCode()).isEqualTo(200);

        prometheus = PrometheusServer.start(CONFIG, scheduler.url + "/v1/prometheus/targets", prometheusPort);
        JsonNode up = until("both targets are scraped and up", () -> {
            JsonNode r = result(prometheus.query("up"));
            return r.size() == 2 && r.get(0).path("value").path(1).asText().equals("1")
                    && r.get(1).path("value").path(1).asText().equals("1") ? r : null;
        });
        assertThat(up.findValuesAsText("service")).containsExactlyInAnyOrder("fx", "remit-scheduler");
        assertThat(up.findValuesAsText("instance")).contains("fx.t1");
        // The scheduler's own gauges, scraped from its admin port.
        JsonNode desired = until("the scheduler's service gauges are scraped", () -> {
            JsonNode r = result(prometheus.query("remit_service_instances_desired{service=\"fx\"}"));
            return r.size() == 1 ? r : null;
        });
        assertThat(desired.get(0).path("value").path(1).asText()).isEqualTo("0");
        // The shipped recording rule: request rate per service and version, from the histogram.
        JsonNode rate = until("the request-rate recording rule has a value", () -> {
            JsonNode r = result(prometheus.query("service_version:http_requests:rate1m"));
            return r.size() == 1 && Double.parseDouble(r.get(0).path("value").path(1).asText()) > 0 ? r : null;
        });
        assertThat(rate.get(0).path("metric").path("service").asText()).isEqualTo("fx");
        assertThat(rate.get(0).path("metric").path("version").asText()).isEqualTo("1.2.3");

        // The golden signals through the scheduler: per version over time, and now, marked above
        // the error-ratio threshold (5%) but not the latency one (1 s).
        JsonNode history = scheduler.await("/v1/signals/fx?minutes=5",
                h -> h.path("signals").path("requestRate").path(0).path("points").size() > 0
                        && h.path("signals").path("errorRatio").path(0).path("points").size() > 0, h -> true, Duration.ofSeconds(30));
        assertThat(history.path("signals").path("requestRate").get(0).path("version").asText()).isEqualTo("1.2.3");
        JsonNode lastRatio = history.path("signals").path("errorRatio").get(0).path("points");
        assertThat(lastRatio.get(lastRatio.size() - 1).get(1).asDouble()).isCloseTo(1.0 / 6, org.assertj.core.data.Offset.offset(0.02));
        JsonNode now = scheduler.await("/v1/signals", n -> n.path("services").has("fx"), n -> true, Duration.ofSeconds(30));
        JsonNode fxNow = now.path("services").path("fx");
        assertThat(fxNow.path("requestRate").asDouble()).isGreaterThan(0);
        assertThat(fxNow.path("p99Seconds").asDouble()).isLessThan(0.1);
        assertThat(fxNow.path("above").toString()).isEqualTo("[\"errorRatio\"]");
        assertThat(fxNow.path("thresholds").path("fromSpec").asBoolean()).isFalse();
        // The spec's own thresholds win over the scheduler's: a fifth of errors is tolerated, a
        // p99 of even 10 ms is not; the dashboard marks the latency instead.
        assertThat(scheduler.send("PUT", "/v1/services/fx", """
                {"id":"fx","version":"1.2.3","artifacts":["{{artifacts}}/fx.jar"],"instances":0,
                 "resources":{"cpus":0.1,"memMb":128,"diskMb":0,"ports":["http","admin"]},"labels":{"team":"treasury"},
                 "signals":{"maxErrorRatio":0.5,"maxP99":"10ms"}}
                """).statusCode()).isEqualTo(200);
        JsonNode own = scheduler.await("/v1/signals", n -> n.path("services").path("fx").path("thresholds").path("fromSpec").asBoolean(),
                n -> true, Duration.ofSeconds(10)).path("services").path("fx");
        assertThat(own.path("above").toString()).isEqualTo("[\"p99Seconds\"]");
        assertThat(own.path("thresholds").path("maxErrorRatio").asDouble()).isEqualTo(0.5);
        assertThat(own.path("thresholds").path("maxP99Seconds").asDouble()).isEqualTo(0.01);
        assertThat(scheduler.get("/v1/signals/fx?minutes=5").path("thresholds").path("maxP99Seconds").asDouble()).isEqualTo(0.01);
        java.net.http.HttpResponse<String> badWindow = scheduler.send("GET", "/v1/signals/fx?minutes=0", null);
        assertThat(badWindow.statusCode()).isEqualTo(400);
        assertThat(badWindow.body()).contains("\"path\":\"minutes\"");
        assertThat(scheduler.send("GET", "/v1/signals/nope", null).statusCode()).isEqualTo(404);

        record.deregister();
        until("the instance's target is gone once its record is", () -> {
            JsonNode active = SchedulerHarness.JSON.readTree(prometheus.activeTargets()).path("data").path("activeTargets");
            return active.size() == 1 && active.get(0).path("labels").path("service").asText().equals("remit-scheduler")
                    ? active : null;
        });
    }

    static JsonNode result(String answer) throws Exception {
        return SchedulerHarness.JSON.readTree(answer).path("data").path("result");
    }

    /** Polls {@code probe} until it returns non-null, for at most a minute. */
    static JsonNode until(String what, Callable<JsonNode> probe) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Exception last = null;
        while (System.nanoTime() - deadline < 0) {
            try {
                JsonNode r = probe.call();
                if (r != null) {
                    return r;
                }
            } catch (Exception e) {
                last = e;
            }
            LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
        }
        throw new AssertionError("not within 60 s: " + what, last);
    }
}
