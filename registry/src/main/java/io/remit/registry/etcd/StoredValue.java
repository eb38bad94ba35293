package io.remit.registry.etcd;

import java.util.Arrays;

/**
 * A key's value as etcd holds it, inside this package (no jetcd type leaks out).
 *
 * @param key            relative to the watched prefix ({@code ""} for a single watched key)
 * @param value          the stored bytes
 * @param createRevision revision that created the key
 * @param modRevision    revision of its last change
 * @param version        number of writes since creation
 * @param lease          lease id it is bound to, 0 for none
 */
public record StoredValue(String key, byte[] value, long createRevision, long modRevision, long version, long lease) {

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredValue v && key.equals(v.key) && Arrays.equals(value, v.value)
                && createRevision == v.createRevision && modRevision == v.modRevision && version == v.version
                && lease == v.lease;
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + Long.hashCode(modRevision);
    }

    @Override
    public String toString() {
        return "StoredValue[" + key + "@" + modRevision + ", " + value.length + " bytes, lease " + lease + "]";
    }
}
