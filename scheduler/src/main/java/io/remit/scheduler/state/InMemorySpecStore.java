package io.remit.scheduler.state;

import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.spec.SpecRevision;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Specs and their revisions in memory, for unit tests: the stand-in the {@code SpecStoreContract}
 * keeps honest against {@link EtcdSpecStore}. Mod revisions count writes from 1, as etcd's do from
 * its first. Thread-safe; watchers are called on the writing thread, before the write returns,
 * under the store's lock (so in order).
 */
public final class InMemorySpecStore implements SpecStore {

    private final Map<String, Stored> current = new TreeMap<>();
    /** Each service's revisions, oldest first. */
    private final Map<String, List<Revision>> revisions = new TreeMap<>();
    private final List<Consumer<Map<String, ServiceSpec>>> watchers = new CopyOnWriteArrayList<>();
    private final Clock clock;
    private final Consumer<Revision> made;
    private long revision;

    public InMemorySpecStore() {
        this(Clock.systemUTC(), r -> { });
    }

    /** As {@link EtcdSpecStore#EtcdSpecStore(io.remit.registry.etcd.Etcd, SpecCodec, Clock, Consumer)}. */
    public InMemorySpecStore(Clock clock, Consumer<Revision> made) {
        this.clock = clock;
        this.made = made;
    }

    @Override
    public synchronized Optional<Stored> get(String id) {
        return Optional.ofNullable(current.get(id));
    }

    @Override
    public synchronized Map<String, Stored> all() {
        return new TreeMap<>(current);
    }

    @Override
    public synchronized Written create(ServiceSpec spec, Change change) {
        if (current.containsKey(spec.id())) {
            return new Written(Outcome.CONFLICT, null);
        }
        return write(spec, null, change);
    }

    @Override
    public synchronized Written put(ServiceSpec spec, long expectedModRevision, Change change) {
        Stored old = current.get(spec.id());
        if (old == null) {
            return expectedModRevision != 0 ? new Written(Outcome.CONFLICT, null) : write(spec, null, change);
        }
        if (expectedModRevision != 0 && expectedModRevision != old.modRevision()) {
            return new Written(Outcome.CONFLICT, null);
        }
        return write(spec, old.spec(), change);
    }

    @Override
    public synchronized boolean delete(String id) {
        if (current.remove(id) == null) {
            return false;
        }
        changed();
        return true;
    }

    @Override
    public synchronized List<Revision> revisions(String id) {
        List<Revision> out = new ArrayList<>(revisions.getOrDefault(id, List.of()));
        java.util.Collections.reverse(out);
        return out;
    }

    @Override
    public synchronized Optional<Revision> revision(String id, long number) {
        return revisions.getOrDefault(id, List.of()).stream().filter(r -> r.number() == number).findFirst();
    }

    @Override
    public synchronized Watch watch(Duration ready) {
        List<Consumer<Map<String, ServiceSpec>>> mine = new CopyOnWriteArrayList<>();
        return new Watch() {
            @Override
            public Map<String, ServiceSpec> current() {
                return specs();
            }

            @Override
            public void subscribe(Consumer<Map<String, ServiceSpec>> listener) {
                synchronized (InMemorySpecStore.this) {
                    mine.add(listener);
                    watchers.add(listener);
                    listener.accept(specs());
                }
            }

            @Override
            public void close() {
                watchers.removeAll(mine);
            }
        };
    }

    private Written write(ServiceSpec spec, ServiceSpec old, Change change) {
        List<Revision> kept = revisions.computeIfAbsent(spec.id(), k -> new ArrayList<>());
        Revision newest = kept.isEmpty() ? null : kept.get(kept.size() - 1);
        RevisionRule.Plan plan = RevisionRule.of(spec.id(), old, newest == null ? 0 : newest.number(),
                newest == null ? null : newest.settings(), spec, change, clock.instant());
        kept.addAll(plan.all());
        current.put(spec.id(), new Stored(spec, ++revision));
        changed();
        plan.all().forEach(made);
        return new Written(old == null ? Outcome.CREATED : Outcome.REPLACED, plan.made());
    }

    private synchronized Map<String, ServiceSpec> specs() {
        Map<String, ServiceSpec> out = new TreeMap<>();
        current.forEach((id, s) -> out.put(id, s.spec()));
        return out;
    }

    private void changed() {
        Map<String, ServiceSpec> now = specs();
        for (Consumer<Map<String, ServiceSpec>> w : watchers) {
            w.accept(now);
        }
    }
}
