package io.remit.scheduler.engine;

import io.remit.scheduler.placement.Launch;
import io.remit.scheduler.placement.OfferAction;
import io.remit.scheduler.placement.OfferDecider;
import io.remit.scheduler.placement.OfferView;
import io.remit.scheduler.placement.RunningInstance;
import io.remit.scheduler.plan.Action;
import io.remit.scheduler.plan.BackoffPolicy;
import io.remit.scheduler.plan.ClusterView;
import io.remit.scheduler.plan.DesiredService;
import io.remit.scheduler.plan.DesiredState;
import io.remit.scheduler.plan.Effect;
import io.remit.scheduler.plan.Planner;
import io.remit.scheduler.plan.Reconciliation;
import io.remit.scheduler.plan.RestartBackoff;
import io.remit.scheduler.plan.TaskEvent;
import io.remit.scheduler.plan.TaskLifecycle;
import io.remit.scheduler.plan.TaskState;
import io.remit.scheduler.plan.TaskView;
import io.remit.scheduler.plan.Transition;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.state.TaskRecord;
import io.remit.scheduler.state.TaskStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The I/O shell around the scheduler's pure deciders: it owns the live state (specs, task
 * records, backoff, reconciliation), feeds Mesos events and spec changes to {@link Planner} and
 * {@link OfferDecider}, and carries out what they return through {@link Cluster} and the
 * {@link TaskStore}.
 *
 * <p>Threading: all state lives on one loop thread; every public method posts to it and returns
 * at once (or waits for its answer, for the few that return one). Readers on other threads use
 * {@link #snapshot()}, an immutable copy published after every change.
 */
public final class SchedulerEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulerEngine.class);
    private static final int RECENTLY_ENDED = 200;

    /** Tunables. */
    /**
     * Tunables. {@code executorCpus} and {@code executorMemMb} are what each instance's executor
     * takes on top of the instance, so placement must count them too.
     */
    public record Settings(Duration declineRefuse, Duration waitingRefuse, Duration tick, Duration reconcileInterval,
                           double executorCpus, int executorMemMb, Duration unhealthyTimeout) {
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMinutes(10),
                    0.05, 128, Duration.ofMinutes(1));
        }
    }

    private final TaskStore store;
    private final Cluster cluster;
    private final Clock clock;
    private final ScheduledExecutorService loop;
    private final Settings settings;
    private final RestartBackoff backoff;
    private final Reconciliation reconciliation;
    private final EngineMetrics metrics;
    private final OfferDecider offerDecider;

    private final Map<String, ServiceSpec> specs = new TreeMap<>();
    private final Map<String, TaskRecord> tasks = new LinkedHashMap<>();
    private final ArrayDeque<TaskRecord> ended = new ArrayDeque<>();
    private final Map<String, String> waiting = new TreeMap<>();
    private final Map<String, Integer> demand = new TreeMap<>();
    /** Why the last placement round left instances of a service unplaced. */
    private final Map<String, String> unplaced = new TreeMap<>();
    private final Map<String, AgentView> agents = new TreeMap<>();
    /** Bumped by a restart request; part of the revision the planner compares. */
    private final Map<String, Integer> restarts = new HashMap<>();
    private boolean subscribed;
    /** A decide() is queued on the loop behind the events already waiting there. */
    private boolean decisionQueued;
    private boolean suppressed;
    /** Offers were declined with {@code declineRefuse} since the last REVIVE (see ClusterView). */
    private boolean refused;
    private Instant lastImplicitReconcile = Instant.EPOCH;
    private volatile EngineSnapshot snapshot = EngineSnapshot.EMPTY;
    private final List<java.util.function.Consumer<EngineSnapshot>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public SchedulerEngine(TaskStore store, Cluster cluster, Clock clock, ScheduledExecutorService loop, Settings settings,
                           EngineMetrics metrics) {
        this.metrics = metrics;
        this.store = store;
        this.cluster = cluster;
        this.clock = clock;
        this.loop = loop;
        this.settings = settings;
        this.backoff = new RestartBackoff(clock, BackoffPolicy.DEFAULT);
        this.reconciliation = new Reconciliation(clock, Duration.ofSeconds(2), Duration.ofMinutes(1));
        this.offerDecider = new OfferDecider(new OfferDecider.Settings(settings.declineRefuse(), settings.waitingRefuse(),
                settings.executorCpus(), settings.executorMemMb()));
    }

    /** Loads the task records from etcd and starts the periodic tick. */
    public void start(Map<String, ServiceSpec> initialSpecs) {
        call(() -> {
            specs.putAll(initialSpecs);
            for (TaskRecord r : store.all()) {
                if (r.state().isTerminal()) {
                    store.delete(r.taskId());
                } else {
                    tasks.put(r.taskId(), r);
                }
            }
            LOG.info("Engine starts with {} services and {} known tasks", specs.size(), tasks.size());
            publish();
            return null;
        });
        long tick = settings.tick().toMillis();
        loop.scheduleWithFixedDelay(() -> safely(this::tick), tick, tick, TimeUnit.MILLISECONDS);
    }

    public EngineSnapshot snapshot() {
        return snapshot;
    }

    /**
     * Hears every snapshot the engine publishes, on the engine's loop thread, in order: keep it
     * quick (the event journal diffs two snapshots).
     */
    public void onPublish(java.util.function.Consumer<EngineSnapshot> listener) {
        listeners.add(listener);
        EngineSnapshot now = snapshot;
        if (now != EngineSnapshot.EMPTY) {
            post(() -> listener.accept(snapshot));
        }
    }

    // ---------------------------------------------------------------- inputs

    /** The services' specs changed (REST, another scheduler, etcdctl): the new full set. */
    public void specsChanged(Map<String, ServiceSpec> all) {
        post(() -> {
            specs.clear();
            specs.putAll(all);
            restarts.keySet().retainAll(all.keySet());
            decide();
        });
    }

    /** Subscribed (again) to Mesos: reconcile every task we know before trusting our records. */
    public void subscribed() {
        post(() -> {
            subscribed = true;
            suppressed = false;
            refused = false;
            reconciliation.begin(new ArrayList<>(tasks.keySet()));
            reconcileIfDue();
        });
    }

    public void disconnected() {
        post(() -> subscribed = false);
    }

    public void offers(List<OfferView> offers) {
        post(() -> place(offers));
    }

    /**
     * Applies a task status update on the loop. The stage completes once the update is applied
     * and what it changed is in etcd (the task record written or deleted, a gone instance's
     * discovery record deleted), and also when the update changed nothing. It fails when etcd
     * could not be written, and then nothing of the update was applied: the caller acknowledges
     * the update to Mesos only on success, so that a failed one is sent again and applied then.
     */
    public CompletionStage<Void> update(TaskUpdate update) {
        CompletableFuture<Void> applied = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                try {
                    apply(update);
                    applied.complete(null);
                } catch (RuntimeException e) {
                    applied.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            applied.completeExceptionally(e); // the engine was closed
        }
        return applied;
    }

    /** Kills one instance (it is replaced). False when no such live instance is known. */
    public boolean kill(String taskId) {
        return call(() -> {
            TaskRecord r = tasks.get(taskId);
            if (r == null || !r.state().isActive()) {
                return false;
            }
            transition(r, TaskEvent.KILL_REQUESTED, null, r.mesosState(), "killed on request");
            decide();
            return true;
        });
    }

    /** Replaces every instance of the service, one at a time, like a version change. */
    public boolean restart(String serviceId) {
        return call(() -> {
            if (!specs.containsKey(serviceId)) {
                return false;
            }
            restarts.merge(serviceId, 1, Integer::sum);
            decide();
            return true;
        });
    }

    // ---------------------------------------------------------------- the loop

    private void tick() {
        reconcileIfDue();
        killPersistentlyUnhealthy();
        decide();
    }

    /**
     * An instance that was healthy and has failed its health check for longer than
     * {@code unhealthyTimeout} is killed, so that it is replaced (the executor already took it out
     * of discovery when it turned unhealthy).
     */
    private void killPersistentlyUnhealthy() {
        Instant limit = clock.instant().minus(settings.unhealthyTimeout());
        for (TaskRecord r : List.copyOf(tasks.values())) {
            if (r.state() == TaskState.RUNNING_UNHEALTHY && Boolean.FALSE.equals(r.healthy())
                    && r.updatedAt() != null && r.updatedAt().isBefore(limit)) {
                LOG.warn("Killing {}: unhealthy for more than {}", r.taskId(), settings.unhealthyTimeout());
                transition(r, TaskEvent.KILL_REQUESTED, false, r.mesosState(),
                        "unhealthy for more than " + settings.unhealthyTimeout().toSeconds() + " s");
                backoff.failed(r.serviceId());
            }
        }
    }

    private void reconcileIfDue() {
        if (!subscribed) {
            return;
        }
        reconciliation.due().ifPresent(request -> {
            Map<String, String> ask = new LinkedHashMap<>();
            for (String id : request.taskIds()) {
                TaskRecord r = tasks.get(id);
                ask.put(id, r == null ? null : r.agentId());
            }
            metrics.reconciliationRounds.inc();
            LOG.info("Reconciling {} (attempt {})", request.implicit() ? "implicitly" : ask.size() + " tasks",
                    request.attempt());
            cluster.reconcile(ask);
        });
        Instant now = clock.instant();
        if (reconciliation.complete() && now.isAfter(lastImplicitReconcile.plus(settings.reconcileInterval()))) {
            lastImplicitReconcile = now;
            metrics.reconciliationRounds.inc();
            cluster.reconcile(Map.of());
        }
    }

    /**
     * Queues one decision behind the events already waiting on the loop, so a burst of updates
     * (a reconciliation answering a thousand tasks) is followed by one planner run, not one each.
     */
    private void decideSoon() {
        if (!decisionQueued) {
            decisionQueued = true;
            post(() -> {
                decisionQueued = false;
                decide();
            });
        }
    }

    /** Runs the planner and carries out kills, revive/suppress, and records what waits and why. */
    private void decide() {
        List<Action> actions = Planner.decide(view(), desired(), clock.instant());
        demand.clear();
        waiting.clear();
        for (Action action : actions) {
            if (action instanceof Action.Launch launch) {
                demand.put(launch.serviceId(), launch.count());
            } else if (action instanceof Action.Kill kill) {
                TaskRecord r = tasks.get(kill.taskId());
                if (r != null) {
                    transition(r, TaskEvent.KILL_REQUESTED, r.healthy(), r.mesosState(), kill.reason());
                }
            } else if (action instanceof Action.Revive && subscribed) {
                carryOut(new OfferAction.Revive());
            } else if (action instanceof Action.Suppress && subscribed) {
                carryOut(new OfferAction.Suppress());
            } else if (action instanceof Action.Wait wait) {
                waiting.put(wait.serviceId(), wait.reason());
            }
        }
        demand.forEach((id, n) -> waiting.putIfAbsent(id, unplaced.getOrDefault(id,
                id + ": " + n + " instance(s) waiting for offers")));
        publish();
    }

    private void place(List<OfferView> offers) {
        Instant now = clock.instant();
        metrics.offersReceived.mark(offers.size());
        for (OfferView o : offers) {
            agents.put(o.agentId(), new AgentView(o.agentId(), o.hostname(), o.attributes(), o.cpus(), o.memMb(), now));
        }
        decide();
        List<RunningInstance> running = new ArrayList<>();
        for (TaskRecord r : tasks.values()) {
            if (r.state().isActive() && r.agentId() != null) {
                AgentView agent = agents.get(r.agentId());
                running.add(new RunningInstance(r.serviceId(), r.agentId(), r.hostname(),
                        agent == null ? Map.of() : agent.attributes()));
            }
        }
        OfferDecider.Decision decision = offerDecider.decide(new OfferDecider.Round(offers, demand, specs, running,
                subscribed, suppressed, refused));
        decision.actions().forEach(this::carryOut);
        if (subscribed && !demand.isEmpty()) {
            unplaced.clear();
            unplaced.putAll(decision.unplaced());
        }
        decide();
    }

    /** Carries out one offer decision; a launch's records are in etcd before Mesos hears of it. */
    private void carryOut(OfferAction action) {
        if (action instanceof OfferAction.Launch launch) {
            OfferView offer = launch.offer();
            Instant now = clock.instant();
            List<Cluster.PlannedLaunch> planned = new ArrayList<>();
            for (Launch instance : launch.instances()) {
                ServiceSpec spec = specs.get(instance.serviceId());
                String taskId = instance.serviceId() + "." + UUID.randomUUID();
                TaskRecord record = new TaskRecord(taskId, spec.id(), revision(spec), spec.version(), TaskState.PENDING,
                        null, offer.agentId(), offer.hostname(), instance.ports(), now, now, null, null);
                store.put(record);
                tasks.put(taskId, record);
                planned.add(new Cluster.PlannedLaunch(record, spec));
            }
            cluster.launch(offer.offerId(), planned);
            metrics.offersUsed.mark();
            metrics.launches.mark(planned.size());
            for (Cluster.PlannedLaunch p : planned) {
                transition(tasks.get(p.record().taskId()), TaskEvent.LAUNCH_SENT, null, "TASK_STAGING", null);
            }
            LOG.info("Launching {} on {}", planned.stream().map(p -> p.record().taskId()).toList(), offer.hostname());
        } else if (action instanceof OfferAction.Decline decline) {
            metrics.offersDeclined.mark(decline.offerIds().size());
            cluster.decline(decline.offerIds(), decline.refuse());
            refused |= decline.withholds();
        } else if (action instanceof OfferAction.Revive) {
            cluster.revive();
            suppressed = false;
            refused = false;
        } else if (action instanceof OfferAction.Suppress) {
            cluster.suppress();
            suppressed = true;
        }
    }

    private void apply(TaskUpdate u) {
        TaskRecord r = tasks.get(u.taskId());
        reconciliation.answered(u.taskId());
        if (r == null) {
            if (!isTerminal(u.mesosState())) {
                LOG.warn("Killing task {} on {}: Remit has no record of it", u.taskId(), u.agentId());
                cluster.kill(u.taskId(), u.agentId());
            }
            return;
        }
        Transition t = transition(r, u.event(), u.healthy() != null ? u.healthy() : r.healthy(), u.mesosState(),
                u.message() != null ? u.message() : r.message());
        if (t.outcome() != Transition.Outcome.IGNORED) {
            LOG.info("Task {}: {} -> {}{}", u.taskId(), r.state(), t.state(),
                    u.message() == null ? "" : " (" + u.message() + ")");
        }
        decideSoon();
    }

    /**
     * Applies one lifecycle event to a task and carries out its effects. etcd is written first:
     * if that fails (the exception propagates) the task is left as it was in memory too, so the
     * same event applies in full when it comes again.
     */
    private Transition transition(TaskRecord r, TaskEvent event, Boolean healthy, String mesosState, String message) {
        Transition t = TaskLifecycle.next(r.state(), event);
        if (t.outcome() == Transition.Outcome.IGNORED) {
            return t;
        }
        TaskRecord next = r.with(t.state(), healthy, mesosState, message, clock.instant());
        Set<Effect> effects = t.effects();
        if (effects.contains(Effect.FORGET)) {
            // The instance is gone: clients must stop calling it now, not when the lease its
            // executor kept expires (a killed executor leaves its record for the lease's TTL).
            store.deleteDiscovery(r.serviceId(), r.taskId());
            store.delete(r.taskId());
        } else if (effects.contains(Effect.PERSIST)) {
            store.put(next);
        }
        tasks.put(r.taskId(), next);
        if (effects.contains(Effect.SEND_KILL) && subscribed) {
            cluster.kill(r.taskId(), r.agentId());
        }
        if (r.launchedAt() != null && t.state() != r.state()) {
            Duration since = Duration.between(r.launchedAt(), clock.instant());
            boolean wasUp = r.state() == TaskState.HEALTHY || r.state() == TaskState.RUNNING_UNHEALTHY;
            if (!wasUp && (t.state() == TaskState.HEALTHY || t.state() == TaskState.RUNNING_UNHEALTHY)) {
                metrics.launchToRunning.update(since);
            }
            if (t.state() == TaskState.HEALTHY && r.healthy() == null) {
                metrics.launchToHealthy.update(since);
            }
        }
        if (effects.contains(Effect.RECORD_FAILURE)) {
            metrics.failures.mark();
            backoff.failed(r.serviceId());
        }
        if (effects.contains(Effect.RECORD_HEALTHY)) {
            backoff.healthy(r.serviceId());
        }
        if (effects.contains(Effect.FORGET)) {
            tasks.remove(r.taskId());
            ended.addLast(next);
            while (ended.size() > RECENTLY_ENDED) {
                ended.removeFirst();
            }
        }
        if (t.state() != r.state()) {
            // Readers (REST, the event stream) see each change as soon as it is made, not after a
            // whole burst of updates (each persisted to etcd first) has been applied.
            publish();
        }
        return t;
    }

    // ---------------------------------------------------------------- views

    private ClusterView view() {
        List<TaskView> views = new ArrayList<>();
        for (TaskRecord r : tasks.values()) {
            views.add(new TaskView(r.taskId(), r.serviceId(), r.revision() == null ? "" : r.revision(), r.state(),
                    r.launchedAt() == null ? Instant.EPOCH : r.launchedAt()));
        }
        return new ClusterView(views, backoff.statuses(), suppressed, refused);
    }

    private DesiredState desired() {
        List<DesiredService> list = new ArrayList<>();
        for (ServiceSpec spec : specs.values()) {
            list.add(new DesiredService(spec.id(), revision(spec), spec.instances(), spec.dependencies()));
        }
        return DesiredState.of(list);
    }

    private String revision(ServiceSpec spec) {
        int n = restarts.getOrDefault(spec.id(), 0);
        return n == 0 ? spec.revision() : spec.revision() + "+restart" + n;
    }

    private void publish() {
        snapshot = new EngineSnapshot(Map.copyOf(specs), Map.copyOf(tasks), List.copyOf(ended), Map.copyOf(waiting),
                Map.copyOf(backoff.statuses()), Map.copyOf(agents), subscribed, suppressed,
                reconciliation.awaiting().size());
        for (var listener : listeners) {
            try {
                listener.accept(snapshot);
            } catch (RuntimeException e) {
                LOG.warn("A snapshot listener failed", e);
            }
        }
    }

    private static boolean isTerminal(String mesosState) {
        return switch (mesosState) {
            case "TASK_FINISHED", "TASK_FAILED", "TASK_KILLED", "TASK_ERROR", "TASK_LOST", "TASK_DROPPED", "TASK_GONE",
                    "TASK_GONE_BY_OPERATOR", "TASK_UNKNOWN" -> true;
            default -> false;
        };
    }

    // ---------------------------------------------------------------- threading

    private void post(Runnable action) {
        loop.execute(() -> safely(action));
    }

    private <T> T call(Supplier<T> action) {
        try {
            return CompletableFuture.supplyAsync(action, loop).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("scheduler engine did not answer: " + e.getMessage(), e);
        }
    }

    private void safely(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.error("Scheduler engine step failed; state is kept and the next event retries", e);
        }
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}
