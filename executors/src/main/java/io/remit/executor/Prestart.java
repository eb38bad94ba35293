package io.remit.executor;

import io.remit.executor.api.LaunchSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service started before LAUNCH. The agent starts an executor only to run the task it holds
 * for it, and the scheduler may put that task's launch spec (without etcd's credentials) in the
 * executor's environment as {@value #ENV}; the executor then starts the service at once instead of
 * after subscribing and receiving LAUNCH, some 0.3 s later (see executors/README.md, Start-up).
 *
 * <p>Nothing is reported before LAUNCH. When LAUNCH brings the same spec (plus the credentials),
 * its task takes over the running service ({@link #adopt}); any other LAUNCH, a SHUTDOWN, the
 * agent gone, or no LAUNCH at all within {@link #LAUNCH_WAIT} stops it ({@link #discard}). A spec
 * that does not parse, or fails the launch checks, starts nothing: LAUNCH then reports why.
 *
 * <p>Threading: confined to the executor's main thread.
 */
final class Prestart {

    /** The executor environment variable with the launch spec as JSON. */
    static final String ENV = LaunchSpec.EARLY_START_ENV;
    /** How long a service started early runs without a LAUNCH before it is stopped. */
    static final java.time.Duration LAUNCH_WAIT = java.time.Duration.ofSeconds(60);
    private static final Logger LOG = LoggerFactory.getLogger(Prestart.class);

    private final LaunchSpec spec;
    /** Written on the main thread; volatile for the shutdown hook. */
    private volatile ServiceProcess process;

    private Prestart(LaunchSpec spec, ServiceProcess process) {
        this.spec = spec;
        this.process = process;
    }

    /** Starts the service from {@link #ENV}, or returns null (no spec, or it cannot start; logged). */
    static Prestart start(Map<String, String> env, LaunchContext context, ExecutorMetrics metrics, java.time.Clock clock) {
        String json = env.get(ENV);
        if (json == null || json.isBlank()) {
            return null;
        }
        LaunchSpec spec;
        try {
            spec = LaunchSpec.fromJson(json.getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            LOG.warn("not starting the service before LAUNCH: {} does not hold a launch spec ({})", ENV, e.getMessage());
            return null;
        }
        io.remit.executor.log.LogLines.identify(spec.serviceId(), spec.version(), spec.instanceId());
        Preflight.Outcome checked = TaskRunner.preflight(spec, context, metrics, clock);
        if (!checked.ok()) {
            LOG.info("not starting {} before LAUNCH: {}", spec.instanceId(), String.join("; ", checked.problems()));
            return null;
        }
        try {
            return new Prestart(spec, TaskRunner.startService(spec, context, checked.config(), " before LAUNCH", metrics, clock));
        } catch (IOException | RuntimeException e) {
            LOG.warn("not starting {} before LAUNCH: {}", spec.instanceId(), e.toString());
            return null;
        }
    }

    /**
     * The running service if {@code launched} is the spec it was started from, else null after
     * stopping it. Either way this Prestart is used up.
     */
    ServiceProcess adopt(LaunchSpec launched) {
        ServiceProcess p = process;
        process = null;
        if (p == null) {
            return null;
        }
        if (launched.withoutEtcdCredentials().equals(spec)) {
            LOG.info("task {} takes over the service started before LAUNCH (pid {})", launched.instanceId(), p.pid());
            return p;
        }
        LOG.warn("LAUNCH of {} differs from the spec in {} (task {}); stopping the service started from that",
                launched.instanceId(), ENV, spec.instanceId());
        stop(p);
        return null;
    }

    /** Stops the service started early, if it still runs; waits up to 5 s for it to exit. */
    void discard(String why) {
        ServiceProcess p = process;
        process = null;
        if (p != null) {
            LOG.warn("stopping the service started before LAUNCH (pid {}): {}", p.pid(), why);
            stop(p);
        }
    }

    /** For a JVM shutdown hook: SIGKILL at once. Any thread. */
    void kill() {
        ServiceProcess p = process;
        if (p != null && p.isAlive()) {
            p.kill();
        }
    }

    private static void stop(ServiceProcess p) {
        p.kill();
        try {
            p.exited().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("the service started before LAUNCH (pid {}) did not exit within 5 s of SIGKILL", p.pid());
        }
    }
}
