package io.remit.localcluster;

import io.remit.localcluster.log.LogLayout;
import io.remit.localcluster.resources.ResourceSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar localcluster.jar [options]}: runs a master and agents in the foreground until
 * interrupted. Options mirror the Mesos flags where there is one.
 */
public final class LocalClusterMain {

    private static final Logger LOG = LoggerFactory.getLogger(LocalClusterMain.class);

    private static final String USAGE = """
            Usage: localcluster [options]
              --ip IP                    address to listen on (default 127.0.0.1)
              --port PORT                master port (default 5050)
              --agent-port PORT          first agent's port; agent i listens on PORT+i (default 5051)
              --agents N                 real agents that run processes (default 1)
              --simulated-agents N       agents that run nothing (tasks go straight to TASK_RUNNING)
              --resources SPEC           each real agent's resources, Mesos style
                                         (default cpus:4;mem:8192;disk:20000;ports:[31000-32000]);
                                         with several real agents, each gets an equal slice of
                                         the ports, as they share this host
              --attributes SPEC          attributes of every agent, e.g. rack:r1;os:linux
              --zones a,b,c              gives agent i the attribute zone:<zones[i mod n]>
              --work-dir DIR             where sandboxes, the master's registry and the agents'
                                         checkpoints live (default var/localcluster); a restart on
                                         the same dir keeps the master and agent ids, frameworks,
                                         and the tasks whose executors re-subscribe in time
              --executor-reregistration-timeout SECS
                                         how long a restarted agent waits for running executors
                                         to re-subscribe before killing them (default 10)
              --heartbeat-interval SECS  master heartbeat interval (default 15)
            Signals: SIGTERM or Ctrl-C stops the cluster and leaves its tasks running, for the next start
            on the same work dir to take back (as a Mesos agent that exits); SIGUSR1 stops every task too.
            Environment:
              REMIT_LOG_FORMAT=json      log one JSON object per line (stderr) instead of plain text;
                                         the agents' executors inherit it, as all of this environment
            """;

    private LocalClusterMain() {
    }

    public static void main(String[] args) throws Exception {
        // mesos's protoc 3.5 classes would warn once per type on protobuf 3.25 (as Remit's other
        // JVMs are told on their command lines), and java.util.logging would write it its own way.
        System.setProperty("com.google.protobuf.use_unsafe_pre22_gencode",
                System.getProperty("com.google.protobuf.use_unsafe_pre22_gencode", "true"));
        org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
        LocalCluster.Builder b = LocalCluster.builder();
        String ip = "127.0.0.1";
        String port = "5050";
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                System.out.print(USAGE);
                return;
            }
            if (i + 1 >= args.length) {
                fail("missing value for " + flag);
            }
            String v = args[++i];
            try {
                switch (flag) {
                    case "--ip" -> {
                        b.ip(v);
                        ip = v;
                    }
                    case "--port" -> {
                        b.masterPort(Integer.parseInt(v));
                        port = v;
                    }
                    case "--agent-port" -> b.agentPort(Integer.parseInt(v));
                    case "--agents" -> b.agents(Integer.parseInt(v));
                    case "--simulated-agents" -> b.simulatedAgents(Integer.parseInt(v));
                    case "--resources" -> b.resources(ResourceSpec.parse(v));
                    case "--attributes" -> ResourceSpec.attributes(v).forEach(b::attribute);
                    case "--zones" -> b.zones(List.of(v.split(",")));
                    case "--work-dir" -> b.workDir(Path.of(v));
                    case "--executor-reregistration-timeout" ->
                            b.executorReregistrationTimeout(Duration.ofMillis((long) (Double.parseDouble(v) * 1000)));
                    case "--heartbeat-interval" -> b.heartbeatInterval(Duration.ofMillis((long) (Double.parseDouble(v) * 1000)));
                    default -> fail("unknown option " + flag);
                }
            } catch (IllegalArgumentException e) {
                fail("bad value '" + v + "' for " + flag + ": " + e.getMessage());
            }
        }
        LogLayout.identify(ip + ":" + port);
        LocalCluster cluster = b.start();
        java.net.URI master = java.net.URI.create(cluster.masterUrl());
        LogLayout.identify(master.getHost() + ":" + master.getPort());
        CountDownLatch stopped = new CountDownLatch(1);
        // As with Mesos: SIGTERM or Ctrl-C ends the processes of the cluster and leaves the tasks
        // running, for the next start on the same work dir to take back; SIGUSR1 stops them too.
        java.util.concurrent.atomic.AtomicBoolean stopTasks = new java.util.concurrent.atomic.AtomicBoolean();
        sun.misc.Signal.handle(new sun.misc.Signal("USR1"), signal -> {
            stopTasks.set(true);
            System.exit(0);
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (stopTasks.get()) {
                LOG.info("Stopping localcluster and every task it runs (SIGUSR1)");
                cluster.close();
            } else {
                LOG.info("Stopping localcluster; its tasks keep running, and a start on the same work dir takes them back"
                        + " (SIGUSR1 stops them too)");
                cluster.detach();
            }
            stopped.countDown();
        }, "localcluster-shutdown"));
        System.out.println("localcluster master listening on " + cluster.masterUrl() + " with "
                + cluster.agents().size() + " agent(s): " + Arrays.toString(cluster.agents().stream()
                .map(a -> a.info().getHostname() + ":" + a.info().getPort()).limit(5).toArray()));
        System.out.flush();
        stopped.await();
    }

    private static void fail(String message) {
        System.err.println("localcluster: " + message);
        System.err.print(USAGE);
        System.exit(2);
    }
}
