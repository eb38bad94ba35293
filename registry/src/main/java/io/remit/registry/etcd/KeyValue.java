package io.remit.registry.etcd;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A key's value and revisions as read from etcd (Remit's own type; jetcd's stays in this package).
 *
 * @param key            the absolute key
 * @param value          the stored bytes (do not modify)
 * @param createRevision revision that created the key
 * @param modRevision    revision of its last change: what {@link KeyValues#compareAndSet} compares
 * @param version        number of writes since creation
 */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision, long version) {

    /** The value as UTF-8 text. */
    public String string() {
        return new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyValue kv && key.equals(kv.key) && Arrays.equals(value, kv.value)
                && createRevision == kv.createRevision && modRevision == kv.modRevision && version == kv.version;
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + Long.hashCode(modRevision);
    }

    @Override
    public String toString() {
        return "KeyValue[" + key + "@" + modRevision + " = " + (value.length > 100 ? value.length + " bytes" : string()) + "]";
    }
}
