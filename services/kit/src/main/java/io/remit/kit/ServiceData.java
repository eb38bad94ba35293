package io.remit.kit;

import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.KeyValue;
import io.remit.registry.etcd.KeyValues;
import io.remit.registry.etcd.Keys;
import io.remit.registry.etcd.PrefixCache;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * A service's own data in etcd: the keys under {@code /remit/data/<service>/}, the one area its
 * etcd user may write (schools keeps its catalogue there). Names are relative to that prefix.
 * {@link Remit#data()} gives the running service's; {@link #connect} opens one for a tool or a
 * test.
 *
 * <p>Every call blocks up to the etcd request timeout and throws an unchecked exception naming
 * the operation when etcd fails or does not answer; a write that timed out may still have been
 * applied ({@link #putIfAbsent} and {@link #compareAndSet} are safe to retry: they fail rather
 * than apply twice). Thread-safe; do not call from a {@link DataMirror} listener.
 */
public final class ServiceData implements AutoCloseable {

    /**
     * A stored value.
     *
     * @param name     the key relative to the area's prefix
     * @param value    the stored bytes (do not modify)
     * @param revision the etcd revision of its last change: what {@link #compareAndSet} compares
     */
    public record Entry(String name, byte[] value, long revision) {

        /** The value as UTF-8 text. */
        public String string() {
            return new String(value, StandardCharsets.UTF_8);
        }
    }

    /**
     * Turns a stored value into a typed one for a {@link DataMirror}. Throwing (anything) marks the
     * value as unreadable: the mirror logs it (never the value) and leaves the name out.
     *
     * @param <T> the decoded type; give it value equality (a record), so unchanged values are not
     *            reported as changes
     */
    @FunctionalInterface
    public interface Decoder<T> {
        T decode(String name, byte[] value) throws Exception;
    }

    private final Etcd etcd;
    private final boolean ownsConnection;
    private final String prefix;
    private final KeyValues kv;

    private ServiceData(Etcd etcd, boolean ownsConnection, String service) {
        this.etcd = etcd;
        this.ownsConnection = ownsConnection;
        this.prefix = Keys.dataPrefix(service);
        this.kv = new KeyValues(etcd);
    }

    /** The area of {@code service} on a connection the caller keeps (and closes). */
    static ServiceData on(Etcd etcd, String service) {
        return new ServiceData(etcd, false, service);
    }

    /**
     * The area of {@code settings.service()} on a connection of its own to the etcd of
     * {@code settings} (endpoints, user, CA), closed by {@link #close()}: for tools and tests
     * outside a running service. Does not contact etcd until the first call.
     *
     * @throws IllegalArgumentException when the settings name no etcd endpoint
     */
    public static ServiceData connect(RemitSettings settings) {
        if (!settings.hasEtcd()) {
            throw new IllegalArgumentException("no etcd endpoints in " + settings);
        }
        return new ServiceData(Etcd.connect(Remit.etcdSettings(settings)), true, settings.service());
    }

    /** The area's key prefix, e.g. {@code /remit/data/schools/}. */
    public String prefix() {
        return prefix;
    }

    public Optional<Entry> get(String name) {
        return kv.get(key(name)).map(this::entry);
    }

    /** Every value in the area, in name order, as of one revision. */
    public List<Entry> list() {
        return kv.list(prefix).stream().map(this::entry).toList();
    }

    /** Writes unconditionally; returns the new revision. */
    public long put(String name, byte[] value) {
        return kv.put(key(name), value);
    }

    public long put(String name, String value) {
        return put(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Creates {@code name} only if it does not exist; {@code true} if it was created. */
    public boolean putIfAbsent(String name, byte[] value) {
        return kv.putIfAbsent(key(name), value);
    }

    /**
     * Writes {@code value} only if {@code name}'s revision is still {@code revision} (as read in
     * an {@link Entry}); {@code true} if written.
     */
    public boolean compareAndSet(String name, long revision, byte[] value) {
        return kv.compareAndSet(key(name), revision, value);
    }

    /** Deletes {@code name}; {@code true} if it existed. */
    public boolean delete(String name) {
        return kv.delete(key(name));
    }

    /**
     * A watched, in-memory copy of the area, decoded by {@code decoder}; not yet started. The
     * caller closes it, before this area's connection goes.
     */
    public <T> DataMirror<T> mirror(Decoder<T> decoder) {
        return new DataMirror<>(new PrefixCache<>(etcd, prefix, decoder::decode));
    }

    /** Closes the connection {@link #connect} opened; nothing for the running service's area (the kit closes that). */
    @Override
    public void close() {
        if (ownsConnection) {
            etcd.close();
        }
    }

    @Override
    public String toString() {
        return "etcd " + prefix;
    }

    private String key(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a name in " + prefix + " must not be empty");
        }
        return prefix + name;
    }

    private Entry entry(KeyValue kv) {
        return new Entry(kv.key().substring(prefix.length()), kv.value(), kv.modRevision());
    }
}
