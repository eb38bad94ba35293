package io.remit.scheduler.engine;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's one thread: everything that touches the engine's state runs here, in the order it
 * was posted. A step that throws is logged and the loop goes on (the state is kept; the next
 * event retries).
 */
final class EngineLoop {

    private static final Logger LOG = LoggerFactory.getLogger(EngineLoop.class);

    private final ScheduledExecutorService executor;

    EngineLoop(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    /** Runs {@code action} on the loop later; returns at once. */
    void post(Runnable action) {
        executor.execute(() -> safely(action));
    }

    /** Runs {@code action} on the loop every {@code period}, the first time after one period. */
    void every(Duration period, Runnable action) {
        long ms = period.toMillis();
        executor.scheduleWithFixedDelay(() -> safely(action), ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code action} on the loop and waits (up to 30 s) for its answer. */
    <T> T call(Supplier<T> action) {
        try {
            return CompletableFuture.supplyAsync(action, executor).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("scheduler engine did not answer: " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code action} on the loop; the stage completes when it returned, and fails with what
     * it threw, or when the loop is closed.
     */
    CompletionStage<Void> attempt(Runnable action) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    action.run();
                    done.complete(null);
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(e); // the engine was closed
        }
        return done;
    }

    void close() {
        executor.shutdownNow();
    }

    private static void safely(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.error("Scheduler engine step failed; state is kept and the next event retries", e);
        }
    }
}
