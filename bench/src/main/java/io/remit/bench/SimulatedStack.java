package io.remit.bench;

import io.remit.localcluster.LocalCluster;
import io.remit.localcluster.resources.ResourceSpec;
import io.remit.testkit.EtcdServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the end-to-end drivers measure against: a private etcd, localcluster with simulated agents
 * (whose tasks report healthy at once) and a scheduler process leading and subscribed, in a new
 * temporary folder. Closing stops them in reverse order.
 */
final class SimulatedStack implements AutoCloseable {

    final EtcdServer etcd;
    final LocalCluster cluster;
    final SchedulerProcess scheduler;

    private SimulatedStack(EtcdServer etcd, LocalCluster cluster, SchedulerProcess scheduler) {
        this.etcd = etcd;
        this.cluster = cluster;
        this.scheduler = scheduler;
    }

    /** {@code agents} simulated agents with {@code resources} each (Mesos text form). */
    static SimulatedStack start(String name, int agents, String resources) throws Exception {
        Path work = Files.createTempDirectory("remit-bench-" + name);
        Path specs = Files.createDirectories(work.resolve("specs"));
        EtcdServer etcd = EtcdServer.start();
        LocalCluster cluster = null;
        SchedulerProcess scheduler = null;
        try {
            cluster = LocalCluster.builder().freePorts().agents(0).simulatedAgents(agents)
                    .simulatedResources(ResourceSpec.parse(resources)).workDir(work.resolve("cluster")).start();
            scheduler = SchedulerProcess.start(etcd.endpoint(), cluster.masterUrl(), work.resolve("var"), specs);
            scheduler.awaitLeading(Duration.ofSeconds(60));
            return new SimulatedStack(etcd, cluster, scheduler);
        } catch (Exception | Error e) {
            closeQuietly(scheduler, cluster, etcd);
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        closeQuietly(scheduler, cluster, etcd);
    }

    private static void closeQuietly(AutoCloseable... parts) {
        for (AutoCloseable part : parts) {
            if (part != null) {
                try {
                    part.close();
                } catch (Exception e) {
                    System.err.println("closing " + part + ": " + e);
                }
            }
        }
    }
}
