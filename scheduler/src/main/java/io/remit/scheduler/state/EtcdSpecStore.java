package io.remit.scheduler.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.Json;
import io.remit.registry.etcd.KeyValue;
import io.remit.registry.etcd.KeyValues;
import io.remit.registry.etcd.Keys;
import io.remit.registry.etcd.PrefixCache;
import io.remit.scheduler.spec.InvalidSpecException;
import io.remit.scheduler.spec.ServiceSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Specs in etcd: each service's current one at {@code /remit/services/<id>/spec}, its revisions
 * at {@code /remit/revisions/<id>/<n>}, written together in one etcd transaction (so a write
 * acknowledged is never found without its revision, whatever stops when); a
 * {@link Stored#modRevision()} is etcd's. Secret env values are sealed by the {@link SpecCodec}
 * in revisions as in specs. Thread-safe.
 *
 * <p>Before revisions, a replaced spec was copied to {@code /remit/services/<id>/history/<etcd
 * revision>}; those keys are left as they are and no longer written.
 */
public final class EtcdSpecStore implements SpecStore {

    private static final Logger LOG = LoggerFactory.getLogger(EtcdSpecStore.class);

    private final Etcd etcd;
    private final KeyValues kv;
    private final SpecCodec codec;
    private final Clock clock;
    private final Consumer<Revision> made;

    /** Secret env values stored as given: for tests and tools that configure no key. */
    public EtcdSpecStore(Etcd etcd) {
        this(etcd, SpecCodec.plain());
    }

    public EtcdSpecStore(Etcd etcd, SpecCodec codec) {
        this(etcd, codec, Clock.systemUTC(), r -> { });
    }

    /**
     * @param clock when revisions are made
     * @param made  told of each revision once it is stored, on the writing thread (the event journal)
     */
    public EtcdSpecStore(Etcd etcd, SpecCodec codec, Clock clock, Consumer<Revision> made) {
        this.etcd = etcd;
        this.kv = new KeyValues(etcd);
        this.codec = codec;
        this.clock = clock;
        this.made = made;
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
    public Written create(ServiceSpec spec, Change change) {
        Written w = write(spec, null, 0, change);
        return w.outcome() == Outcome.CONFLICT ? w : new Written(Outcome.CREATED, w.revision());
    }

    @Override
    public Written put(ServiceSpec spec, long expectedModRevision, Change change) {
        Optional<Stored> old = get(spec.id());
        if (old.isEmpty()) {
            return expectedModRevision == 0 ? write(spec, null, 0, change) : new Written(Outcome.CONFLICT, null);
        }
        if (expectedModRevision != 0 && expectedModRevision != old.get().modRevision()) {
            return new Written(Outcome.CONFLICT, null);
        }
        return write(spec, old.get().spec(), old.get().modRevision(), change);
    }

    /**
     * Writes the spec, if its key is still at {@code basis} (0: absent), with the revisions the
     * {@link RevisionRule} asks for, all in one transaction that also requires each revision's key
     * to be free: a concurrent writer makes this one a CONFLICT, never a lost or doubled revision.
     */
    private Written write(ServiceSpec spec, ServiceSpec old, long basis, Change change) {
        String key = Keys.serviceSpec(spec.id());
        // The highest number, not the key created last: a revision key written again (an etcd
        // restored from a backup, a key deleted by hand and recorded anew) must not make the next
        // number one that exists, which would refuse every change as a conflict.
        long newestNumber = kv.keysUnder(Keys.revisionsPrefix(spec.id())).stream().mapToLong(EtcdSpecStore::number)
                .max().orElse(0L);
        Optional<KeyValue> newest = newestNumber == 0 ? Optional.empty() : kv.get(Keys.revision(spec.id(), newestNumber));
        String newestFingerprint = newest.flatMap(this::decodeRevision).map(Revision::settings).orElse(null);
        RevisionRule.Plan plan = RevisionRule.of(spec.id(), old, newestNumber, newestFingerprint, spec, change,
                clock.instant());
        KeyValues.Txn txn = kv.txn().ifModRevision(key, basis).put(key, codec.encode(spec));
        for (Revision r : plan.all()) {
            String at = Keys.revision(r.service(), r.number());
            txn.ifAbsent(at).put(at, encode(r));
        }
        if (!txn.commit()) {
            return new Written(Outcome.CONFLICT, null);
        }
        for (Revision r : plan.all()) {
            try {
                made.accept(r);
            } catch (RuntimeException e) {
                LOG.warn("Telling of revision {} of {} failed", r.number(), r.service(), e);
            }
        }
        return new Written(old == null ? Outcome.CREATED : Outcome.REPLACED, plan.made());
    }

    @Override
    public List<Revision> revisions(String id) {
        List<Revision> out = new ArrayList<>();
        for (KeyValue entry : kv.list(Keys.revisionsPrefix(id))) {
            decodeRevision(entry).ifPresent(out::add);
        }
        out.sort(Comparator.comparingLong(Revision::number).reversed());
        return out;
    }

    @Override
    public Optional<Revision> revision(String id, long number) {
        return number < 1 ? Optional.empty() : kv.get(Keys.revision(id, number)).flatMap(this::decodeRevision);
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

    /** A revision as stored: its fields, with the spec as the codec writes it (secrets sealed). */
    private String encode(Revision r) {
        try {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("service", r.service()).put("revision", r.number()).put("at", r.at().toString())
                    .put("who", r.who()).put("message", r.message());
            o.set("spec", Json.MAPPER.readTree(codec.encode(r.spec())));
            return Json.MAPPER.writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot happen: the codec writes JSON", e);
        }
    }

    private Optional<Revision> decodeRevision(KeyValue entry) {
        try {
            JsonNode o = Json.MAPPER.readTree(entry.string());
            ServiceSpec spec = codec.decode(o.path("spec").toString());
            return Optional.of(new Revision(o.path("service").asText(), number(entry.key()), spec,
                    o.path("who").asText(Change.REMIT), Instant.parse(o.path("at").asText()), o.path("message").asText("")));
        } catch (InvalidSpecException | com.fasterxml.jackson.core.JsonProcessingException
                 | java.time.format.DateTimeParseException | IllegalArgumentException e) {
            LOG.warn("Skipping unreadable revision at {}: {}", entry.key(), e.getMessage());
            return Optional.empty();
        }
    }

    /** The n of {@code /remit/revisions/<service>/<n>}; 0 when the key ends otherwise. */
    private static long number(String key) {
        try {
            return Long.parseLong(key.substring(key.lastIndexOf('/') + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
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
