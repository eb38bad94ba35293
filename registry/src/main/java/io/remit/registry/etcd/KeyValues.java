package io.remit.registry.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Plain, blocking key-value operations on absolute keys, for state the scheduler owns (framework
 * id, specs, task records). Each call waits up to the request timeout and throws a
 * {@link RegistryException} on failure or timeout; a timed-out write may still have been applied,
 * so read before retrying a non-idempotent one ({@link #compareAndSet} and {@link #putIfAbsent}
 * are safe to retry: they fail rather than apply twice). Thread-safe; do not call from a jetcd
 * callback thread.
 */
public final class KeyValues {

    private final Etcd etcd;

    public KeyValues(Etcd etcd) {
        this.etcd = etcd;
    }

    public Optional<KeyValue> get(String key) {
        return etcd.await(() -> etcd.client().getKVClient().get(Etcd.bytes(key)), "get " + key)
                .getKvs().stream().findFirst().map(KeyValues::toKeyValue);
    }

    /** Writes unconditionally; returns the new mod revision. */
    public long put(String key, byte[] value) {
        PutResponse r = etcd.await(() -> etcd.client().getKVClient().put(Etcd.bytes(key), ByteSequence.from(value)), "put " + key);
        return r.getHeader().getRevision();
    }

    public long put(String key, String value) {
        return put(key, utf8(value));
    }

    /** Creates the key only if it does not exist; {@code true} if it was created. */
    public boolean putIfAbsent(String key, byte[] value) {
        return compareAndSet(key, 0, value);
    }

    public boolean putIfAbsent(String key, String value) {
        return putIfAbsent(key, utf8(value));
    }

    /**
     * Writes {@code value} only if the key's mod revision is still {@code expectedModRevision}
     * (0: only if the key does not exist); {@code true} if written.
     */
    public boolean compareAndSet(String key, long expectedModRevision, byte[] value) {
        ByteSequence k = Etcd.bytes(key);
        TxnResponse r = etcd.await(() -> etcd.client().getKVClient().txn()
                .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedModRevision)))
                .Then(Op.put(k, ByteSequence.from(value), PutOption.DEFAULT))
                .commit(), "compare-and-set " + key);
        return r.isSucceeded();
    }

    public boolean compareAndSet(String key, long expectedModRevision, String value) {
        return compareAndSet(key, expectedModRevision, utf8(value));
    }

    /** Deletes the key; {@code true} if it existed. */
    public boolean delete(String key) {
        return etcd.await(() -> etcd.client().getKVClient().delete(Etcd.bytes(key)), "delete " + key).getDeleted() > 0;
    }

    /** Deletes the key only if its mod revision is still {@code expectedModRevision}; {@code true} if deleted. */
    public boolean compareAndDelete(String key, long expectedModRevision) {
        ByteSequence k = Etcd.bytes(key);
        TxnResponse r = etcd.await(() -> etcd.client().getKVClient().txn()
                .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedModRevision)),
                        new Cmp(k, Cmp.Op.GREATER, CmpTarget.createRevision(0)))
                .Then(Op.delete(k, DeleteOption.DEFAULT))
                .commit(), "compare-and-delete " + key);
        return r.isSucceeded();
    }

    /**
     * Every key starting with {@code prefix}, in key order, as of one revision; read in pages of
     * {@value Listing#PAGE} keys, all within one request timeout.
     */
    public List<KeyValue> list(String prefix) {
        KeyRange range = KeyRange.prefix(prefix);
        Listing listing = etcd.await(Listing.read(etcd, range), "list " + prefix);
        return listing.values().stream()
                .map(v -> new KeyValue(prefix + v.key(), v.value(), v.createRevision(), v.modRevision(), v.version()))
                .toList();
    }

    /**
     * The keys under {@code prefix} (without their values), in key order: for numbered keys, to
     * find the highest number whatever order the keys were written in.
     */
    public List<String> keysUnder(String prefix) {
        KeyRange range = KeyRange.prefix(prefix);
        GetOption option = GetOption.builder().withRange(range.endBytes()).withKeysOnly(true).build();
        return etcd.await(() -> etcd.client().getKVClient().get(range.beginBytes(), option), "keys under " + prefix)
                .getKvs().stream().map(kv -> kv.getKey().toString(StandardCharsets.UTF_8)).toList();
    }

    /** A transaction: writes to several keys that happen together or not at all (see {@link Txn}). */
    public Txn txn() {
        return new Txn();
    }

    /**
     * Several keys changed in one etcd transaction: every write is applied, or (when a condition
     * does not hold) none. Build with the conditions and writes, then {@link #commit()} once. Not
     * thread-safe; the {@link KeyValues} it came from is.
     */
    public final class Txn {

        private final List<Cmp> conditions = new ArrayList<>();
        private final List<Op> writes = new ArrayList<>();
        private final List<String> keys = new ArrayList<>();

        private Txn() {
        }

        /** Only if {@code key}'s mod revision is still {@code modRevision} (0: only if it does not exist). */
        public Txn ifModRevision(String key, long modRevision) {
            conditions.add(new Cmp(Etcd.bytes(key), Cmp.Op.EQUAL, CmpTarget.modRevision(modRevision)));
            return this;
        }

        /** Only if {@code key} does not exist. */
        public Txn ifAbsent(String key) {
            return ifModRevision(key, 0);
        }

        public Txn put(String key, String value) {
            return put(key, utf8(value));
        }

        public Txn put(String key, byte[] value) {
            writes.add(Op.put(Etcd.bytes(key), ByteSequence.from(value), PutOption.DEFAULT));
            keys.add(key);
            return this;
        }

        public Txn delete(String key) {
            writes.add(Op.delete(Etcd.bytes(key), DeleteOption.DEFAULT));
            keys.add(key);
            return this;
        }

        /**
         * Applies every write if every condition holds; {@code true} if it did. Like
         * {@link #compareAndSet}, a transaction with conditions is safe to retry after a timeout:
         * applied once, its conditions no longer hold.
         */
        public boolean commit() {
            return etcd.await(() -> etcd.client().getKVClient().txn()
                    .If(conditions.toArray(Cmp[]::new))
                    .Then(writes.toArray(Op[]::new))
                    .commit(), "transaction on " + keys).isSucceeded();
        }
    }

    private static KeyValue toKeyValue(io.etcd.jetcd.KeyValue kv) {
        return new KeyValue(Etcd.string(kv.getKey()), kv.getValue().getBytes(), kv.getCreateRevision(),
                kv.getModRevision(), kv.getVersion());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
