package io.remit.executor;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * What one executor measures of its task, in Prometheus's text format (0.0.4) for
 * {@link MetricsServer}. The target's labels (service, version, instance, agent, zone, team) come
 * from the scheduler's targets endpoint, so the series here carry none of them.
 *
 * <ul>
 *   <li>{@code remit_executor_launch_phase_seconds{phase}}: how long each step of the way to a
 *       registered instance took, once each (see {@link Phase}).
 *   <li>{@code remit_executor_health_check_duration_seconds}: a histogram of the HTTP health
 *       checks' answer times (a refused connection sends no request and is not in it).
 *   <li>{@code remit_executor_health_checks_total{result="passed|failed"}}: every result the
 *       verdict was fed, refusals included.
 *   <li>{@code remit_executor_registration_duration_seconds}: a histogram of the etcd writes of the
 *       discovery record; {@code remit_executor_registration_failures_total} of those that failed.
 *   <li>{@code remit_executor_healthy} and {@code remit_executor_registered}: 1 or 0 now.
 *   <li>{@code remit_executor_drain_seconds}: from KILL to the end of the drain (record withdrawn,
 *       then the grace); {@code remit_executor_stop_seconds}: from SIGTERM to the service's exit.
 *       Set at the end of a task: a scrape sees them only while the executor still waits for its
 *       last acknowledgement.
 *   <li>{@code process_start_time_seconds}: when this executor's JVM started, Unix time.
 * </ul>
 *
 * <p>Threading: any thread may record or scrape.
 */
final class ExecutorMetrics {

    /** The steps from the scheduler's LAUNCH to an instance clients can find. */
    enum Phase {
        /** The scheduler's LAUNCH to the executor's JVM start: the agent's work, mostly fetching artifacts. */
        FETCH,
        /** The executor's JVM start to the moment it begins to start the service (before or after LAUNCH). */
        EXECUTOR,
        /** The launch checks: the config rendered, the ports free, the artifact in the sandbox. */
        ARTIFACT,
        /** Writing the config and starting the service's process. */
        PROCESS_START,
        /** The service's process start to its first passing health check. */
        FIRST_HEALTHY,
        /** The first passing health check to the discovery record written in etcd. */
        REGISTRATION;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Supplier<Instant> jvmStartSource;
    private final Instant launchedAt;
    private Instant jvmStart;
    private final Map<Phase, Duration> phases = new EnumMap<>(Phase.class);
    private Instant startingServiceAt;
    private Instant serviceStartedAt;
    private Instant firstHealthyAt;
    private Duration drain;
    private Duration stop;
    private boolean healthy;
    private boolean registered;
    private final Histogram healthChecks = new Histogram(Histogram.SECONDS);
    private final AtomicLong checksPassed = new AtomicLong();
    private final AtomicLong checksFailed = new AtomicLong();
    private final Histogram registrations = new Histogram(Histogram.SECONDS);
    private final AtomicLong registrationFailures = new AtomicLong();

    /**
     * @param jvmStart when this JVM started; asked at the first scrape (or never), off the way
     *     to a running service
     * @param launchedAt when the scheduler sent LAUNCH, or null when it did not say
     */
    ExecutorMetrics(Supplier<Instant> jvmStart, Instant launchedAt) {
        this.jvmStartSource = jvmStart;
        this.launchedAt = launchedAt;
    }

    ExecutorMetrics(Instant jvmStart, Instant launchedAt) {
        this(() -> jvmStart, launchedAt);
    }

    /** The executor begins to start the service (launch checks next); only the first time counts. */
    synchronized void startingService(Instant at) {
        if (startingServiceAt == null) {
            startingServiceAt = at;
        }
    }

    /** The phases that begin at the JVM's start, known once that is. */
    private synchronized Instant jvmStart() {
        if (jvmStart == null) {
            jvmStart = jvmStartSource.get();
            if (launchedAt != null && !launchedAt.isAfter(jvmStart)) {
                phases.put(Phase.FETCH, Duration.between(launchedAt, jvmStart));
            }
        }
        if (startingServiceAt != null && !phases.containsKey(Phase.EXECUTOR)) {
            phases.put(Phase.EXECUTOR, positive(Duration.between(jvmStart, startingServiceAt)));
        }
        return jvmStart;
    }

    synchronized void checked(Duration took) {
        phases.put(Phase.ARTIFACT, took);
    }

    /** The service's process started at {@code at}, {@code took} after its config began to be written. */
    synchronized void serviceStarted(Instant at, Duration took) {
        phases.put(Phase.PROCESS_START, took);
        serviceStartedAt = at;
    }

    /** One HTTP health check's answer time (or its timeout). */
    void healthCheckAnswered(Duration took) {
        healthChecks.observe(took);
    }

    /** One result for the verdict. */
    void healthCheckResult(boolean passed, Instant at) {
        (passed ? checksPassed : checksFailed).incrementAndGet();
        if (passed) {
            synchronized (this) {
                if (firstHealthyAt == null) {
                    firstHealthyAt = at;
                    if (serviceStartedAt != null) {
                        phases.put(Phase.FIRST_HEALTHY, positive(Duration.between(serviceStartedAt, at)));
                    }
                }
            }
        }
    }

    synchronized void healthy(boolean now) {
        healthy = now;
    }

    /** A write of the discovery record succeeded at {@code at} after {@code took}. */
    void registered(Duration took, Instant at) {
        registrations.observe(took);
        synchronized (this) {
            registered = true;
            if (firstHealthyAt != null && !phases.containsKey(Phase.REGISTRATION)) {
                phases.put(Phase.REGISTRATION, positive(Duration.between(firstHealthyAt, at)));
            }
        }
    }

    void registrationFailed(Duration took) {
        registrations.observe(took);
        registrationFailures.incrementAndGet();
    }

    synchronized void withdrawn() {
        registered = false;
    }

    synchronized void drained(Duration took) {
        drain = took;
    }

    synchronized void stopped(Duration took) {
        stop = took;
    }

    /** Everything, in the text format. */
    String scrape() {
        StringBuilder out = new StringBuilder(4096);
        Instant started = jvmStart();
        Map<Phase, Duration> p;
        Duration d;
        Duration s;
        boolean h;
        boolean r;
        synchronized (this) {
            p = new EnumMap<>(phases);
            d = drain;
            s = stop;
            h = healthy;
            r = registered;
        }
        header(out, "remit_executor_launch_phase_seconds", "gauge",
                "How long each step from the scheduler's LAUNCH to a registered instance took");
        p.forEach((phase, took) -> out.append("remit_executor_launch_phase_seconds{phase=\"").append(phase.label())
                .append("\"} ").append(seconds(took)).append('\n'));
        header(out, "remit_executor_health_check_duration_seconds", "histogram",
                "Answer times of the HTTP health checks (timeouts count as the timeout)");
        healthChecks.write(out, "remit_executor_health_check_duration_seconds");
        header(out, "remit_executor_health_checks_total", "counter", "Health check results, connection refusals included");
        out.append("remit_executor_health_checks_total{result=\"passed\"} ").append(checksPassed.get()).append('\n');
        out.append("remit_executor_health_checks_total{result=\"failed\"} ").append(checksFailed.get()).append('\n');
        header(out, "remit_executor_healthy", "gauge", "1 while the service passes its health check");
        out.append("remit_executor_healthy ").append(h ? 1 : 0).append('\n');
        header(out, "remit_executor_registration_duration_seconds", "histogram",
                "Times of the etcd writes of the discovery record, failed ones included");
        registrations.write(out, "remit_executor_registration_duration_seconds");
        header(out, "remit_executor_registration_failures_total", "counter", "etcd writes of the discovery record that failed");
        out.append("remit_executor_registration_failures_total ").append(registrationFailures.get()).append('\n');
        header(out, "remit_executor_registered", "gauge", "1 while the discovery record is in etcd");
        out.append("remit_executor_registered ").append(r ? 1 : 0).append('\n');
        if (d != null) {
            header(out, "remit_executor_drain_seconds", "gauge", "From KILL to the end of the drain");
            out.append("remit_executor_drain_seconds ").append(seconds(d)).append('\n');
        }
        if (s != null) {
            header(out, "remit_executor_stop_seconds", "gauge", "From SIGTERM to the service's exit");
            out.append("remit_executor_stop_seconds ").append(seconds(s)).append('\n');
        }
        header(out, "process_start_time_seconds", "gauge", "When the executor's JVM started, Unix time in seconds");
        out.append("process_start_time_seconds ").append(number(started.toEpochMilli() / 1000.0)).append('\n');
        return out.toString();
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static String seconds(Duration d) {
        return number(d.toNanos() / 1e9);
    }

    /** A number as the text format writes it. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static Duration positive(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
