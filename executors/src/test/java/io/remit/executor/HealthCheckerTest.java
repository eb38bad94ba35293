package io.remit.executor;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthCheckerTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final BlockingQueue<HealthVerdict.Result> results = new LinkedBlockingQueue<>();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private HealthVerdict.Result next() throws InterruptedException {
        HealthVerdict.Result r = results.poll(10, TimeUnit.SECONDS);
        assertThat(r).as("a health check result").isNotNull();
        return r;
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aServiceNotListeningYetIsCheckedAgainSoonUntilItAnswers() throws Exception {
        int port = closedPort();
        URI uri = URI.create("http://127.0.0.1:" + port + "/healthcheck");
        try (HealthChecker checker = new HealthChecker(uri, Duration.ofSeconds(10), Duration.ofSeconds(2), timer,
                Clock.systemUTC(), results::add)) {
            checker.start();
            HealthVerdict.Result first = next();
            HealthVerdict.Result second = next();
            assertThat(first.ok()).isFalse();
            assertThat(first.detail()).isEqualTo("GET " + uri + ": connection refused");
            assertThat(second.detail()).as("checked again before the interval, until the first success")
                    .isEqualTo("GET " + uri + ": connection refused");
            HealthVerdict.Result third = next();
            // The port is tried every 20 ms, but a refusal is a result only once per startup period:
            // the verdict counts failures, and must not count them faster than before.
            assertThat(Duration.between(first.at(), second.at())).isGreaterThanOrEqualTo(HealthChecker.UNTIL_FIRST_SUCCESS);
            assertThat(Duration.between(second.at(), third.at())).isGreaterThanOrEqualTo(HealthChecker.UNTIL_FIRST_SUCCESS);

            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            server.createContext("/healthcheck", exchange -> {
                byte[] body = "{\"deadlocks\":{\"healthy\":true}}".getBytes();
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            long opened = System.nanoTime();
            try {
                HealthVerdict.Result r;
                do {
                    r = next();
                } while (!r.ok());
                assertThat(r.detail()).isEqualTo("healthy");
                assertThat(Duration.ofNanos(System.nanoTime() - opened)).as("found soon after the port opened")
                        .isLessThan(Duration.ofSeconds(5));
            } finally {
                server.stop(0);
            }
        }
    }

    @Test
    void anHttpFailureIsReportedWithItsStatus() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/healthcheck", exchange -> {
            byte[] body = "not yet".getBytes();
            exchange.sendResponseHeaders(503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/healthcheck");
            try (HealthChecker checker = new HealthChecker(uri, Duration.ofSeconds(10), Duration.ofSeconds(2), timer,
                    Clock.systemUTC(), results::add)) {
                checker.start();
                HealthVerdict.Result r = next();
                assertThat(r.ok()).isFalse();
                assertThat(r.detail()).isEqualTo("GET " + uri + " answered 503 not yet");
            }
        } finally {
            server.stop(0);
        }
    }
}
