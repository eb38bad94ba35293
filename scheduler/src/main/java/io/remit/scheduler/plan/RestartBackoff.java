package io.remit.scheduler.plan;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Exponential restart backoff per service, so that a crashing service cannot cause a restart
 * storm. Fed by the {@link Effect#RECORD_FAILURE} and {@link Effect#RECORD_HEALTHY} effects of
 * {@link TaskLifecycle}; read through {@link #status(String)} into the {@link ClusterView}.
 *
 * <p>After the n-th failure in a row the service may not launch for
 * {@link BackoffPolicy#delayAfter(int)}, counted from that failure. The count resets when an
 * instance has been healthy for {@link BackoffPolicy#resetAfterHealthy()} with no failure of the
 * service since it became healthy. A service with {@link BackoffPolicy#crashLoopFailures()} or
 * more failures since the last reset is crash-looping.
 *
 * <p>Not thread-safe: use it from the scheduler's single event thread. Time comes only from the
 * clock given, so tests step a fake clock.
 */
public final class RestartBackoff {

    private static final class Entry {
        int failures;
        Instant lastFailure;
        /** When an instance became healthy after the last failure; null if none has. */
        Instant healthySince;
    }

    private final Clock clock;
    private final BackoffPolicy policy;
    private final Map<String, Entry> services = new HashMap<>();

    public RestartBackoff(Clock clock, BackoffPolicy policy) {
        this.clock = clock;
        this.policy = policy;
    }

    /** An instance of the service ended by itself (failed, finished, error). */
    public void failed(String serviceId) {
        Instant now = clock.instant();
        Entry e = services.computeIfAbsent(serviceId, k -> new Entry());
        resetIfHealthyLongEnough(e, now);
        e.failures++;
        e.lastFailure = now;
        e.healthySince = null;
    }

    /** An instance of the service became healthy. Repeats do not move the start of the period. */
    public void healthy(String serviceId) {
        Entry e = services.get(serviceId);
        if (e != null && e.healthySince == null) {
            e.healthySince = clock.instant();
        }
    }

    /** The service's status now. */
    public BackoffStatus status(String serviceId) {
        Entry e = services.get(serviceId);
        if (e == null) {
            return BackoffStatus.NONE;
        }
        Instant now = clock.instant();
        resetIfHealthyLongEnough(e, now);
        if (e.failures == 0) {
            services.remove(serviceId);
            return BackoffStatus.NONE;
        }
        var delay = policy.delayAfter(e.failures);
        return new BackoffStatus(e.failures, delay, e.lastFailure.plus(delay), e.failures >= policy.crashLoopFailures());
    }

    /** Every service with failures, by id. */
    public Map<String, BackoffStatus> statuses() {
        Map<String, BackoffStatus> out = new TreeMap<>();
        for (String id : new TreeMap<>(services).keySet()) {
            BackoffStatus s = status(id);
            if (s.failures() > 0) {
                out.put(id, s);
            }
        }
        return out;
    }

    /** Forget a removed service. */
    public void remove(String serviceId) {
        services.remove(serviceId);
    }

    private void resetIfHealthyLongEnough(Entry e, Instant now) {
        if (e.healthySince != null && !now.isBefore(e.healthySince.plus(policy.resetAfterHealthy()))) {
            e.failures = 0;
            e.lastFailure = null;
            e.healthySince = null;
        }
    }
}
