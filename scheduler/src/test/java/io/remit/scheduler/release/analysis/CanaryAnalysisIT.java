package io.remit.scheduler.release.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.sun.net.httpserver.HttpServer;
import io.remit.scheduler.observe.PrometheusQuery;
import io.remit.scheduler.release.analysis.Verdict.Check;
import io.remit.scheduler.release.analysis.Verdict.Outcome;
import io.remit.testkit.PrometheusServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The analysis against a real Prometheus, configured from configs/prometheus as
 * {@code ./remit local} configures it, scraping three fake instances of payments, all of the same
 * version: the kit's request histogram, growing at 20 requests a second. The baseline and one
 * canary answer every request 200; the other canary answers a fifth of them 500.
 */
class CanaryAnalysisIT {

    static final Path CONFIG = Path.of("../configs/prometheus");
    static final int PER_SECOND = 20;

    final List<HttpServer> servers = new ArrayList<>();
    PrometheusServer prometheus;

    @BeforeEach
    void start() throws Exception {
        long began = System.nanoTime();
        int baseline = instance(began, 0);
        int badCanary = instance(began, 5);
        int goodCanary = instance(began, 0);
        // What the scheduler's /v1/prometheus/targets would list for them.
        String targets = "[" + target(baseline, "payments.b-1") + "," + target(badCanary, "payments.c-1") + ","
                + target(goodCanary, "payments.c-2") + "]";
        HttpServer discovery = serve(exchange -> reply(exchange, "application/json", targets));
        prometheus = PrometheusServer.start(CONFIG, "http://127.0.0.1:" + discovery.getAddress().getPort() + "/targets");
    }

    @AfterEach
    void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        servers.forEach(s -> s.stop(0));
    }

    @Test
    void aCanaryAnsweringAFifthOf500sFailsOnItsErrorRateWithBothNumbersAndAGoodOnePasses() throws Exception {
        Instant from = Instant.now().minusSeconds(5);
        AnalysisSpec spec = CanaryJudgeTest.spec("""
                interval: 5s
                errorRate: {max: 0.01}
                p99Ms: {max: 500, maxRatio: 1.5}
                """);
        CanaryJudge judge = new CanaryJudge(new PrometheusQuery(URI.create(prometheus.url()), Duration.ofSeconds(5)));
        Cohorts bad = new Cohorts("payments", Set.of("payments.b-1"), Set.of("payments.c-1"));

        // As the deployment controller does: judge again while there is no verdict (each target
        // needs two scrapes before its counters have an increase).
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        Verdict v = untilDecided(() -> judge.judge(spec, bad, from, Instant.now()), deadline);

        assertThat(v.outcome()).as(v.reason()).isEqualTo(Outcome.FAIL);
        assertThat(v.source()).isEqualTo(prometheus.url());
        assertThat(v.failed()).extracting(Check::name).containsExactly("errorRate");
        Check errors = v.failed().get(0);
        assertThat(errors.canary()).isCloseTo(0.2, offset(0.01));
        assertThat(errors.baseline()).isZero();
        assertThat(errors.summary()).matches("error rate (19\\.\\d|20(\\.\\d)?)% on the canary against 0% on the baseline, "
                + "above the maximum 1%");
        assertThat(v.reason()).startsWith("errorRate failed: error rate ");
        assertThat(v.canaryRequests()).isGreaterThanOrEqualTo(50);
        assertThat(v.baselineRequests()).isGreaterThanOrEqualTo(50);
        Check p99 = v.checks().stream().filter(c -> c.name().equals("p99Ms")).findFirst().orElseThrow();
        assertThat(p99.passed()).as(p99.summary()).isTrue();
        assertThat(p99.canary()).isLessThan(25);

        Cohorts fine = new Cohorts("payments", Set.of("payments.b-1"), Set.of("payments.c-2"));
        Verdict good = untilDecided(() -> judge.judge(spec, fine, from, Instant.now()), deadline);
        assertThat(good.outcome()).as(good.reason()).isEqualTo(Outcome.PASS);
        assertThat(good.checks()).allMatch(Check::passed);

        prometheus.close();
        prometheus = null;
        Verdict blind = judge.judge(spec, bad, from, Instant.now());
        assertThat(blind.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(blind.reason()).startsWith("metrics unavailable: Prometheus at ").contains("is not reachable");
    }

    private static Verdict untilDecided(java.util.function.Supplier<Verdict> judging, long deadline) {
        Verdict v = judging.get();
        while (v.outcome() == Outcome.INCONCLUSIVE && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
            v = judging.get();
        }
        return v;
    }

    /**
     * A fake instance's admin port: its request counters as of now, one in {@code errorEvery}
     * answered 500 (0: none), every request in the first bucket.
     */
    private int instance(long began, int errorEvery) throws Exception {
        HttpServer s = serve(exchange -> {
            long n = (System.nanoTime() - began) * PER_SECOND / 1_000_000_000L;
            long errors = errorEvery == 0 ? 0 : n / errorEvery;
            StringBuilder b = new StringBuilder("# TYPE http_server_requests_seconds histogram\n");
            series(b, "200", n - errors);
            if (errorEvery > 0) {
                series(b, "500", errors);
            }
            reply(exchange, "text/plain; version=0.0.4", b.toString());
        });
        return s.getAddress().getPort();
    }

    private static void series(StringBuilder b, String status, long n) {
        String labels = "method=\"POST\",path=\"/payments\",status=\"" + status + "\"";
        for (String le : List.of("0.005", "0.01", "0.025", "+Inf")) {
            b.append("http_server_requests_seconds_bucket{").append(labels).append(",le=\"").append(le).append("\"} ")
                    .append(le.equals("0.005") || le.equals("0.01") ? 0 : n).append('\n');
        }
        b.append("http_server_requests_seconds_count{").append(labels).append("} ").append(n).append('\n');
        b.append("http_server_requests_seconds_sum{").append(labels).append("} ").append(n * 0.02).append('\n');
    }

    private static String target(int port, String instance) {
        return "{\"targets\":[\"127.0.0.1:" + port + "\"],\"labels\":{\"__metrics_path__\":\"/prometheus\","
                + "\"service\":\"payments\",\"version\":\"2.3.0\",\"instance\":\"" + instance + "\"}}";
    }

    private HttpServer serve(com.sun.net.httpserver.HttpHandler handler) throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.createContext("/", handler);
        s.start();
        servers.add(s);
        return s;
    }

    private static void reply(com.sun.net.httpserver.HttpExchange exchange, String type, String body) throws java.io.IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
