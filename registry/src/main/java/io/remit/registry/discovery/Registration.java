package io.remit.registry.discovery;

import io.remit.registry.etcd.RegistryException;

/** One instance's presence in the registry, kept alive until {@link #deregister()}. Thread-safe. */
public interface Registration {

    enum State {
        /** The key is in etcd under a lease that is being kept alive. */
        REGISTERED,
        /** The lease could not be kept alive within its TTL; writing the key again when etcd answers. */
        LOST,
        /** Deregistered; final. */
        DEREGISTERED
    }

    Instance instance();

    State state();

    /**
     * Whether the key is known to be in etcd right now: registered, and the lease's last
     * keep-alive answer is younger than its TTL.
     */
    boolean isAlive();

    /**
     * Drains: deletes the key (only if it still holds this registration's value), then revokes
     * the lease, and stops keeping it alive. Blocks until etcd confirmed. Idempotent.
     *
     * @throws RegistryException when etcd did not answer within the request timeout; keep-alives
     *                           have stopped all the same, so the key disappears within the TTL
     */
    void deregister();
}
