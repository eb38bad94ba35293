package io.remit.registry.discovery;

import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.Keys;
import io.remit.registry.etcd.MapDiff;
import io.remit.registry.etcd.PrefixCache;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What decides which version of a service a call goes to, watched live: every service's
 * {@link TrafficSplit} under {@code /remit/traffic/} and every {@link Experiment} under
 * {@code /remit/experiments/}. A record that does not parse is logged and left out (as if absent:
 * calls are routed as without it). Each change is logged.
 *
 * <p>Reads are non-blocking and thread-safe, and return the same map object until something
 * changes, so a reader may keep what it derived from one keyed by its identity. Same failure
 * contract as {@link PrefixCache}: the rules stay readable while etcd is away.
 */
public final class TrafficRules implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrafficRules.class);

    private final PrefixCache<TrafficSplit> splits;
    private final PrefixCache<Experiment> experiments;

    public TrafficRules(Etcd etcd) {
        this.splits = new PrefixCache<>(etcd, Keys.TRAFFIC, TrafficSplit::fromJson);
        this.experiments = new PrefixCache<>(etcd, Keys.EXPERIMENTS, Experiment::fromJson);
        logChanges(splits, "traffic split of", s -> s.versions().toString());
        logChanges(experiments, "experiment", e -> new String(e.toJson(), java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Starts watching; returns at once. */
    public TrafficRules start() {
        splits.start();
        experiments.start();
        return this;
    }

    /** Waits for the first reading of both; {@code false} if etcd did not deliver them within {@code timeout}. */
    public boolean awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        return splits.awaitReady(timeout) && experiments.awaitReady(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    /** Each service's traffic split, by service; immutable, the same object until one changes. */
    public Map<String, TrafficSplit> splits() {
        return splits.snapshot();
    }

    /** Every experiment, by name; immutable, the same object until one changes. */
    public Map<String, Experiment> experiments() {
        return experiments.snapshot();
    }

    @Override
    public void close() {
        splits.close();
        experiments.close();
    }

    private static <T> void logChanges(PrefixCache<T> cache, String what, Function<T, String> describe) {
        AtomicReference<Map<String, T>> previous = new AtomicReference<>();
        cache.subscribe(snapshot -> {
            Map<String, T> before = previous.getAndSet(snapshot);
            if (before != null) {
                MapDiff.visit(before, snapshot, (key, b, a) -> LOG.info("{} {}: {} -> {}", what, key,
                        b.map(describe).orElse("(absent)"), a.map(describe).orElse("(absent)")));
            } else if (!snapshot.isEmpty()) {
                snapshot.forEach((key, value) -> LOG.info("{} {}: {}", what, key, describe.apply(value)));
            }
        });
    }
}
