package io.remit.payments.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.kit.RuntimeConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class IdempotencyPolicyTest {

    @Test
    void withoutRuntimeConfigTheFileSettingsHold() {
        IdempotencyPolicy policy = new IdempotencyPolicy(new IdempotencySettings(io.dropwizard.util.Duration.hours(2),
                io.dropwizard.util.Duration.seconds(10), null), RuntimeConfig.none());

        assertThat(policy.keyTtl()).isEqualTo(Duration.ofHours(2));
        assertThat(policy.claimLease()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void defaultsAreADayAndHalfAMinute() {
        IdempotencySettings d = IdempotencySettings.defaults();

        assertThat(d.keyTtl().toJavaDuration()).isEqualTo(Duration.ofHours(24));
        assertThat(d.claimLease().toJavaDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.cleanupInterval().toJavaDuration()).isEqualTo(Duration.ofMinutes(15));
    }
}
