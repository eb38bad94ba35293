package io.remit.scheduler.state;

import io.remit.scheduler.spec.ServiceSpec;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Desired state: each service's current spec, and every earlier one kept for rollback.
 * Thread-safe. {@link EtcdSpecStore} keeps them in etcd; {@link InMemorySpecStore} is the
 * stand-in for unit tests (the same contract test runs against both).
 */
public interface SpecStore {

    /** A spec as stored, with the revision that last changed it. */
    record Stored(ServiceSpec spec, long modRevision) {
    }

    /** What {@link #put} did. */
    enum Outcome { CREATED, REPLACED, CONFLICT }

    Optional<Stored> get(String id);

    /** Every service's spec, by id. */
    Map<String, Stored> all();

    /** Creates the service; false when one with that id exists already. */
    boolean create(ServiceSpec spec);

    /**
     * Creates the service, or replaces its spec if it is still at {@code expectedModRevision}
     * (0: whatever is there now), keeping the old one in the history. CONFLICT when someone
     * changed it in between.
     */
    Outcome put(ServiceSpec spec, long expectedModRevision);

    /** Removes the service's spec (its history stays); false when there was none. */
    boolean delete(String id);

    /**
     * Starts watching every service's spec. Returns once the current specs are known, or after
     * {@code ready} with what is known by then.
     */
    Watch watch(Duration ready);

    /** A running watch on the specs. */
    interface Watch extends AutoCloseable {

        /** The specs now, by id. */
        Map<String, ServiceSpec> current();

        /**
         * Calls {@code listener} with the current specs and then with each new set, one call at a
         * time, in the order of the changes.
         */
        void subscribe(Consumer<Map<String, ServiceSpec>> listener);

        /** Stops watching. Idempotent. */
        @Override
        void close();
    }
}
