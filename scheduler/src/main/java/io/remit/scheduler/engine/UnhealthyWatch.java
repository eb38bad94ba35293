package io.remit.scheduler.engine;

import io.remit.scheduler.events.SchedulerEvent;
import io.remit.scheduler.plan.TaskState;
import io.remit.scheduler.state.TaskRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which instances have failed their health check for longer than the unhealthy timeout, timed
 * on this scheduler's monotonic clock from when it first saw each one unhealthy (not from the
 * wall-clock time in the task record, which another scheduler may have written and which a clock
 * step would move). After a failover an instance gets a whole timeout again: its kill is late
 * by at most that, never early. Threading: the engine's loop thread only.
 */
final class UnhealthyWatch {

    private final Clock timers;
    private final Duration timeout;
    private final Map<String, Instant> since = new HashMap<>();

    UnhealthyWatch(Clock timers, Duration timeout) {
        this.timers = timers;
        this.timeout = timeout;
    }

    /** Starts an instance's timer when it turns unhealthy, as the engine decides it. */
    void seen(SchedulerEvent event) {
        if (event instanceof SchedulerEvent.TaskTransition t) {
            if (t.to() == TaskState.RUNNING_UNHEALTHY) {
                since.putIfAbsent(t.task().taskId(), timers.instant());
            } else {
                since.remove(t.task().taskId());
            }
        }
    }

    /**
     * The instances among {@code live} unhealthy for longer than the timeout; one this scheduler
     * did not see turn unhealthy (loaded from etcd when it began to lead) is timed from now.
     */
    List<TaskRecord> overdue(Collection<TaskRecord> live) {
        Instant now = timers.instant();
        Set<String> unhealthy = new HashSet<>();
        List<TaskRecord> out = new ArrayList<>();
        for (TaskRecord r : live) {
            if (r.state() == TaskState.RUNNING_UNHEALTHY && Boolean.FALSE.equals(r.healthy())) {
                unhealthy.add(r.taskId());
                Instant first = since.computeIfAbsent(r.taskId(), id -> now);
                if (Duration.between(first, now).compareTo(timeout) > 0) {
                    out.add(r);
                }
            }
        }
        since.keySet().retainAll(unhealthy);
        return out;
    }
}
