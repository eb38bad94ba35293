package io.remit.scheduler.release;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.KeyValue;
import io.remit.registry.etcd.KeyValues;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records kept as JSON, one key each under a prefix: deployments ({@code /remit/deployments/}),
 * releases ({@code /remit/releases/}). In etcd ({@link #etcd}) or in memory for unit tests
 * ({@link #inMemory}). Every change is a compare-and-set on the record's etcd revision, so two
 * schedulers that both think they lead cannot both move one.
 */
public interface RecordStore<T> {

    /** A record with the etcd revision it was read at. */
    record Stored<T>(T value, long modRevision) {
    }

    /** Stores a new record; false when one with its id exists already. */
    boolean create(T value);

    /**
     * A mark that moves whenever a record is created: read it before the records a new one is
     * checked against, then {@link #createIfUnchanged create} on condition that it has not moved.
     */
    long mark();

    /**
     * As {@link #create}, only if no record was created since {@code mark} was read: false when
     * one was (check again against the records now), or one with its id exists.
     */
    boolean createIfUnchanged(T value, long mark);

    Optional<Stored<T>> get(String id);

    /** Every record, oldest first. */
    List<Stored<T>> all();

    /** Replaces the record if it is still at {@code expected}; false when it moved in between. */
    boolean update(T value, long expected);

    ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    String DEPLOYMENTS = "/remit/deployments/";
    String RELEASES = "/remit/releases/";

    /** Where each store's {@link #mark()} is kept, by the store's prefix's last segment ({@code deployments}). */
    String GUARDS = "/remit/guard/";

    static RecordStore<Deployment> deployments(Etcd etcd) {
        return etcd(etcd, DEPLOYMENTS, Deployment.class, Deployment::id, Comparator.comparing(Deployment::createdAt));
    }

    static RecordStore<Release> releases(Etcd etcd) {
        return etcd(etcd, RELEASES, Release.class, Release::id, Comparator.comparing(Release::createdAt));
    }

    static <T> RecordStore<T> etcd(Etcd etcd, String prefix, Class<T> type, Function<T, String> id, Comparator<T> order) {
        KeyValues kv = new KeyValues(etcd);
        Logger log = LoggerFactory.getLogger(RecordStore.class);
        String guard = GUARDS + prefix.replaceAll("/+$", "").replaceAll(".*/", "");
        return new RecordStore<>() {
            @Override
            public boolean create(T value) {
                String key = prefix + id.apply(value);
                return kv.txn().ifAbsent(key).put(key, write(value)).put(guard, id.apply(value)).commit();
            }

            @Override
            public long mark() {
                return kv.get(guard).map(KeyValue::modRevision).orElse(0L);
            }

            @Override
            public boolean createIfUnchanged(T value, long mark) {
                String key = prefix + id.apply(value);
                return kv.txn().ifModRevision(guard, mark).ifAbsent(key).put(key, write(value))
                        .put(guard, id.apply(value)).commit();
            }

            @Override
            public Optional<Stored<T>> get(String key) {
                return kv.get(prefix + key).flatMap(this::read);
            }

            @Override
            public List<Stored<T>> all() {
                List<Stored<T>> out = new ArrayList<>();
                for (KeyValue e : kv.list(prefix)) {
                    read(e).ifPresent(out::add);
                }
                out.sort(Comparator.comparing((Stored<T> s) -> s.value(), order.thenComparing(id)));
                return out;
            }

            @Override
            public boolean update(T value, long expected) {
                return kv.compareAndSet(prefix + id.apply(value), expected, write(value));
            }

            private Optional<Stored<T>> read(KeyValue e) {
                try {
                    return Optional.of(new Stored<>(JSON.readValue(e.string(), type), e.modRevision()));
                } catch (JsonProcessingException ex) {
                    log.warn("Skipping unreadable record at {}: {}", e.key(), ex.getOriginalMessage());
                    return Optional.empty();
                }
            }
        };
    }

    static <T> RecordStore<T> inMemory(Function<T, String> id, Comparator<T> order) {
        return new RecordStore<>() {
            private final Map<String, Stored<T>> all = new TreeMap<>();
            private long revision;
            private long created;

            @Override
            public synchronized boolean create(T value) {
                if (all.containsKey(id.apply(value))) {
                    return false;
                }
                all.put(id.apply(value), new Stored<>(value, ++revision));
                created = revision;
                return true;
            }

            @Override
            public synchronized long mark() {
                return created;
            }

            @Override
            public synchronized boolean createIfUnchanged(T value, long mark) {
                return created == mark && create(value);
            }

            @Override
            public synchronized Optional<Stored<T>> get(String key) {
                return Optional.ofNullable(all.get(key));
            }

            @Override
            public synchronized List<Stored<T>> all() {
                List<Stored<T>> out = new ArrayList<>(all.values());
                out.sort(Comparator.comparing((Stored<T> s) -> s.value(), order.thenComparing(id)));
                return out;
            }

            @Override
            public synchronized boolean update(T value, long expected) {
                Stored<T> now = all.get(id.apply(value));
                if (now == null || now.modRevision() != expected) {
                    return false;
                }
                all.put(id.apply(value), new Stored<>(value, ++revision));
                return true;
            }
        };
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot happen: a record is plain data", e);
        }
    }
}
