package io.remit.scheduler;

import io.remit.registry.election.LeadershipListener;
import io.remit.scheduler.state.EtcdAccess;

/**
 * What this scheduler does when it wins or loses the election: start or stop leading (the engine,
 * the Mesos subscription, deployments), and with etcd authentication, drop what it remembers of
 * the users it made (another leader may have removed and made them since) and sweep the users of
 * deleted services at once.
 */
final class LeaderDuties implements LeadershipListener {

    private final Leadership leadership;
    private final EtcdAccess access;
    private final AccessChore accessSweep;

    /** {@code access} and {@code accessSweep} are null without etcd authentication. */
    LeaderDuties(Leadership leadership, EtcdAccess access, AccessChore accessSweep) {
        this.leadership = leadership;
        this.access = access;
        this.accessSweep = accessSweep;
    }

    @Override
    public void elected() {
        if (access != null) {
            access.forgetProvisioned();
        }
        leadership.elected();
        if (accessSweep != null) {
            accessSweep.runSoon();
        }
    }

    @Override
    public void revoked() {
        leadership.revoked();
    }
}
