package io.remit.bench;

import java.util.List;

/**
 * One placer under comparison. The harness calls {@link #start} once, then per round
 * {@link #place} and, after applying the answer to the ledger, {@link #launched}; both calls are
 * timed as the round's cost.
 */
interface PackingPlacer extends AutoCloseable {

    String name();

    /** Sees the empty cluster. */
    void start(HostLedger ledger);

    /** Where the round's tasks go; a task left out stays unplaced (it is not offered again). */
    List<PackingAssignment> place(List<PackingTask> round);

    /** The round's assignments have been applied to {@code ledger}: do the placer's bookkeeping. */
    void launched(List<PackingAssignment> assignments, HostLedger ledger);

    /** Nanoseconds the last {@link #place} spent inside the placement call itself (no mapping). */
    long lastCoreNanos();

    @Override
    default void close() {}
}
