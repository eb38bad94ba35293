package io.remit.localcluster;

import io.remit.localcluster.agent.Agent;
import io.remit.localcluster.agent.MasterLink;
import io.remit.localcluster.agent.ProcessAgent;
import io.remit.localcluster.agent.SimulatedAgent;
import io.remit.localcluster.master.Master;
import io.remit.localcluster.master.MasterServer;
import io.remit.localcluster.master.Registry;
import io.remit.localcluster.resources.Ranges;
import io.remit.localcluster.resources.Resources;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.Attribute;
import org.apache.mesos.v1.Protos.FrameworkID;

/**
 * An embedded Mesos cluster in one JVM: a master on the v1 scheduler API and agents on the v1
 * executor API, so that the same scheduler and executor run here and on a real cluster. Build
 * it with {@link #builder()}; it is the single-machine default of {@code ./remit local} and the
 * cluster of the end-to-end tests.
 *
 * <p>The fault hooks ({@link #removeAgent}, {@link #markAgentGone}, {@link #dropFrameworkStream},
 * {@link #restartMaster})
 * let tests break it the ways a real cluster breaks.
 */
public final class LocalCluster implements AutoCloseable {

    private final Settings settings;
    private final Clock clock = Clock.systemUTC();
    private final ScheduledExecutorService masterTimers;
    private final ScheduledExecutorService simulatedThread;
    private volatile Master master;
    /** What agents report to: whichever master currently leads, so that they survive its restart. */
    private final MasterLink currentMaster = new MasterLink() {
        @Override
        public void statusUpdate(AgentID agentId, FrameworkID frameworkId, Protos.TaskStatus status,
                                 Protos.TaskStatus latest) {
            master.statusUpdate(agentId, frameworkId, status, latest);
        }

        @Override
        public void executorMessage(AgentID agentId, FrameworkID frameworkId, Protos.ExecutorID executorId,
                                    com.google.protobuf.ByteString data) {
            master.executorMessage(agentId, frameworkId, executorId, data);
        }

        @Override
        public void executorTerminated(AgentID agentId, FrameworkID frameworkId, Protos.ExecutorID executorId, int status) {
            master.executorTerminated(agentId, frameworkId, executorId, status);
        }
    };
    private MasterServer server;
    private Registry registry;
    /** Read by HTTP threads (an agent marked gone leaves it), hence copy-on-write. */
    private final List<Agent> agents = new java.util.concurrent.CopyOnWriteArrayList<>();

    private LocalCluster(Settings settings) {
        this.settings = settings;
        this.masterTimers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "master"));
        this.simulatedThread = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "simulated-agents"));
    }

    public static Builder builder() {
        return new Builder();
    }

    private void start() throws IOException {
        registry = Registry.open(settings.workDir);
        createMaster();
        // Each agent keeps the id the registry gave it in an earlier run on this work dir.
        List<String> ids = registry.agents(settings.agents + settings.simulatedAgents);
        for (int i = 0; i < settings.agents; i++) {
            int port = settings.agentPort == 0 ? 0 : settings.agentPort + i;
            AgentID id = AgentID.newBuilder().setValue(ids.get(i)).build();
            ProcessAgent agent = ProcessAgent.start(id, new InetSocketAddress(settings.ip, port),
                    withPortsShare(settings.resources, i, settings.agents), attributes(i), currentMaster,
                    settings.agentConfig(), clock);
            agents.add(agent);
            master.addAgent(agent);
        }
        for (int i = 0; i < settings.simulatedAgents; i++) {
            AgentID id = AgentID.newBuilder().setValue(ids.get(settings.agents + i)).build();
            Protos.AgentInfo info = Protos.AgentInfo.newBuilder()
                    .setId(id)
                    .setHostname("sim-" + i + ".local")
                    .setPort(5051)
                    .addAllResources(settings.simulatedResources.toProto(null))
                    .addAllAttributes(attributes(i))
                    .build();
            SimulatedAgent agent = new SimulatedAgent(info, currentMaster, simulatedThread, clock, settings.updateRetryMin);
            agents.add(agent);
            master.addAgent(agent);
        }
        // Frameworks are served only once the agents are back with their tasks, so that a
        // framework that reconciles as soon as it has failed over hears of every task it had
        // (a Mesos master does not answer for agents it still waits on either).
        serve();
    }

    private void createMaster() throws IOException {
        String id = registry.masterId() != null ? registry.masterId()
                : Master.newMasterId(settings.ip, settings.masterPort, clock.instant());
        Protos.MasterInfo info = Protos.MasterInfo.newBuilder()
                .setId(id)
                .setIp(ipAsInt(settings.ip))
                .setPort(settings.masterPort)
                .setPid("master@" + settings.ip + ":" + settings.masterPort)
                .setHostname(settings.ip)
                .setVersion("1.11.0")
                .setAddress(Protos.Address.newBuilder().setHostname(settings.ip).setIp(settings.ip).setPort(settings.masterPort))
                .build();
        if (settings.masterPort == 0) {
            // Port 0 picks a free port: say so in the master's info, which frameworks see.
            try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1,
                    java.net.InetAddress.getByName(settings.ip))) {
                settings.masterPort = probe.getLocalPort();
            }
            createMaster();
            return;
        }
        long startNumber = registry.started(id);
        this.master = new Master(settings.masterConfig, info, clock, masterTimers, registry, startNumber);
        master.onAgentGone(gone -> agents.removeIf(a -> a.info().getId().equals(gone)));
    }

    private void serve() throws IOException {
        this.server = MasterServer.leading(master, new InetSocketAddress(settings.ip, settings.masterPort));
        master.start();
    }

    /** The master's base URL, e.g. {@code http://127.0.0.1:5050}. */
    public String masterUrl() {
        return "http://" + settings.ip + ":" + settings.masterPort;
    }

    public Master master() {
        return master;
    }

    public List<Agent> agents() {
        return List.copyOf(agents);
    }

    /** Fault hook: the agent is lost; its tasks become TASK_LOST (or TASK_UNREACHABLE) and its processes are killed. */
    public void removeAgent(AgentID id) {
        agents.removeIf(a -> a.info().getId().equals(id));
        master.removeAgent(id);
    }

    /**
     * Fault hook, as the operator API's MARK_AGENT_GONE ({@code POST /api/v1}) does it: the agent
     * is gone for good, its tasks end (TASK_GONE_BY_OPERATOR, or TASK_LOST for frameworks that
     * are not partition-aware) and its executors are killed with their process trees.
     */
    public Master.GoneOutcome markAgentGone(AgentID id) {
        return master.markAgentGone(id);
    }

    /** Fault hook: breaks a framework's subscription stream as a network failure would. */
    public boolean dropFrameworkStream(FrameworkID id) {
        return master.dropStream(id);
    }

    /**
     * Fault hook: the master process restarts on the same address. Every stream breaks, offers
     * are gone; agents re-register with their tasks; frameworks must re-subscribe with their id
     * within their failover timeout.
     */
    public synchronized void restartMaster() throws IOException {
        master.stop();
        server.close();
        createMaster();
        for (Agent agent : agents) {
            master.addAgent(agent);
        }
        serve();
    }

    /** Stops the master and the agents, and every task with them. */
    @Override
    public void close() {
        halt(true);
    }

    /**
     * Stops the master and the agents but leaves the tasks running, as Mesos processes that exit
     * do: a cluster started again on the same work dir takes them back (the executors
     * re-subscribe within its re-registration timeout); executors left alone longer give up
     * after their recovery timeout. Simulated agents' tasks go with them.
     */
    public void detach() {
        halt(false);
    }

    private void halt(boolean killTasks) {
        for (Agent agent : agents) {
            if (killTasks) {
                agent.stop();
            } else {
                agent.detach();
            }
        }
        agents.clear();
        if (master != null) {
            master.stop();
        }
        if (server != null) {
            server.close();
        }
        masterTimers.shutdownNow();
        simulatedThread.shutdownNow();
    }

    /**
     * Agent {@code index}'s resources when {@code count} real agents share this host: the same
     * scalars, but its own slice of the ports range, so that two agents never give the same
     * host port to two tasks (on one machine a port can be bound only once).
     */
    static Resources withPortsShare(Resources resources, int index, int count) {
        Ranges all = resources.ranges("ports");
        if (count <= 1 || all.isEmpty()) {
            return resources;
        }
        long per = all.size() / count;
        long from = per * index;
        long to = index == count - 1 ? all.size() : from + per;   // positions [from, to) in the range
        Ranges share = Ranges.EMPTY;
        long position = 0;
        for (long[] span : all.spans()) {
            long length = span[1] - span[0] + 1;
            long lo = Math.max(from, position);
            long hi = Math.min(to, position + length);
            if (lo < hi) {
                share = share.plus(Ranges.of(span[0] + lo - position, span[0] + hi - 1 - position));
            }
            position += length;
        }
        return resources.minus(Resources.of(0, 0, 0, all)).plus(Resources.of(0, 0, 0, share));
    }

    private List<Attribute> attributes(int index) {
        List<Attribute> list = new ArrayList<>(settings.attributes);
        if (!settings.zones.isEmpty()) {
            list.add(Attribute.newBuilder().setName("zone").setType(Protos.Value.Type.TEXT)
                    .setText(Protos.Value.Text.newBuilder().setValue(settings.zones.get(index % settings.zones.size())))
                    .build());
        }
        return list;
    }

    private static int ipAsInt(String ip) {
        String[] o = ip.split("\\.");
        int v = 0;
        for (int i = o.length - 1; i >= 0; i--) {
            v = (v << 8) | (Integer.parseInt(o[i]) & 0xff);
        }
        return v;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static final class Settings {
        String ip = "127.0.0.1";
        int masterPort = 5050;
        int agentPort = 5051;
        int agents = 1;
        int simulatedAgents;
        Resources resources = Resources.of(4, 8192, 20_000, Ranges.of(31000, 32000));
        Resources simulatedResources = Resources.of(8, 32768, 100_000, Ranges.of(31000, 32000));
        List<Attribute> attributes = new ArrayList<>();
        List<String> zones = new ArrayList<>();
        Path workDir = Path.of("var", "localcluster");
        Master.Config masterConfig = Master.Config.defaults();
        Duration registrationTimeout = Duration.ofMinutes(1);
        Duration executorShutdownGrace = Duration.ofSeconds(5);
        Duration updateRetryMin = Duration.ofSeconds(10);
        Duration executorReregistrationTimeout = ProcessAgent.Config.defaults(workDir).executorReregistrationTimeout();

        ProcessAgent.Config agentConfig() {
            return new ProcessAgent.Config(workDir, registrationTimeout, executorShutdownGrace, updateRetryMin,
                    executorReregistrationTimeout);
        }
    }

    /** Settings for a {@link LocalCluster}; the defaults are Mesos's (master 5050, first agent 5051, loopback). */
    public static final class Builder {
        private final Settings s = new Settings();

        public Builder ip(String ip) {
            s.ip = ip;
            return this;
        }

        /** Port 0 picks free ports for the master and every agent (for tests). */
        public Builder freePorts() {
            s.masterPort = 0;
            s.agentPort = 0;
            return this;
        }

        public Builder masterPort(int port) {
            s.masterPort = port;
            return this;
        }

        public Builder agentPort(int firstPort) {
            s.agentPort = firstPort;
            return this;
        }

        public Builder agents(int count) {
            s.agents = count;
            return this;
        }

        public Builder simulatedAgents(int count) {
            s.simulatedAgents = count;
            return this;
        }

        /**
         * Each real agent's resources; with several real agents, each gets its own slice of the
         * ports range (they share this host's ports).
         */
        public Builder resources(Resources r) {
            s.resources = r;
            return this;
        }

        public Builder simulatedResources(Resources r) {
            s.simulatedResources = r;
            return this;
        }

        public Builder attribute(String name, String value) {
            s.attributes.add(Attribute.newBuilder().setName(name).setType(Protos.Value.Type.TEXT)
                    .setText(Protos.Value.Text.newBuilder().setValue(value)).build());
            return this;
        }

        /** Gives agent i the attribute {@code zone:zones[i % n]}. */
        public Builder zones(List<String> zones) {
            s.zones = new ArrayList<>(zones);
            return this;
        }

        public Builder workDir(Path dir) {
            s.workDir = dir;
            return this;
        }

        public Builder heartbeatInterval(Duration d) {
            s.masterConfig = s.masterConfig.withHeartbeatInterval(d);
            return this;
        }

        public Builder allocationInterval(Duration d) {
            s.masterConfig = s.masterConfig.withAllocationInterval(d);
            return this;
        }

        public Builder registrationTimeout(Duration d) {
            s.registrationTimeout = d;
            return this;
        }

        public Builder executorShutdownGrace(Duration d) {
            s.executorShutdownGrace = d;
            return this;
        }

        /**
         * How long, after a restart on the same work dir, an agent waits for the executors still
         * running to re-subscribe before it kills them (Mesos's
         * {@code --executor_reregistration_timeout}).
         */
        public Builder executorReregistrationTimeout(Duration d) {
            s.executorReregistrationTimeout = d;
            return this;
        }

        /** How soon an unacknowledged status update is first resent (Mesos: 10 s, doubling). */
        public Builder updateRetry(Duration d) {
            s.updateRetryMin = d;
            return this;
        }

        public LocalCluster start() throws IOException {
            LocalCluster cluster = new LocalCluster(s);
            try {
                cluster.start();
            } catch (IOException | RuntimeException e) {
                cluster.close();
                throw e;
            }
            return cluster;
        }
    }
}
