package io.remit.scheduler.engine;

import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.state.TaskRecord;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What the engine asks of Mesos, in Remit's own words. The Mesos adapter implements it with
 * scheduler calls; none of these block on the network or report failure: what goes wrong shows up
 * later as task updates or reconciliation answers.
 */
public interface Cluster {

    /** ACCEPT the offer, launching these tasks on it (their records are in etcd already). */
    void launch(String offerId, List<PlannedLaunch> launches);

    /** DECLINE the offers, refusing them for {@code refuse}. */
    void decline(Collection<String> offerIds, Duration refuse);

    void kill(String taskId, String agentId);

    void revive();

    void suppress();

    /** RECONCILE these tasks (task id to agent id, which may be null); empty: implicit. */
    void reconcile(Map<String, String> tasks);

    /** One task to launch: its record and the spec it runs. */
    record PlannedLaunch(TaskRecord record, ServiceSpec spec) {
    }
}
