package io.remit.mesos.http;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One daemon thread that runs listener callbacks one at a time, in submission order. A callback
 * that throws is logged and does not stop the ones after it.
 *
 * <p>Thread-safe: {@link #submit} from any thread; after {@link #shutdown} submissions are
 * dropped silently.
 */
public final class SerialDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(SerialDelivery.class);

    private final ExecutorService executor;
    private volatile Thread thread;

    public SerialDelivery(String threadName) {
        this.executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, threadName);
            t.setDaemon(true);
            thread = t;
            return t;
        });
    }

    /** Queues {@code callback} behind every callback submitted before it. */
    public void submit(Runnable callback) {
        try {
            executor.execute(() -> {
                try {
                    callback.run();
                } catch (RuntimeException e) {
                    LOG.error("listener failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("delivery stopped; dropping a callback");
        }
    }

    /** Whether the caller is the delivery thread, i.e. inside a callback. */
    public boolean isDeliveryThread() {
        return Thread.currentThread() == thread;
    }

    /**
     * Stops taking callbacks, lets the queued ones run, and waits for them up to {@code wait};
     * does not wait when called from a callback. Idempotent.
     */
    public void shutdown(Duration wait) {
        executor.shutdown();
        if (isDeliveryThread()) {
            return;
        }
        try {
            if (!executor.awaitTermination(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                LOG.warn("listener still busy after {}; leaving it to finish on its own", wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A factory of daemon threads named {@code name}. */
    public static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread t = new Thread(runnable, count.getAndIncrement() == 0 ? name : name + "-" + count.get());
            t.setDaemon(true);
            return t;
        };
    }
}
