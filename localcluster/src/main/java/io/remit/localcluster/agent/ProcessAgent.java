package io.remit.localcluster.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpServer;
import io.remit.localcluster.http.EventStream;
import io.remit.localcluster.http.Servers;
import io.remit.localcluster.resources.Ranges;
import io.remit.localcluster.resources.Resources;
import io.remit.localcluster.store.Checkpoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.Attribute;
import org.apache.mesos.v1.Protos.ContainerID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real agent: it fetches a task's URIs into a sandbox, starts custom executors as child
 * processes with the environment a Mesos agent gives them and serves them the v1 executor API,
 * and runs plain command tasks as Mesos's command executor would. stdout and stderr stay in each
 * sandbox. All state is confined to the agent's own thread.
 */
public final class ProcessAgent extends Agent {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessAgent.class);

    /** Tunables, with a real agent's defaults. */
    public record Config(Path workDir, Duration registrationTimeout, Duration executorShutdownGrace,
                         Duration updateRetryMin, Duration executorReregistrationTimeout) {
        /**
         * A real agent's defaults, except the re-registration timeout: Mesos waits 2 s for
         * executors after a restart, here 10 s, as an executor may wait up to its
         * {@code MESOS_SUBSCRIPTION_BACKOFF_MAX} (2 s) between attempts.
         */
        public static Config defaults(Path workDir) {
            return new Config(workDir, Duration.ofMinutes(1), Duration.ofSeconds(5), Duration.ofSeconds(10),
                    Duration.ofSeconds(10));
        }
    }

    private final Config config;
    private final HttpServer server;
    private final ExecutorService launchPool;
    private final Fetcher fetcher;
    private final Map<String, ExecutorRun> executors = new HashMap<>();
    private final Map<String, CommandTask> commands = new HashMap<>();
    private final Path checkpointFile;
    private boolean flushScheduled;
    /** While the checkpoint is being read back, nothing is written over it. */
    private boolean recovering;

    private ProcessAgent(AgentInfo info, MasterLink master, ScheduledExecutorService thread, Clock clock,
                         Config config, HttpServer server) {
        super(info, master, thread, clock, config.updateRetryMin());
        this.config = config;
        this.server = server;
        this.launchPool = Executors.newCachedThreadPool(r -> daemon(r, "agent-launch-" + info.getId().getValue()));
        this.fetcher = new Fetcher(config.workDir().resolve("fetch-cache").resolve(info.getId().getValue()));
        this.checkpointFile = config.workDir().resolve("meta").resolve("slaves").resolve(info.getId().getValue())
                .resolve("checkpoint.json");
    }

    /**
     * Binds the agent's HTTP server on {@code bind} (port 0 picks one) and starts serving the
     * executor API. The agent is not yet known to any master: add it with {@code Master.addAgent}.
     */
    public static ProcessAgent start(AgentID id, InetSocketAddress bind, Resources resources, List<Attribute> attributes,
                                     MasterLink master, Config config, Clock clock) throws IOException {
        HttpServer server = Servers.create(bind, 128);
        AgentInfo info = AgentInfo.newBuilder()
                .setId(id)
                .setHostname(bind.getHostString())
                .setPort(server.getAddress().getPort())
                .addAllResources(resources.toProto(null))
                .addAllAttributes(attributes)
                .build();
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
                r -> daemon(r, "agent-" + id.getValue()));
        ProcessAgent agent = new ProcessAgent(info, master, thread, clock, config, server);
        ExecutorEndpoint endpoint = new ExecutorEndpoint(agent);
        server.createContext("/api/v1/executor", endpoint);
        server.createContext("/slave(1)/api/v1/executor", endpoint);
        server.createContext("/state", ex -> endpoint.state(ex));
        FilesEndpoint files = new FilesEndpoint(new SandboxPaths(config.workDir().resolve("slaves").resolve(id.getValue())));
        server.createContext("/files/read", files::read);
        server.createContext("/files/browse", files::browse);
        server.createContext("/health", ex -> {
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.setExecutor(Executors.newCachedThreadPool(r -> daemon(r, "agent-http")));
        Files.createDirectories(config.workDir());
        // What an earlier run left running is taken back before any executor can reach the API.
        agent.onAgentThread(() -> {
            agent.recover();
            return null;
        });
        server.start();
        return agent;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Runs {@code action} on the agent's thread and waits for its answer (for HTTP handlers). */
    <T> T onAgentThread(Supplier<T> action) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                T result = action.get();
                changed();
                return result;
            }, thread).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("agent thread did not answer: " + e, e);
        }
    }

    // ---------------------------------------------------------------- launching

    @Override
    protected void onLaunch(FrameworkInfo framework, TaskInfo task) {
        if (task.hasExecutor()) {
            String key = framework.getId().getValue() + "/" + task.getExecutor().getExecutorId().getValue();
            ExecutorRun er = executors.get(key);
            if (er == null) {
                er = new ExecutorRun(newSandbox(framework, task.getExecutor().getExecutorId()), task.getExecutor());
                executors.put(key, er);
                er.queued.put(task.getTaskId().getValue(), task);
                startExecutor(er);
                return;
            }
            switch (er.phase) {
                case LAUNCHING, REGISTERING -> er.queued.put(task.getTaskId().getValue(), task);
                case RUNNING -> {
                    er.launched.put(task.getTaskId().getValue(), task);
                    er.stream.send(Event.newBuilder().setType(Event.Type.LAUNCH)
                            .setLaunch(Event.Launch.newBuilder().setTask(task)).build());
                }
                default -> report(framework.getId(), agentStatus(task.getTaskId(), er.info.getExecutorId(),
                        partitionAware(framework) ? TaskState.TASK_DROPPED : TaskState.TASK_LOST,
                        TaskStatus.Reason.REASON_EXECUTOR_TERMINATED, "Executor terminating"));
            }
            return;
        }
        ExecutorID eid = ExecutorID.newBuilder().setValue(task.getTaskId().getValue()).build();
        CommandTask ct = new CommandTask(newSandbox(framework, eid), task);
        commands.put(key(framework.getId(), task.getTaskId()), ct);
        Map<String, String> env = environment(ct.run);
        launchPool.execute(() -> {
            try {
                fetcher.fetch(task.getCommand().getUrisList(), ct.run.sandbox());
                Process p = Processes.start(task.getCommand(), ct.run.sandbox(), env);
                run(() -> commandStarted(ct, p));
            } catch (Fetcher.FetchException | IOException e) {
                run(() -> commandFailedToStart(ct, e.getMessage()));
            }
        });
    }

    private void startExecutor(ExecutorRun er) {
        Map<String, String> env = environment(er.run);
        launchPool.execute(() -> {
            try {
                fetcher.fetch(er.info.getCommand().getUrisList(), er.run.sandbox());
                Process p = Processes.start(er.info.getCommand(), er.run.sandbox(), env);
                run(() -> executorStarted(er, p));
            } catch (Fetcher.FetchException | IOException e) {
                run(() -> executorFailedToStart(er, e.getMessage()));
            }
        });
    }

    private void executorStarted(ExecutorRun er, Process p) {
        er.process = p.toHandle();
        er.startTime = Processes.startTime(p.pid());
        p.onExit().thenRun(() -> run(() -> executorExited(er, p.exitValue())));
        if (er.phase == ExecutorRun.Phase.TERMINATING) {
            Processes.signalTree(er.process, true);
            return;
        }
        er.phase = ExecutorRun.Phase.REGISTERING;
        er.registrationTimer = thread.schedule(() -> run(() -> {
            if (er.phase == ExecutorRun.Phase.REGISTERING) {
                er.failure = "Executor did not register within " + MesosDurations.format(config.registrationTimeout());
                LOG.warn("{}; killing it", er.failure);
                er.phase = ExecutorRun.Phase.TERMINATING;
                Processes.signalTree(er.process, true);
            }
        }), config.registrationTimeout().toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("Started executor {} of framework {} (pid {}) in {}", er.info.getExecutorId().getValue(),
                er.run.framework().getId().getValue(), p.pid(), er.run.sandbox());
    }

    private void executorFailedToStart(ExecutorRun er, String message) {
        LOG.warn("Executor {} failed to start: {}", er.info.getExecutorId().getValue(), message);
        er.phase = ExecutorRun.Phase.TERMINATED;
        for (TaskInfo t : er.queued.values()) {
            report(er.run.framework().getId(), agentStatus(t.getTaskId(), er.info.getExecutorId(), TaskState.TASK_FAILED,
                    TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED, message));
        }
        er.queued.clear();
        forgetExecutor(er, -1);
    }

    private void executorExited(ExecutorRun er, int exitValue) {
        if (er.phase == ExecutorRun.Phase.TERMINATED) {
            return;
        }
        ExecutorRun.Phase before = er.phase;
        er.phase = ExecutorRun.Phase.TERMINATED;
        cancelTimers(er);
        Processes.killSession(er.process);
        if (er.stream != null) {
            er.stream.close(null);
        }
        boolean reregistrationTimedOut = er.failure != null && er.failure.startsWith(REREGISTRATION_FAILURE);
        TaskStatus.Reason reason = er.failure != null && er.failure.startsWith("Executor did not register")
                ? TaskStatus.Reason.REASON_EXECUTOR_REGISTRATION_TIMEOUT
                : reregistrationTimedOut ? TaskStatus.Reason.REASON_EXECUTOR_REREGISTRATION_TIMEOUT
                : TaskStatus.Reason.REASON_EXECUTOR_TERMINATED;
        String message = er.failure != null ? er.failure : "Executor terminated";
        List<TaskInfo> unfinished = new ArrayList<>(er.queued.values());
        unfinished.addAll(er.launched.values());
        for (TaskInfo t : unfinished) {
            boolean killed = er.killRequested.contains(t.getTaskId().getValue()) || before == ExecutorRun.Phase.TERMINATING
                    && er.failure == null;
            TaskState state = killed ? TaskState.TASK_KILLED
                    : reregistrationTimedOut ? lostState(er.run.framework()) : TaskState.TASK_FAILED;
            report(er.run.framework().getId(), agentStatus(t.getTaskId(), er.info.getExecutorId(), state, reason, message));
        }
        er.queued.clear();
        er.launched.clear();
        LOG.info("Executor {} of framework {} exited with {}", er.info.getExecutorId().getValue(),
                er.run.framework().getId().getValue(), Processes.describeExit(exitValue));
        forgetExecutor(er, exitValue);
    }

    private void forgetExecutor(ExecutorRun er, int exitValue) {
        executors.remove(er.run.framework().getId().getValue() + "/" + er.info.getExecutorId().getValue());
        master.executorTerminated(info.getId(), er.run.framework().getId(), er.info.getExecutorId(), exitValue);
    }

    // ---------------------------------------------------------------- executor API (agent thread)

    enum Lookup { FRAMEWORK_UNKNOWN, EXECUTOR_UNKNOWN, NOT_SUBSCRIBED, OK }

    Lookup lookup(FrameworkID frameworkId, ExecutorID executorId) {
        ExecutorRun er = executors.get(frameworkId.getValue() + "/" + executorId.getValue());
        if (er != null) {
            return er.subscribed() ? Lookup.OK : Lookup.NOT_SUBSCRIBED;
        }
        boolean frameworkKnown = executors.keySet().stream().anyMatch(k -> k.startsWith(frameworkId.getValue() + "/"))
                || commands.keySet().stream().anyMatch(k -> k.startsWith(frameworkId.getValue() + "/"));
        return frameworkKnown ? Lookup.EXECUTOR_UNKNOWN : Lookup.FRAMEWORK_UNKNOWN;
    }

    /** An executor subscribed (or re-subscribed) on {@code stream}. */
    void subscribed(Call call, EventStream stream) {
        ExecutorRun er = executors.get(call.getFrameworkId().getValue() + "/" + call.getExecutorId().getValue());
        if (er == null) {
            stream.close(Event.newBuilder().setType(Event.Type.ERROR)
                    .setError(Event.Error.newBuilder().setMessage("Executor cannot be found")).build());
            return;
        }
        if (er.phase == ExecutorRun.Phase.TERMINATING || er.phase == ExecutorRun.Phase.TERMINATED) {
            stream.close(Event.newBuilder().setType(Event.Type.SHUTDOWN).build());
            return;
        }
        if (er.stream != null && er.stream != stream) {
            er.stream.close(null);
        }
        FrameworkID fid = er.run.framework().getId();
        for (Call.Update update : call.getSubscribe().getUnacknowledgedUpdatesList()) {
            report(fid, update.getStatus());
        }
        if (er.registrationTimer != null) {
            er.registrationTimer.cancel(false);
        }
        er.phase = ExecutorRun.Phase.RUNNING;
        er.stream = stream;
        stream.onBroken(() -> run(() -> executorDisconnected(er, stream)));
        stream.send(Event.newBuilder().setType(Event.Type.SUBSCRIBED)
                .setSubscribed(Event.Subscribed.newBuilder()
                        .setExecutorInfo(er.info)
                        .setFrameworkInfo(er.run.framework())
                        .setAgentInfo(info)
                        .setContainerId(ContainerID.newBuilder().setValue(er.run.containerId())))
                .build());
        for (TaskInfo task : er.queued.values()) {
            er.launched.put(task.getTaskId().getValue(), task);
            stream.send(Event.newBuilder().setType(Event.Type.LAUNCH)
                    .setLaunch(Event.Launch.newBuilder().setTask(task)).build());
        }
        er.queued.clear();
        LOG.info("Executor {} of framework {} subscribed", er.info.getExecutorId().getValue(), fid.getValue());
    }

    private void executorDisconnected(ExecutorRun er, EventStream stream) {
        if (er.stream != stream || er.phase == ExecutorRun.Phase.TERMINATED) {
            return;
        }
        if (!er.run.framework().getCheckpoint()) {
            LOG.info("Executor {} disconnected and its framework does not checkpoint; shutting it down",
                    er.info.getExecutorId().getValue());
            shutdown(er);
        }
    }

    /** An UPDATE from a subscribed executor: queued for the master and acknowledged at once. */
    void executorUpdate(Call call) {
        ExecutorRun er = executors.get(call.getFrameworkId().getValue() + "/" + call.getExecutorId().getValue());
        if (er == null) {
            return;
        }
        TaskStatus status = call.getUpdate().getStatus().toBuilder().setExecutorId(call.getExecutorId()).build();
        if (isTerminal(status.getState())) {
            er.launched.remove(status.getTaskId().getValue());
        }
        // The update is on disk (see persistNow) before it is forwarded and acknowledged.
        report(call.getFrameworkId(), status);
        if (er.subscribed()) {
            er.stream.send(Event.newBuilder().setType(Event.Type.ACKNOWLEDGED)
                    .setAcknowledged(Event.Acknowledged.newBuilder()
                            .setTaskId(status.getTaskId()).setUuid(status.getUuid()))
                    .build());
        }
    }

    /** A MESSAGE from a subscribed executor, for its scheduler. */
    void executorMessage(Call call) {
        master.executorMessage(info.getId(), call.getFrameworkId(), call.getExecutorId(), call.getMessage().getData());
    }

    // ---------------------------------------------------------------- command tasks

    private void commandStarted(CommandTask ct, Process p) {
        ct.process = p.toHandle();
        ct.startTime = Processes.startTime(p.pid());
        p.onExit().thenRun(() -> run(() -> commandExited(ct, p.exitValue())));
        if (ct.killing) {
            Processes.signalTree(ct.process, true);
            return;
        }
        FrameworkID fid = ct.run.framework().getId();
        report(fid, executorStatus(ct, TaskState.TASK_STARTING, null));
        report(fid, executorStatus(ct, TaskState.TASK_RUNNING, null));
    }

    private void commandFailedToStart(CommandTask ct, String message) {
        commands.remove(key(ct.run.framework().getId(), ct.task.getTaskId()));
        report(ct.run.framework().getId(), agentStatus(ct.task.getTaskId(), ct.run.executorId(), TaskState.TASK_FAILED,
                TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED, message));
        master.executorTerminated(info.getId(), ct.run.framework().getId(), ct.run.executorId(), -1);
    }

    private void commandExited(CommandTask ct, int exitValue) {
        if (ct.forceKill != null) {
            ct.forceKill.cancel(false);
        }
        Processes.killSession(ct.process);
        commands.remove(key(ct.run.framework().getId(), ct.task.getTaskId()));
        TaskState state = ct.killing ? TaskState.TASK_KILLED : exitValue == 0 ? TaskState.TASK_FINISHED : TaskState.TASK_FAILED;
        String message = ct.recovered
                ? "Command exited after the agent restarted; its exit status cannot be known"
                : Processes.describeExit(exitValue);
        report(ct.run.framework().getId(), executorStatus(ct, state, message));
        master.executorTerminated(info.getId(), ct.run.framework().getId(), ct.run.executorId(), exitValue);
    }

    private void killCommand(CommandTask ct, KillPolicy policy) {
        if (ct.killing && ct.forceKill != null) {
            return;
        }
        ct.killing = true;
        if (ct.process == null) {
            return;
        }
        if (hasCapability(ct.run.framework(), FrameworkInfo.Capability.Type.TASK_KILLING_STATE)) {
            report(ct.run.framework().getId(), executorStatus(ct, TaskState.TASK_KILLING, null));
        }
        Processes.signalTree(ct.process, false);
        Duration grace = ct.grace(policy);
        ct.forceKill = thread.schedule(() -> Processes.signalTree(ct.process, true),
                grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    // ---------------------------------------------------------------- kill and shutdown

    @Override
    protected void onKill(FrameworkID frameworkId, TaskID taskId, KillPolicy killPolicy) {
        CommandTask ct = commands.get(key(frameworkId, taskId));
        if (ct != null) {
            killCommand(ct, killPolicy);
            return;
        }
        for (ExecutorRun er : executors.values()) {
            if (!er.run.framework().getId().equals(frameworkId)) {
                continue;
            }
            if (er.queued.remove(taskId.getValue()) != null) {
                report(frameworkId, agentStatus(taskId, er.info.getExecutorId(), TaskState.TASK_KILLED,
                        TaskStatus.Reason.REASON_TASK_KILLED_DURING_LAUNCH, "Killed before delivery to the executor"));
                if (er.queued.isEmpty() && er.launched.isEmpty()) {
                    shutdown(er);
                }
                return;
            }
            if (er.launched.containsKey(taskId.getValue())) {
                er.killRequested.add(taskId.getValue());
                Event.Kill.Builder kill = Event.Kill.newBuilder().setTaskId(taskId);
                if (killPolicy != null) {
                    kill.setKillPolicy(killPolicy);
                }
                er.stream.send(Event.newBuilder().setType(Event.Type.KILL).setKill(kill).build());
                return;
            }
        }
        LOG.info("Asked to kill unknown task {} of framework {}", taskId.getValue(), frameworkId.getValue());
    }

    @Override
    protected void onShutdownExecutor(FrameworkID frameworkId, ExecutorID executorId) {
        ExecutorRun er = executors.get(frameworkId.getValue() + "/" + executorId.getValue());
        if (er != null) {
            shutdown(er);
        }
    }

    @Override
    protected void onShutdownFramework(FrameworkID frameworkId) {
        for (ExecutorRun er : new ArrayList<>(executors.values())) {
            if (er.run.framework().getId().equals(frameworkId)) {
                shutdown(er);
            }
        }
        for (CommandTask ct : new ArrayList<>(commands.values())) {
            if (ct.run.framework().getId().equals(frameworkId)) {
                killCommand(ct, null);
            }
        }
    }

    /** SHUTDOWN to the executor, then after the grace period its whole process group is killed. */
    private void shutdown(ExecutorRun er) {
        if (er.phase == ExecutorRun.Phase.TERMINATING || er.phase == ExecutorRun.Phase.TERMINATED) {
            return;
        }
        boolean subscribed = er.subscribed();
        er.phase = ExecutorRun.Phase.TERMINATING;
        if (er.process == null) {
            return;
        }
        if (subscribed) {
            er.stream.send(Event.newBuilder().setType(Event.Type.SHUTDOWN).build());
            er.shutdownTimer = thread.schedule(() -> Processes.signalTree(er.process, true),
                    config.executorShutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
        } else {
            Processes.signalTree(er.process, true);
        }
    }

    @Override
    protected void onFrameworkMessage(FrameworkID frameworkId, ExecutorID executorId, ByteString data) {
        ExecutorRun er = executors.get(frameworkId.getValue() + "/" + executorId.getValue());
        if (er != null && er.subscribed()) {
            er.stream.send(Event.newBuilder().setType(Event.Type.MESSAGE)
                    .setMessage(Event.Message.newBuilder().setData(data)).build());
        }
    }

    /** Kills everything the agent runs and stops serving. Reports nothing further. */
    @Override
    public void stop() {
        halt(true);
    }

    /**
     * Stops serving and leaves the executors and command tasks running, their state in the
     * checkpoint: the executors see their connection close and wait for an agent to re-subscribe
     * to, as with a Mesos agent that exits (for an upgrade, say) rather than being told to shut
     * down. Reports nothing further.
     */
    @Override
    public void detach() {
        halt(false);
    }

    private void halt(boolean killProcesses) {
        CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
            if (!killProcesses) {
                flush();
            }
            stopped = true;
            for (ExecutorRun er : executors.values()) {
                cancelTimers(er);
                if (er.stream != null) {
                    er.stream.abort();
                }
                if (killProcesses && er.process != null) {
                    Processes.killSession(er.process);
                }
            }
            for (CommandTask ct : commands.values()) {
                if (killProcesses && ct.process != null) {
                    Processes.killSession(ct.process);
                }
            }
        }, thread);
        try {
            done.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Agent {} did not stop cleanly: {}", info.getId().getValue(), e.toString());
        }
        server.stop(0);
        launchPool.shutdownNow();
        thread.shutdownNow();
    }

    // ---------------------------------------------------------------- checkpoint and recovery

    static final String REREGISTRATION_FAILURE = "Executor did not reregister within ";

    @Override
    protected void changed() {
        if (!flushScheduled && !stopped) {
            flushScheduled = true;
            thread.execute(() -> {
                flushScheduled = false;
                flush();
            });
        }
    }

    @Override
    protected void persistNow() {
        flush();
    }

    /**
     * Writes what the agent runs to its checkpoint: every executor and command task with its
     * process (pid and start time), the tasks with their latest status, and the status updates
     * not yet acknowledged. Agent thread.
     */
    private void flush() {
        if (stopped || recovering) {
            return;
        }
        ObjectNode root = Checkpoints.JSON.createObjectNode();
        root.set("agent", Checkpoints.proto(info));
        ArrayNode ex = root.putArray("executors");
        for (ExecutorRun er : executors.values()) {
            if (er.phase == ExecutorRun.Phase.TERMINATED) {
                continue;
            }
            ObjectNode n = ex.addObject();
            sandbox(n, er.run);
            n.set("executor", Checkpoints.proto(er.info));
            if (er.process != null) {
                n.put("pid", er.process.pid());
                n.put("start_time", er.startTime);
            }
            ArrayNode queued = n.putArray("queued");
            er.queued.values().forEach(t -> queued.add(Checkpoints.proto(t)));
            ArrayNode launched = n.putArray("launched");
            er.launched.values().forEach(t -> launched.add(Checkpoints.proto(t)));
            ArrayNode kills = n.putArray("kill_requested");
            er.killRequested.forEach(kills::add);
        }
        ArrayNode cmds = root.putArray("commands");
        for (CommandTask ct : commands.values()) {
            ObjectNode n = cmds.addObject();
            sandbox(n, ct.run);
            n.set("task", Checkpoints.proto(ct.task));
            if (ct.process != null) {
                n.put("pid", ct.process.pid());
                n.put("start_time", ct.startTime);
            }
            n.put("killing", ct.killing);
        }
        ArrayNode tasks = root.putArray("tasks");
        for (RunningTask rt : knownTasks()) {
            ObjectNode n = tasks.addObject();
            n.set("framework", Checkpoints.proto(rt.framework()));
            n.set("task", Checkpoints.proto(rt.task()));
            n.set("latest", Checkpoints.proto(rt.latest()));
        }
        ArrayNode queues = root.putArray("updates");
        for (StatusUpdateManager.Snapshot q : updates.snapshot()) {
            ObjectNode n = queues.addObject();
            n.put("framework_id", q.frameworkId().getValue());
            n.put("task_id", q.taskId());
            ArrayNode pending = n.putArray("pending");
            q.pending().forEach(st -> pending.add(Checkpoints.proto(st)));
            ArrayNode acked = n.putArray("acknowledged");
            q.acknowledged().forEach(u -> acked.add(java.util.Base64.getEncoder().encodeToString(u.toByteArray())));
        }
        try {
            Checkpoints.write(checkpointFile, root);
        } catch (IOException e) {
            LOG.error("Agent {} cannot write its checkpoint {}", info.getId().getValue(), checkpointFile, e);
        }
    }

    private static void sandbox(ObjectNode n, SandboxRun run) {
        n.set("framework", Checkpoints.proto(run.framework()));
        n.put("executor_id", run.executorId().getValue());
        n.put("container_id", run.containerId());
        n.put("sandbox", run.sandbox().toString());
    }

    private static SandboxRun sandbox(JsonNode n) {
        return new SandboxRun(Checkpoints.proto(n.path("framework"), FrameworkInfo.newBuilder()),
                ExecutorID.newBuilder().setValue(n.path("executor_id").asText()).build(),
                n.path("container_id").asText(), Path.of(n.path("sandbox").asText()));
    }

    /**
     * Takes back what an earlier run of this agent left, as a Mesos agent recovers with
     * {@code --recover=reconnect}: tasks, unacknowledged updates (sent again), and executors. An
     * executor of a checkpointing framework whose process still runs waits for it to
     * re-subscribe within the re-registration timeout, and is killed with its whole process
     * tree if it does not; any other executor or command left running is killed at once. The
     * tasks of those killed or found gone become TASK_LOST (TASK_GONE for a partition-aware
     * framework). Agent thread, before the executor API is served.
     */
    private void recover() {
        JsonNode root;
        try {
            root = Checkpoints.read(checkpointFile).orElse(null);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read the agent's checkpoint " + checkpointFile, e);
        }
        if (root == null) {
            return;
        }
        recovering = true;
        try {
            recoverFrom(root);
        } finally {
            recovering = false;
        }
        flush();
    }

    private void recoverFrom(JsonNode root) {
        for (JsonNode n : root.path("tasks")) {
            restoreKnown(new RunningTask(Checkpoints.proto(n.path("framework"), FrameworkInfo.newBuilder()),
                    Checkpoints.proto(n.path("task"), TaskInfo.newBuilder()),
                    Checkpoints.proto(n.path("latest"), TaskStatus.newBuilder())));
        }
        for (JsonNode n : root.path("updates")) {
            List<TaskStatus> pending = new ArrayList<>();
            n.path("pending").forEach(st -> pending.add(Checkpoints.proto(st, TaskStatus.newBuilder())));
            List<ByteString> acked = new ArrayList<>();
            n.path("acknowledged").forEach(u -> acked.add(ByteString.copyFrom(java.util.Base64.getDecoder().decode(u.asText()))));
            updates.restore(new StatusUpdateManager.Snapshot(FrameworkID.newBuilder()
                    .setValue(n.path("framework_id").asText()).build(), n.path("task_id").asText(), pending, acked));
        }
        int reconnecting = 0;
        for (JsonNode n : root.path("executors")) {
            ExecutorRun er = new ExecutorRun(sandbox(n), Checkpoints.proto(n.path("executor"), org.apache.mesos.v1.Protos.ExecutorInfo.newBuilder()));
            n.path("queued").forEach(t -> {
                TaskInfo task = Checkpoints.proto(t, TaskInfo.newBuilder());
                er.queued.put(task.getTaskId().getValue(), task);
            });
            n.path("launched").forEach(t -> {
                TaskInfo task = Checkpoints.proto(t, TaskInfo.newBuilder());
                er.launched.put(task.getTaskId().getValue(), task);
            });
            n.path("kill_requested").forEach(k -> er.killRequested.add(k.asText()));
            String startTime = n.path("start_time").asText(null);
            java.util.Optional<ProcessHandle> process = Processes.find(n.path("pid").asLong(-1), startTime);
            FrameworkInfo framework = er.run.framework();
            if (process.isPresent() && framework.getCheckpoint()) {
                er.process = process.get();
                er.startTime = startTime;
                er.recovered = true;
                er.phase = ExecutorRun.Phase.REGISTERING;
                executors.put(framework.getId().getValue() + "/" + er.info.getExecutorId().getValue(), er);
                watchExit(er.process.pid(), startTime, () -> executorExited(er, -1));
                er.registrationTimer = thread.schedule(() -> run(() -> {
                    if (er.phase == ExecutorRun.Phase.REGISTERING) {
                        er.failure = REREGISTRATION_FAILURE + MesosDurations.format(config.executorReregistrationTimeout());
                        LOG.warn("Executor {} of framework {}: {}; killing it and its processes",
                                er.info.getExecutorId().getValue(), framework.getId().getValue(), er.failure);
                        er.phase = ExecutorRun.Phase.TERMINATING;
                        Processes.killSession(er.process);
                    }
                }), config.executorReregistrationTimeout().toMillis(), TimeUnit.MILLISECONDS);
                reconnecting++;
                continue;
            }
            String why = process.isPresent()
                    ? "Executor killed when the agent restarted: its framework does not checkpoint"
                    : "Executor terminated while the agent was down";
            process.ifPresent(Processes::killSession);
            List<TaskInfo> unfinished = new ArrayList<>(er.queued.values());
            unfinished.addAll(er.launched.values());
            for (TaskInfo t : unfinished) {
                report(framework.getId(), agentStatus(t.getTaskId(), er.info.getExecutorId(), lostState(framework),
                        TaskStatus.Reason.REASON_EXECUTOR_TERMINATED, why));
            }
        }
        for (JsonNode n : root.path("commands")) {
            CommandTask ct = new CommandTask(sandbox(n), Checkpoints.proto(n.path("task"), TaskInfo.newBuilder()));
            String startTime = n.path("start_time").asText(null);
            java.util.Optional<ProcessHandle> process = Processes.find(n.path("pid").asLong(-1), startTime);
            FrameworkInfo framework = ct.run.framework();
            if (process.isPresent() && framework.getCheckpoint()) {
                // The agent is this task's command executor: it is back as soon as the agent is.
                ct.process = process.get();
                ct.startTime = startTime;
                ct.recovered = true;
                ct.killing = n.path("killing").asBoolean();
                commands.put(key(framework.getId(), ct.task.getTaskId()), ct);
                watchExit(ct.process.pid(), startTime, () -> commandExited(ct, -1));
                continue;
            }
            String why = process.isPresent()
                    ? "Task killed when the agent restarted: its framework does not checkpoint"
                    : "Task terminated while the agent was down";
            process.ifPresent(Processes::killSession);
            report(framework.getId(), agentStatus(ct.task.getTaskId(), ct.run.executorId(), lostState(framework),
                    TaskStatus.Reason.REASON_EXECUTOR_TERMINATED, why));
        }
        LOG.info("Agent {} recovered {} task(s); {} executor(s) may re-subscribe within {}", info.getId().getValue(),
                knownTasks().size(), reconnecting, MesosDurations.format(config.executorReregistrationTimeout()));
    }

    /**
     * Runs {@code exited} on the agent's thread once the process is gone. A recovered process is
     * not this JVM's child, so it is polled; and once killed it may linger as a zombie until
     * init reaps it, which counts as gone.
     */
    private void watchExit(long pid, String startTime, Runnable exited) {
        thread.schedule(() -> {
            if (stopped) {
                return;
            }
            if (Processes.find(pid, startTime).isEmpty()) {
                run(exited);
            } else {
                watchExit(pid, startTime, exited);
            }
        }, 200, TimeUnit.MILLISECONDS);
    }

    /** Leaves out of offers the ports some process on the host still holds. */
    @Override
    public Resources offerable(Resources available) {
        Ranges held = HostPorts.held(available.ranges("ports"));
        if (held.isEmpty()) {
            return available;
        }
        return available.minus(Resources.fromProto(List.of(org.apache.mesos.v1.Protos.Resource.newBuilder()
                .setName("ports").setType(org.apache.mesos.v1.Protos.Value.Type.RANGES).setRanges(held.toProto()).build())));
    }

    private static TaskState lostState(FrameworkInfo framework) {
        return partitionAware(framework) ? TaskState.TASK_GONE : TaskState.TASK_LOST;
    }

    // ---------------------------------------------------------------- helpers

    /** A snapshot for the agent's {@code /state}. Agent thread. */
    Map<String, Object> state() {
        Map<String, Object> s = new java.util.LinkedHashMap<>();
        s.put("id", info.getId().getValue());
        s.put("hostname", info.getHostname());
        s.put("port", info.getPort());
        List<Object> list = new ArrayList<>();
        for (ExecutorRun er : executors.values()) {
            Map<String, Object> e = new java.util.LinkedHashMap<>();
            e.put("id", er.info.getExecutorId().getValue());
            e.put("framework_id", er.run.framework().getId().getValue());
            e.put("container", er.run.containerId());
            e.put("directory", er.run.sandbox().toString());
            e.put("phase", er.phase.name());
            e.put("queued_tasks", new ArrayList<>(er.queued.keySet()));
            e.put("tasks", new ArrayList<>(er.launched.keySet()));
            list.add(e);
        }
        for (CommandTask ct : commands.values()) {
            Map<String, Object> e = new java.util.LinkedHashMap<>();
            e.put("id", ct.run.executorId().getValue());
            e.put("framework_id", ct.run.framework().getId().getValue());
            e.put("container", ct.run.containerId());
            e.put("directory", ct.run.sandbox().toString());
            e.put("phase", ct.process == null ? "LAUNCHING" : "RUNNING");
            e.put("tasks", List.of(ct.task.getTaskId().getValue()));
            list.add(e);
        }
        s.put("executors", list);
        return s;
    }

    private SandboxRun newSandbox(FrameworkInfo framework, ExecutorID executorId) {
        String containerId = UUID.randomUUID().toString();
        Path sandbox = config.workDir().resolve("slaves").resolve(info.getId().getValue())
                .resolve("frameworks").resolve(framework.getId().getValue())
                .resolve("executors").resolve(executorId.getValue())
                .resolve("runs").resolve(containerId).toAbsolutePath();
        try {
            Files.createDirectories(sandbox);
            pointLatestAt(sandbox);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SandboxRun(framework, executorId, containerId, sandbox);
    }

    /**
     * Points {@code runs/latest} at the newest run of an executor, as a Mesos agent does (its
     * files endpoint serves {@code /frameworks/<fw>/executors/<ex>/runs/latest}); replaced
     * atomically, so a reader never finds it missing.
     */
    private static void pointLatestAt(Path run) throws IOException {
        Path latest = run.resolveSibling("latest");
        Path fresh = run.resolveSibling(".latest." + run.getFileName());
        Files.deleteIfExists(fresh);
        Files.createSymbolicLink(fresh, run.getFileName());
        Files.move(fresh, latest, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** The environment a Mesos agent gives an executor. */
    private Map<String, String> environment(SandboxRun run) {
        Map<String, String> env = new HashMap<>();
        String endpoint = info.getHostname() + ":" + info.getPort();
        env.put("LIBPROCESS_IP", info.getHostname());
        env.put("LIBPROCESS_PORT", "0");
        env.put("MESOS_FRAMEWORK_ID", run.framework().getId().getValue());
        env.put("MESOS_EXECUTOR_ID", run.executorId().getValue());
        env.put("MESOS_DIRECTORY", run.sandbox().toString());
        env.put("MESOS_SANDBOX", run.sandbox().toString());
        env.put("MESOS_SLAVE_ID", info.getId().getValue());
        env.put("MESOS_SLAVE_PID", "slave(1)@" + endpoint);
        env.put("MESOS_AGENT_ENDPOINT", endpoint);
        env.put("MESOS_CHECKPOINT", run.framework().getCheckpoint() ? "1" : "0");
        env.put("MESOS_HTTP_COMMAND_EXECUTOR", "0");
        env.put("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", MesosDurations.format(config.executorShutdownGrace()));
        if (run.framework().getCheckpoint()) {
            env.put("MESOS_RECOVERY_TIMEOUT", "15mins");
            env.put("MESOS_SUBSCRIPTION_BACKOFF_MAX", "2secs");
        }
        return env;
    }

    private TaskStatus agentStatus(TaskID taskId, ExecutorID executorId, TaskState state, TaskStatus.Reason reason,
                                   String message) {
        return TaskStatus.newBuilder().setTaskId(taskId).setState(state).setSource(TaskStatus.Source.SOURCE_AGENT)
                .setReason(reason).setMessage(message).setExecutorId(executorId).build();
    }

    private static TaskStatus executorStatus(CommandTask ct, TaskState state, String message) {
        TaskStatus.Builder b = TaskStatus.newBuilder().setTaskId(ct.task.getTaskId()).setState(state)
                .setSource(TaskStatus.Source.SOURCE_EXECUTOR).setExecutorId(ct.run.executorId());
        if (message != null) {
            b.setMessage(message);
        }
        return b.build();
    }

    private static void cancelTimers(ExecutorRun er) {
        if (er.registrationTimer != null) {
            er.registrationTimer.cancel(false);
        }
        if (er.shutdownTimer != null) {
            er.shutdownTimer.cancel(false);
        }
    }

    private static boolean partitionAware(FrameworkInfo framework) {
        return hasCapability(framework, FrameworkInfo.Capability.Type.PARTITION_AWARE);
    }

    private static boolean hasCapability(FrameworkInfo framework, FrameworkInfo.Capability.Type type) {
        return framework.getCapabilitiesList().stream().anyMatch(c -> c.getType() == type);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
