package io.remit.localcluster.master;

import com.google.protobuf.ByteString;
import io.remit.localcluster.agent.AgentHandle;
import io.remit.localcluster.agent.MasterLink;
import io.remit.localcluster.http.EventStream;
import io.remit.localcluster.resources.Resources;
import io.remit.mesos.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Mesos master: frameworks, agents, offers and tasks, and the scheduler calls that
 * change them. One lock (this object) guards all state; nothing under it blocks on the network
 * or on an agent: events go to {@link EventStream} queues and agent requests to the agents' own
 * threads.
 */
public final class Master implements MasterLink {

    private static final Logger LOG = LoggerFactory.getLogger(Master.class);

    /** Tunables, with the defaults of a real Mesos master. */
    public record Config(Duration heartbeatInterval, Duration allocationInterval, Duration defaultRefuse,
                         int maxCompletedTasksPerFramework, int maxCompletedFrameworks) {
        public static Config defaults() {
            return new Config(Duration.ofSeconds(15), Duration.ofSeconds(1), Duration.ofSeconds(5), 1000, 50);
        }

        public Config withHeartbeatInterval(Duration d) {
            return new Config(d, allocationInterval, defaultRefuse, maxCompletedTasksPerFramework, maxCompletedFrameworks);
        }

        public Config withAllocationInterval(Duration d) {
            return new Config(heartbeatInterval, d, defaultRefuse, maxCompletedTasksPerFramework, maxCompletedFrameworks);
        }
    }

    final Config config;
    final Clock clock;
    final MasterInfo masterInfo;
    final Instant startedAt;
    private final ScheduledExecutorService timers;
    private final String idPrefix;
    private final Registry registry;
    private long nextOffer;
    final Map<String, FrameworkState> frameworks = new LinkedHashMap<>();
    final Map<String, FrameworkState> completedFrameworks = new LinkedHashMap<>();
    final Map<String, AgentState> agents = new LinkedHashMap<>();
    private final Map<String, OfferState> offers = new HashMap<>();
    private final Offers offerBook;
    private final Launcher launcher;
    private final AtomicBoolean allocationPending = new AtomicBoolean();
    private ScheduledFuture<?> allocationTimer;
    private volatile java.util.function.Consumer<AgentID> agentGone = id -> { };

    /**
     * A master with the frameworks of {@code registry}: the ones removed stay refused, the others
     * wait, inactive, for their schedulers to fail over (as frameworks a Mesos master recovers
     * after a failover, they get no failover timeout until they have subscribed again).
     * {@code startNumber} (how many times this master started before) keeps offer ids unique
     * across restarts under the same master id.
     */
    public Master(Config config, MasterInfo masterInfo, Clock clock, ScheduledExecutorService timers,
                  Registry registry, long startNumber) {
        this.config = config;
        this.masterInfo = masterInfo;
        this.clock = clock;
        this.timers = timers;
        this.registry = registry;
        this.startedAt = clock.instant();
        this.idPrefix = masterInfo.getId();
        this.nextOffer = startNumber << 32;
        this.offerBook = new Offers(this);
        this.launcher = new Launcher(this);
        for (Registry.Framework f : registry.frameworks()) {
            FrameworkState fw = new FrameworkState(f.info().getId(), f.info(), Instant.ofEpochMilli(f.registeredAtMillis()));
            fw.unregisteredAt = startedAt;
            if (f.removed()) {
                completedFrameworks.put(fw.id.getValue(), fw);
            } else {
                fw.recovered = true;
                frameworks.put(fw.id.getValue(), fw);
            }
        }
        while (completedFrameworks.size() > config.maxCompletedFrameworks) {
            completedFrameworks.remove(completedFrameworks.keySet().iterator().next());
        }
    }

    /** A master id in Mesos's own shape: {@code <date>-<time>-<ip as int>-<port>-<random>}. */
    public static String newMasterId(String ip, int port, Instant now) {
        String stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                .withZone(java.time.ZoneOffset.UTC).format(now);
        // Mesos prints the IPv4 address as the integer of its bytes in network order read little-endian.
        String[] octets = ip.split("\\.");
        long ipNum = 0;
        for (int i = octets.length - 1; i >= 0; i--) {
            ipNum = (ipNum << 8) | (Integer.parseInt(octets[i]) & 0xff);
        }
        int rnd = 1 + (int) (UUID.randomUUID().getMostSignificantBits() & 0x7fff);
        return stamp + "-" + ipNum + "-" + port + "-" + rnd;
    }

    public void start() {
        allocationTimer = timers.scheduleWithFixedDelay(this::allocate,
                config.allocationInterval.toMillis(), config.allocationInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Closes every stream and stops the timers; the agents are left to the caller. */
    public synchronized void stop() {
        if (allocationTimer != null) {
            allocationTimer.cancel(false);
        }
        for (FrameworkState fw : frameworks.values()) {
            cancel(fw.heartbeat);
            cancel(fw.failoverTimer);
            if (fw.stream != null) {
                fw.stream.abort();
            }
        }
    }

    public MasterInfo info() {
        return masterInfo;
    }

    // ---------------------------------------------------------------- agents

    /**
     * Adds an agent; its tasks (after a master restart) are taken into the master's view.
     *
     * @throws IllegalArgumentException when an agent with that id is already registered, or
     *     the operator marked it gone
     */
    public synchronized void addAgent(AgentHandle handle) {
        AgentInfo info = handle.info();
        String id = info.getId().getValue();
        if (agents.containsKey(id)) {
            throw new IllegalArgumentException("Agent " + id + " is already registered");
        }
        if (registry.isGone(id)) {
            throw new IllegalArgumentException("Agent " + id + " has been marked gone and may not register again");
        }
        AgentState agent = new AgentState(id, info, handle, Resources.fromProto(info.getResourcesList()), clock.instant());
        agents.put(id, agent);
        for (AgentHandle.RunningTask rt : handle.tasks()) {
            launcher.adopt(agent, rt);
        }
        LOG.info("Registered agent {} at {}:{} with {}", id, info.getHostname(), info.getPort(), agent.total);
        requestAllocation();
    }

    /**
     * Removes an agent as lost: its offers are rescinded, its tasks become TASK_LOST (or
     * TASK_UNREACHABLE for partition-aware frameworks) and every framework gets FAILURE.
     */
    public void removeAgent(AgentID agentId) {
        AgentState agent;
        synchronized (this) {
            agent = detach(agentId, partitionAware -> partitionAware ? TaskState.TASK_UNREACHABLE : TaskState.TASK_LOST,
                    partitionAware -> TaskStatus.Reason.REASON_AGENT_REMOVED, "Agent " + agentId.getValue() + " removed");
            if (agent != null) {
                LOG.info("Removed agent {}", agentId.getValue());
            }
        }
        if (agent != null) {
            agent.handle.stop();
        }
    }

    /** What {@link #markAgentGone} did. */
    public enum GoneOutcome { MARKED, ALREADY_GONE, NOT_FOUND }

    /**
     * The operator's MARK_AGENT_GONE: the agent is recorded as gone for good (in the registry,
     * before anything else, so that it stays gone across a restart), its offers are rescinded,
     * its tasks become TASK_GONE_BY_OPERATOR for partition-aware frameworks and TASK_LOST
     * otherwise, every framework gets FAILURE, and the agent is shut down: it kills its
     * executors and command tasks with their process trees. A gone agent may not register
     * again ({@link #addAgent} refuses it). Idempotent: marking a gone agent again changes
     * nothing. The listener set with {@link #onAgentGone} runs once the agent is detached,
     * before it is stopped.
     */
    public GoneOutcome markAgentGone(AgentID agentId) {
        AgentState agent;
        synchronized (this) {
            if (registry.isGone(agentId.getValue())) {
                return GoneOutcome.ALREADY_GONE;
            }
            if (!agents.containsKey(agentId.getValue())) {
                return GoneOutcome.NOT_FOUND;
            }
            registry.markGone(agentId.getValue());
            agent = detach(agentId, partitionAware -> partitionAware ? TaskState.TASK_GONE_BY_OPERATOR : TaskState.TASK_LOST,
                    partitionAware -> partitionAware ? TaskStatus.Reason.REASON_AGENT_REMOVED_BY_OPERATOR
                            : TaskStatus.Reason.REASON_AGENT_REMOVED, "Agent has been marked gone");
            LOG.info("Marked agent {} gone", agentId.getValue());
        }
        agentGone.accept(agentId);
        agent.handle.stop();
        return GoneOutcome.MARKED;
    }

    /** Tells {@code listener} of each agent the operator marks gone (the cluster that runs it). */
    public void onAgentGone(java.util.function.Consumer<AgentID> listener) {
        this.agentGone = listener;
    }

    /** Whether the operator marked agent {@code id} gone. */
    public boolean isGone(String id) {
        return registry.isGone(id);
    }

    /**
     * Takes an agent out of the master: rescinds its offers, ends its tasks with the state and
     * reason chosen by whether each framework is partition-aware, completes them, and tells every
     * framework with FAILURE. Returns the agent, or null when it was not registered. Under the lock.
     */
    private AgentState detach(AgentID agentId, java.util.function.Function<Boolean, TaskState> state,
                              java.util.function.Function<Boolean, TaskStatus.Reason> reason, String message) {
        AgentState agent = agents.remove(agentId.getValue());
        if (agent == null) {
            return null;
        }
        offerBook.rescindAll(agentId.getValue());
        for (FrameworkState fw : frameworks.values()) {
            for (TaskRecord task : new ArrayList<>(fw.tasks.values())) {
                if (task.agentId.equals(agentId.getValue()) && !task.terminal()) {
                    TaskStatus status = Statuses.master(task.info.getTaskId(), agentId, state.apply(fw.partitionAware()),
                            reason.apply(fw.partitionAware()), message, clock);
                    record(fw, task, status);
                    send(fw, Events.update(status));
                    if (task.terminal()) {
                        completeTask(fw, task);
                    }
                }
            }
            send(fw, Event.newBuilder().setType(Event.Type.FAILURE)
                    .setFailure(Event.Failure.newBuilder().setAgentId(agentId)).build());
        }
        return agent;
    }

    // ---------------------------------------------------------------- frameworks

    /**
     * Handles SUBSCRIBE: a new framework, a failover of a known one, or the re-registration of a
     * framework the master does not know (as after a master failover).
     */
    public synchronized EventStream subscribe(Call.Subscribe subscribe, MediaType mediaType) {
        FrameworkInfo info = subscribe.getFrameworkInfo();
        EventStream stream = new EventStream(UUID.randomUUID().toString(), mediaType);
        Instant now = clock.instant();
        FrameworkState fw;
        if (info.hasId()) {
            String id = info.getId().getValue();
            if (completedFrameworks.containsKey(id)) {
                stream.close(Events.error("Framework has been removed"));
                return stream;
            }
            fw = frameworks.get(id);
            if (fw != null) {
                if (fw.stream != null && !fw.stream.isClosed()) {
                    fw.stream.close(Events.error("Framework failed over"));
                }
                cancel(fw.failoverTimer);
                cancel(fw.heartbeat);
                offerBook.rescindFramework(fw, false);
                fw.info = info;
                fw.reregisteredAt = now;
                LOG.info("Framework {} ({}) failed over", id, info.getName());
            } else {
                fw = new FrameworkState(info.getId(), info, now);
                fw.reregisteredAt = now;
                frameworks.put(id, fw);
                LOG.info("Framework {} ({}) re-registered", id, info.getName());
            }
        } else {
            FrameworkID id = FrameworkID.newBuilder().setValue(String.format("%s-%04d", idPrefix,
                    registry.takeFrameworkNumber())).build();
            fw = new FrameworkState(id, info.toBuilder().setId(id).build(), now);
            frameworks.put(id.getValue(), fw);
            LOG.info("Framework {} ({}) registered", id.getValue(), info.getName());
        }
        fw.info = fw.info.toBuilder().setId(fw.id).build();
        fw.unregisteredAt = null;
        fw.recovered = false;
        persist(fw, false);
        fw.suppressed = subscribe.getSuppressedRolesCount() > 0;
        fw.stream = stream;
        FrameworkState subscribed = fw;
        stream.onBroken(() -> disconnected(subscribed.id.getValue(), stream));
        stream.send(Event.newBuilder().setType(Event.Type.SUBSCRIBED)
                .setSubscribed(Event.Subscribed.newBuilder()
                        .setFrameworkId(fw.id)
                        .setHeartbeatIntervalSeconds(config.heartbeatInterval.toMillis() / 1000.0)
                        .setMasterInfo(masterInfo))
                .build());
        long beat = config.heartbeatInterval.toMillis();
        // Like Mesos, the first HEARTBEAT follows SUBSCRIBED at once.
        stream.send(Events.HEARTBEAT);
        fw.heartbeat = timers.scheduleAtFixedRate(() -> stream.send(Events.HEARTBEAT), beat, beat, TimeUnit.MILLISECONDS);
        requestAllocation();
        return stream;
    }

    /** The stream of a framework broke: it is disconnected until it fails over or times out. */
    synchronized void disconnected(String frameworkId, EventStream stream) {
        FrameworkState fw = frameworks.get(frameworkId);
        if (fw == null || fw.stream != stream) {
            return;
        }
        fw.stream = null;
        fw.unregisteredAt = clock.instant();
        cancel(fw.heartbeat);
        offerBook.rescindFramework(fw, false);
        requestAllocation();
        double timeout = fw.info.getFailoverTimeout();
        LOG.info("Framework {} disconnected; failover timeout {} s", frameworkId, timeout);
        fw.failoverTimer = timers.schedule(() -> failoverExpired(frameworkId, stream),
                Math.max(0, (long) (timeout * 1000)), TimeUnit.MILLISECONDS);
    }

    private synchronized void failoverExpired(String frameworkId, EventStream stream) {
        FrameworkState fw = frameworks.get(frameworkId);
        if (fw != null && fw.stream == null) {
            LOG.info("Framework {} did not fail over in time; removing it and killing its tasks", frameworkId);
            removeFramework(fw);
        }
    }

    /** Fault hook: breaks a framework's event stream as a network failure would. */
    public synchronized boolean dropStream(FrameworkID frameworkId) {
        FrameworkState fw = frameworks.get(frameworkId.getValue());
        if (fw == null || fw.stream == null) {
            return false;
        }
        EventStream stream = fw.stream;
        stream.abort();
        disconnected(frameworkId.getValue(), stream);
        return true;
    }

    synchronized void removeFramework(FrameworkState fw) {
        cancel(fw.heartbeat);
        cancel(fw.failoverTimer);
        offerBook.rescindFramework(fw, false);
        for (TaskRecord task : new ArrayList<>(fw.tasks.values())) {
            if (!task.terminal()) {
                AgentState agent = agents.get(task.agentId);
                TaskStatus killed = Statuses.master(task.info.getTaskId(), task.info.getAgentId(),
                        org.apache.mesos.v1.Protos.TaskState.TASK_KILLED, TaskStatus.Reason.REASON_FRAMEWORK_REMOVED,
                        "Framework " + fw.id.getValue() + " removed", clock);
                record(fw, task, killed);
                if (agent != null) {
                    agent.handle.shutdownFramework(fw.id);
                }
            }
            completeTask(fw, task);
        }
        for (AgentState agent : agents.values()) {
            List<String> keys = new ArrayList<>(agent.executors.keySet());
            for (String key : keys) {
                if (key.startsWith(fw.id.getValue() + "/")) {
                    agent.allocated = agent.allocated.minus(agent.executors.remove(key));
                }
            }
        }
        if (fw.stream != null) {
            fw.stream.close(null);
            fw.stream = null;
        }
        frameworks.remove(fw.id.getValue());
        fw.unregisteredAt = clock.instant();
        completedFrameworks.put(fw.id.getValue(), fw);
        persist(fw, true);
        requestAllocation();
        while (completedFrameworks.size() > config.maxCompletedFrameworks) {
            completedFrameworks.remove(completedFrameworks.keySet().iterator().next());
        }
        LOG.info("Removed framework {}", fw.id.getValue());
    }

    /** What the scheduler endpoint needs to know about a framework before it takes a call. */
    public enum Standing { UNKNOWN, NOT_SUBSCRIBED, WRONG_STREAM, OK }

    public synchronized Standing standing(FrameworkID id, String streamId) {
        FrameworkState fw = frameworks.get(id.getValue());
        if (fw == null) {
            return Standing.UNKNOWN;
        }
        if (!fw.connected()) {
            return Standing.NOT_SUBSCRIBED;
        }
        return fw.stream.id().equals(streamId) ? Standing.OK : Standing.WRONG_STREAM;
    }

    // ---------------------------------------------------------------- calls

    /** Carries out a validated call of a subscribed framework (anything but SUBSCRIBE). */
    public synchronized void handle(Call call) {
        FrameworkState fw = frameworks.get(call.getFrameworkId().getValue());
        if (fw == null) {
            return;
        }
        switch (call.getType()) {
            case TEARDOWN -> removeFramework(fw);
            case ACCEPT -> launcher.accept(fw, call.getAccept());
            case DECLINE -> offerBook.decline(fw, call.getDecline().getOfferIdsList(),
                    call.getDecline().hasFilters() ? call.getDecline().getFilters() : null);
            case REVIVE -> {
                fw.filters.clear();
                fw.suppressed = false;
                requestAllocation();
            }
            case SUPPRESS -> fw.suppressed = true;
            case KILL -> launcher.kill(fw, call.getKill());
            case SHUTDOWN -> {
                AgentState agent = agents.get(call.getShutdown().getAgentId().getValue());
                if (agent != null) {
                    agent.handle.shutdownExecutor(fw.id, call.getShutdown().getExecutorId());
                }
            }
            case ACKNOWLEDGE -> acknowledge(fw, call.getAcknowledge());
            case RECONCILE -> Reconciler.reconcile(this, fw, call.getReconcile());
            case MESSAGE -> {
                AgentState agent = agents.get(call.getMessage().getAgentId().getValue());
                if (agent != null) {
                    agent.handle.frameworkMessage(fw.id, call.getMessage().getExecutorId(), call.getMessage().getData());
                }
            }
            case UPDATE_FRAMEWORK -> {
                fw.info = call.getUpdateFramework().getFrameworkInfo().toBuilder().setId(fw.id).build();
                persist(fw, false);
            }
            default -> LOG.info("Framework {} sent {}; localcluster takes it and does nothing", fw.id.getValue(), call.getType());
        }
    }

    private void acknowledge(FrameworkState fw, Call.Acknowledge ack) {
        TaskRecord task = fw.tasks.get(ack.getTaskId().getValue());
        if (task != null && task.terminal() && task.latest.getUuid().equals(ack.getUuid())) {
            completeTask(fw, task);
        }
        AgentState agent = agents.get(ack.getAgentId().getValue());
        if (agent != null) {
            agent.handle.acknowledge(fw.id, ack.getTaskId(), ack.getUuid());
        }
    }

    // ---------------------------------------------------------------- agent reports

    @Override
    public synchronized void statusUpdate(AgentID agentId, FrameworkID frameworkId, TaskStatus status,
                                          TaskStatus latest) {
        FrameworkState fw = frameworks.get(frameworkId.getValue());
        if (fw == null) {
            LOG.debug("Dropping update {} for unknown framework {}", status.getState(), frameworkId.getValue());
            return;
        }
        TaskRecord task = fw.tasks.get(status.getTaskId().getValue());
        if (task != null && !task.terminal()) {
            record(fw, task, status);
            if (latest != null && !latest.getUuid().equals(status.getUuid()) && !task.terminal()) {
                // Later updates wait behind this one on the agent; the task is already in the last.
                record(fw, task, latest);
            }
        }
        send(fw, Events.update(status));
    }

    /** Forwards an executor's MESSAGE to its framework, as Mesos does; dropped if the framework is not connected. */
    @Override
    public synchronized void executorMessage(AgentID agentId, FrameworkID frameworkId, ExecutorID executorId,
                                             ByteString data) {
        FrameworkState fw = frameworks.get(frameworkId.getValue());
        if (fw != null) {
            send(fw, Event.newBuilder().setType(Event.Type.MESSAGE).setMessage(Event.Message.newBuilder()
                    .setAgentId(agentId).setExecutorId(executorId).setData(data)).build());
        }
    }

    @Override
    public synchronized void executorTerminated(AgentID agentId, FrameworkID frameworkId, ExecutorID executorId, int status) {
        AgentState agent = agents.get(agentId.getValue());
        if (agent == null) {
            return;
        }
        Resources held = agent.executors.remove(frameworkId.getValue() + "/" + executorId.getValue());
        if (held != null) {
            agent.allocated = agent.allocated.minus(held);
            requestAllocation();
        }
    }

    // ---------------------------------------------------------------- shared with collaborators

    /** Writes the framework through to the registry before its scheduler hears of the change. */
    private void persist(FrameworkState fw, boolean removed) {
        registry.framework(fw.info, fw.registeredAt.toEpochMilli(), removed);
    }

    /** Records a status on a task; a terminal one releases the task's resources. */
    void record(FrameworkState fw, TaskRecord task, TaskStatus status) {
        boolean wasTerminal = task.terminal();
        task.state = status.getState();
        task.latest = status;
        task.statuses.add(status);
        if (task.statuses.size() > 32) {
            task.statuses.remove(0);
        }
        if (!wasTerminal && task.terminal()) {
            AgentState agent = agents.get(task.agentId);
            if (agent != null) {
                agent.allocated = agent.allocated.minus(task.resources);
            }
        }
    }

    void completeTask(FrameworkState fw, TaskRecord task) {
        fw.tasks.remove(task.info.getTaskId().getValue());
        fw.completedTasks.addLast(task);
        while (fw.completedTasks.size() > config.maxCompletedTasksPerFramework) {
            fw.completedTasks.removeFirst();
        }
    }

    void send(FrameworkState fw, Event event) {
        if (fw.connected()) {
            fw.stream.send(event);
        }
    }

    String newOfferId() {
        return idPrefix + "-O" + nextOffer++;
    }

    Map<String, OfferState> offers() {
        return offers;
    }

    Offers offerBook() {
        return offerBook;
    }

    /** Asks for an allocation round soon, on the timer thread; many requests coalesce into one. */
    public void requestAllocation() {
        if (allocationPending.compareAndSet(false, true)) {
            timers.execute(() -> {
                allocationPending.set(false);
                allocate();
            });
        }
    }

    synchronized void allocate() {
        try {
            offerBook.allocate(clock.instant());
        } catch (RuntimeException e) {
            LOG.error("Allocation failed", e);
        }
    }

    /** The agents for {@code /slaves}: what {@code /state} says of them, without the tasks. */
    public synchronized Map<String, Object> agentsState() {
        return StateJson.renderAgents(this);
    }

    /** A consistent copy of the state for {@code /state}. */
    public synchronized Map<String, Object> state() {
        return StateJson.render(this);
    }

    /** The ids of subscribed frameworks, for tests and hooks. */
    public synchronized List<FrameworkID> frameworkIds() {
        List<FrameworkID> ids = new ArrayList<>();
        for (FrameworkState fw : frameworks.values()) {
            ids.add(fw.id);
        }
        return ids;
    }

    synchronized Collection<AgentState> agentStates() {
        return agents.values();
    }

    Optional<AgentState> agent(String id) {
        return Optional.ofNullable(agents.get(id));
    }

    static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    static ByteString noUuid() {
        return ByteString.EMPTY;
    }
}
