package io.remit.registry;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.options.OptionsUtil;

/**
 * A prefix (every key starting with it) or one exact key, and how keys in it are named relative
 * to it: a prefix's keys lose the prefix; an exact key is {@code ""}.
 */
record KeyRange(String begin, boolean isPrefix) {

    static KeyRange prefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            throw new IllegalArgumentException("prefix must not be empty");
        }
        return new KeyRange(prefix, true);
    }

    static KeyRange key(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
        return new KeyRange(key, false);
    }

    ByteSequence beginBytes() {
        return Etcd.bytes(begin);
    }

    /** The exclusive end of a prefix range; for an exact key, the key itself (not used as an end). */
    ByteSequence endBytes() {
        return isPrefix ? OptionsUtil.prefixEndOf(beginBytes()) : beginBytes();
    }

    String relative(String fullKey) {
        return isPrefix ? fullKey.substring(begin.length()) : "";
    }

    boolean contains(String fullKey) {
        return isPrefix ? fullKey.startsWith(begin) : fullKey.equals(begin);
    }

    StoredValue toStored(io.etcd.jetcd.KeyValue kv) {
        return new StoredValue(relative(Etcd.string(kv.getKey())), kv.getValue().getBytes(),
                kv.getCreateRevision(), kv.getModRevision(), kv.getVersion(), kv.getLease());
    }

    @Override
    public String toString() {
        return isPrefix ? begin + "*" : begin;
    }
}
