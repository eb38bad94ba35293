package io.remit.scheduler.release;

import io.remit.scheduler.engine.EngineSnapshot;
import io.remit.scheduler.engine.RolloutPlan;
import io.remit.scheduler.engine.SchedulerEngine;
import io.remit.scheduler.events.SchedulerEvent;
import io.remit.scheduler.plan.Rollout;
import io.remit.scheduler.plan.TaskState;
import io.remit.scheduler.spec.InvalidSpecException;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.state.SpecCodec;
import io.remit.scheduler.state.SpecStore;
import io.remit.scheduler.state.TaskRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the deployments on the leader: every second it starts a deployment for each spec change
 * that needs new instances, moves each running one on ({@link Deployments#advance}), writes every
 * move to etcd before the engine hears of it, and tells the engine what each deployment wants
 * ({@link SchedulerEngine#rolloutsChanged}). The analysis's queries may take a couple of seconds,
 * so this runs on its own thread, not the engine's.
 */
public final class DeploymentRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeploymentRunner.class);

    /** Earlier specs of a service, newest first: where a deployment finds the spec its old instances run. */
    public interface SpecHistory {
        List<ServiceSpec> earlier(String service);
    }

    private final RecordStore<Deployment> store;
    private final SpecStore specs;
    private final SpecHistory history;
    private final SpecCodec codec;
    private final Deployments.Judge judge;
    private final Clock clock;
    private final Consumer<SchedulerEvent> events;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "deployments");
        t.setDaemon(true);
        return t;
    });
    private final ReleaseRunner releases;
    private final TrafficRecords traffic;
    /** The traffic record this leader last wrote per service (an empty map: removed). */
    private final Map<String, Map<String, Integer>> trafficWritten = new HashMap<>();
    private SchedulerEngine engine;

    public DeploymentRunner(RecordStore<Deployment> store, RecordStore<Release> releases, SpecStore specs,
                            SpecHistory history, SpecCodec codec, Deployments.Judge judge, Clock clock,
                            Consumer<SchedulerEvent> events) {
        this(store, releases, specs, history, codec, judge, clock, events, null);
    }

    /** @param traffic where the traffic records go; null to write none (tests without discovery) */
    public DeploymentRunner(RecordStore<Deployment> store, RecordStore<Release> releases, SpecStore specs,
                            SpecHistory history, SpecCodec codec, Deployments.Judge judge, Clock clock,
                            Consumer<SchedulerEvent> events, TrafficRecords traffic) {
        this.traffic = traffic;
        this.releases = new ReleaseRunner(releases, specs, codec, events);
        this.store = store;
        this.specs = specs;
        this.history = history;
        this.codec = codec;
        this.judge = judge;
        this.clock = clock;
        this.events = events;
    }

    /** What the deployments in etcd want now, for the engine's first decision. */
    public Map<String, RolloutPlan> plans(Map<String, ServiceSpec> current) {
        return plans(store.all(), current);
    }

    /** Starts moving the deployments on, every {@code every}. */
    public void start(SchedulerEngine e, Duration every) {
        this.engine = e;
        thread.scheduleWithFixedDelay(this::runOnce, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One round; public for tests. */
    public synchronized void runOnce() {
        try {
            round();
        } catch (RuntimeException ex) {
            LOG.warn("A deployments round failed; the next one tries again", ex);
        }
    }

    private void round() {
        EngineSnapshot snap = engine.snapshot();
        Instant now = clock.instant();
        List<RecordStore.Stored<Deployment>> all = store.all();
        Map<String, RecordStore.Stored<Deployment>> latest = latestByService(all);
        for (ServiceSpec spec : snap.specs().values()) {
            RecordStore.Stored<Deployment> last = latest.get(spec.id());
            if (last != null && putBackByHand(last.value(), spec)) {
                // The spec went back to what the old instances run while the deployment was under
                // way (a rollback through /v1 or /v2, or a PUT of the old spec): that is this
                // deployment rolled back, not a new one from the few new instances to the old.
                Deployment.Edit e = Deployments.rollback(last.value(), "the spec was put back to revision "
                        + spec.revision() + " while the deployment was under way", now).edit();
                e.specRestored = true;
                save(e.done(now), last.modRevision());
                all = store.all();
                latest = latestByService(all);
                continue;
            }
            Optional<Deployment> created = maybeCreate(spec, snap, last == null ? null : last.value(), now);
            if (created.isPresent()) {
                if (last != null && !last.value().state().ended()) {
                    Deployment superseded = last.value().edit()
                            .state(Deployment.State.ABORTED, "superseded by deployment " + created.get().id(), now).done(now);
                    save(superseded, last.modRevision());
                }
                all = store.all();
                latest = latestByService(all);
            }
        }
        for (RecordStore.Stored<Deployment> s : latest.values()) {
            Deployment d = s.value();
            ServiceSpec spec = snap.specs().get(d.service());
            if (d.state().ended() || spec == null) {
                continue;
            }
            Deployment next = Deployments.advance(d, view(d, spec, snap), now, judge);
            long at = s.modRevision();
            if (!next.equals(d)) {
                Optional<Long> saved = save(next, at);
                if (saved.isEmpty()) {
                    continue;
                }
                at = saved.get();
            }
            if (next.state() == Deployment.State.ROLLING_BACK && !next.specRestored()) {
                restoreSpec(next, spec, at, now);
            }
        }
        List<RecordStore.Stored<Deployment>> now2 = store.all();
        routeTraffic(latestByService(now2));
        engine.rolloutsChanged(plans(now2, snap.specs()));
        releases.round(snap, now2, now);
    }

    /**
     * Writes each service's traffic record as its latest deployment wants it, before the engine
     * hears of the round: for a blue/green switch the record must name the new version before the
     * old instances may go. Written only when it changes (a new leader writes each once).
     */
    private void routeTraffic(Map<String, RecordStore.Stored<Deployment>> latest) {
        if (traffic == null) {
            return;
        }
        latest.forEach((service, s) -> {
            Map<String, Integer> wanted = Deployments.traffic(s.value());
            Map<String, Integer> key = wanted == null ? Map.of() : wanted;
            if (key.equals(trafficWritten.get(service))) {
                return;
            }
            try {
                if (wanted == null) {
                    traffic.remove(service);
                } else {
                    traffic.put(service, wanted);
                }
                trafficWritten.put(service, key);
                LOG.info("Traffic of {}: {}", service, wanted == null ? "spread over every instance" : wanted);
            } catch (RuntimeException e) {
                LOG.warn("The traffic record of {} was not written; the next round tries again", service, e);
            }
        });
    }

    /** A deployment for the spec when its instances must be replaced and no deployment covers it yet. */
    private Optional<Deployment> maybeCreate(ServiceSpec spec, EngineSnapshot snap, Deployment last, Instant now) {
        Map<String, Integer> active = new TreeMap<>();
        for (TaskRecord t : snap.tasks().values()) {
            if (t.serviceId().equals(spec.id()) && t.state().isActive()) {
                active.merge(t.revision(), 1, Integer::sum);
            }
        }
        String to = spec.revision();
        // Instances restarted since (the engine marks them +restartN) run the spec's revision too.
        active.keySet().removeIf(rev -> to.equals(base(rev)));
        if (active.isEmpty()) {
            return Optional.empty();
        }
        long specRevision = specs.get(spec.id()).map(SpecStore.Stored::modRevision).orElse(0L);
        String id = spec.id() + "-" + specRevision;
        if (last != null) {
            // The same revision is covered by its deployment; but once that was rolled back (or
            // failed), the spec put again is a new attempt at the release, with its own deployment.
            boolean putAgain = (last.state() == Deployment.State.ROLLED_BACK || last.state() == Deployment.State.FAILED)
                    && !last.id().equals(id);
            if (last.to().equals(to) && !putAgain) {
                return Optional.empty();
            }
            boolean backToFrom = to.equals(base(last.from()));
            if (backToFrom && (last.state() == Deployment.State.ROLLING_BACK || last.state() == Deployment.State.ROLLED_BACK
                    || last.state() == Deployment.State.FAILED)) {
                return Optional.empty();
            }
        }
        String from = active.entrySet().stream()
                .max(Map.Entry.<String, Integer>comparingByValue()
                        .thenComparing(Map.Entry::getKey, Comparator.<String>reverseOrder()))
                .get().getKey();
        ServiceSpec old = history.earlier(spec.id()).stream().filter(s -> s.revision().equals(base(from))).findFirst().orElse(null);
        Deployment d = Deployments.create(id, spec, from, old == null ? null : old.version(),
                old == null ? null : codec.encode(old), now, releases.releaseOf(spec.id(), to).orElse(null), null, "remit");
        if (store.create(d)) {
            LOG.info("Deployment {} of {}: {} -> {} ({})", id, spec.id(), from, to, d.strategy());
            tell(d);
        }
        return Optional.of(d);
    }

    /** Whether {@code spec} is back on the revision {@code d} goes from while {@code d} still runs. */
    private static boolean putBackByHand(Deployment d, ServiceSpec spec) {
        return (d.state() == Deployment.State.RUNNING || d.state() == Deployment.State.PAUSED) && d.from() != null
                && d.fromSpec() != null && spec.revision().equals(base(d.from())) && !spec.revision().equals(d.to());
    }

    /** A revision without the engine's restart mark. */
    private static String base(String revision) {
        if (revision == null) {
            return null;
        }
        int plus = revision.indexOf("+restart");
        return plus < 0 ? revision : revision.substring(0, plus);
    }

    private void restoreSpec(Deployment d, ServiceSpec current, long at, Instant now) {
        ServiceSpec old;
        try {
            old = codec.decode(d.fromSpec());
        } catch (InvalidSpecException e) {
            LOG.error("Deployment {}: the old spec cannot be read back ({}); it stays rolling back", d.id(), e.getMessage());
            return;
        }
        ServiceSpec restored = old.withInstances(current.instances());
        if (!restored.equals(current)) {
            SpecStore.Outcome o = specs.put(restored, 0);
            if (o == SpecStore.Outcome.CONFLICT) {
                return;
            }
        }
        Deployment.Edit e = d.edit();
        e.specRestored = true;
        save(e.done(now), at);
    }

    private Deployments.View view(Deployment d, ServiceSpec spec, EngineSnapshot snap) {
        Map<String, Integer> active = new HashMap<>();
        Map<String, Integer> healthy = new HashMap<>();
        Map<String, List<String>> ids = new HashMap<>();
        for (TaskRecord t : snap.tasks().values()) {
            if (!t.serviceId().equals(d.service()) || !t.state().isActive()) {
                continue;
            }
            active.merge(t.revision(), 1, Integer::sum);
            ids.computeIfAbsent(t.revision(), k -> new ArrayList<>()).add(t.taskId());
            if (t.state() == TaskState.HEALTHY) {
                healthy.merge(t.revision(), 1, Integer::sum);
            }
        }
        Map<String, Integer> failed = new HashMap<>();
        for (TaskRecord t : snap.recentlyEnded()) {
            if (t.serviceId().equals(d.service()) && (t.state() == TaskState.FAILED || t.state() == TaskState.LOST)
                    && t.updatedAt() != null && !t.updatedAt().isBefore(d.createdAt())) {
                failed.merge(t.revision(), 1, Integer::sum);
            }
        }
        return new Deployments.View(spec.instances(), active, healthy, ids, failed);
    }

    private Map<String, RolloutPlan> plans(List<RecordStore.Stored<Deployment>> all, Map<String, ServiceSpec> current) {
        Map<String, RolloutPlan> out = new TreeMap<>();
        latestByService(all).forEach((service, s) -> {
            Deployment d = s.value();
            ServiceSpec spec = current.get(service);
            if (spec == null) {
                return;
            }
            if (d.state() != Deployment.State.ABORTED && !spec.revision().equals(d.to())
                    && !(d.state() == Deployment.State.ROLLING_BACK && spec.revision().equals(base(d.from())))) {
                return;
            }
            Rollout r = Deployments.rollout(d, spec.instances());
            if (r == null) {
                return;
            }
            Map<String, ServiceSpec> specsByRevision = new HashMap<>();
            if (d.from() != null && d.fromSpec() != null) {
                try {
                    specsByRevision.put(d.from(), codec.decode(d.fromSpec()).withInstances(spec.instances()));
                } catch (InvalidSpecException e) {
                    LOG.warn("Deployment {}: the old spec cannot be read back: {}", d.id(), e.getMessage());
                }
            }
            out.put(service, new RolloutPlan(r, specsByRevision));
        });
        return out;
    }

    private static Map<String, RecordStore.Stored<Deployment>> latestByService(List<RecordStore.Stored<Deployment>> all) {
        Map<String, RecordStore.Stored<Deployment>> latest = new TreeMap<>();
        for (RecordStore.Stored<Deployment> s : all) {
            latest.merge(s.value().service(), s, (a, b) -> b.value().createdAt().isBefore(a.value().createdAt()) ? a : b);
        }
        return latest;
    }

    /** Writes the move; empty when another writer moved it first (the next round reads it again). */
    private Optional<Long> save(Deployment d, long expected) {
        if (!store.update(d, expected)) {
            return Optional.empty();
        }
        LOG.info("Deployment {}: {} ({})", d.id(), d.state().text(), d.reason());
        tell(d);
        return store.get(d.id()).map(RecordStore.Stored::modRevision);
    }

    private void tell(Deployment d) {
        try {
            events.accept(new SchedulerEvent.DeploymentChanged(d.id(), d.state().text(), DeploymentView.of(d)));
        } catch (RuntimeException e) {
            LOG.warn("The event for deployment {} was not recorded", d.id(), e);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
