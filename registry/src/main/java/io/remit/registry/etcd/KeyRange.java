package io.remit.registry.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.options.OptionsUtil;

/**
 * A prefix (every key starting with it) or one exact key, and how keys in it are named relative
 * to it: a prefix's keys lose the prefix; an exact key is {@code ""}.
 */
public record KeyRange(String begin, boolean isPrefix) {

    public static KeyRange prefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            throw new IllegalArgumentException("prefix must not be empty");
        }
        return new KeyRange(prefix, true);
    }

    public static KeyRange key(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
        return new KeyRange(key, false);
    }

    public ByteSequence beginBytes() {
        return Etcd.bytes(begin);
    }

    /** The exclusive end of a prefix range; for an exact key, the key itself (not used as an end). */
    public ByteSequence endBytes() {
        return isPrefix ? OptionsUtil.prefixEndOf(beginBytes()) : beginBytes();
    }

    public String relative(String fullKey) {
        return isPrefix ? fullKey.substring(begin.length()) : "";
    }

    public boolean contains(String fullKey) {
        return isPrefix ? fullKey.startsWith(begin) : fullKey.equals(begin);
    }

    public StoredValue toStored(io.etcd.jetcd.KeyValue kv) {
        return new StoredValue(relative(Etcd.string(kv.getKey())), kv.getValue().getBytes(),
                kv.getCreateRevision(), kv.getModRevision(), kv.getVersion(), kv.getLease());
    }

    @Override
    public String toString() {
        return isPrefix ? begin + "*" : begin;
    }
}
