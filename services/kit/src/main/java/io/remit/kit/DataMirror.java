package io.remit.kit;

import io.remit.registry.etcd.PrefixCache;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An in-memory copy of a {@link ServiceData} area, decoded, kept up to date by an etcd watch:
 * reads are local, and every instance converges on the same data. A snapshot is always the area
 * at one revision; a watch broken by an etcd restart resumes, and the area is read again where
 * etcd compacted the history away. A value the decoder refuses is logged and left out; it never
 * stops the mirror.
 *
 * <p>Reads are non-blocking and thread-safe. Listeners run on the mirror's one listener thread,
 * one at a time, in change order.
 *
 * @param <T> the decoded value type
 */
public final class DataMirror<T> implements AutoCloseable {

    /** A listener registration; {@link #close()} stops further calls (one running finishes). */
    @FunctionalInterface
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    private final PrefixCache<T> cache;

    DataMirror(PrefixCache<T> cache) {
        this.cache = cache;
    }

    /** Starts reading and watching; returns at once. Call once. */
    public DataMirror<T> start() {
        cache.start();
        return this;
    }

    /** Waits for the first snapshot; {@code false} if etcd did not deliver it within {@code timeout}. */
    public boolean awaitReady(Duration timeout) {
        return cache.awaitReady(timeout);
    }

    /** Whether the first snapshot arrived; before it the mirror is empty. */
    public boolean isReady() {
        return cache.isReady();
    }

    /** The current values by name, in name order; immutable. */
    public Map<String, T> snapshot() {
        return cache.snapshot();
    }

    public Optional<T> get(String name) {
        return cache.get(name);
    }

    /**
     * Calls {@code listener} with the current snapshot (once there is one) and then with each new
     * one. It must not block for long: it delays the other listeners, though never the mirror.
     */
    public Subscription subscribe(Consumer<? super Map<String, T>> listener) {
        return cache.subscribe(listener)::close;
    }

    /** Stops watching; the last snapshot stays readable. Idempotent. */
    @Override
    public void close() {
        cache.close();
    }
}
