package io.remit.bench;

import io.remit.localcluster.LocalCluster;
import io.remit.mesos.scheduler.SchedulerClient;
import io.remit.mesos.scheduler.SchedulerConfig;
import io.remit.mesos.scheduler.SchedulerListener;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * localcluster with N simulated agents (default 1,000): the time from a framework's SUBSCRIBE
 * to it holding offers for every agent, and the heap the cluster holds (used heap after a full
 * GC, with the cluster and its outstanding offers, minus the same before the cluster started).
 *
 * <p>{@code java -Xmx1g -cp bench/target/benchmarks.jar io.remit.bench.SimulatedScale [N]}
 */
public final class SimulatedScale {

    private SimulatedScale() {
    }

    public static void main(String[] args) throws Exception {
        int agents = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        long before = usedHeapAfterGc();
        try (LocalCluster cluster = LocalCluster.builder().freePorts().agents(0).simulatedAgents(agents)
                .workDir(Files.createTempDirectory("remit-bench-scale")).start()) {
            Set<String> offered = ConcurrentHashMap.newKeySet();
            CountDownLatch all = new CountDownLatch(1);
            long[] subscribedAt = new long[1];
            SchedulerListener listener = new SchedulerListener() {
                @Override
                public void received(Event event) {
                    if (event.getType() == Event.Type.OFFERS) {
                        event.getOffers().getOffersList().forEach(o -> offered.add(o.getAgentId().getValue()));
                        if (offered.size() >= agents) {
                            all.countDown();
                        }
                    }
                }

                @Override
                public void disconnected(String reason, boolean resubscribing) {
                }
            };
            SchedulerClient client = new SchedulerClient(SchedulerConfig.builder().master(cluster.masterUrl())
                    .frameworkInfo(Protos.FrameworkInfo.newBuilder().setUser("bench").setName("scale").build())
                    .build(), listener);
            long start = System.nanoTime();
            client.start();
            if (!all.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("offers for only " + offered.size() + " of " + agents + " agents");
            }
            long elapsed = System.nanoTime() - start;
            long after = usedHeapAfterGc();
            System.out.printf("%d simulated agents: SUBSCRIBE -> offers for all of them in %.1f ms; "
                            + "heap held by the cluster (and this client) %.1f MiB%n",
                    agents, elapsed / 1e6, (after - before) / 1024.0 / 1024.0);
            client.close();
        }
    }

    static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
