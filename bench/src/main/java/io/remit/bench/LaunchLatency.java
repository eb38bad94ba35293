package io.remit.bench;

import com.google.protobuf.ByteString;
import io.remit.localcluster.LocalCluster;
import io.remit.mesos.scheduler.SchedulerCalls;
import io.remit.mesos.scheduler.SchedulerClient;
import io.remit.mesos.scheduler.SchedulerConfig;
import io.remit.mesos.scheduler.SchedulerListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * On localcluster with one real agent: the time from sending ACCEPT with a LAUNCH of a
 * {@code sleep} command task to receiving its TASK_RUNNING, over N sequential launches
 * (default 100). Each task is killed once running, so the agent never fills up.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar io.remit.bench.LaunchLatency [N]}
 */
public final class LaunchLatency {

    private LaunchLatency() {
    }

    public static void main(String[] args) throws Exception {
        int launches = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        Path work = Files.createTempDirectory("remit-bench-launch");
        LinkedBlockingQueue<Protos.Offer> offers = new LinkedBlockingQueue<>();
        Map<String, Long> runningAt = new ConcurrentHashMap<>();
        SchedulerClient[] client = new SchedulerClient[1];
        // A short allocation interval only paces the loop (offers come back sooner); the
        // measured path, ACCEPT to TASK_RUNNING, does not wait for an allocation.
        try (LocalCluster cluster = LocalCluster.builder().freePorts().workDir(work)
                .allocationInterval(Duration.ofMillis(20)).start()) {
            SchedulerListener listener = new SchedulerListener() {
                @Override
                public void received(Event event) {
                    long now = System.nanoTime();
                    if (event.getType() == Event.Type.OFFERS) {
                        offers.addAll(event.getOffers().getOffersList());
                    } else if (event.getType() == Event.Type.UPDATE) {
                        Protos.TaskStatus s = event.getUpdate().getStatus();
                        if (s.getState() == Protos.TaskState.TASK_RUNNING) {
                            runningAt.put(s.getTaskId().getValue(), now);
                        }
                        if (s.hasUuid()) {
                            client[0].send(SchedulerCalls.acknowledge(s.getAgentId(), s.getTaskId(), s.getUuid()));
                        }
                    }
                }

                @Override
                public void disconnected(String reason, boolean resubscribing) {
                }
            };
            client[0] = new SchedulerClient(SchedulerConfig.builder().master(cluster.masterUrl())
                    .frameworkInfo(Protos.FrameworkInfo.newBuilder().setUser("bench").setName("launch-latency").build())
                    .build(), listener);
            client[0].start();
            List<Double> millis = new ArrayList<>();
            for (int i = 0; i < launches + 5; i++) {
                Protos.Offer offer = offers.poll(30, TimeUnit.SECONDS);
                if (offer == null) {
                    throw new IllegalStateException("no offer within 30 s");
                }
                String id = "sleep-" + i;
                Protos.TaskInfo task = Protos.TaskInfo.newBuilder().setName(id)
                        .setTaskId(Protos.TaskID.newBuilder().setValue(id))
                        .setAgentId(offer.getAgentId())
                        .addResources(scalar("cpus", 0.01)).addResources(scalar("mem", 8))
                        .setCommand(Protos.CommandInfo.newBuilder().setValue("sleep 1000"))
                        .build();
                long sent = System.nanoTime();
                client[0].send(SchedulerCalls.accept(List.of(offer.getId()), List.of(Protos.Offer.Operation.newBuilder()
                        .setType(Protos.Offer.Operation.Type.LAUNCH)
                        .setLaunch(Protos.Offer.Operation.Launch.newBuilder().addTaskInfos(task)).build()),
                        Duration.ZERO));
                long deadline = sent + TimeUnit.SECONDS.toNanos(30);
                while (!runningAt.containsKey(id)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(id + " not running within 30 s");
                    }
                    Thread.onSpinWait();
                }
                if (i >= 5) { // the first five warm the JVMs up
                    millis.add((runningAt.get(id) - sent) / 1e6);
                }
                client[0].send(SchedulerCalls.kill(task.getTaskId(), offer.getAgentId()));
            }
            client[0].close();
            Collections.sort(millis);
            System.out.printf("ACCEPT -> TASK_RUNNING over %d launches of 'sleep 1000': median %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    millis.size(), percentile(millis, 50), percentile(millis, 99), millis.get(millis.size() - 1));
        }
    }

    static double percentile(List<Double> sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    static Protos.Resource scalar(String name, double value) {
        return Protos.Resource.newBuilder().setName(name).setType(Protos.Value.Type.SCALAR)
                .setScalar(Protos.Value.Scalar.newBuilder().setValue(value)).build();
    }
}
