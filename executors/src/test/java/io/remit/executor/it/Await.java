package io.remit.executor.it;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting on conditions with deadlines, never for a fixed time. */
final class Await {

    /** Long enough for a Dropwizard JVM to start on a busy two-CPU machine. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Await() {
    }

    /** Polls {@code condition} every 20 ms until it holds; fails after {@code timeout}, saying {@code what}. */
    static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(what, timeout, condition, () -> "");
    }

    /** As above; on timeout the failure also shows {@code diagnostics}. */
    static void until(String what, Duration timeout, BooleanSupplier condition, Supplier<String> diagnostics) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + diagnostics.get());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    static void until(String what, BooleanSupplier condition) {
        until(what, TIMEOUT, condition);
    }
}
