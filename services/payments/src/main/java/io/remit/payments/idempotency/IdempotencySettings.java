package io.remit.payments.idempotency;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/**
 * The {@code idempotency:} block of the config file.
 *
 * @param keyTtl          how long a key is remembered after it was claimed (default 24h); later the
 *                        same key makes a new request. Runtime config {@code idempotency.keyTtl} overrides it.
 * @param claimLease      how long an unfinished claim holds its key (default 30s) before another request
 *                        may take it over; longer than the slowest creation (dependency timeouts and
 *                        retries included). Runtime config {@code idempotency.claimLease} overrides it.
 * @param cleanupInterval how often expired keys are deleted (default 15m)
 */
public record IdempotencySettings(
        @JsonProperty("keyTtl") @NotNull @MinDuration(value = 1, unit = TimeUnit.MINUTES) Duration keyTtl,
        @JsonProperty("claimLease") @NotNull @MinDuration(value = 1, unit = TimeUnit.SECONDS) Duration claimLease,
        @JsonProperty("cleanupInterval") @NotNull @MinDuration(value = 1, unit = TimeUnit.SECONDS) Duration cleanupInterval) {

    public IdempotencySettings {
        keyTtl = keyTtl == null ? Duration.hours(24) : keyTtl;
        claimLease = claimLease == null ? Duration.seconds(30) : claimLease;
        cleanupInterval = cleanupInterval == null ? Duration.minutes(15) : cleanupInterval;
    }

    public static IdempotencySettings defaults() {
        return new IdempotencySettings(null, null, null);
    }
}
