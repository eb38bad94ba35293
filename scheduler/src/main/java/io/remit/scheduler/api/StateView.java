package io.remit.scheduler.api;

import io.remit.scheduler.engine.EngineSnapshot;

/**
 * Where the REST API reads from: the engine's live snapshot on the leader; on a standby, what is
 * stored in etcd (specs and task records), which the leader keeps current.
 */
public interface StateView {

    /** Header of a read answered from a state older than now: its age in whole seconds. */
    String STATE_AGE_HEADER = "X-Remit-State-Age";

    EngineSnapshot snapshot();

    /**
     * A snapshot with its age: zero when it is current (the leader's engine, or etcd just read),
     * else how long ago it was last known current (etcd does not answer: see {@link LastKnownState}).
     */
    record Reading(EngineSnapshot snapshot, java.time.Duration age) {

        public boolean stale() {
            return !age.isZero();
        }

        /** The response, with {@link #STATE_AGE_HEADER} when the state is not current. */
        public jakarta.ws.rs.core.Response answer(Object entity) {
            jakarta.ws.rs.core.Response.ResponseBuilder ok = jakarta.ws.rs.core.Response.ok(entity);
            if (stale()) {
                ok.header(STATE_AGE_HEADER, Long.toString(Math.max(1, age.toSeconds())));
            }
            return ok.build();
        }
    }

    /** As {@link #snapshot()}, saying how old it is. */
    default Reading read() {
        return new Reading(snapshot(), java.time.Duration.ZERO);
    }

    boolean isLeader();

    /** The leader's base URL, when one is elected. */
    java.util.Optional<String> leaderUrl();

    /** This scheduler's own base URL. */
    String selfUrl();

    /**
     * Read your writes: the engine learns of a spec change through its etcd watch, a moment after
     * the write. Waits (at most 2 s) until the snapshot shows the change, so that a GET right after
     * a POST, PUT or DELETE shows it. Returns at once where no engine runs (a standby).
     */
    default void awaitApplied(java.util.function.BooleanSupplier engineRuns,
                              java.util.function.Predicate<EngineSnapshot> applied) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(2);
        while (engineRuns.getAsBoolean() && !applied.test(snapshot()) && System.nanoTime() - deadline < 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000L);
        }
    }
}
