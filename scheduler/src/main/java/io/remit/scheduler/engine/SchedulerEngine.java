package io.remit.scheduler.engine;

import io.remit.scheduler.events.SchedulerEvent;
import io.remit.scheduler.placement.OfferAction;
import io.remit.scheduler.placement.OfferDecider;
import io.remit.scheduler.placement.OfferView;
import io.remit.scheduler.plan.Action;
import io.remit.scheduler.plan.BackoffPolicy;
import io.remit.scheduler.plan.ClusterView;
import io.remit.scheduler.plan.Planner;
import io.remit.scheduler.plan.RestartBackoff;
import io.remit.scheduler.plan.TaskEvent;
import io.remit.scheduler.plan.Transition;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.state.TaskRecord;
import io.remit.scheduler.state.TaskStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
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
 * {@link #snapshot()}, an immutable copy published after every change; listeners
 * ({@link #onEvent}) hear each decision as a typed event once the snapshot showing it is out.
 */
public final class SchedulerEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulerEngine.class);

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

    private final Cluster cluster;
    private final Clock clock;
    private final Clock timers;
    private final UnhealthyWatch unhealthy;
    private final EngineLoop loop;
    private final Settings settings;
    private final RestartBackoff backoff;
    private final Reconciler reconciler;
    private final EngineMetrics metrics;
    private final OfferDecider offerDecider;

    private final Intent intent = new Intent();
    private final TaskBook tasks;
    private final Map<String, String> waiting = new TreeMap<>();
    private final Map<String, Integer> demand = new TreeMap<>();
    /** For a service whose demand is another revision than its spec's (a deployment's): which. */
    private final Map<String, String> demandRevision = new TreeMap<>();
    /** Why the last placement round left instances of a service unplaced. */
    private final Map<String, String> unplaced = new TreeMap<>();
    private final Map<String, AgentView> agents = new TreeMap<>();
    private boolean subscribed;
    /** A decide() is queued on the loop behind the events already waiting there. */
    private boolean decisionQueued;
    private boolean suppressed;
    /** Offers were declined with {@code declineRefuse} since the last REVIVE (see ClusterView). */
    private boolean refused;
    private volatile EngineSnapshot snapshot = EngineSnapshot.EMPTY;
    private final EventFanout events = new EventFanout();

    public SchedulerEngine(TaskStore store, Cluster cluster, Clock clock, ScheduledExecutorService loop, Settings settings,
                           EngineMetrics metrics) {
        this(store, cluster, clock, clock, loop, settings, metrics);
    }

    /**
     * @param clock  the wall clock, for the times written into task records and shown
     * @param timers the clock that times backoffs, the unhealthy timeout and reconciliation:
     *               {@link MonotonicClock} in production, so that a wall-clock step moves none
     */
    public SchedulerEngine(TaskStore store, Cluster cluster, Clock clock, Clock timers, ScheduledExecutorService loop,
                           Settings settings, EngineMetrics metrics) {
        this.metrics = metrics;
        this.cluster = cluster;
        this.clock = clock;
        this.timers = timers;
        this.loop = new EngineLoop(loop);
        this.settings = settings;
        this.backoff = new RestartBackoff(timers, BackoffPolicy.DEFAULT);
        this.unhealthy = new UnhealthyWatch(timers, settings.unhealthyTimeout());
        this.reconciler = new Reconciler(cluster, timers, settings.reconcileInterval(), metrics);
        this.tasks = new TaskBook(store, cluster, clock, backoff, metrics, () -> subscribed, e -> {
            unhealthy.seen(e);
            events.add(e);
        });
        this.offerDecider = new OfferDecider(new OfferDecider.Settings(settings.declineRefuse(), settings.waitingRefuse(),
                settings.executorCpus(), settings.executorMemMb()));
    }

    /** Loads the task records from etcd and starts the periodic tick. */
    public void start(Map<String, ServiceSpec> initialSpecs) {
        start(initialSpecs, Map.of());
    }

    /**
     * As {@link #start(Map)}, with what the deployments under way want: known before the first
     * decision, so a new leader does not undo a canary before its deployments are read.
     */
    public void start(Map<String, ServiceSpec> initialSpecs, Map<String, RolloutPlan> initialRollouts) {
        loop.call(() -> {
            intent.start(initialSpecs, initialRollouts);
            tasks.load();
            LOG.info("Engine starts with {} services and {} known tasks", intent.specs().size(), tasks.live().size());
            publish();
            return null;
        });
        loop.every(settings.tick(), this::tick);
    }

    public EngineSnapshot snapshot() {
        return snapshot;
    }

    /**
     * Hears what the engine decides as it decides it (task transitions, spec changes, agents
     * first seen), on the engine's loop thread, in order, each once the snapshot showing it is
     * published: keep it quick. What the engine loads at start is its baseline, not news.
     */
    public void onEvent(Consumer<SchedulerEvent> listener) {
        events.listen(listener);
    }

    // ---------------------------------------------------------------- inputs

    /** The services' specs changed (REST, another scheduler, etcdctl): the new full set. */
    public void specsChanged(Map<String, ServiceSpec> all) {
        loop.post(() -> {
            events.addAll(intent.specsChanged(all));
            decide();
        });
    }

    /** What the deployments under way want now, by service: the full set (a service not in it has none). */
    public void rolloutsChanged(Map<String, RolloutPlan> all) {
        loop.post(() -> {
            if (intent.rolloutsChanged(all)) {
                decide();
            }
        });
    }

    /** Subscribed (again) to Mesos: reconcile every task we know before trusting our records. */
    public void subscribed() {
        loop.post(() -> {
            subscribed = true;
            suppressed = false;
            refused = false;
            reconciler.begin(tasks.live().stream().map(TaskRecord::taskId).toList());
            reconcileIfDue();
        });
    }

    public void disconnected() {
        loop.post(() -> subscribed = false);
    }

    public void offers(List<OfferView> offers) {
        loop.post(() -> place(offers));
    }

    /** The master took back an offer before it was used or declined; only counted. Any thread. */
    public void rescinded(String offerId) {
        metrics.offersRescinded.mark();
    }

    /**
     * Applies a task status update on the loop. The stage completes once the update is applied
     * and what it changed is in etcd (the task record written or deleted, a gone instance's
     * discovery record deleted), and also when the update changed nothing. It fails when etcd
     * could not be written, and then nothing of the update was applied: the caller acknowledges
     * the update to Mesos only on success, so that a failed one is sent again and applied then.
     */
    public CompletionStage<Void> update(TaskUpdate update) {
        return loop.attempt(() -> apply(update));
    }

    /** Kills one instance (it is replaced). False when no such live instance is known. */
    public boolean kill(String taskId) {
        return loop.call(() -> {
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
        return loop.call(() -> {
            if (!intent.restart(serviceId)) {
                return false;
            }
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
        for (TaskRecord r : unhealthy.overdue(List.copyOf(tasks.live()))) {
            LOG.warn("Killing {}: unhealthy for more than {}", r.taskId(), settings.unhealthyTimeout());
            transition(r, TaskEvent.KILL_REQUESTED, false, r.mesosState(),
                    "unhealthy for more than " + settings.unhealthyTimeout().toSeconds() + " s");
            backoff.failed(r.serviceId());
        }
    }

    private void reconcileIfDue() {
        if (!subscribed) {
            return;
        }
        reconciler.ifDue(tasks::get);
    }

    /**
     * Queues one decision behind the events already waiting on the loop, so a burst of updates
     * (a reconciliation answering a thousand tasks) is followed by one planner run, not one each.
     */
    private void decideSoon() {
        if (!decisionQueued) {
            decisionQueued = true;
            loop.post(() -> {
                decisionQueued = false;
                decide();
            });
        }
    }

    /** Runs the planner and carries out kills, revive/suppress, and records what waits and why. */
    private void decide() {
        long started = System.nanoTime();
        List<Action> actions = Planner.decide(view(), intent.desired(tasks.live()), timers.instant());
        metrics.plannerRuns.update(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        demand.clear();
        demandRevision.clear();
        waiting.clear();
        for (Action action : actions) {
            if (action instanceof Action.Launch launch) {
                if (launch.revision() != null) {
                    if (intent.deploymentSpec(launch.serviceId(), launch.revision()) == null) {
                        waiting.put(launch.serviceId(), launch.count() + " instance(s) of revision " + launch.revision()
                                + " to launch, but its spec is not known");
                        continue;
                    }
                    demandRevision.put(launch.serviceId(), launch.revision());
                }
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
            AgentView seen = agents.put(o.agentId(),
                    new AgentView(o.agentId(), o.hostname(), o.attributes(), o.cpus(), o.memMb(), now));
            if (seen == null) {
                events.add(new SchedulerEvent.AgentChanged(o.agentId(), o.hostname(), true));
            }
        }
        decide();
        OfferDecider.Decision decision = offerDecider.decide(new OfferDecider.Round(offers, demand, intent.launchSpecs(demandRevision),
                tasks.running(agents), subscribed, suppressed, refused));
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
            List<String> launched = tasks.launch(launch.offer(), launch.instances(), intent.launchSpecs(demandRevision),
                    spec -> demandRevision.getOrDefault(spec.id(), intent.revision(spec)));
            publish();
            LOG.info("Launching {} on {}", launched, launch.offer().hostname());
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
        reconciler.answered(u.taskId());
        if (r == null) {
            if (!u.isTerminal()) {
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

    /** A {@link TaskBook#transition}, published at once when the task's state changed. */
    private Transition transition(TaskRecord r, TaskEvent event, Boolean healthy, String mesosState, String message) {
        Transition t = tasks.transition(r, event, healthy, mesosState, message);
        if (t.state() != r.state()) {
            // Readers (REST, the event stream) see each change as soon as it is made, not after a
            // whole burst of updates (each persisted to etcd first) has been applied.
            publish();
        }
        return t;
    }

    // ---------------------------------------------------------------- views

    private ClusterView view() {
        return new ClusterView(tasks.views(), backoff.statuses(), suppressed, refused);
    }

    private void publish() {
        snapshot = new EngineSnapshot(Map.copyOf(intent.specs()), tasks.liveCopy(), tasks.endedCopy(), Map.copyOf(waiting),
                Map.copyOf(backoff.statuses()), Map.copyOf(agents), subscribed, suppressed,
                reconciler.awaiting());
        events.tell();
    }

    @Override
    public void close() {
        loop.close();
    }
}
