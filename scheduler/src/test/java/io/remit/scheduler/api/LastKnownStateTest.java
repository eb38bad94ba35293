package io.remit.scheduler.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.remit.registry.etcd.RegistryException;
import io.remit.scheduler.TestSpecs;
import io.remit.scheduler.engine.EngineSnapshot;
import io.remit.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Reads while etcd hangs. The etcd read is a stand-in here (a supplier that answers, fails or
 * blocks), so that the timing is exact; EtcdOutageIT does the same against a paused real etcd.
 */
class LastKnownStateTest {

    private static final Duration PATIENCE = Duration.ofMillis(200);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
    private final CountDownLatch etcdHangs = new CountDownLatch(1);
    private final AtomicInteger reads = new AtomicInteger();
    private volatile String etcd = "answers";

    private final EngineSnapshot stored = new EngineSnapshot(Map.of("fx", TestSpecs.spec("fx", 2)), Map.of(), List.of(),
            Map.of(), Map.of(), Map.of(), false, false, 0);
    private final Supplier<EngineSnapshot> fromEtcd = () -> {
        reads.incrementAndGet();
        switch (etcd) {
            case "hangs" -> {
                try {
                    etcdHangs.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new RegistryException("list /remit/services/: etcd did not answer within PT5S", null);
            }
            case "refuses" -> throw new RegistryException("list /remit/services/: connection refused", null);
            default -> {
                return stored;
            }
        }
    };
    private final LastKnownState state = new LastKnownState(() -> null, fromEtcd, clock, PATIENCE);

    @AfterEach
    void releaseEtcd() {
        etcdHangs.countDown();
    }

    @Test
    void whileEtcdAnswersTheStateIsCurrent() {
        StateView.Reading r = state.read();

        assertThat(r.snapshot()).isSameAs(stored);
        assertThat(r.stale()).isFalse();
        assertThat(r.answer("x").getHeaderString(StateView.STATE_AGE_HEADER)).isNull();
    }

    @Test
    void whenEtcdHangsTheLastKnownStateIsAnsweredAtOnceWithItsAge() {
        state.read();
        clock.advance(Duration.ofSeconds(7));
        etcd = "hangs";

        long start = System.nanoTime();
        StateView.Reading r = state.read();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(r.snapshot().specs()).containsKey("fx");
        assertThat(r.age()).isEqualTo(Duration.ofSeconds(7));
        assertThat(r.answer("x").getHeaderString(StateView.STATE_AGE_HEADER)).isEqualTo("7");
    }

    @Test
    void whenEtcdRefusesTheLastKnownStateIsAnsweredWithoutWaiting() {
        state.read();
        clock.advance(Duration.ofSeconds(3));
        etcd = "refuses";

        StateView.Reading r = state.read();

        assertThat(r.age()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void withNoStateKnownItIs503WithRetryAfterAndTheErrorShape() {
        etcd = "hangs";

        long start = System.nanoTime();
        LastKnownState.Unavailable e = catchThrowableOfType(state::read, LastKnownState.Unavailable.class);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        jakarta.ws.rs.core.Response answer = new LastKnownState.Unavailable.Mapper().toResponse(e);
        assertThat(answer.getStatus()).isEqualTo(503);
        assertThat(answer.getHeaderString("Retry-After")).isEqualTo("2");
        assertThat(answer.getEntity()).isInstanceOfSatisfying(ErrorBodies.Body.class, body -> {
            assertThat(body.code()).isEqualTo(503);
            assertThat(body.message()).contains("etcd does not answer");
            assertThat(body.details()).isEmpty();
        });
    }

    @Test
    void callersWhileEtcdHangsShareOneRead() {
        state.read();
        etcd = "hangs";
        reads.set(0);

        for (int i = 0; i < 5; i++) {
            state.read();
        }

        assertThat(reads.get()).as("one read of etcd under way, not one per request").isEqualTo(1);
    }

    @Test
    void onlyTheFirstCallerWaitsForAReadThatHangs() {
        state.read();
        etcd = "hangs";
        state.read(); // waits its patience for the read it started

        long start = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            assertThat(state.read().stale()).isTrue();
        }

        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("ten reads, each waiting %s, would take 2 s", PATIENCE)
                .isLessThan(Duration.ofMillis(500));
    }
}
