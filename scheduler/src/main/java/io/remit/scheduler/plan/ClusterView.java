package io.remit.scheduler.plan;

import java.util.List;
import java.util.Map;

/**
 * What the scheduler knows of the cluster at one moment: a snapshot, not a live object.
 *
 * @param tasks every task not yet forgotten (terminal ones may be included; they are ignored)
 * @param backoff restart backoff per service; a service missing here has none
 * @param offersSuppressed whether offers are suppressed right now (the last REVIVE/SUPPRESS sent)
 * @param offersRefused whether offers were declined with the long refuse filter since the last
 *     REVIVE: the master then withholds those agents for a while, so new demand needs a REVIVE
 *     (which clears every filter) even though offers are not suppressed
 */
public record ClusterView(List<TaskView> tasks, Map<String, BackoffStatus> backoff, boolean offersSuppressed,
                          boolean offersRefused) {

    public ClusterView {
        tasks = List.copyOf(tasks);
        backoff = Map.copyOf(backoff);
    }

    /** A view with no refuse filters outstanding. */
    public ClusterView(List<TaskView> tasks, Map<String, BackoffStatus> backoff, boolean offersSuppressed) {
        this(tasks, backoff, offersSuppressed, false);
    }
}
