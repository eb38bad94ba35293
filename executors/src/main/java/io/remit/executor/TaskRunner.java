package io.remit.executor;

import io.remit.executor.TaskLifecycle.Action;
import io.remit.executor.TaskLifecycle.Event;
import io.remit.executor.api.ExecutorEnv;
import io.remit.executor.api.LaunchSpec;
import io.remit.registry.discovery.GatewayRegistry;
import io.remit.registry.discovery.Instance;
import io.remit.registry.etcd.EtcdSettings;
import io.remit.registry.etcd.InvalidSettingsException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The I/O shell around {@link TaskLifecycle} for one task: checks and starts the service JVM,
 * feeds health check results through {@link HealthVerdict}, and carries out the lifecycle's
 * actions (status reports, the discovery record, drain timers, signals).
 *
 * <p>Threading: confined to the executor's main thread ({@code main}); callbacks from other
 * threads (process exit, health results, discovery) are handed to it. Construct, then
 * {@link #launch()} once.
 */
final class TaskRunner {

    /** How long SIGTERM gets before SIGKILL, unless a SHUTDOWN's grace period leaves less. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Not passed on to the service: the executor's credential towards the agent, its early launch
     * spec, and what {@link ExecutorEnv} names.
     */
    static final List<String> EXECUTOR_ONLY_ENV = executorOnlyEnv();
    /**
     * The spec's environment variable that gives the instance's weight within its version, which
     * the discovery record carries ({@link Instance#weight()}); the service sees it too.
     */
    static final String WEIGHT_ENV = "REMIT_WEIGHT";
    private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);

    private static List<String> executorOnlyEnv() {
        List<String> names = new ArrayList<>(List.of("MESOS_EXECUTOR_AUTHENTICATION_TOKEN", Prestart.ENV));
        names.addAll(ExecutorEnv.ALL);
        return List.copyOf(names);
    }

    /** Hears what the task does; called on the main thread. */
    interface Listener {
        void report(String taskId, Action.Report report);

        /** The task ended and its last update was sent; the executor may exit once it is acknowledged. */
        void finished(String taskId);
    }

    private final LaunchSpec spec;
    private final LaunchContext context;
    private final ScheduledExecutorService main;
    private final Clock clock;
    private final Listener listener;
    private final ExecutorMetrics metrics;

    private TaskLifecycle lifecycle = TaskLifecycle.launching(STOP_TIMEOUT);
    private HealthVerdict verdict;
    private ServiceProcess process;
    private HealthChecker health;
    private GatewayRegistry registry;
    private Discovery discovery;
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();
    /** When the KILL (or SHUTDOWN) came, and when SIGTERM went: for the drain and stop times. */
    private Instant killRequestedAt;
    private Instant stopSentAt;

    TaskRunner(LaunchSpec spec, LaunchContext context, ScheduledExecutorService main, Clock clock, Listener listener,
               ExecutorMetrics metrics) {
        this.spec = spec;
        this.context = context;
        this.main = main;
        this.clock = clock;
        this.listener = listener;
        this.metrics = metrics;
    }

    String taskId() {
        return spec.instanceId();
    }

    /** How long to drain on a KILL that names no grace period of its own. */
    Duration drainGrace() {
        return spec.drainGrace();
    }

    TaskLifecycle lifecycle() {
        return lifecycle;
    }

    /**
     * Renders the config, checks ports and artifact, starts the service and its health checks;
     * or takes over the service {@code early} started before LAUNCH when it ran this very spec.
     */
    void launch(Prestart early) {
        ServiceProcess adopted = early == null ? null : early.adopt(spec);
        Preflight.Outcome checked = null;
        if (adopted == null) {
            checked = preflight(spec, context, metrics, clock);
            if (!checked.ok()) {
                apply(new Event.LaunchFailed("cannot launch " + spec.instanceId() + ": " + String.join("; ", checked.problems()),
                        false));
                return;
            }
        }
        EtcdSettings etcdSettings;
        try {
            etcdSettings = etcdSettings().validated(); // checked now; the registry is made once the service runs
            process = adopted != null ? adopted : startService(spec, context, checked.config(), "", metrics, clock);
        } catch (InvalidSettingsException e) {
            if (adopted != null) {
                adopted.kill();
            }
            apply(new Event.LaunchFailed("cannot launch " + spec.instanceId() + ": etcd " + e.getMessage(), true));
            return;
        } catch (IOException | RuntimeException e) {
            LOG.error("launching {} failed", spec.instanceId(), e);
            apply(new Event.LaunchFailed("cannot launch " + spec.instanceId() + ": " + e, false));
            return;
        }
        try {
            connectRegistry(etcdSettings);
        } catch (RuntimeException e) {
            LOG.error("launching {} failed", spec.instanceId(), e);
            process.kill();
            apply(new Event.LaunchFailed("cannot launch " + spec.instanceId() + ": etcd " + e.getMessage(), true));
            return;
        }
        process.exited().thenAccept(ended -> onMain(() -> apply(new Event.Exited(ended.status(), ended.lastLines()))));
        LaunchSpec.HealthCheck h = spec.healthCheck();
        verdict = HealthVerdict.initial(clock.instant(), h.gracePeriod(), h.consecutiveFailures());
        apply(new Event.Started(process.pid()));
        URI uri = URI.create("http://127.0.0.1:" + spec.ports().get(h.port()) + h.path());
        health = new HealthChecker(uri, h.interval(), h.timeout(), main, clock, result -> onMain(() -> checked(result)),
                metrics::healthCheckAnswered);
        health.start();
    }

    /** The launch checks ({@link Preflight}), timed. */
    static Preflight.Outcome preflight(LaunchSpec spec, LaunchContext context, ExecutorMetrics metrics, Clock clock) {
        Instant begin = clock.instant();
        metrics.startingService(begin);
        Preflight.Outcome checked = Preflight.check(spec, context.sandbox());
        metrics.checked(Duration.between(begin, clock.instant()));
        return checked;
    }

    /** Writes the rendered config and starts the service in the sandbox; {@code note} ends the log line. */
    static ServiceProcess startService(LaunchSpec spec, LaunchContext context, String config, String note,
                                       ExecutorMetrics metrics, Clock clock) throws IOException {
        Instant begin = clock.instant();
        Files.writeString(context.sandbox().resolve(ServiceCommand.CONFIG_FILE), config, StandardCharsets.UTF_8);
        List<String> argv = ServiceCommand.argv(context.java(), spec);
        LOG.info("starting {} {} as task {}{}: {}", spec.serviceId(), spec.version(), spec.instanceId(), note, argv);
        ServiceProcess started = ServiceProcess.start(argv, context.sandbox(), serviceEnv(spec, context), EXECUTOR_ONLY_ENV,
                RotatingFile.DEFAULT_MAX_BYTES, RotatingFile.DEFAULT_FILES);
        Instant end = clock.instant();
        metrics.serviceStarted(end, Duration.between(begin, end));
        return started;
    }

    /**
     * The service's environment: the spec's, and what the service needs of etcd besides its
     * endpoints (which its config template renders): its own user and password, never the
     * executor's, and the CA file and client certificate, written to the sandbox here.
     */
    static java.util.Map<String, String> serviceEnv(LaunchSpec spec, LaunchContext context) throws IOException {
        LaunchSpec.Etcd e = spec.etcd();
        if (e == null || (e.ca() == null && !e.hasServiceCredentials() && !e.hasClientCert())) {
            return spec.env();
        }
        java.util.Map<String, String> env = new java.util.TreeMap<>(spec.env());
        if (e.ca() != null) {
            env.put(LaunchSpec.Etcd.CA_FILE_ENV, writeCa(e, context).toString());
        }
        if (e.hasClientCert()) {
            ClientCertFiles files = writeClientCert(e, context);
            env.put(LaunchSpec.Etcd.CERT_FILE_ENV, files.cert().toString());
            env.put(LaunchSpec.Etcd.KEY_FILE_ENV, files.key().toString());
        }
        if (e.hasServiceCredentials()) {
            env.put(LaunchSpec.Etcd.USER_ENV, e.serviceUser());
            env.put(LaunchSpec.Etcd.PASSWORD_ENV, e.servicePassword());
        }
        return env;
    }

    /** The launch spec's etcd CA in the sandbox, {@value LaunchSpec.Etcd#CA_FILE}. */
    static java.nio.file.Path writeCa(LaunchSpec.Etcd e, LaunchContext context) throws IOException {
        java.nio.file.Path file = context.sandbox().resolve(LaunchSpec.Etcd.CA_FILE).toAbsolutePath();
        Files.writeString(file, e.ca(), StandardCharsets.US_ASCII);
        return file;
    }

    /** The client certificate and key files in the sandbox. */
    record ClientCertFiles(java.nio.file.Path cert, java.nio.file.Path key) {
    }

    /**
     * The launch spec's etcd client certificate in the sandbox, {@value LaunchSpec.Etcd#CERT_FILE},
     * and its key, {@value LaunchSpec.Etcd#KEY_FILE}, made readable by this user only before the
     * key is written. The service runs as the same user, so it can read them too.
     */
    static ClientCertFiles writeClientCert(LaunchSpec.Etcd e, LaunchContext context) throws IOException {
        java.nio.file.Path cert = context.sandbox().resolve(LaunchSpec.Etcd.CERT_FILE).toAbsolutePath();
        java.nio.file.Path key = context.sandbox().resolve(LaunchSpec.Etcd.KEY_FILE).toAbsolutePath();
        Files.writeString(cert, e.cert(), StandardCharsets.US_ASCII);
        if (!Files.exists(key)) {
            try {
                Files.createFile(key, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(key);
            }
        }
        Files.writeString(key, e.key(), StandardCharsets.US_ASCII);
        return new ClientCertFiles(cert, key);
    }

    /**
     * The executor's own etcd connection: its user, and for https endpoints the launch spec's CA
     * (else the JVM's trusted CAs) and client certificate, if any.
     */
    private EtcdSettings etcdSettings() throws IOException {
        LaunchSpec.Etcd e = spec.etcd();
        boolean tls = !e.endpoints().isEmpty() && e.endpoints().stream().allMatch(u -> u.startsWith("https:"));
        ClientCertFiles own = tls && e.hasClientCert() ? writeClientCert(e, context) : null;
        EtcdSettings.Tls files = !tls ? null
                : new EtcdSettings.Tls(e.ca() == null ? null : writeCa(e, context), own == null ? null : own.cert(),
                        own == null ? null : own.key());
        if (e.user() != null) {
            LOG.info("task {} registers in etcd as user {}", spec.instanceId(), e.user());
        }
        return new EtcdSettings(e.endpoints(), e.user(), e.password(), files, null, null);
    }

    /**
     * etcd's JSON gateway over the JDK's HTTP client, already loaded for the agent and the health
     * checks: no gRPC stack to load while the service starts next to this JVM. Its connection is
     * opened now, while the service starts, so that publishing at the first healthy check is quick.
     */
    private void connectRegistry(EtcdSettings settings) {
        registry = new GatewayRegistry(settings);
        Instance instance = new Instance(spec.serviceId(), spec.instanceId(), context.hostname(), spec.ports(),
                spec.version(), context.zone(), context.agentId(), clock.instant(), weight(spec));
        discovery = new Discovery(registry, instance, spec.registrationTtl(), clock, metrics);
        registry.warmUp(instance);
    }

    /**
     * The instance's weight within its version, from the spec's environment variable
     * {@value #WEIGHT_ENV} (a whole number, at least 0); null (the default weight) when it is
     * absent or not such a number, which is logged.
     */
    static Integer weight(LaunchSpec spec) {
        String text = spec.env().get(WEIGHT_ENV);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            int weight = Integer.parseInt(text.strip());
            if (weight >= 0) {
                return weight;
            }
        } catch (NumberFormatException e) {
            // logged below
        }
        LOG.warn("task {}: {}={} is not a weight (a whole number, at least 0); registering with the default weight",
                spec.instanceId(), WEIGHT_ENV, text);
        return null;
    }

    private void checked(HealthVerdict.Result result) {
        if (lifecycle.ended()) {
            return;
        }
        HealthVerdict before = verdict;
        verdict = verdict.after(result);
        metrics.healthCheckResult(result.ok(), result.at());
        if (verdict.changedFrom(before)) {
            metrics.healthy(verdict.health() == HealthVerdict.Health.HEALTHY);
            LOG.info("task {} is now {}", spec.instanceId(), verdict.describe());
            apply(new Event.HealthChanged(verdict.health() == HealthVerdict.Health.HEALTHY, verdict.describe()));
        }
    }

    /**
     * KILL, SHUTDOWN or the agent gone: withdraw the record, wait {@code drain}, SIGTERM, and
     * SIGKILL after {@code stopTimeout}.
     */
    void kill(Duration drain, Duration stopTimeout, boolean reportKilling) {
        LOG.info("killing task {}: drain {}, then SIGTERM, SIGKILL after {}", spec.instanceId(), drain, stopTimeout);
        apply(new Event.KillRequested(drain, stopTimeout, reportKilling));
    }

    private void apply(Event event) {
        timePhases(event);
        TaskLifecycle.Transition t = lifecycle.on(event);
        if (t.next().phase() != lifecycle.phase()) {
            LOG.info("task {}: {} -> {} on {}", spec.instanceId(), lifecycle.phase(), t.next().phase(),
                    event.getClass().getSimpleName());
        }
        lifecycle = t.next();
        performInOrder(t.actions(), 0);
    }

    /** The drain (KILL to its end) and stop (SIGTERM to exit) times, for the metrics. */
    private void timePhases(Event event) {
        if (lifecycle.ended()) {
            return;
        }
        Instant now = clock.instant();
        if (event instanceof Event.KillRequested && killRequestedAt == null) {
            killRequestedAt = now;
        } else if (event instanceof Event.DrainEnded && killRequestedAt != null) {
            metrics.drained(Duration.between(killRequestedAt, now));
        } else if (event instanceof Event.Exited && stopSentAt != null) {
            metrics.stopped(Duration.between(stopSentAt, now));
        }
    }

    /**
     * Carries out actions in order. After a Publish the rest wait until the record is in etcd (at
     * most {@link #PUBLISH_WAIT}), so that "healthy" is never reported for an instance clients
     * cannot find yet: the scheduler kills an old instance on that report during a rollout.
     */
    private void performInOrder(List<Action> actions, int from) {
        for (int i = from; i < actions.size(); i++) {
            Action action = actions.get(i);
            if (action instanceof Action.Publish && i + 1 < actions.size()) {
                int next = i + 1;
                discovery.publish().completeOnTimeout(null, PUBLISH_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                        .whenComplete((ok, failure) -> onMain(() -> performInOrder(actions, next)));
                return;
            }
            perform(action);
        }
    }

    private static final Duration PUBLISH_WAIT = Duration.ofSeconds(5);

    private void perform(Action action) {
        if (action instanceof Action.Report r) {
            listener.report(spec.instanceId(), r);
        } else if (action instanceof Action.Publish) {
            discovery.publish();
        } else if (action instanceof Action.Withdraw) {
            discovery.withdraw();
        } else if (action instanceof Action.Drain d) {
            // The grace starts once the record is gone (or could not be deleted).
            discovery.withdraw().whenComplete((ok, failure) -> onMain(() -> later(d.grace(), new Event.DrainEnded())));
        } else if (action instanceof Action.Stop s) {
            stopSentAt = clock.instant();
            process.terminate();
            later(s.timeout(), new Event.StopTimedOut());
        } else if (action instanceof Action.ForceStop) {
            process.kill();
        } else if (action instanceof Action.Finish) {
            if (health != null) {
                health.close();
            }
            timers.forEach(timer -> timer.cancel(false));
            listener.finished(spec.instanceId());
        }
    }

    private void later(Duration delay, Event event) {
        if (!lifecycle.ended()) {
            timers.add(main.schedule(() -> apply(event), delay.toNanos(), TimeUnit.NANOSECONDS));
        }
    }

    private void onMain(Runnable task) {
        try {
            main.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("the executor is stopping; dropped a callback of task {}", spec.instanceId());
        }
    }

    /**
     * Releases the registry: withdraws the record if it is still there and stops renewing its
     * lease. Blocks up to about 10 s; call after the task ended, off no particular thread.
     */
    void close() {
        if (discovery != null) {
            discovery.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    /** For a JVM shutdown hook: withdraw the record (briefly) and SIGKILL the service. Any thread. */
    void emergencyStop() {
        if (discovery != null) {
            discovery.close(Duration.ofSeconds(2));
        }
        if (process != null && process.isAlive()) {
            process.kill();
        }
    }
}
