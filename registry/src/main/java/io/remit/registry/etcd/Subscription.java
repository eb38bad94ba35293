package io.remit.registry.etcd;

/** A listener registration; {@link #close()} stops further calls (one already running finishes). */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

    @Override
    void close();
}
