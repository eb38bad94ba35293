package io.remit.executor;

import static io.remit.executor.HealthVerdict.Health.HEALTHY;
import static io.remit.executor.HealthVerdict.Health.UNHEALTHY;
import static io.remit.executor.HealthVerdict.Health.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import io.remit.executor.HealthVerdict.Health;
import io.remit.executor.HealthVerdict.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The health verdict, fed results stamped by a clock the test steps. */
class HealthVerdictTest {

    private static final Instant START = Instant.parse("2026-11-28T10:00:00Z");
    private Instant now = START;
    private HealthVerdict verdict = HealthVerdict.initial(START, Duration.ofSeconds(30), 3);
    private final List<Health> changes = new ArrayList<>();

    private void check(boolean ok, Duration after) {
        now = now.plus(after);
        HealthVerdict before = verdict;
        verdict = verdict.after(ok ? Result.ok(now) : Result.failed(now, "HTTP 500 at " + now));
        if (verdict.changedFrom(before)) {
            changes.add(verdict.health());
        }
    }

    private void fail(int times) {
        for (int i = 0; i < times; i++) {
            check(false, Duration.ofSeconds(1));
        }
    }

    @Test
    void failuresDuringTheGracePeriodBeforeTheFirstSuccessDoNotCount() {
        fail(25);
        assertThat(verdict.health()).isEqualTo(UNKNOWN);
        assertThat(verdict.failuresInARow()).isZero();
        assertThat(verdict.describe()).startsWith("not yet healthy: HTTP 500");
        check(true, Duration.ofSeconds(1));
        assertThat(changes).containsExactly(HEALTHY);
    }

    @Test
    void afterTheGracePeriodConsecutiveFailuresMakeItUnhealthyEvenIfNeverHealthy() {
        check(false, Duration.ofSeconds(29));
        fail(2); // at 30 s and 31 s: counted
        assertThat(verdict.health()).isEqualTo(UNKNOWN);
        assertThat(verdict.failuresInARow()).isEqualTo(2);
        fail(1);
        assertThat(changes).containsExactly(UNHEALTHY);
        assertThat(verdict.describe()).startsWith("never became healthy: 3 failed health check(s) in a row, the last: HTTP 500");
    }

    @Test
    void onceHealthyTheGracePeriodNoLongerApplies() {
        check(true, Duration.ofSeconds(1));
        fail(2);
        assertThat(verdict.health()).isEqualTo(HEALTHY);
        fail(1);
        assertThat(changes).containsExactly(HEALTHY, UNHEALTHY);
        assertThat(verdict.describe()).startsWith("unhealthy: 3 failed health check(s) in a row");
    }

    @Test
    void oneSuccessMakesItHealthyAgainAndResetsTheCount() {
        check(true, Duration.ofSeconds(1));
        fail(3);
        check(true, Duration.ofSeconds(1));
        assertThat(verdict.failuresInARow()).isZero();
        fail(2);
        check(true, Duration.ofSeconds(1));
        fail(2);
        assertThat(changes).containsExactly(HEALTHY, UNHEALTHY, HEALTHY);
    }

    @Test
    void furtherFailuresWhileUnhealthyAreNoChange() {
        check(true, Duration.ofSeconds(1));
        fail(10);
        assertThat(changes).containsExactly(HEALTHY, UNHEALTHY);
        assertThat(verdict.failuresInARow()).isEqualTo(10);
    }

    @Test
    void oneFailureSufficesWhenConsecutiveFailuresIsOne() {
        verdict = HealthVerdict.initial(START, Duration.ZERO, 1);
        check(false, Duration.ZERO);
        assertThat(changes).containsExactly(UNHEALTHY);
    }
}
