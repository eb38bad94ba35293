package io.remit.scheduler.state;

import io.remit.scheduler.spec.ServiceSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Specs in memory, for unit tests: the stand-in the {@code SpecStoreContract} keeps honest
 * against {@link EtcdSpecStore}. Revisions count writes from 1, as etcd's do from its first.
 * Thread-safe; watchers are called on the writing thread, before the write returns, under the
 * store's lock (so in order).
 */
public final class InMemorySpecStore implements SpecStore {

    private final Map<String, Stored> current = new TreeMap<>();
    /** Earlier specs by service, oldest first, as the history keeps them for rollback. */
    private final Map<String, List<ServiceSpec>> history = new TreeMap<>();
    private final List<Consumer<Map<String, ServiceSpec>>> watchers = new CopyOnWriteArrayList<>();
    private long revision;

    @Override
    public synchronized Optional<Stored> get(String id) {
        return Optional.ofNullable(current.get(id));
    }

    @Override
    public synchronized Map<String, Stored> all() {
        return new TreeMap<>(current);
    }

    @Override
    public synchronized boolean create(ServiceSpec spec) {
        if (current.containsKey(spec.id())) {
            return false;
        }
        write(spec);
        return true;
    }

    @Override
    public synchronized Outcome put(ServiceSpec spec, long expectedModRevision) {
        Stored old = current.get(spec.id());
        if (old == null) {
            if (expectedModRevision != 0) {
                return Outcome.CONFLICT;
            }
            write(spec);
            return Outcome.CREATED;
        }
        if (expectedModRevision != 0 && expectedModRevision != old.modRevision()) {
            return Outcome.CONFLICT;
        }
        history.computeIfAbsent(spec.id(), k -> new ArrayList<>()).add(old.spec());
        write(spec);
        return Outcome.REPLACED;
    }

    @Override
    public synchronized boolean delete(String id) {
        if (current.remove(id) == null) {
            return false;
        }
        changed();
        return true;
    }

    /** The service's earlier specs, oldest first. */
    public synchronized List<ServiceSpec> history(String id) {
        return List.copyOf(history.getOrDefault(id, List.of()));
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

    private void write(ServiceSpec spec) {
        current.put(spec.id(), new Stored(spec, ++revision));
        changed();
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
