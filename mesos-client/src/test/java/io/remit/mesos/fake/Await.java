package io.remit.mesos.fake;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waiting on conditions with deadlines, for tests. */
public final class Await {

    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Await() {
    }

    /** Polls {@code condition} every few milliseconds until it holds; fails after {@code timeout}. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    public static void until(String what, BooleanSupplier condition) {
        until(what, TIMEOUT, condition);
    }

    /** The next element of {@code queue}; fails after {@link #TIMEOUT}. */
    public static <T> T next(String what, BlockingQueue<T> queue) {
        return next(what, queue, TIMEOUT);
    }

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

    /** Asserts nothing arrives in {@code queue} within {@code window}. */
    public static <T> void nothingWithin(String what, BlockingQueue<T> queue, Duration window) {
        try {
            T t = queue.poll(window.toNanos(), TimeUnit.NANOSECONDS);
            if (t != null) {
                throw new AssertionError("expected no " + what + " but got " + t);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
