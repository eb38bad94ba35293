package io.remit.registry.election;

import java.util.Optional;

/**
 * Picks one leader among candidates (scheduler instances). {@link EtcdLeaderElection} is the
 * implementation; a fake for tests must honour the same contract.
 */
public interface LeaderElection extends AutoCloseable {

    /** Starts campaigning; returns at once. {@link LeadershipListener#elected()} tells when this candidate leads. */
    void start();

    /** Whether this candidate leads right now (and its lease is still known to be alive). */
    boolean isLeader();

    /** The current leader's candidate id, as every candidate and observer sees it; empty when none. */
    Optional<String> leader();

    String candidateId();

    /**
     * Resigns (if leading, the next candidate can take over at once) and stops campaigning.
     * Idempotent; never throws: if etcd is unreachable, leadership ends when the lease expires.
     */
    @Override
    void close();
}
