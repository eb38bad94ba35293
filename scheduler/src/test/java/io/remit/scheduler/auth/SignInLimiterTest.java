package io.remit.scheduler.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.testkit.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SignInLimiterTest {

    @Test
    void anAddressIsRefusedAfterTooManyFailuresUntilTheOldestLeavesTheWindow() {
        MutableClock clock = new MutableClock();
        SignInLimiter limiter = new SignInLimiter(3, Duration.ofMinutes(1), clock);
        for (int i = 0; i < 2; i++) {
            limiter.failed("10.0.0.1");
            clock.advance(Duration.ofSeconds(10));
        }
        assertThat(limiter.blockedFor("10.0.0.1")).isEmpty();
        limiter.failed("10.0.0.1");                                  // t=20s: the third within a minute
        assertThat(limiter.blockedFor("10.0.0.1")).contains(Duration.ofSeconds(40));
        assertThat(limiter.blockedFor("10.0.0.2")).as("another address").isEmpty();
        clock.advance(Duration.ofSeconds(40));                       // t=60s: the first failure is out
        assertThat(limiter.blockedFor("10.0.0.1")).isEmpty();
    }

    @Test
    void failuresSpreadWiderThanTheWindowNeverBlock() {
        MutableClock clock = new MutableClock();
        SignInLimiter limiter = new SignInLimiter(3, Duration.ofMinutes(1), clock);
        for (int i = 0; i < 20; i++) {
            limiter.failed("10.0.0.1");
            assertThat(limiter.blockedFor("10.0.0.1")).isEmpty();
            clock.advance(Duration.ofSeconds(31));
        }
    }
}
