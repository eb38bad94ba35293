package io.remit.scheduler.plan;

import io.remit.testkit.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.scheduler.plan.Reconciliation.Request;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReconciliationTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private final MutableClock clock = new MutableClock(T0);
    private final Reconciliation rec = new Reconciliation(clock, Duration.ofSeconds(1), Duration.ofSeconds(8));

    @Test
    void nothingBeforeARoundStarts() {
        assertThat(rec.due()).isEmpty();
        assertThat(rec.nextAttemptAt()).isEmpty();
    }

    @Test
    void asksExplicitlyRetriesWithBackoffThenOnceImplicitly() {
        rec.begin(List.of("t2", "t1", "t3"));
        assertThat(rec.due()).contains(new Request(List.of("t1", "t2", "t3"), 1));
        assertThat(rec.due()).isEmpty();
        assertThat(rec.nextAttemptAt()).contains(T0.plusSeconds(1));

        rec.answered("t1");
        clock.advance(Duration.ofSeconds(1));
        assertThat(rec.due()).contains(new Request(List.of("t2", "t3"), 2));
        assertThat(rec.nextAttemptAt()).contains(clock.instant().plusSeconds(2));
        clock.advance(Duration.ofSeconds(1));
        assertThat(rec.due()).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(rec.due()).contains(new Request(List.of("t2", "t3"), 3));
        for (int attempt = 4; attempt <= 6; attempt++) {
            clock.advance(rec.nextAttemptAt().map(t -> Duration.between(clock.instant(), t)).orElseThrow());
            assertThat(rec.due()).map(Request::attempt).contains(attempt);
        }
        assertThat(Duration.between(clock.instant(), rec.nextAttemptAt().orElseThrow())).isEqualTo(Duration.ofSeconds(8));

        rec.answered("t2");
        rec.answered("t3");
        assertThat(rec.awaiting()).isEmpty();
        assertThat(rec.nextAttemptAt()).contains(clock.instant());
        Request implicit = rec.due().orElseThrow();
        assertThat(implicit.implicit()).isTrue();
        assertThat(rec.complete()).isTrue();
        assertThat(rec.due()).isEmpty();
    }

    @Test
    void withNoKnownTasksGoesStraightToImplicit() {
        rec.begin(List.of());
        assertThat(rec.due()).contains(new Request(List.of(), 1));
        assertThat(rec.complete()).isTrue();
    }

    @Test
    void aNewRoundReplacesTheOldOne() {
        rec.begin(List.of("t1"));
        rec.due();
        rec.begin(List.of("t9"));
        assertThat(rec.complete()).isFalse();
        assertThat(rec.due()).contains(new Request(List.of("t9"), 1));
    }

    @Test
    void answersBeforeTheFirstRequestCount() {
        rec.begin(List.of("t1", "t2"));
        rec.answered("t1");
        assertThat(rec.due()).contains(new Request(List.of("t2"), 1));
    }
}
