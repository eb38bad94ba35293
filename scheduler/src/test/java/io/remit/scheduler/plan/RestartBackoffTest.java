package io.remit.scheduler.plan;

import io.remit.testkit.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private final MutableClock clock = new MutableClock(T0);
    private final RestartBackoff backoff = new RestartBackoff(clock, BackoffPolicy.DEFAULT);

    @Test
    void noFailuresNoWait() {
        assertThat(backoff.status("a")).isEqualTo(BackoffStatus.NONE);
        assertThat(backoff.statuses()).isEmpty();
    }

    @Test
    void delaysDoubleFromOneSecondUpToFiveMinutes() {
        long[] expectedSeconds = {1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300};
        for (long seconds : expectedSeconds) {
            backoff.failed("a");
            BackoffStatus s = backoff.status("a");
            assertThat(s.delay()).isEqualTo(Duration.ofSeconds(seconds));
            assertThat(s.nextAllowedLaunch()).isEqualTo(clock.instant().plusSeconds(seconds));
            clock.advance(s.delay());
        }
    }

    @Test
    void crashLoopingFromTheThirdFailure() {
        backoff.failed("a");
        backoff.failed("a");
        assertThat(backoff.status("a").crashLooping()).isFalse();
        backoff.failed("a");
        assertThat(backoff.status("a")).isEqualTo(new BackoffStatus(3, Duration.ofSeconds(4), T0.plusSeconds(4), true));
        assertThat(backoff.status("b").crashLooping()).isFalse();
    }

    @Test
    void resetsAfterStayingHealthyLongEnough() {
        backoff.failed("a");
        backoff.failed("a");
        backoff.failed("a");
        clock.advance(Duration.ofSeconds(4));
        backoff.healthy("a");
        clock.advance(Duration.ofMinutes(4));
        backoff.healthy("a"); // a repeat does not restart the period
        assertThat(backoff.status("a").failures()).isEqualTo(3);
        clock.advance(Duration.ofMinutes(1));
        assertThat(backoff.status("a")).isEqualTo(BackoffStatus.NONE);
        backoff.failed("a");
        assertThat(backoff.status("a").delay()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aFailureDuringTheHealthyPeriodStartsItAgain() {
        backoff.failed("a");
        backoff.healthy("a");
        clock.advance(Duration.ofMinutes(3));
        backoff.failed("a");
        backoff.healthy("a");
        clock.advance(Duration.ofMinutes(3));
        assertThat(backoff.status("a").failures()).isEqualTo(2);
        clock.advance(Duration.ofMinutes(2));
        assertThat(backoff.status("a").failures()).isZero();
    }

    @Test
    void servicesAreIndependent() {
        backoff.failed("a");
        backoff.failed("a");
        backoff.failed("b");
        assertThat(backoff.statuses()).containsOnlyKeys("a", "b");
        assertThat(backoff.statuses().get("a").delay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.statuses().get("b").delay()).isEqualTo(Duration.ofSeconds(1));
        backoff.remove("a");
        assertThat(backoff.statuses()).containsOnlyKeys("b");
    }

    @Test
    void policyArithmetic() {
        BackoffPolicy p = new BackoffPolicy(Duration.ofMillis(500), 3, Duration.ofSeconds(10), Duration.ofMinutes(1), 5);
        assertThat(p.delayAfter(0)).isZero();
        assertThat(p.delayAfter(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(p.delayAfter(3)).isEqualTo(Duration.ofMillis(4500));
        assertThat(p.delayAfter(4)).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.delayAfter(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(10));
    }
}
