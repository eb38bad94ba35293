package io.remit.scheduler.state;

import io.remit.scheduler.spec.ServiceSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Desired state: each service's current spec, and its {@link Revision revisions}, every accepted
 * change of it. A write that changes what instances start from (anything but {@code instances},
 * see {@link io.remit.scheduler.spec.SpecRevision}) makes the next revision, stored with the spec
 * in one step: a spec written is never without its revision, and a revision never without its
 * spec. Scaling alone, or writing the same spec again, makes none.
 *
 * <p>Thread-safe. {@link EtcdSpecStore} keeps them in etcd; {@link InMemorySpecStore} is the
 * stand-in for unit tests (the same contract test runs against both).
 */
public interface SpecStore {

    /** A spec as stored, with the revision that last changed it. */
    record Stored(ServiceSpec spec, long modRevision) {
    }

    /** What {@link #put} did. */
    enum Outcome { CREATED, REPLACED, CONFLICT }

    /** Who asks for a change, and why: kept in the revision it makes. */
    record Change(String who, String message) {

        /** The {@code who} of changes Remit makes itself (specs loaded from files at start). */
        public static final String REMIT = "remit";

        /** A change by Remit itself, with no message. */
        public static final Change UNATTRIBUTED = new Change(REMIT, "");

        public Change {
            who = who == null || who.isBlank() ? REMIT : who;
            message = message == null ? "" : message.strip();
        }
    }

    /**
     * What a write did.
     *
     * @param revision the revision it made; null when it made none (a conflict, scaling alone, the
     *                 same spec again)
     */
    record Written(Outcome outcome, Revision revision) {
    }

    Optional<Stored> get(String id);

    /** Every service's spec, by id. */
    Map<String, Stored> all();

    /**
     * Creates the service and its next revision ({@code 1}, or after the last of a service of
     * that id deleted before); CONFLICT when a service with that id exists already.
     */
    Written create(ServiceSpec spec, Change change);

    /** {@link #create(ServiceSpec, Change)} by Remit; false when the service exists already. */
    default boolean create(ServiceSpec spec) {
        return create(spec, Change.UNATTRIBUTED).outcome() == Outcome.CREATED;
    }

    /**
     * Creates the service, or replaces its spec if it is still at {@code expectedModRevision}
     * (0: whatever is there now), with a new revision unless only {@code instances} changed.
     * CONFLICT when someone changed it in between: nothing is written then.
     */
    Written put(ServiceSpec spec, long expectedModRevision, Change change);

    /** {@link #put(ServiceSpec, long, Change)} by Remit. */
    default Outcome put(ServiceSpec spec, long expectedModRevision) {
        return put(spec, expectedModRevision, Change.UNATTRIBUTED).outcome();
    }

    /** Removes the service's spec (its revisions stay); false when there was none. */
    boolean delete(String id);

    /** The service's revisions, newest first; empty when it has none (or never existed). */
    List<Revision> revisions(String id);

    /** Revision {@code number} of the service. */
    Optional<Revision> revision(String id, long number);

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
