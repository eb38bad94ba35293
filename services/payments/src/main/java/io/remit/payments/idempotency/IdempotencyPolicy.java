package io.remit.payments.idempotency;

import io.remit.kit.RuntimeConfig;
import java.time.Duration;

/**
 * The key lifetime and claim lease in force now: the runtime config keys {@code idempotency.keyTtl}
 * and {@code idempotency.claimLease} (etcd, watched: a change applies to the next request) over the
 * config file's {@link IdempotencySettings}. Values are durations such as {@code 24h}, {@code 30s}
 * or {@code PT30S}; a value that is not one, or not positive, is ignored (with a warning from the kit).
 */
public final class IdempotencyPolicy {

    public static final String KEY_TTL = "idempotency.keyTtl";
    public static final String CLAIM_LEASE = "idempotency.claimLease";

    private final IdempotencySettings file;
    private final RuntimeConfig runtime;

    public IdempotencyPolicy(IdempotencySettings file, RuntimeConfig runtime) {
        this.file = file;
        this.runtime = runtime;
    }

    public Duration keyTtl() {
        return positive(runtime.getDuration(KEY_TTL, file.keyTtl().toJavaDuration()), file.keyTtl().toJavaDuration());
    }

    public Duration claimLease() {
        return positive(runtime.getDuration(CLAIM_LEASE, file.claimLease().toJavaDuration()), file.claimLease().toJavaDuration());
    }

    private static Duration positive(Duration value, Duration fallback) {
        return value == null || value.isNegative() || value.isZero() ? fallback : value;
    }
}
