package io.remit.kit.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.util.Duration;
import io.remit.kit.trace.TraceContext;
import io.remit.kit.trace.Tracing;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceClientTest {

    private final List<AutoCloseable> open = new ArrayList<>();
    private final ObjectMapper json = new ObjectMapper().findAndRegisterModules();
    private final MetricRegistry metrics = new MetricRegistry();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private FakeService service() throws IOException {
        FakeService s = new FakeService();
        open.add(s);
        return s;
    }

    private static DependencySettings settings() {
        DependencySettings s = new DependencySettings();
        s.timeout = Duration.milliseconds(500);
        s.backoffBase = Duration.milliseconds(1);
        s.backoffMax = Duration.milliseconds(5);
        return s;
    }

    private ServiceClient client(DependencySettings s, String... urls) {
        return new ServiceClient("fx", s, Endpoints.fixed(List.of(urls)), json, metrics);
    }

    /** A loopback URL where nothing listens: connections are refused. */
    private static String deadUrl() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }

    @Test
    void spreadsCallsOverInstances() throws Exception {
        FakeService a = service();
        FakeService b = service();
        ServiceClient client = client(settings(), a.url(), b.url());
        for (int i = 0; i < 40; i++) {
            assertThat(client.get("/rates", Map.class)).containsEntry("ok", true);
        }
        assertThat(a.hits.get()).isGreaterThan(5);
        assertThat(b.hits.get()).isGreaterThan(5);
        assertThat(a.hits.get() + b.hits.get()).isEqualTo(40);
    }

    @Test
    void aGetToADeadInstanceIsRetriedOnTheOther() throws Exception {
        FakeService alive = service();
        ServiceClient client = client(settings(), deadUrl(), alive.url());
        for (int i = 0; i < 20; i++) {
            assertThat(client.get("/rates", Map.class)).containsEntry("ok", true);
        }
        assertThat(alive.hits.get()).isEqualTo(20);
    }

    @Test
    void aPostWithoutIdempotencyKeyIsNotRetriedButOneWithAKeyIs() throws Exception {
        FakeService flaky = service();
        flaky.answer(FakeService.json(503, "{\"code\":503,\"message\":\"busy\"}"));
        DependencySettings s = settings();
        ServiceClient client = client(s, flaky.url());

        Reply plain = client.send(Call.post("/quotes", Map.of("a", 1)));
        assertThat(plain.status()).isEqualTo(503);
        assertThat(flaky.hits.get()).isEqualTo(1);

        Reply keyed = client.send(Call.post("/quotes", Map.of("a", 1)).withIdempotencyKey("k-1"));
        assertThat(keyed.status()).isEqualTo(503);
        assertThat(keyed.attempts()).isEqualTo(3);
        assertThat(flaky.hits.get()).isEqualTo(1 + 3);
        assertThat(flaky.seen.subList(1, 4)).allSatisfy(seen -> assertThat(seen.idempotencyKey()).isEqualTo("k-1"));
    }

    @Test
    void anAttemptThatTakesTooLongIsAbandonedAndRetriedElsewhere() throws Exception {
        FakeService slow = service();
        FakeService fast = service();
        CountDownLatch release = new CountDownLatch(1);
        slow.answer(exchange -> {
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            FakeService.json(200, "{\"slow\":true}").answer(exchange);
        });
        fast.answer(FakeService.json(200, "{\"fast\":true}"));
        DependencySettings s = settings();
        s.timeout = Duration.milliseconds(200);
        ServiceClient client = client(s, slow.url(), fast.url());
        try {
            for (int i = 0; i < 6; i++) {
                long start = System.nanoTime();
                assertThat(client.get("/x", Map.class)).containsEntry("fast", true);
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2_000);
            }
        } finally {
            release.countDown();
        }
    }

    @Test
    void sendsTheCurrentTraceAsTheParentOfEachCall() throws Exception {
        FakeService a = service();
        ServiceClient client = client(settings(), a.url());
        TraceContext trace = TraceContext.newRoot();
        try (Tracing.Scope ignored = Tracing.open(trace)) {
            client.get("/x", Map.class);
        }
        TraceContext sent = TraceContext.fromTraceparent(a.seen.get(0).traceparent()).orElseThrow();
        assertThat(sent.traceId()).isEqualTo(trace.traceId());
        assertThat(sent.spanId()).isNotEqualTo(trace.spanId());
    }

    @Test
    void theBreakerOpensOnFailuresStopsCallingAndClosesWhenTheDependencyRecovers() throws Exception {
        FakeService broken = service();
        broken.answer(FakeService.json(500, "{\"code\":500,\"message\":\"boom\"}"));
        DependencySettings s = settings();
        s.breaker.minimumCalls = 4;
        s.breaker.slidingWindowSize = 4;
        s.breaker.openFor = Duration.milliseconds(300);
        s.breaker.halfOpenCalls = 1;
        ServiceClient client = client(s, broken.url());
        for (int i = 0; i < 4; i++) {
            assertThat(client.send(Call.get("/x")).status()).isEqualTo(500);
        }
        int hitsWhenOpened = broken.hits.get();
        assertThatThrownBy(() -> client.get("/x", Map.class))
                .isInstanceOf(DependencyUnavailableException.class)
                .hasMessageContaining("fx is unavailable: circuit breaker open");
        assertThat(broken.hits.get()).isEqualTo(hitsWhenOpened);

        broken.answer(FakeService.json(200, "{\"ok\":true}"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        boolean recovered = false;
        while (!recovered && System.nanoTime() < deadline) {
            try {
                recovered = client.get("/x", Map.class) != null;
            } catch (DependencyUnavailableException stillOpen) {
                Thread.onSpinWait();
            }
        }
        assertThat(recovered).isTrue();
        assertThat(client.breakerState().name()).isEqualTo("CLOSED");
    }

    @Test
    void theRetryBudgetCapsTheLoadRetriesAdd() throws Exception {
        FakeService down = service();
        down.answer(FakeService.json(503, "{}"));
        DependencySettings s = settings();
        s.maxAttempts = 3;
        s.retryRatio = 0.1;
        s.minRetriesPerSecond = 0;
        s.breaker.minimumCalls = 1000;
        s.breaker.slidingWindowSize = 1000;
        ServiceClient client = client(s, down.url());
        for (int i = 0; i < 50; i++) {
            client.send(Call.get("/x"));
        }
        // Without a budget 50 calls of 3 attempts would be 150 requests; 10% allows 5 retries.
        assertThat(down.hits.get()).isBetween(50, 56);
    }

    @Test
    void theBulkheadRefusesCallsBeyondItsLimitAtOnce() throws Exception {
        FakeService stuck = service();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        stuck.answer(exchange -> {
            entered.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            FakeService.json(200, "{}").answer(exchange);
        });
        DependencySettings s = settings();
        s.timeout = Duration.seconds(5);
        s.maxConcurrentCalls = 1;
        ServiceClient client = client(s, stuck.url());
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Reply> first = pool.submit(() -> client.send(Call.get("/x")));
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> client.send(Call.get("/x")))
                    .isInstanceOf(DependencyUnavailableException.class).hasMessageContaining("bulkhead");
            release.countDown();
            assertThat(first.get(5, TimeUnit.SECONDS).status()).isEqualTo(200);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void noInstanceMeansUnavailableNamingTheDependency() {
        ServiceClient client = new ServiceClient("schools", settings(), List::of, json, metrics);
        assertThatThrownBy(() -> client.get("/schools/x", Map.class))
                .isInstanceOf(DependencyUnavailableException.class)
                .hasMessage("schools is unavailable: no instance of schools is registered");
    }

    @Test
    void anErrorAnswerCarriesTheDependencysErrorBody() throws Exception {
        FakeService a = service();
        a.answer(FakeService.json(404, "{\"code\":404,\"message\":\"school x not found\",\"details\":[]}"));
        ServiceClient client = client(settings(), a.url());
        assertThatThrownBy(() -> client.get("/schools/x", Map.class))
                .isInstanceOfSatisfying(DependencyErrorException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.error().message()).isEqualTo("school x not found");
                });
    }

    @Test
    void recordsRealAnswersAndReplaysThemWithoutTheDependency(@TempDir Path dir) throws Exception {
        FakeService real = service();
        real.answer(exchange -> FakeService.json(201, "{\"id\":\"q1\",\"body\":"
                + new String(exchange.getRequestBody().readAllBytes()) + "}").answer(exchange));
        real.answer(FakeService.json(201, "{\"id\":\"q1\",\"rate\":\"0.785\"}"));
        DependencySettings rec = settings();
        rec.mock.mode = DependencySettings.Mock.Mode.record;
        rec.mock.dir = dir.toString();
        ServiceClient recording = client(rec, real.url());
        Map<?, ?> live = recording.call(Call.post("/quotes", Map.of("source", "USD", "target", "GBP")), Map.class);
        assertThat(Files.list(dir)).hasSize(1);
        real.close();

        DependencySettings rep = settings();
        rep.mock.mode = DependencySettings.Mock.Mode.replay;
        rep.mock.dir = dir.toString();
        ServiceClient replaying = new ServiceClient("fx", rep, List::of, json, metrics);
        // Same request, keys in another order: the same recording answers.
        Map<?, ?> replayed = replaying.call(Call.post("/quotes", new java.util.TreeMap<>(Map.of("target", "GBP", "source", "USD"))), Map.class);
        assertThat(replayed).isEqualTo(live);
        assertThatThrownBy(() -> replaying.call(Call.post("/quotes", Map.of("source", "EUR")), Map.class))
                .isInstanceOf(DependencyUnavailableException.class).hasMessageContaining("no recording of POST /quotes");
    }
}
