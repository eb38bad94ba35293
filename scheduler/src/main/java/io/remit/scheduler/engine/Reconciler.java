package io.remit.scheduler.engine;

import io.remit.scheduler.plan.Reconciliation;
import io.remit.scheduler.state.TaskRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out {@link Reconciliation}: explicit rounds for the tasks not yet confirmed since the
 * last (re)subscribe, then an implicit one every {@code interval}. Threading: the engine's loop
 * thread only.
 */
final class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final Reconciliation reconciliation;
    private final Cluster cluster;
    private final Clock clock;
    private final Duration interval;
    private final EngineMetrics metrics;
    private Instant lastImplicit = Instant.EPOCH;

    Reconciler(Cluster cluster, Clock clock, Duration interval, EngineMetrics metrics) {
        this.reconciliation = new Reconciliation(clock, Duration.ofSeconds(2), Duration.ofMinutes(1));
        this.cluster = cluster;
        this.clock = clock;
        this.interval = interval;
        this.metrics = metrics;
    }

    /** Subscribed (again): these tasks are to be confirmed before their records are trusted. */
    void begin(Collection<String> taskIds) {
        reconciliation.begin(List.copyOf(taskIds));
    }

    void answered(String taskId) {
        reconciliation.answered(taskId);
    }

    /** How many tasks wait for their confirmation. */
    int awaiting() {
        return reconciliation.awaiting().size();
    }

    /** Sends the round that is due, if one is; {@code tasks} finds a task's record (its agent). */
    void ifDue(Function<String, TaskRecord> tasks) {
        reconciliation.due().ifPresent(request -> {
            Map<String, String> ask = new LinkedHashMap<>();
            for (String id : request.taskIds()) {
                TaskRecord r = tasks.apply(id);
                ask.put(id, r == null ? null : r.agentId());
            }
            metrics.reconciliationRounds.inc();
            LOG.info("Reconciling {} (attempt {})", request.implicit() ? "implicitly" : ask.size() + " tasks",
                    request.attempt());
            cluster.reconcile(ask);
        });
        Instant now = clock.instant();
        if (reconciliation.complete() && now.isAfter(lastImplicit.plus(interval))) {
            lastImplicit = now;
            metrics.reconciliationRounds.inc();
            cluster.reconcile(Map.of());
        }
    }
}
