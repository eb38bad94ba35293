package io.remit.scheduler.release;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.remit.registry.Etcd;
import io.remit.registry.KeyValue;
import io.remit.registry.KeyValues;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deployments as stored: in etcd under {@code /remit/deployments/<id>} ({@link #etcd}), or in
 * memory for unit tests ({@link #inMemory}). Every change is a compare-and-set on the record's
 * etcd revision, so two schedulers that both think they lead cannot both move one.
 */
public interface DeploymentStore {

    String PREFIX = "/remit/deployments/";

    /** A deployment with the etcd revision it was read at. */
    record Stored(Deployment deployment, long modRevision) {
    }

    /** Stores a new deployment; false when one with its id exists already. */
    boolean create(Deployment d);

    Optional<Stored> get(String id);

    /** Every deployment, oldest first. */
    List<Stored> all();

    /** Replaces the deployment if it is still at {@code expected}; false when it moved in between. */
    boolean update(Deployment d, long expected);

    ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    static DeploymentStore etcd(Etcd etcd) {
        KeyValues kv = new KeyValues(etcd);
        Logger log = LoggerFactory.getLogger(DeploymentStore.class);
        return new DeploymentStore() {
            @Override
            public boolean create(Deployment d) {
                return kv.putIfAbsent(PREFIX + d.id(), write(d));
            }

            @Override
            public Optional<Stored> get(String id) {
                return kv.get(PREFIX + id).flatMap(this::read);
            }

            @Override
            public List<Stored> all() {
                List<Stored> out = new ArrayList<>();
                for (KeyValue e : kv.list(PREFIX)) {
                    read(e).ifPresent(out::add);
                }
                out.sort(Comparator.comparing((Stored s) -> s.deployment().createdAt()).thenComparing(s -> s.deployment().id()));
                return out;
            }

            @Override
            public boolean update(Deployment d, long expected) {
                return kv.compareAndSet(PREFIX + d.id(), expected, write(d));
            }

            private Optional<Stored> read(KeyValue e) {
                try {
                    return Optional.of(new Stored(JSON.readValue(e.string(), Deployment.class), e.modRevision()));
                } catch (JsonProcessingException ex) {
                    log.warn("Skipping unreadable deployment at {}: {}", e.key(), ex.getOriginalMessage());
                    return Optional.empty();
                }
            }
        };
    }

    static DeploymentStore inMemory() {
        return new DeploymentStore() {
            private final Map<String, Stored> all = new TreeMap<>();
            private long revision;

            @Override
            public synchronized boolean create(Deployment d) {
                if (all.containsKey(d.id())) {
                    return false;
                }
                all.put(d.id(), new Stored(d, ++revision));
                return true;
            }

            @Override
            public synchronized Optional<Stored> get(String id) {
                return Optional.ofNullable(all.get(id));
            }

            @Override
            public synchronized List<Stored> all() {
                List<Stored> out = new ArrayList<>(all.values());
                out.sort(Comparator.comparing((Stored s) -> s.deployment().createdAt()).thenComparing(s -> s.deployment().id()));
                return out;
            }

            @Override
            public synchronized boolean update(Deployment d, long expected) {
                Stored now = all.get(d.id());
                if (now == null || now.modRevision() != expected) {
                    return false;
                }
                all.put(d.id(), new Stored(d, ++revision));
                return true;
            }
        };
    }

    static String write(Deployment d) {
        try {
            return JSON.writeValueAsString(d);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot happen: a deployment is plain data", e);
        }
    }
}
