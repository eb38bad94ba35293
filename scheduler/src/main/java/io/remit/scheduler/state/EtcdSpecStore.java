package io.remit.scheduler.state;

import io.remit.registry.Etcd;
import io.remit.registry.KeyValue;
import io.remit.registry.KeyValues;
import io.remit.registry.Keys;
import io.remit.registry.PrefixCache;
import io.remit.scheduler.spec.InvalidSpecException;
import io.remit.scheduler.spec.ServiceSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Specs in etcd: each service's current one at {@code /remit/services/<id>/spec}, and every
 * earlier one under {@code /remit/services/<id>/history/<etcd revision>} for rollback; a
 * {@link Stored#modRevision()} is etcd's. Thread-safe.
 */
public final class EtcdSpecStore implements SpecStore {

    private static final Logger LOG = LoggerFactory.getLogger(EtcdSpecStore.class);

    private final Etcd etcd;
    private final KeyValues kv;
    private final SpecCodec codec;

    /** Secret env values stored as given: for tests and tools that configure no key. */
    public EtcdSpecStore(Etcd etcd) {
        this(etcd, SpecCodec.plain());
    }

    public EtcdSpecStore(Etcd etcd, SpecCodec codec) {
        this.etcd = etcd;
        this.kv = new KeyValues(etcd);
        this.codec = codec;
    }

    @Override
    public Optional<Stored> get(String id) {
        return kv.get(Keys.serviceSpec(id)).flatMap(this::decode);
    }

    @Override
    public Map<String, Stored> all() {
        Map<String, Stored> out = new LinkedHashMap<>();
        for (KeyValue entry : kv.list(Keys.SERVICES)) {
            if (entry.key().endsWith("/spec")) {
                decode(entry).ifPresent(s -> out.put(s.spec().id(), s));
            }
        }
        return out;
    }

    @Override
    public boolean create(ServiceSpec spec) {
        return kv.putIfAbsent(Keys.serviceSpec(spec.id()), codec.encode(spec));
    }

    @Override
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

    @Override
    public boolean delete(String id) {
        return kv.delete(Keys.serviceSpec(id));
    }

    /** Watches {@code /remit/services/} with a cache of its own, closed with the watch. */
    @Override
    public Watch watch(java.time.Duration ready) {
        PrefixCache<byte[]> cache = new PrefixCache<>(etcd, Keys.SERVICES, (key, value) -> value).start();
        if (!cache.awaitReady(ready)) {
            LOG.warn("The specs were not read from etcd within {}; going on with what is known", ready);
        }
        return new Watch() {
            @Override
            public Map<String, ServiceSpec> current() {
                return specs(cache.snapshot());
            }

            @Override
            public void subscribe(java.util.function.Consumer<Map<String, ServiceSpec>> listener) {
                cache.subscribe(raw -> listener.accept(specs(raw)));
            }

            @Override
            public void close() {
                cache.close();
            }
        };
    }

    /** The specs among raw keys and values under /remit/services/ (a watch's snapshot), by id; history skipped. */
    private Map<String, ServiceSpec> specs(Map<String, byte[]> raw) {
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
