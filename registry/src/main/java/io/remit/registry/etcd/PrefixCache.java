package io.remit.registry.etcd;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-memory, watch-fed copy of every key under a prefix, decoded to {@code T}.
 *
 * <p>It reads the prefix at revision R, then watches from R+1 and applies PUTs and DELETEs in
 * order. A broken watch (etcd restarted or unreachable) resumes from the last revision seen + 1;
 * if etcd compacted that revision away, the prefix is read again and the result replaces the
 * cache in one step, so a snapshot is always the prefix's state at some single revision. A value
 * the decoder rejects is logged and its key left out; it never stops the cache.
 *
 * <p>Threading: {@link #snapshot()} and {@link #get} are non-blocking and safe from any thread.
 * Listeners run on one listener thread per cache, one at a time, in change order; each receives
 * the full new snapshot. A snapshot is published only when the decoded map changed.
 *
 * <pre>{@code
 * PrefixCache<String> cache = new PrefixCache<>(etcd, "/remit/config/fx/", (k, v) -> new String(v, UTF_8)).start();
 * cache.awaitReady(Duration.ofSeconds(5));
 * cache.snapshot().get("fx/feePercent");
 * }</pre>
 *
 * @param <T> the decoded value type; give it value equality (a record)
 */
public final class PrefixCache<T> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PrefixCache.class);

    private final String prefix;
    private final ValueDecoder<T> decoder;
    private final RangeMirror mirror;
    private final ListenerThread listenerThread;
    private final List<Consumer<? super Map<String, T>>> listeners = new CopyOnWriteArrayList<>();

    // mirror thread only
    private final TreeMap<String, T> working = new TreeMap<>();
    // published under "this"
    private volatile SortedMap<String, T> snapshot = Collections.emptySortedMap();
    private volatile boolean published;

    /**
     * @param prefix  e.g. {@code /remit/flags/}; keys in snapshots are relative to it
     * @param decoder turns each stored value into a {@code T}
     */
    public PrefixCache(Etcd etcd, String prefix, ValueDecoder<T> decoder) {
        this.prefix = prefix;
        this.decoder = decoder;
        this.mirror = new RangeMirror(etcd, KeyRange.prefix(prefix), new Sink());
        this.listenerThread = new ListenerThread("remit-cache " + prefix);
    }

    /** Starts reading and watching the prefix; returns at once. Call once. */
    public PrefixCache<T> start() {
        mirror.start();
        return this;
    }

    /** Waits for the first snapshot; {@code false} if etcd did not deliver it within {@code timeout}. */
    public boolean awaitReady(Duration timeout) {
        return mirror.awaitReady(timeout);
    }

    /** Whether the first snapshot arrived. Before it, {@link #snapshot()} is empty. */
    public boolean isReady() {
        return published;
    }

    /** The current decoded state, keys relative to the prefix in key order; immutable. */
    public Map<String, T> snapshot() {
        return snapshot;
    }

    public Optional<T> get(String relativeKey) {
        return Optional.ofNullable(snapshot.get(relativeKey));
    }

    /** The etcd revision the current snapshot reflects (0 before the first). */
    public long revision() {
        return mirror.revision();
    }

    public String prefix() {
        return prefix;
    }

    /**
     * Calls {@code listener} with the current snapshot (once there is one) and then with each new
     * one, on this cache's listener thread. It must not block for long: it delays the other
     * listeners, though never the cache itself.
     */
    public Subscription subscribe(Consumer<? super Map<String, T>> listener) {
        synchronized (this) {
            listeners.add(listener);
            if (published) {
                SortedMap<String, T> current = snapshot;
                listenerThread.submit(() -> listener.accept(current));
            }
        }
        return () -> listeners.remove(listener);
    }

    /** Whether a watch stream is established right now; for health checks. */
    public boolean isWatching() {
        return mirror.isWatching();
    }

    /** How often the prefix was read again after the first read (compactions, refused revisions). */
    public int relists() {
        return mirror.relists();
    }

    /** Stops watching and the listener thread; the last snapshot stays readable. Idempotent. */
    @Override
    public void close() {
        mirror.close();
        listenerThread.shutdown(Duration.ofSeconds(5));
    }

    private T decodeOrNull(StoredValue stored) {
        try {
            T value = decoder.decode(stored.key(), stored.value());
            if (value == null) {
                throw new IllegalArgumentException("decoder returned null");
            }
            return value;
        } catch (Exception e) {
            // Neither the value nor the decoder's message (which often quotes it): values may be secrets.
            LOG.warn("skipping {}{} at revision {}: cannot decode its value of {} bytes ({})", prefix, stored.key(),
                    stored.modRevision(), stored.value().length, e.getClass().getSimpleName());
            return null;
        }
    }


    private void publishIfChanged() {
        if (published && working.equals(snapshot)) {
            return;
        }
        SortedMap<String, T> next = Collections.unmodifiableSortedMap(new TreeMap<>(working));
        synchronized (this) {
            snapshot = next;
            published = true;
            for (Consumer<? super Map<String, T>> listener : listeners) {
                listenerThread.submit(() -> {
                    if (listeners.contains(listener)) {
                        listener.accept(next);
                    }
                });
            }
        }
    }

    private final class Sink implements RangeMirror.Sink {
        @Override
        public void replaced(List<StoredValue> values, long revision) {
            working.clear();
            for (StoredValue stored : values) {
                T value = decodeOrNull(stored);
                if (value != null) {
                    working.put(stored.key(), value);
                }
            }
            publishIfChanged();
        }

        @Override
        public void changed(List<RangeMirror.Change> changes, long revision) {
            for (RangeMirror.Change change : changes) {
                T value = change.isDelete() ? null : decodeOrNull(change.value());
                if (value == null) {
                    working.remove(change.key());
                } else {
                    working.put(change.key(), value);
                }
            }
            publishIfChanged();
        }
    }
}
