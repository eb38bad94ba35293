package io.remit.payments.idempotency;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired idempotency keys; run periodically on every instance (the deletes are
 * idempotent, so instances running it at once do no harm). Never throws: a failure is logged and
 * the next run tries again. Expired keys are ignored by claims anyway, so a late cleanup only
 * costs space.
 */
public final class KeyCleaner implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(KeyCleaner.class);

    private final IdempotencyKeys keys;
    private final Clock clock;

    public KeyCleaner(IdempotencyKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    @Override
    public void run() {
        try {
            keys.deleteExpired(clock.instant());
        } catch (RuntimeException e) {
            LOG.warn("cleaning up expired idempotency keys failed: {}", e.toString());
        }
    }
}
