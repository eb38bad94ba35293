package io.remit.registry.testing;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waiting on conditions with deadlines, never on fixed sleeps. */
public final class Await {

    static final Duration TIMEOUT = Duration.ofSeconds(15);

    private Await() {
    }

    /**
     * Polls {@code condition} every 5 ms until it holds and returns how long that took; fails
     * after {@code timeout}.
     */
    public static Duration until(String what, Duration timeout, BooleanSupplier condition) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    public static Duration until(String what, BooleanSupplier condition) {
        return until(what, TIMEOUT, condition);
    }

    /** The next element of {@code queue}; fails after {@code timeout}. */
    public static <T> T next(String what, BlockingQueue<T> queue, Duration timeout) {
        try {
            T t = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (t == null) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            return t;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        }
    }

    public static <T> T next(String what, BlockingQueue<T> queue) {
        return next(what, queue, TIMEOUT);
    }
}
