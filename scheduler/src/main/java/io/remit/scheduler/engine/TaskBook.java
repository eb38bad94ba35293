package io.remit.scheduler.engine;

import io.remit.scheduler.events.SchedulerEvent;
import io.remit.scheduler.placement.Launch;
import io.remit.scheduler.placement.OfferView;
import io.remit.scheduler.placement.RunningInstance;
import io.remit.scheduler.plan.Effect;
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
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The engine's tasks: the live records, the recently ended ones, and the one place a task changes
 * state. {@link #transition} applies a {@link TaskLifecycle} step, carries out its effects (etcd,
 * KILL, backoff, metrics) and tells the step as a {@link SchedulerEvent.TaskTransition}.
 *
 * <p>Threading: the engine's loop thread only.
 */
final class TaskBook {

    private static final int RECENTLY_ENDED = 200;

    private final TaskStore store;
    private final Cluster cluster;
    private final Clock clock;
    private final RestartBackoff backoff;
    private final EngineMetrics metrics;
    private final BooleanSupplier subscribed;
    private final Consumer<SchedulerEvent> told;
    private final Map<String, TaskRecord> live = new LinkedHashMap<>();
    private final ArrayDeque<TaskRecord> ended = new ArrayDeque<>();

    /**
     * @param subscribed whether KILLs can be sent now
     * @param told hears each transition once it is in etcd and in this book
     */
    TaskBook(TaskStore store, Cluster cluster, Clock clock, RestartBackoff backoff, EngineMetrics metrics,
             BooleanSupplier subscribed, Consumer<SchedulerEvent> told) {
        this.store = store;
        this.cluster = cluster;
        this.clock = clock;
        this.backoff = backoff;
        this.metrics = metrics;
        this.subscribed = subscribed;
        this.told = told;
    }

    /** Takes the stored records as the book's start; ended ones left by a predecessor are deleted. */
    void load() {
        for (TaskRecord r : store.all()) {
            if (r.state().isTerminal()) {
                store.delete(r.taskId());
            } else {
                live.put(r.taskId(), r);
            }
        }
    }

    TaskRecord get(String taskId) {
        return live.get(taskId);
    }

    Collection<TaskRecord> live() {
        return live.values();
    }

    Map<String, TaskRecord> liveCopy() {
        return Map.copyOf(live);
    }

    List<TaskRecord> endedCopy() {
        return List.copyOf(ended);
    }

    /**
     * Launches instances on an offer: each task's record (PENDING) is in etcd before Mesos hears
     * of it, then the LAUNCH is sent and the tasks are LAUNCHED.
     *
     * @param revision the revision a service's new instances run
     * @return the new tasks' ids
     */
    List<String> launch(OfferView offer, List<Launch> instances, Map<String, ServiceSpec> specs,
                        Function<ServiceSpec, String> revision) {
        Instant now = clock.instant();
        List<Cluster.PlannedLaunch> planned = new ArrayList<>();
        for (Launch instance : instances) {
            ServiceSpec spec = specs.get(instance.serviceId());
            TaskRecord pending = new TaskRecord(instance.serviceId() + "." + UUID.randomUUID(), spec.id(),
                    revision.apply(spec), spec.version(), TaskState.PENDING, null, offer.agentId(), offer.hostname(),
                    instance.ports(), now, now, null, null, instance.executorPort());
            store.put(pending);
            live.put(pending.taskId(), pending);
            planned.add(new Cluster.PlannedLaunch(pending, spec));
        }
        cluster.launch(offer.offerId(), planned);
        metrics.offersUsed.mark();
        metrics.launches.mark(planned.size());
        List<String> ids = planned.stream().map(p -> p.record().taskId()).toList();
        for (String id : ids) {
            transition(live.get(id), TaskEvent.LAUNCH_SENT, null, "TASK_STAGING", null);
        }
        return ids;
    }

    /** Where the active tasks run, for placement constraints. */
    List<RunningInstance> running(Map<String, AgentView> agents) {
        List<RunningInstance> running = new ArrayList<>();
        for (TaskRecord r : live.values()) {
            if (r.state().isActive() && r.agentId() != null) {
                AgentView agent = agents.get(r.agentId());
                running.add(new RunningInstance(r.serviceId(), r.agentId(), r.hostname(),
                        agent == null ? Map.of() : agent.attributes()));
            }
        }
        return running;
    }

    /** The live tasks as the planner sees them. */
    List<TaskView> views() {
        List<TaskView> views = new ArrayList<>();
        for (TaskRecord r : live.values()) {
            views.add(new TaskView(r.taskId(), r.serviceId(), r.revision() == null ? "" : r.revision(), r.state(),
                    r.launchedAt() == null ? Instant.EPOCH : r.launchedAt()));
        }
        return views;
    }

    /**
     * Applies one lifecycle event to a task and carries out its effects. etcd is written first:
     * if that fails (the exception propagates) the task is left as it was in memory too, so the
     * same event applies in full when it comes again.
     */
    Transition transition(TaskRecord r, TaskEvent event, Boolean healthy, String mesosState, String message) {
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
            // The final record first, so that a standby watching the records learns how it ended.
            store.put(next);
            store.delete(r.taskId());
        } else if (effects.contains(Effect.PERSIST)) {
            store.put(next);
        }
        live.put(r.taskId(), next);
        if (effects.contains(Effect.SEND_KILL) && subscribed.getAsBoolean()) {
            cluster.kill(r.taskId(), r.agentId());
        }
        measure(r, t.state());
        if (effects.contains(Effect.RECORD_FAILURE)) {
            metrics.failures.mark();
            backoff.failed(r.serviceId());
        }
        if (effects.contains(Effect.RECORD_HEALTHY)) {
            backoff.healthy(r.serviceId());
        }
        if (effects.contains(Effect.FORGET)) {
            live.remove(r.taskId());
            ended.addLast(next);
            while (ended.size() > RECENTLY_ENDED) {
                ended.removeFirst();
            }
        }
        if (t.state() != r.state()) {
            told.accept(new SchedulerEvent.TaskTransition(r.state(), t.state(), message, next));
        }
        return t;
    }

    private void measure(TaskRecord r, TaskState to) {
        if (r.launchedAt() == null || to == r.state()) {
            return;
        }
        Duration since = Duration.between(r.launchedAt(), clock.instant());
        boolean wasUp = r.state() == TaskState.HEALTHY || r.state() == TaskState.RUNNING_UNHEALTHY;
        if (!wasUp && (to == TaskState.HEALTHY || to == TaskState.RUNNING_UNHEALTHY)) {
            metrics.launchToRunning.update(since);
        }
        if (to == TaskState.HEALTHY && r.healthy() == null) {
            metrics.launchToHealthy.update(since);
        }
    }
}
