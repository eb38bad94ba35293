package io.remit.localcluster.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waiting on conditions with deadlines, never for a fixed time. */
final class Await {

    static final Duration TIMEOUT = Duration.ofSeconds(15);

    private Await() {
    }

    /** Polls {@code condition} every 10 ms until it holds; fails after {@code timeout}. */
    static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    static void until(String what, BooleanSupplier condition) {
        until(what, TIMEOUT, condition);
    }

    /** The future's value; fails with its cause, or after {@link #TIMEOUT}. */
    static <T> T done(String what, CompletableFuture<T> future) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("timed out after " + TIMEOUT + " waiting for " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        }
    }

    /**
     * Whether the process {@code pid} has ended. A zombie has: an orphan is reaped by init, which
     * may take its time (seconds in some containers), and Java calls a zombie alive.
     */
    static boolean exited(long pid) {
        if (ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) {
            return true;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException | RuntimeException e) {
            return !Files.isDirectory(Path.of("/proc", Long.toString(pid)));
        }
    }
}
