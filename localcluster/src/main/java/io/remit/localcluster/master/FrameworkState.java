package io.remit.localcluster.master;

import io.remit.localcluster.http.EventStream;
import io.remit.localcluster.resources.Resources;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;

/** The master's record of one framework. Guarded by the master's lock. */
final class FrameworkState {

    final FrameworkID id;
    FrameworkInfo info;
    EventStream stream;
    boolean suppressed;
    /** Known from the registry after a restart, and not subscribed since. */
    boolean recovered;
    final Instant registeredAt;
    Instant reregisteredAt;
    Instant unregisteredAt;
    ScheduledFuture<?> failoverTimer;
    ScheduledFuture<?> heartbeat;
    /** Offer filters by agent id. */
    final Map<String, OfferFilter> filters = new HashMap<>();
    final Map<String, TaskRecord> tasks = new LinkedHashMap<>();
    final ArrayDeque<TaskRecord> completedTasks = new ArrayDeque<>();
    final Map<String, OfferState> offers = new LinkedHashMap<>();

    FrameworkState(FrameworkID id, FrameworkInfo info, Instant now) {
        this.id = id;
        this.info = info;
        this.registeredAt = now;
    }

    boolean connected() {
        return stream != null && !stream.isClosed();
    }

    boolean partitionAware() {
        return info.getCapabilitiesList().stream()
                .anyMatch(c -> c.getType() == FrameworkInfo.Capability.Type.PARTITION_AWARE);
    }

    boolean multiRole() {
        return info.getCapabilitiesList().stream()
                .anyMatch(c -> c.getType() == FrameworkInfo.Capability.Type.MULTI_ROLE);
    }

    /** The role offers are allocated to: the first of {@code roles} or the legacy {@code role}. */
    String role() {
        if (info.getRolesCount() > 0) {
            return info.getRoles(0);
        }
        return info.hasRole() ? info.getRole() : "*";
    }

    Resources usedResources() {
        Resources used = Resources.EMPTY;
        for (TaskRecord t : tasks.values()) {
            if (!t.terminal()) {
                used = used.plus(t.resources);
            }
        }
        return used;
    }

    Resources offeredResources() {
        Resources offered = Resources.EMPTY;
        for (OfferState o : offers.values()) {
            offered = offered.plus(o.resources());
        }
        return offered;
    }

    /** A refusal of an agent's resources until a time. */
    record OfferFilter(Resources refused, Instant until) {
    }
}
