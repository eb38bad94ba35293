package io.remit.scheduler;

import io.remit.scheduler.engine.EngineSnapshot;
import io.remit.scheduler.engine.SchedulerEngine;
import io.remit.scheduler.state.EtcdAccessSweep;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link EtcdAccessSweep} on a thread of its own while this scheduler leads: every
 * {@code interval}, and at once when {@link #runSoon() asked} (on election). Passes never overlap;
 * one that fails is logged and the next one tries again.
 */
final class AccessChore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AccessChore.class);

    private final EtcdAccessSweep sweep;
    private final Supplier<SchedulerEngine> leading;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "etcd-access-sweep");
        t.setDaemon(true);
        return t;
    });

    /** @param leading the engine while this scheduler leads, else null */
    AccessChore(EtcdAccessSweep sweep, Supplier<SchedulerEngine> leading, Duration interval) {
        this.sweep = sweep;
        this.leading = leading;
        long ms = interval.toMillis();
        thread.scheduleWithFixedDelay(this::pass, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** A pass as soon as the thread is free. */
    void runSoon() {
        try {
            thread.execute(this::pass);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: the scheduler is stopping
        }
    }

    private void pass() {
        SchedulerEngine engine = leading.get();
        if (engine == null) {
            return;
        }
        try {
            EngineSnapshot s = engine.snapshot();
            List<String> removed = sweep.sweep(s.specs().keySet(), s.tasks().values());
            if (!removed.isEmpty()) {
                LOG.info("Removed the etcd users of deleted services {}", removed);
            }
        } catch (RuntimeException e) {
            LOG.warn("The sweep of deleted services' etcd users failed (tried again in a moment): {}", e.toString());
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
