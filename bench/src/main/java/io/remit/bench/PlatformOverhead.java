package io.remit.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.localcluster.LocalCluster;
import io.remit.localcluster.resources.Ranges;
import io.remit.localcluster.resources.Resources;
import io.remit.registry.discovery.DiscoveryCache;
import io.remit.registry.discovery.Instance;
import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.EtcdSettings;
import io.remit.testkit.EtcdServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What Remit adds to starting a service, in one run on one machine:
 *
 * <ol>
 *   <li>baseline: {@code java -jar hello.jar server config.yml} started directly (same rendered
 *       config and JVM flags the executor would use), timed from process start to its admin
 *       {@code /healthcheck} answering 200;
 *   <li>through Remit: the real scheduler process, localcluster with one real agent, etcd, the
 *       real executor; timed from {@code POST /v1/services} of a one-instance hello spec (health
 *       checks every 200 ms) to the instance being both HEALTHY in {@code /v1/services/hello}
 *       and in etcd under {@code /remit/discovery/hello/} as a {@link DiscoveryCache} sees it.
 *       The service is deleted, and its processes gone, between repeats. Twice per round when
 *       the build made the executor's class data sharing archive: with it in the scheduler's
 *       artifacts, and without it.
 * </ol>
 *
 * The runs are interleaved (a direct start, then each Remit launch, in every round) so that all
 * kinds see the same machine; the overhead is (2) - (1), medians. Each Remit run is broken into
 * phases from the timestamps in every process's log ({@link LaunchTimeline}); then the artifact
 * downloads and a bare executor JVM start are timed alone. One warm-up round comes first and is
 * reported apart.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar io.remit.bench.PlatformOverhead [repeats=5] [healthIntervalMs=200]}
 * from the repository root (it starts {@code scheduler/target/scheduler.jar} and needs
 * {@code executors/target/remit-executor.jar} and {@code services/hello/target/hello.jar}).
 * Everything binds to 127.0.0.1; everything started is stopped by pid at the end.
 */
public final class PlatformOverhead {

    private static final Path EXECUTOR_JAR = Path.of("executors/target/remit-executor.jar");
    /** remit-executor-<the jar's SHA-256>.jsa, as the build names it, or null. */
    private static final Path EXECUTOR_ARCHIVE = executorArchive();

    private static Path executorArchive() {
        try (var files = Files.list(EXECUTOR_JAR.getParent())) {
            return files.filter(f -> f.getFileName().toString().matches("remit-executor-[0-9a-f]{64}\\.jsa")).findFirst()
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }
    private static final Duration LAUNCH_TIMEOUT = Duration.ofSeconds(120);

    private PlatformOverhead() {
    }

    public static void main(String[] args) throws Exception {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Duration interval = Duration.ofMillis(args.length > 1 ? Long.parseLong(args[1]) : 200);
        HelloService hello = HelloService.fromRepository(interval);
        Path work = Files.createTempDirectory("remit-bench-overhead");
        LogTap tap = LogTap.install();
        System.out.printf("work dir %s; load %s%n", work, load());
        try (EtcdServer etcd = EtcdServer.start()) {
            interleaved(hello, work, etcd, tap, repeats);
        } finally {
            deleteJars(work);
        }
    }

    /** Deletes the copies of the jars (about 50 MB per sandbox) and keeps the logs for reading. */
    static void deleteJars(Path work) throws IOException {
        try (var files = Files.walk(work)) {
            for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).toList()) {
                Files.deleteIfExists(jar);
            }
        }
        System.out.printf("logs kept under %s%n", work);
    }

    // ---------------------------------------------------------------- the runs

    /**
     * Each round: one direct start, then one launch through Remit per executor kind (with its class
     * data sharing archive, and without), so that all of them see the same machine.
     */
    private static void interleaved(HelloService hello, Path work, EtcdServer etcdServer, LogTap tap, int repeats)
            throws Exception {
        System.out.printf("%n== direct: %s -jar hello.jar server config.yml, process start -> admin /healthcheck 200%n"
                + "== through Remit: POST /v1/services -> HEALTHY in the API and in discovery%n",
                String.join(" ", hello.jvmFlags()));
        Path var = Files.createDirectories(work.resolve("var"));
        Path artifacts = Files.createDirectories(var.resolve("artifacts"));
        Files.copy(EXECUTOR_JAR, artifacts.resolve("remit-executor.jar"));
        Path archive = EXECUTOR_ARCHIVE == null ? null : artifacts.resolve(EXECUTOR_ARCHIVE.getFileName());
        // "late start": a secret env value keeps the launch spec out of the executor's environment,
        // so it starts the service only after LAUNCH.
        List<String> kinds = EXECUTOR_ARCHIVE != null
                ? List.of("archive", "archive, late start", "no archive") : List.of("no archive", "late start");
        System.out.printf("  executor kinds: %s%n", kinds);
        Files.copy(HelloService.JAR, artifacts.resolve("hello.jar"));
        Path noSpecs = Files.createDirectories(work.resolve("no-specs"));
        Map<String, Long> seenNanos = new ConcurrentHashMap<>();
        Map<String, Instant> seenAt = new ConcurrentHashMap<>();
        Set<Long> started = ConcurrentHashMap.newKeySet();
        List<Double> direct = new ArrayList<>();
        Map<String, List<Double>> millis = new LinkedHashMap<>();
        Map<String, List<Double>> cpu = new LinkedHashMap<>();
        Map<String, Map<String, List<Long>>> phaseMillis = new LinkedHashMap<>();
        // Ports 24000-24999, not Mesos's 31000-32000: other test runs on a shared machine take those.
        Resources agent = Resources.of(4, 8192, 20_000, Ranges.of(24_000, 24_999));
        try (LocalCluster cluster = LocalCluster.builder().freePorts().agents(1).resources(agent)
                .workDir(work.resolve("cluster")).start();
             SchedulerProcess scheduler = SchedulerProcess.start(etcdServer.endpoint(), cluster.masterUrl(), var, noSpecs);
             Etcd etcd = Etcd.connect(EtcdSettings.of(etcdServer.endpoint()));
             DiscoveryCache cache = new DiscoveryCache(etcd, hello.id()).start()) {
            System.out.printf("  scheduler pid %d at %s (log %s), master %s%n", scheduler.pid(), scheduler.url(),
                    scheduler.log(), cluster.masterUrl());
            scheduler.awaitLeading(Duration.ofSeconds(60));
            if (!cache.awaitReady(Duration.ofSeconds(10))) {
                throw new IllegalStateException("the DiscoveryCache did not get its first snapshot");
            }
            cache.subscribe(instances -> {
                long now = System.nanoTime();
                Instant wall = Instant.now();
                for (Instance instance : instances) {
                    if (seenAt.putIfAbsent(instance.taskId(), wall) == null) {
                        seenNanos.put(instance.taskId(), now); // second: a reader that sees it finds seenAt too
                    }
                }
            });
            try {
                for (int i = 0; i <= repeats; i++) {
                  String round = i == 0 ? "warm-up" : "run " + i;
                  Thread.sleep(1000); // let the previous run's teardown settle
                  HelloService.DirectStart run = hello.startDirectly(work, etcdServer.endpoint(), EtcdServer.freePort(),
                          EtcdServer.freePort());
                  System.out.printf("  %s direct %.0f ms (pid %d)%n", round, run.millis(), run.pid());
                  if (i > 0) {
                      direct.add(run.millis());
                  }
                  for (String kind : kinds) {
                    if (kind.startsWith("archive")) {
                        Files.copy(EXECUTOR_ARCHIVE, archive, StandardCopyOption.REPLACE_EXISTING);
                    } else if (archive != null) {
                        Files.deleteIfExists(archive);
                    }
                    Thread.sleep(1000);
                    Instant postedAt = Instant.now();
                    long posted = System.nanoTime();
                    HttpResponse<String> created = scheduler.post("/v1/services",
                            kind.endsWith("late start") ? hello.jsonWithASecret() : hello.json());
                    if (created.statusCode() != 201) {
                        throw new IllegalStateException("POST answered " + created.statusCode() + ": " + created.body());
                    }
                    long apiHealthy = awaitHealthy(scheduler, hello.id());
                    Instant apiHealthyAt = Instant.now();
                    String taskId = healthyTask(scheduler, hello.id());
                    long discovered = awaitSeen(seenNanos, taskId);
                    double total = (Math.max(apiHealthy, discovered) - posted) / 1e6;
                    LaunchTimeline t = LaunchTimeline.read(taskId, postedAt, seenAt.get(taskId), apiHealthyAt,
                            scheduler.log(), tap);
                    double executorCpu = cpuMillis(t.executorPid());
                    String executorThreads = busiestThreads(t.executorPid(), 6);
                    started.add(t.executorPid());
                    started.add(t.servicePid());
                    tearDown(scheduler, hello.id(), cache, t);
                    // again, now that the executor has exited and its log is complete
                    t = LaunchTimeline.read(taskId, postedAt, seenAt.get(taskId), apiHealthyAt, scheduler.log(), tap);
                    System.out.printf("  %s %s %.0f ms (API healthy at +%.0f ms, in discovery at +%.0f ms; executor CPU so far "
                            + "%.0f ms) task %s%n", round, kind, total, (apiHealthy - posted) / 1e6, (discovered - posted) / 1e6,
                            executorCpu, taskId);
                    System.out.println("      executor threads by CPU so far: " + executorThreads);
                    if (i > 0) {
                        cpu.computeIfAbsent(kind, k -> new ArrayList<>()).add(executorCpu);
                    }
                    for (LaunchTimeline.Phase p : t.phases()) {
                        System.out.println("      " + p);
                        if (i > 0 && p.millis() != null) {
                            phaseMillis.computeIfAbsent(kind, k -> new LinkedHashMap<>())
                                    .computeIfAbsent(p.name(), k -> new ArrayList<>()).add(p.millis());
                        }
                    }
                    if (!t.startedBeforeHealthy()) {
                        throw new IllegalStateException("the executor saw " + taskId + " healthy before its own Jetty "
                                + "started: another process answered on its admin port; see " + t.sandbox().orElse(null));
                    }
                    if (i > 0) {
                        millis.computeIfAbsent(kind, k -> new ArrayList<>()).add(total);
                    }
                  }
                }
            } finally {
                for (long pid : started) { // what the agent started, should anything have outlived the cluster
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
            Latencies d = Latencies.of(direct);
            System.out.printf("%n  direct: median %.0f ms, min %.0f, max %.0f%n", d.median(), d.min(), d.max());
            for (String kind : kinds) {
                Latencies l = Latencies.of(millis.get(kind));
                System.out.printf("  through Remit, %s: median %.0f ms, min %.0f, max %.0f%n", kind, l.median(), l.min(),
                        l.max());
                System.out.printf("    executor CPU from its start to healthy: median %.0f ms%n", Latencies.of(cpu.get(kind)).median());
                System.out.println("    median per phase:");
                phaseMillis.get(kind).forEach((name, values) -> System.out.printf("      %-58s %d ms%n", name,
                        (long) Latencies.of(values.stream().map(Long::doubleValue).toList()).median()));
            }
            isolatedCosts(scheduler, work);
            System.out.println();
            for (String kind : kinds) {
                double remit = Latencies.of(millis.get(kind)).median();
                List<Double> paired = new ArrayList<>();
                for (int i = 0; i < direct.size(); i++) {
                    paired.add(millis.get(kind).get(i) - direct.get(i));
                }
                System.out.printf("== overhead, executor %s (medians of %d): %.0f ms through Remit - %.0f ms direct = %.0f ms; "
                        + "median of the rounds' own differences %.0f ms (target < 1000 ms)%n", kind, repeats, remit,
                        d.median(), remit - d.median(), Latencies.of(paired).median());
            }
            System.out.printf("   load %s%n", load());
        }
    }

    /**
     * Polls {@code /v1/services/<id>} every 50 ms (more often would load the scheduler on a small
     * machine); the nanoTime of the first answer with healthy == 1.
     */
    private static long awaitHealthy(SchedulerProcess scheduler, String id) throws Exception {
        long deadline = System.nanoTime() + LAUNCH_TIMEOUT.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = scheduler.get("/v1/services/" + id);
            if (last != null && last.path("status").path("healthy").asInt() >= 1) {
                return System.nanoTime();
            }
            if (last != null && "crash-looping".equals(last.path("status").path("state").asText())) {
                break;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(id + " not healthy within " + LAUNCH_TIMEOUT + "; last " + last);
    }

    private static String healthyTask(SchedulerProcess scheduler, String id) throws Exception {
        for (JsonNode t : scheduler.get("/v1/services/" + id + "/instances")) {
            if ("HEALTHY".equals(t.path("state").asText())) {
                return t.path("taskId").asText();
            }
        }
        throw new IllegalStateException("no HEALTHY instance of " + id + " listed");
    }

    private static long awaitSeen(Map<String, Long> seenNanos, String taskId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!seenNanos.containsKey(taskId)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(taskId + " never appeared under /remit/discovery/");
            }
            Thread.sleep(1);
        }
        return seenNanos.get(taskId);
    }

    /** DELETE the service and wait until its record is gone and its executor and service JVMs have exited. */
    private static void tearDown(SchedulerProcess scheduler, String id, DiscoveryCache cache, LaunchTimeline t)
            throws Exception {
        HttpResponse<String> deleted = scheduler.delete("/v1/services/" + id);
        if (deleted.statusCode() != 204) {
            throw new IllegalStateException("DELETE answered " + deleted.statusCode() + ": " + deleted.body());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!cache.instances().isEmpty() || alive(t.executorPid()) || alive(t.servicePid())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("instance of " + id + " still there 60 s after DELETE");
            }
            Thread.sleep(50);
        }
    }

    private static boolean alive(long pid) {
        return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    // ---------------------------------------------------------------- suspects, timed alone

    /**
     * The agent's per-instance artifact download from the scheduler's {@code /artifacts} and a bare
     * executor JVM start (it exits at once when not started by an agent); three times each.
     */
    private static void isolatedCosts(SchedulerProcess scheduler, Path work) throws Exception {
        System.out.println("  suspects timed alone (median of 3):");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (String name : List.of("remit-executor.jar", "hello.jar")) {
            List<Double> ms = new ArrayList<>();
            long bytes = 0;
            for (int i = 0; i < 3; i++) {
                Path target = work.resolve("fetch-" + i + "-" + name);
                long start = System.nanoTime();
                HttpResponse<Path> r = http.send(HttpRequest.newBuilder(URI.create(scheduler.url() + "/artifacts/" + name))
                        .build(), HttpResponse.BodyHandlers.ofFile(target));
                ms.add((System.nanoTime() - start) / 1e6);
                bytes = Files.size(r.body());
                Files.delete(target);
            }
            System.out.printf("      GET /artifacts/%-20s %.1f MB  %.0f ms%n", name, bytes / 1e6, Latencies.of(ms).median());
        }
        List<Double> jvm = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            Process p = new ProcessBuilder("java", "-Xmx48m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar",
                    EXECUTOR_JAR.toAbsolutePath().toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            jvm.add((System.nanoTime() - start) / 1e6);
        }
        System.out.printf("      bare executor JVM start to exit (no agent)   %.0f ms%n", Latencies.of(jvm).median());
    }

    /** User and system CPU of a live process, from /proc; NaN when it cannot be read. */
    static double cpuMillis(long pid) {
        try {
            return cpuMillis(Path.of("/proc/" + pid + "/stat"));
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** User and system CPU from a /proc {@code stat} file, of a process or of one of its threads. */
    private static double cpuMillis(Path stat) throws IOException {
        String text = Files.readString(stat);
        String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000.0 / 100; // USER_HZ is 100 on Linux
    }

    /** The {@code n} threads of a live process that used the most CPU, e.g. {@code C1 CompilerThre 420 ms}. */
    static String busiestThreads(long pid, int n) {
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            Map<String, Double> byName = new java.util.HashMap<>();
            for (Path task : tasks.toList()) {
                try {
                    byName.merge(Files.readString(task.resolve("comm")).strip(), cpuMillis(task.resolve("stat")), Double::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
            return byName.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(n)
                    .map(e -> String.format("%s %.0f ms", e.getKey(), e.getValue()))
                    .collect(java.util.stream.Collectors.joining(", "));
        } catch (IOException e) {
            return "?";
        }
    }

    static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }
}
