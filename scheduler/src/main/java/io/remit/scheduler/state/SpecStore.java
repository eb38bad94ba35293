package io.remit.scheduler.state;

import io.remit.registry.KeyValue;
import io.remit.registry.KeyValues;
import io.remit.registry.Keys;
import io.remit.scheduler.spec.InvalidSpecException;
import io.remit.scheduler.spec.ServiceSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Desired state: each service's current spec at {@code /remit/services/<id>/spec}, and every
 * earlier one under {@code /remit/services/<id>/history/<etcd revision>} for rollback.
 * Thread-safe.
 */
public final class SpecStore {

    private static final Logger LOG = LoggerFactory.getLogger(SpecStore.class);

    private final KeyValues kv;
    private final SpecCodec codec;

    /** Secret env values stored as given: for tests and tools that configure no key. */
    public SpecStore(KeyValues kv) {
        this(kv, SpecCodec.plain());
    }

    public SpecStore(KeyValues kv, SpecCodec codec) {
        this.kv = kv;
        this.codec = codec;
    }

    /** A spec as stored, with the etcd revision that last changed it. */
    public record Stored(ServiceSpec spec, long modRevision) {
    }

    public Optional<Stored> get(String id) {
        return kv.get(Keys.serviceSpec(id)).flatMap(this::decode);
    }

    /** Every service's spec, by id. */
    public Map<String, Stored> all() {
        Map<String, Stored> out = new LinkedHashMap<>();
        for (KeyValue entry : kv.list(Keys.SERVICES)) {
            if (entry.key().endsWith("/spec")) {
                decode(entry).ifPresent(s -> out.put(s.spec().id(), s));
            }
        }
        return out;
    }

    /** Creates the service; false when one with that id exists already. */
    public boolean create(ServiceSpec spec) {
        return kv.putIfAbsent(Keys.serviceSpec(spec.id()), codec.encode(spec));
    }

    /** What {@link #put} did. */
    public enum Outcome { CREATED, REPLACED, CONFLICT }

    /**
     * Creates the service, or replaces its spec if it is still at {@code expectedModRevision}
     * (0: whatever is there now), keeping the old one in the history. CONFLICT when someone
     * changed it in between.
     */
    public Outcome put(ServiceSpec spec, long expectedModRevision) {
        Optional<Stored> old = get(spec.id());
        if (old.isEmpty()) {
            return expectedModRevision == 0 && kv.putIfAbsent(Keys.serviceSpec(spec.id()), codec.encode(spec))
                    ? Outcome.CREATED : Outcome.CONFLICT;
        }
        long expected = expectedModRevision != 0 ? expectedModRevision : old.get().modRevision();
        if (!kv.compareAndSet(Keys.serviceSpec(spec.id()), expected, codec.encode(spec))) {
            return Outcome.CONFLICT;
        }
        kv.put(Keys.SERVICES + spec.id() + "/history/" + old.get().modRevision(), codec.encode(old.get().spec()));
        return Outcome.REPLACED;
    }

    /** Removes the service's spec (its history stays). */
    public boolean delete(String id) {
        return kv.delete(Keys.serviceSpec(id));
    }

    /** The specs among raw keys and values under /remit/services/ (a watch's snapshot), by id; history skipped. */
    public Map<String, ServiceSpec> specs(Map<String, byte[]> raw) {
        Map<String, ServiceSpec> out = new java.util.TreeMap<>();
        raw.forEach((key, value) -> {
            if (key.endsWith("/spec")) {
                try {
                    ServiceSpec spec = codec.decode(new String(value, java.nio.charset.StandardCharsets.UTF_8));
                    out.put(spec.id(), spec);
                } catch (InvalidSpecException e) {
                    LOG.warn("Ignoring unreadable spec {}: {}", key, e.getMessage());
                }
            }
        });
        return out;
    }

    private Optional<Stored> decode(KeyValue entry) {
        try {
            return Optional.of(new Stored(codec.decode(entry.string()), entry.modRevision()));
        } catch (InvalidSpecException e) {
            LOG.warn("Skipping unreadable spec at {}: {}", entry.key(), e.getMessage());
            return Optional.empty();
        }
    }
}
