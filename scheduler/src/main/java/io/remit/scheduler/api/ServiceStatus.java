package io.remit.scheduler.api;

import io.remit.scheduler.engine.EngineSnapshot;
import io.remit.scheduler.plan.BackoffStatus;
import io.remit.scheduler.plan.TaskState;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.state.TaskRecord;
import java.util.Collection;

/**
 * A service's state at a glance.
 *
 * @param state {@code running} (all desired instances healthy, whatever failed before),
 *     {@code crash-looping} (short of healthy instances, which keep failing; relaunches back off),
 *     {@code deploying} (instances starting or being replaced), {@code waiting} (instances cannot
 *     be placed or must wait: see {@code waiting}), or {@code stopped} (zero instances desired,
 *     none running)
 * @param recentFailures failures since the restart backoff last reset (it resets after an
 *     instance stays healthy for minutes), so it may be above zero while {@code running}
 */
public record ServiceStatus(int desired, int active, int healthy, String state, String waiting, int recentFailures,
                            String lastFailure) {

    public static ServiceStatus of(ServiceSpec spec, Collection<TaskRecord> tasks, EngineSnapshot snapshot) {
        int active = 0;
        int healthy = 0;
        for (TaskRecord t : tasks) {
            if (t.serviceId().equals(spec.id()) && t.state().isActive()) {
                active++;
                if (t.state() == TaskState.HEALTHY) {
                    healthy++;
                }
            }
        }
        BackoffStatus backoff = snapshot.backoff().getOrDefault(spec.id(), BackoffStatus.NONE);
        String lastFailure = null;
        for (TaskRecord t : snapshot.recentlyEnded()) {
            if (t.serviceId().equals(spec.id()) && t.state() != TaskState.KILLED && t.state() != TaskState.FINISHED) {
                lastFailure = t.taskId() + ": " + t.mesosState() + (t.message() == null ? "" : " " + t.message());
            }
        }
        String waiting = snapshot.waiting().get(spec.id());
        String state;
        if (spec.instances() == 0 && active == 0) {
            state = "stopped";
        } else if (healthy == spec.instances() && active == spec.instances()) {
            // The instances decide: a service back at its healthy count runs, even while the
            // restart backoff still remembers the failures (it forgets them only after minutes).
            state = "running";
        } else if (backoff.crashLooping()) {
            state = "crash-looping";
        } else if (waiting != null && active < spec.instances()) {
            state = "waiting";
        } else {
            state = "deploying";
        }
        return new ServiceStatus(spec.instances(), active, healthy, state, waiting, backoff.failures(), lastFailure);
    }
}
