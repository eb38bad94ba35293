package io.remit.scheduler;

import io.dropwizard.lifecycle.Managed;
import io.remit.registry.election.EtcdLeaderElection;
import io.remit.registry.etcd.Etcd;
import io.remit.scheduler.state.EtcdAccess;

/**
 * Starts standing for election once the server runs, and on stop gives up leading (and the
 * election, so a standby takes over at once) before closing the etcd clients it used.
 */
final class ElectionRun implements Managed {

    private final Leadership leadership;
    private final EtcdLeaderElection election;
    private final AccessChore accessSweep;
    private final EtcdAccess access;
    private final Etcd etcd;

    /** {@code accessSweep} and {@code access} are null without etcd authentication. */
    ElectionRun(Leadership leadership, EtcdLeaderElection election, AccessChore accessSweep, EtcdAccess access, Etcd etcd) {
        this.leadership = leadership;
        this.election = election;
        this.accessSweep = accessSweep;
        this.access = access;
        this.etcd = etcd;
    }

    @Override
    public void start() {
        leadership.start();
        election.start();
    }

    @Override
    public void stop() {
        if (accessSweep != null) {
            accessSweep.close();
        }
        election.close();
        leadership.close();
        if (access != null) {
            access.close();
        }
        etcd.close();
    }
}
