package io.remit.registry.etcd;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One daemon thread that runs listener callbacks one at a time, in submission order, so a slow
 * listener delays only other listeners, never the watch or lease loops that feed it. A callback
 * that throws is logged and does not stop the ones after it. After {@link #shutdown} new
 * callbacks are dropped.
 */
public final class ListenerThread {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerThread.class);

    private final ExecutorService executor;
    private volatile Thread thread;

    public ListenerThread(String name) {
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
    }

    public void submit(Runnable callback) {
        try {
            executor.execute(() -> {
                try {
                    callback.run();
                } catch (RuntimeException | Error e) {
                    LOG.error("listener failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("listener thread stopped; dropping a callback");
        }
    }

    public boolean isCurrent() {
        return Thread.currentThread() == thread;
    }

    /** Lets queued callbacks finish, waiting up to {@code wait} (not at all from a callback). */
    public void shutdown(Duration wait) {
        executor.shutdown();
        if (isCurrent()) {
            return;
        }
        try {
            if (!executor.awaitTermination(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                LOG.warn("a listener is still busy after {}; not waiting for it", wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
