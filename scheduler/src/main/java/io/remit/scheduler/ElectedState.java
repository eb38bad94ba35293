package io.remit.scheduler;

import io.remit.registry.election.LeaderElection;
import io.remit.scheduler.api.LastKnownState;
import io.remit.scheduler.api.StateView;
import io.remit.scheduler.engine.EngineSnapshot;
import java.util.Optional;

/**
 * The state the API reads: the leader's engine, or what etcd holds on a standby (through
 * {@link LastKnownState}, which also says how old it is when etcd cannot be read); this
 * scheduler leads once it has won the election and its engine runs.
 */
final class ElectedState implements StateView {

    private final LastKnownState lastKnown;
    private final LeaderElection election;
    private final Leadership leadership;
    private final String self;

    ElectedState(LastKnownState lastKnown, LeaderElection election, Leadership leadership, String self) {
        this.lastKnown = lastKnown;
        this.election = election;
        this.leadership = leadership;
        this.self = self;
    }

    @Override
    public EngineSnapshot snapshot() {
        return lastKnown.read().snapshot();
    }

    @Override
    public Reading read() {
        return lastKnown.read();
    }

    @Override
    public boolean isLeader() {
        return election.isLeader() && leadership.engine() != null;
    }

    @Override
    public Optional<String> leaderUrl() {
        return election.leader();
    }

    @Override
    public String selfUrl() {
        return self;
    }
}
