package io.remit.executor;

import io.remit.executor.TaskLifecycle.Action;
import io.remit.executor.api.ExecutorEnv;
import io.remit.executor.api.InvalidLaunchSpecException;
import io.remit.executor.api.LaunchSpec;
import io.remit.executor.log.LogLines;
import io.remit.mesos.executor.ExecutorClient;
import io.remit.mesos.executor.ExecutorConfig;
import io.remit.mesos.executor.ExecutorEnvironment;
import io.remit.mesos.executor.ExecutorListener;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.Attribute;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.executor.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remit's service executor: runs one instance of a Dropwizard service per executor, as
 * {@code TaskInfo.data} (a {@link LaunchSpec}) describes it, on Mesos's v1 executor API. The
 * Mesos adapter: it turns agent events into calls on a {@link TaskRunner} and the runner's
 * reports into status updates, which {@link ExecutorClient} keeps until acknowledged.
 *
 * <p>Start it with the environment a Mesos agent gives an executor; it logs to stderr and exits
 * once its task has ended and the last update is acknowledged (or the agent is gone).
 *
 * <p>Threading: everything happens on one thread, {@code main}; the client's callbacks hand
 * their events to it.
 */
public final class ServiceExecutor implements ExecutorListener, TaskRunner.Listener {

    /** {@code -Dremit.executor.prewarm=false} turns {@link Prewarm} off (to measure it). */
    static final String PREWARM_PROPERTY = "remit.executor.prewarm";

    static {
        // First thing in this JVM, before even the logger below starts up: see Prewarm. Not when
        // the service starts before LAUNCH: what waits for the agent then is off the critical
        // path, and warming would only take CPU from the service starting beside it.
        if (System.getenv(Prestart.ENV) == null) {
            prewarm();
        } else if (Boolean.parseBoolean(System.getProperty(PREWARM_PROPERTY, "true"))) {
            Prewarm.lazyTls();
        }
    }

    private static void prewarm() {
        if (Boolean.parseBoolean(System.getProperty(PREWARM_PROPERTY, "true"))) {
            Prewarm.start();
        }
    }

    /** Longest wait for the last acknowledgement before exiting anyway. */
    static final Duration LAST_ACK_WAIT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(ServiceExecutor.class);

    private final ExecutorEnvironment env;
    private final Map<String, String> processEnv;
    private final Clock clock;
    private final ScheduledExecutorService main = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "executor");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch done = new CountDownLatch(1);
    private final ExecutorMetrics metrics;
    private ExecutorClient client;
    /** Confined to main. */
    private MetricsServer metricsServer;

    // Confined to main.
    private AgentInfo agent;
    private boolean reportKilling;
    /** Written on main; volatile for the shutdown hook. */
    private volatile TaskRunner runner;
    /** The service started before LAUNCH, until a LAUNCH takes it or it is stopped; main, volatile for the hook. */
    private volatile Prestart early;
    private boolean finishing;
    private boolean agentGone;
    private ScheduledFuture<?> lastAckDeadline;

    ServiceExecutor(ExecutorEnvironment env, Map<String, String> processEnv, Clock clock) {
        this.env = env;
        this.processEnv = Map.copyOf(processEnv);
        this.clock = clock;
        // The JVM's own record of its start, to the millisecond (ProcessHandle's is off by up to a
        // second); read at the first scrape, so the management classes load off the way to LAUNCH.
        this.metrics = new ExecutorMetrics(() -> Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()),
                launchedAt(processEnv));
    }

    /** When the scheduler sent LAUNCH, if it said ({@link ExecutorEnv#LAUNCHED_AT}). */
    static Instant launchedAt(Map<String, String> env) {
        String value = env.get(ExecutorEnv.LAUNCHED_AT);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            LOG.warn("ignoring {}={}: not an ISO-8601 instant", ExecutorEnv.LAUNCHED_AT, value);
            return null;
        }
    }

    public static void main(String[] args) throws InterruptedException {
        ExecutorEnvironment env;
        try {
            env = ExecutorEnvironment.fromSystem();
        } catch (IllegalArgumentException e) {
            LOG.error("not started by a Mesos agent? {}", e.getMessage());
            System.exit(2);
            return;
        }
        ServiceExecutor executor = new ServiceExecutor(env, System.getenv(), Clock.systemUTC());
        Runtime.getRuntime().addShutdownHook(new Thread(executor::emergencyStop, "executor-shutdown"));
        executor.run();
        System.exit(0);
    }

    /** Subscribes and waits until the executor is done. */
    void run() throws InterruptedException {
        LOG.info("service executor {} of framework {} starting in {}", env.executorId().getValue(),
                env.frameworkId().getValue(), env.sandbox());
        if (processEnv.containsKey(Prestart.ENV)) {
            // The service first; then subscribing and LAUNCH, while it starts.
            try {
                main.submit(this::prestart).get();
            } catch (ExecutionException e) {
                LOG.warn("starting the service before LAUNCH failed", e.getCause());
            }
            if (early == null) {
                prewarm(); // LAUNCH will start it after all
            }
        }
        // On the main thread, which waits for the agent's first event meanwhile: off the way to SUBSCRIBE.
        onMain(() -> metricsServer = MetricsServer.start(processEnv, metrics::scrape));
        client = new ExecutorClient(ExecutorConfig.builder(env).clock(clock).build(), this);
        client.start();
        done.await();
    }

    // ---------------------------------------------------------------- client callbacks (delivery thread)

    @Override
    public void received(Event event) {
        onMain(() -> handle(event));
    }

    @Override
    public void disconnected(String reason, boolean resubscribing) {
        if (!resubscribing) {
            onMain(() -> agentLost("the agent is gone (" + reason + ") and the framework does not checkpoint"));
        }
    }

    @Override
    public void recoveryTimedOut(Duration recoveryTimeout) {
        onMain(() -> agentLost("the agent did not come back within " + recoveryTimeout));
    }

    // ---------------------------------------------------------------- main thread

    private void handle(Event event) {
        switch (event.getType()) {
            case SUBSCRIBED -> {
                agent = event.getSubscribed().getAgentInfo();
                reportKilling = event.getSubscribed().getFrameworkInfo().getCapabilitiesList().stream()
                        .anyMatch(c -> c.getType() == FrameworkInfo.Capability.Type.TASK_KILLING_STATE);
            }
            case LAUNCH -> launch(event.getLaunch().getTask());
            case LAUNCH_GROUP -> event.getLaunchGroup().getTaskGroup().getTasksList().forEach(t -> reject(t.getTaskId(),
                    "the Remit service executor does not run task groups"));
            case KILL -> kill(event.getKill().getTaskId(), event.getKill().hasKillPolicy() ? event.getKill().getKillPolicy() : null);
            case SHUTDOWN -> shutdown();
            case ACKNOWLEDGED -> exitIfAcknowledged();
            case MESSAGE -> LOG.info("ignoring a MESSAGE from the scheduler");
            case ERROR -> LOG.warn("the agent sent ERROR: {}", event.getError().getMessage());
            default -> { }
        }
    }

    private void prestart() {
        early = Prestart.start(processEnv, launchContext(null), metrics, clock);
        if (early != null) {
            main.schedule(() -> {
                if (early != null) {
                    early.discard("no LAUNCH within " + Prestart.LAUNCH_WAIT.toSeconds() + " s");
                    early = null;
                }
            }, Prestart.LAUNCH_WAIT.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private LaunchContext launchContext(AgentInfo agent) {
        return new LaunchContext(env.sandbox(), processEnv, ServiceCommand.java(processEnv, System.getProperty("java.home")),
                agent == null ? null : agent.getHostname(), agent == null ? null : agent.getId().getValue(),
                agent == null ? null : zone(agent));
    }

    private void launch(TaskInfo task) {
        String taskId = task.getTaskId().getValue();
        if (agent == null) {
            reject(task.getTaskId(), "LAUNCH before SUBSCRIBED: the agent did not say where this executor runs");
            return;
        }
        if (runner != null) {
            reject(task.getTaskId(), "this executor already runs task " + runner.taskId()
                    + "; give each instance its own executor id");
            return;
        }
        LaunchSpec spec;
        try {
            spec = LaunchSpec.fromJson(task.getData().toByteArray());
            if (!spec.instanceId().equals(taskId)) {
                throw new InvalidLaunchSpecException(List.of(
                        "instanceId: must be the task id '" + taskId + "', was '" + spec.instanceId() + "'"));
            }
        } catch (InvalidLaunchSpecException e) {
            reject(task.getTaskId(), e.getMessage());
            exitWhenAcknowledged();
            return;
        }
        LogLines.identify(spec.serviceId(), spec.version(), spec.instanceId());
        LOG.info("launching {}", spec);
        runner = new TaskRunner(spec, launchContext(agent), main, clock, this, metrics);
        Prestart started = early;
        early = null;
        runner.launch(started);
    }

    private void kill(TaskID taskId, KillPolicy policy) {
        if (runner == null || !runner.taskId().equals(taskId.getValue())) {
            LOG.warn("KILL for task {}, which this executor does not run", taskId.getValue());
            return;
        }
        Duration drain = policy != null && policy.hasGracePeriod()
                ? Duration.ofNanos(policy.getGracePeriod().getNanoseconds())
                : null;
        runner.kill(drain != null ? drain : runner.drainGrace(), TaskRunner.STOP_TIMEOUT, reportKilling);
    }

    /**
     * SHUTDOWN: the agent kills this executor after its shutdown grace period, so drain and stop
     * must fit in it: four fifths of it, at most half of that draining.
     */
    private void shutdown() {
        if (runner == null) {
            LOG.info("SHUTDOWN before any task; exiting");
            discardEarly("SHUTDOWN before LAUNCH");
            exit();
            return;
        }
        Duration budget = env.shutdownGracePeriod().multipliedBy(4).dividedBy(5);
        Duration drain = min(runner.drainGrace(), budget.dividedBy(2));
        runner.kill(drain, min(TaskRunner.STOP_TIMEOUT, budget.minus(drain)), reportKilling);
    }

    private void agentLost(String why) {
        LOG.warn("{}; stopping the service and exiting", why);
        agentGone = true;
        if (runner == null || runner.lifecycle().ended()) {
            discardEarly("the agent is gone");
            exit();
        } else {
            runner.kill(Duration.ZERO, Duration.ofSeconds(5), false);
        }
    }

    private void reject(TaskID taskId, String message) {
        LOG.warn("rejecting task {}: {}", taskId.getValue(), message);
        send(TaskStatus.newBuilder().setTaskId(taskId).setState(TaskState.TASK_FAILED)
                .setReason(TaskStatus.Reason.REASON_TASK_INVALID).setMessage(message).build());
    }

    @Override
    public void report(String taskId, Action.Report report) {
        TaskStatus.Builder status = TaskStatus.newBuilder()
                .setTaskId(TaskID.newBuilder().setValue(taskId))
                .setState(state(report.state()))
                .setMessage(report.message());
        if (report.healthy() != null) {
            status.setHealthy(report.healthy());
        }
        reason(report.reason()).ifPresent(status::setReason);
        LOG.info("task {}: {}{} {}", taskId, status.getState(), report.healthy() == null ? "" : " healthy=" + report.healthy(),
                report.message());
        send(status.build());
    }

    @Override
    public void finished(String taskId) {
        exitWhenAcknowledged();
    }

    private void send(TaskStatus status) {
        client.update(status).exceptionally(failure -> {
            LOG.warn("update {} of {} not sent yet ({}); it is resent on resubscription", status.getState(),
                    status.getTaskId().getValue(), failure.getMessage());
            return null;
        });
    }

    private void exitWhenAcknowledged() {
        if (finishing) {
            return;
        }
        finishing = true;
        lastAckDeadline = main.schedule(() -> {
            LOG.warn("exiting with {} unacknowledged update(s) after {}", client.unacknowledgedUpdates().size(), LAST_ACK_WAIT);
            exit();
        }, LAST_ACK_WAIT.toNanos(), TimeUnit.NANOSECONDS);
        exitIfAcknowledged();
    }

    private void exitIfAcknowledged() {
        if (finishing && (agentGone || client.unacknowledgedUpdates().isEmpty())) {
            exit();
        }
    }

    private void exit() {
        if (lastAckDeadline != null) {
            lastAckDeadline.cancel(false);
        }
        discardEarly("the executor exits without a task for it");
        LOG.info("service executor {} exiting", env.executorId().getValue());
        if (runner != null) {
            runner.close();
        }
        client.close();
        if (metricsServer != null) {
            metricsServer.close();
        }
        main.shutdown();
        done.countDown();
    }

    private void discardEarly(String why) {
        if (early != null) {
            early.discard(why);
            early = null;
        }
    }

    private void emergencyStop() {
        Prestart started = early;
        if (done.getCount() > 0 && started != null) {
            started.kill();
        }
        if (done.getCount() > 0 && runner != null) {
            LOG.warn("the executor JVM is being stopped; withdrawing the record and killing the service");
            runner.emergencyStop();
        }
    }

    private void onMain(Runnable task) {
        try {
            main.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("unexpected failure on the executor thread", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("executor stopping; dropped an event");
        }
    }

    private static String zone(AgentInfo agent) {
        for (Attribute a : agent.getAttributesList()) {
            if (a.getName().equals("zone") && a.getType() == Value.Type.TEXT) {
                return a.getText().getValue();
            }
        }
        return null;
    }

    private static TaskState state(TaskLifecycle.Reported reported) {
        return switch (reported) {
            case STARTING -> TaskState.TASK_STARTING;
            case RUNNING -> TaskState.TASK_RUNNING;
            case KILLING -> TaskState.TASK_KILLING;
            case FINISHED -> TaskState.TASK_FINISHED;
            case FAILED -> TaskState.TASK_FAILED;
            case KILLED -> TaskState.TASK_KILLED;
        };
    }

    private static Optional<TaskStatus.Reason> reason(TaskLifecycle.Reason reason) {
        return switch (reason) {
            case NONE -> Optional.empty();
            case INVALID -> Optional.of(TaskStatus.Reason.REASON_TASK_INVALID);
            case LAUNCH_FAILED -> Optional.of(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED);
            case HEALTH -> Optional.of(TaskStatus.Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED);
        };
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
