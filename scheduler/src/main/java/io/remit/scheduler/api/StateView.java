package io.remit.scheduler.api;

import io.remit.scheduler.engine.EngineSnapshot;

/**
 * Where the REST API reads from: the engine's live snapshot on the leader; on a standby, what is
 * stored in etcd (specs and task records), which the leader keeps current.
 */
public interface StateView {

    EngineSnapshot snapshot();

    boolean isLeader();

    /** The leader's base URL, when one is elected. */
    java.util.Optional<String> leaderUrl();

    /** This scheduler's own base URL. */
    String selfUrl();
}
