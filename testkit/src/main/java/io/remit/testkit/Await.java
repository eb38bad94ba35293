package io.remit.testkit;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waiting in a test for a condition, with a deadline, never a fixed sleep. */
public final class Await {

    /** How long {@link #until(String, BooleanSupplier)} waits. */
    public static final Duration TIMEOUT = Duration.ofSeconds(15);

    private static final long POLL_NANOS = Duration.ofMillis(5).toNanos();

    private Await() {
    }

    /** Polls {@code condition} until it holds; an {@link AssertionError} naming {@code what} after {@link #TIMEOUT}. */
    public static void until(String what, BooleanSupplier condition) {
        until(what, TIMEOUT, condition);
    }

    /** Polls {@code condition} until it holds; an {@link AssertionError} naming {@code what} after {@code timeout}. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }
}
