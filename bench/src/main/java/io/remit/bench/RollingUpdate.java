package io.remit.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.remit.localcluster.LocalCluster;
import io.remit.localcluster.resources.Ranges;
import io.remit.localcluster.resources.Resources;
import io.remit.testkit.EtcdServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Issue 10: a rolling update of {@code n} instances with health gating, against its floor. The
 * real scheduler process, localcluster with one real agent, etcd, the real executor and the
 * stand-in hello service ({@code configs/examples/hello.yml}, health checks every 500 ms), as
 * {@link PlatformOverhead} runs them.
 *
 * <p>For each {@code maxSurge} (with {@code maxUnavailable: 0}) a new version is PUT and timed to:
 * every new instance HEALTHY, no old instance left active (the last one being drained), and the
 * deployment {@code succeeded}. The floor is one instance's start to healthy times the batches,
 * {@code ceil(n / maxSurge)}, and the figure total / floor. One instance's start to healthy is
 * taken two ways: the median of the update's own new instances, from appearing in the API
 * (launched) to HEALTHY, which saw the same load at the same moments (the figure); and one
 * instance alone, scaled from {@code n} to {@code n + 1} just before and just after the update
 * (PUT -> the extra instance HEALTHY), which on a shared machine swings with the load between
 * those moments.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar io.remit.bench.RollingUpdate [n=10] [maxSurges=1,2] [floorSamples=3]}
 * from the repository root (it needs {@code scheduler/target/scheduler.jar},
 * {@code executors/target/remit-executor.jar} and {@code services/hello/target/hello.jar}).
 * Everything binds to 127.0.0.1; what it starts is stopped by pid at the end.
 */
public final class RollingUpdate {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EXECUTOR_JAR = Path.of("executors/target/remit-executor.jar");
    private static final Duration TIMEOUT = Duration.ofMinutes(15);
    private static final Set<String> ACTIVE = Set.of("PENDING", "LAUNCHED", "STARTING", "RUNNING_UNHEALTHY", "HEALTHY");

    private RollingUpdate() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int[] surges = Arrays.stream((args.length > 1 ? args[1] : "1,2").split(",")).mapToInt(Integer::parseInt).toArray();
        int samples = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        HelloService hello = HelloService.fromRepository(Duration.ofMillis(500));
        Path work = Files.createTempDirectory("remit-bench-rolling");
        System.out.printf("work dir %s; load %s%n", work, PlatformOverhead.load());
        Path var = Files.createDirectories(work.resolve("var"));
        Path artifacts = Files.createDirectories(var.resolve("artifacts"));
        Files.copy(EXECUTOR_JAR, artifacts.resolve("remit-executor.jar"));
        try (var files = Files.list(EXECUTOR_JAR.getParent())) { // the executor's class data sharing archive, if built
            for (Path f : files.filter(f -> f.getFileName().toString().matches("remit-executor-[0-9a-f]{64}\\.jsa")).toList()) {
                Files.copy(f, artifacts.resolve(f.getFileName()));
            }
        }
        Files.copy(HelloService.JAR, artifacts.resolve("hello.jar"));
        Path noSpecs = Files.createDirectories(work.resolve("no-specs"));
        // 4 cpus, 8 GB: n + maxSurge instances of 0.2 cpus and 256 MB (and their executors) fit.
        // Task ports from a block of its own, away from Mesos's 31000-32000 and the other drivers'.
        int ports = 25_000 + 1000 * java.util.concurrent.ThreadLocalRandom.current().nextInt(5);
        Resources agent = Resources.of(4, 8192, 20_000, Ranges.of(ports, ports + 999));
        List<String> results = new ArrayList<>();
        try (EtcdServer etcd = EtcdServer.start();
             LocalCluster cluster = LocalCluster.builder().freePorts().agents(1).resources(agent)
                     .workDir(work.resolve("cluster")).start();
             SchedulerProcess scheduler = startLeading(etcd, cluster, var, noSpecs)) {
            ObjectNode spec = (ObjectNode) JSON.readTree(hello.json());
            spec.put("instances", n);
            spec.put("version", "1");
            // n JVMs starting at once on a small machine take far longer than one: a long grace
            // period, and a few failed checks tolerated once healthy.
            ((ObjectNode) spec.get("healthCheck")).put("gracePeriod", "180s").put("consecutiveFailures", 5);
            HttpResponse<String> created = scheduler.post("/v1/services", JSON.writeValueAsString(spec));
            if (created.statusCode() != 201) {
                throw new IllegalStateException("POST answered " + created.statusCode() + ": " + created.body());
            }
            awaitInstances(scheduler, "1", n);
            int version = 1;
            for (int surge : surges) {
                spec.set("deployment", JSON.readTree("{\"strategy\":\"rolling\",\"maxSurge\":" + surge
                        + ",\"maxUnavailable\":0,\"progressDeadline\":\"5m\"}"));
                List<Double> unit = new ArrayList<>();
                for (int i = 0; i < samples; i++) {
                    unit.add(scaleUpMillis(scheduler, spec, n, String.valueOf(version)));
                }
                version++;
                Rolled r = roll(scheduler, spec, n, String.valueOf(version - 1), String.valueOf(version));
                for (int i = 0; i < samples; i++) {
                    unit.add(scaleUpMillis(scheduler, spec, n, String.valueOf(version)));
                }
                // The floor's unit, two ways: the update's own new instances, launch to healthy
                // (the same moments, so the same load); and one instance alone, scaled up around it.
                double own = r.ownStarts.median();
                double alone = Latencies.of(unit).median();
                int batches = (n + surge - 1) / surge;
                String line = String.format("maxSurge %d, maxUnavailable 0, %d instances, %d batches: all new healthy %.1f s, "
                                + "no old one left active %.1f s, deployment succeeded %.1f s; one instance launch to healthy "
                                + "(median of the update's own %d) %.0f ms (%.0f-%.0f): floor %.1f s, ratio %.2fx (old gone %.2fx, "
                                + "succeeded %.2fx); their sum %.1f s; one instance alone (scale-up, median of %d) %.0f ms "
                                + "(%.0f-%.0f): floor %.1f s, ratio %.2fx; load %s",
                        surge, n, batches, r.allNewHealthyMillis / 1000, r.oldGoneMillis / 1000, r.succeededMillis / 1000,
                        r.ownStarts.count(), own, r.ownStarts.min(), r.ownStarts.max(), own * batches / 1000,
                        r.allNewHealthyMillis / (own * batches), r.oldGoneMillis / (own * batches),
                        r.succeededMillis / (own * batches), r.ownStarts.sortedMillis().stream().mapToDouble(d -> d).sum() / 1000,
                        unit.size(), alone, Latencies.of(unit).min(), Latencies.of(unit).max(), alone * batches / 1000,
                        r.allNewHealthyMillis / (alone * batches), PlatformOverhead.load());
                System.out.println("== " + line);
                results.add(line);
            }
            scheduler.delete("/v1/services/" + hello.id());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!sandboxProcesses(work).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(200); // the instances drain and stop
            }
        } finally {
            stopSandboxProcesses(work);
            PlatformOverhead.deleteJars(work);
        }
        System.out.println();
        results.forEach(l -> System.out.println("== " + l));
    }

    /**
     * A scheduler that leads; up to three tries, because on a loaded machine its start can fail
     * on etcd answering its announcement later than 5 s (then it exits).
     */
    private static SchedulerProcess startLeading(EtcdServer etcd, LocalCluster cluster, Path var, Path specs) throws Exception {
        for (int attempt = 1; ; attempt++) {
            SchedulerProcess scheduler = SchedulerProcess.start(etcd.endpoint(), cluster.masterUrl(), var, specs);
            System.out.printf("scheduler pid %d at %s (log %s)%n", scheduler.pid(), scheduler.url(), scheduler.log());
            try {
                scheduler.awaitLeading(Duration.ofSeconds(90));
                return scheduler;
            } catch (IllegalStateException e) {
                scheduler.close();
                if (attempt == 3) {
                    throw e;
                }
                System.out.println("  the scheduler did not start (" + e.getMessage() + "); again");
                Files.move(scheduler.log(), scheduler.log().resolveSibling("scheduler-" + attempt + ".out"));
            }
        }
    }

    /** Stops what still runs in a sandbox under {@code work} (executors and services this run started), by pid. */
    private static void stopSandboxProcesses(Path work) {
        sandboxProcesses(work).forEach(ProcessHandle::destroyForcibly);
    }

    /** The processes whose working directory is under {@code work}: the executors and services of this run. */
    private static List<ProcessHandle> sandboxProcesses(Path work) {
        Path real = work.toAbsolutePath();
        return ProcessHandle.allProcesses().filter(p -> {
            try {
                return Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "cwd")).startsWith(real);
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }).toList();
    }

    /** The milliseconds from PUT with {@code n + 1} instances to the extra one HEALTHY; then back to {@code n}. */
    private static double scaleUpMillis(SchedulerProcess scheduler, ObjectNode spec, int n, String version) throws Exception {
        long start = System.nanoTime();
        put(scheduler, spec.deepCopy().put("instances", n + 1));
        awaitInstances(scheduler, version, n + 1);
        double millis = (System.nanoTime() - start) / 1e6;
        put(scheduler, spec);
        awaitInstances(scheduler, version, n);
        return millis;
    }

    record Rolled(double allNewHealthyMillis, double oldGoneMillis, double succeededMillis, Latencies ownStarts) {
    }

    /** PUT of version {@code to} and the times to every new instance healthy, the old gone, the deployment succeeded. */
    private static Rolled roll(SchedulerProcess scheduler, ObjectNode spec, int n, String from, String to) throws Exception {
        long start = System.nanoTime();
        put(scheduler, spec.put("version", to));
        double allNew = -1;
        double oldGone = -1;
        Map<String, Double> healthyAt = new HashMap<>();
        Map<String, Double> seenAt = new HashMap<>();
        long deadline = start + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode instances = scheduler.get("/v1/services/hello/instances");
            double now = (System.nanoTime() - start) / 1e6;
            int healthyNew = 0;
            int activeOld = 0;
            for (JsonNode i : instances) {
                String state = i.path("state").asText();
                String id = i.path("taskId").asText();
                if (i.path("version").asText().equals(to)) {
                    seenAt.putIfAbsent(id, now);
                    if (state.equals("HEALTHY")) {
                        healthyAt.putIfAbsent(id, now);
                        healthyNew++;
                    }
                } else if (ACTIVE.contains(state)) {
                    activeOld++;
                }
            }
            if (allNew < 0 && healthyNew >= n) {
                allNew = now;
            }
            if (oldGone < 0 && allNew >= 0 && activeOld == 0) {
                oldGone = now;
            }
            if (oldGone >= 0) {
                JsonNode d = scheduler.get("/v1/deployments?service=hello").get(0);
                if (d.path("to").path("version").asText().equals(to) && d.path("state").asText().equals("succeeded")) {
                    List<Double> own = new ArrayList<>();
                    healthyAt.forEach((id, at) -> own.add(at - seenAt.get(id)));
                    return new Rolled(allNew, oldGone, (System.nanoTime() - start) / 1e6, Latencies.of(own));
                }
                if (d.path("state").asText().matches("failed|rolling-back|rolled-back|aborted")) {
                    throw new IllegalStateException("the deployment " + d.path("state").asText() + ": " + d.path("reason").asText());
                }
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the rolling update from " + from + " to " + to + " did not end within " + TIMEOUT);
    }

    private static void put(SchedulerProcess scheduler, ObjectNode spec) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(scheduler.url() + "/v1/services/" + spec.path("id").asText()))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(spec))).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("PUT answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** Waits until exactly {@code count} instances are active, all of {@code version} and HEALTHY, and none is being killed. */
    private static void awaitInstances(SchedulerProcess scheduler, String version, int count) throws Exception {
        scheduler.await("/v1/services/hello/instances", list -> {
            int healthy = 0;
            int active = 0;
            for (JsonNode i : list) {
                String state = i.path("state").asText();
                if (state.equals("KILLING")) {
                    return false;
                }
                if (ACTIVE.contains(state)) {
                    active++;
                    if (state.equals("HEALTHY") && i.path("version").asText().equals(version)) {
                        healthy++;
                    }
                }
            }
            return healthy == count && active == count;
        }, TIMEOUT);
    }
}
