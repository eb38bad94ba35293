package io.remit.schools.core;

import io.remit.kit.DataMirror;
import io.remit.kit.ServiceData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalogue shared by every schools instance: one etcd key per school in the service's data
 * area ({@link ServiceData}), {@code /remit/data/schools/<id>}, JSON with the account number
 * sealed ({@link SchoolCodec}).
 *
 * <p>Reads come from a {@link DataMirror} watching the area, so they are local and every
 * instance converges on the same data. Writes go to etcd as transactions: create is
 * put-if-absent, update is compare-and-set on the revision read (re-applied, a few times, when
 * another write got in between). A write then waits, up to {@code visibilityWait}, until this
 * instance's cache shows it, so a client that reads back from the same instance sees its write.
 *
 * <p>A stored value that cannot be read (sealed with another key, edited by hand into nonsense)
 * is left out of the catalogue, logged by the cache, and listed by {@link #unreadable()}.
 * Thread-safe. Close it before the {@link ServiceData} it uses.
 */
public final class EtcdCatalogue implements Catalogue, AutoCloseable {

    /** Where schools live in etcd. */
    public static final String PREFIX = "/remit/data/schools/";

    private static final Logger LOG = LoggerFactory.getLogger(EtcdCatalogue.class);
    private static final int UPDATE_ATTEMPTS = 5;

    private final ServiceData data;
    private final SchoolCodec codec;
    private final Duration visibilityWait;
    private final DataMirror<SchoolRecord> cache;
    private final Map<String, String> unreadable = new ConcurrentHashMap<>();
    private final Object changed = new Object();
    private final DataMirror.Subscription subscription;

    /**
     * @param data           where the schools are kept: the service's data area, {@link #PREFIX}
     * @param visibilityWait how long a write waits to read itself back before returning anyway
     */
    public EtcdCatalogue(ServiceData data, SchoolCodec codec, Duration visibilityWait) {
        this.data = data;
        this.codec = codec;
        this.visibilityWait = visibilityWait;
        this.cache = data.mirror(this::decode);
        this.subscription = cache.subscribe(snapshot -> {
            synchronized (changed) {
                changed.notifyAll();
            }
        });
    }

    /** Starts watching; {@code false} when the first snapshot did not arrive within {@code timeout}. */
    public boolean start(Duration timeout) {
        cache.start();
        return cache.awaitReady(timeout);
    }

    private SchoolRecord decode(String id, byte[] value) {
        try {
            SchoolRecord school = codec.decode(id, value);
            unreadable.remove(id);
            return school;
        } catch (RuntimeException e) {
            unreadable.put(id, e.getMessage());
            throw e;
        }
    }

    /**
     * Stored schools this instance could not read, id to reason (never the account number). An
     * entry goes when the key is written again readably; one deleted meanwhile stays listed.
     */
    public Map<String, String> unreadable() {
        return Map.copyOf(unreadable);
    }

    @Override
    public boolean isLoaded() {
        return cache.isReady();
    }

    @Override
    public Optional<SchoolRecord> find(String id) {
        return cache.get(id);
    }

    @Override
    public Collection<SchoolRecord> all() {
        return cache.snapshot().values();
    }

    @Override
    public boolean create(SchoolRecord school) {
        if (!data.putIfAbsent(school.id(), codec.encode(school))) {
            return false;
        }
        awaitVisible("created school " + school.id(), snapshot -> snapshot.containsKey(school.id()));
        return true;
    }

    @Override
    public Optional<SchoolRecord> update(String id, UnaryOperator<SchoolRecord> change) {
        for (int attempt = 1; attempt <= UPDATE_ATTEMPTS; attempt++) {
            Optional<ServiceData.Entry> current = data.get(id);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            SchoolRecord updated = change.apply(codec.decode(id, current.get().value()));
            if (data.compareAndSet(id, current.get().revision(), codec.encode(updated))) {
                awaitVisible("updated school " + id, snapshot -> updated.equals(snapshot.get(id)));
                return Optional.of(updated);
            }
        }
        throw new ConcurrentUpdateException(id);
    }

    @Override
    public int seed(List<SchoolRecord> schools) {
        Set<String> stored = data.list().stream().map(ServiceData.Entry::name).collect(Collectors.toSet());
        List<String> added = new ArrayList<>();
        for (SchoolRecord school : schools) {
            if (!stored.contains(school.id()) && data.putIfAbsent(school.id(), codec.encode(school))) {
                added.add(school.id());
            }
        }
        awaitVisible("seeded schools", snapshot -> snapshot.keySet().containsAll(added));
        return added.size();
    }

    @Override
    public String describe() {
        return "etcd " + data.prefix();
    }

    private void awaitVisible(String what, Predicate<Map<String, SchoolRecord>> visible) {
        long deadline = System.nanoTime() + visibilityWait.toNanos();
        synchronized (changed) {
            while (!visible.test(cache.snapshot())) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warn("{}: written to etcd, but this instance's copy did not show it within {}; it will shortly",
                            what, visibilityWait);
                    return;
                }
                try {
                    changed.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        subscription.close();
        cache.close();
    }
}
