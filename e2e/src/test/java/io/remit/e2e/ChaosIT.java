package io.remit.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The fault suite: one {@code ./remit local} with fx, schools and payments under steady payment
 * traffic; each scenario injects one fault and then waits for every invariant to hold again
 * (see {@link Invariants}): services back at their healthy count, discovery records equal to the
 * healthy instances, no process left in a sandbox of a task that is gone, the master running
 * exactly those instances, every 201 stored once and no key in flight, and nothing relaunched
 * that Mesos kept running.
 *
 * <p>{@code ./remit test} runs the scenarios marked quick; {@code ./remit chaos} runs them all
 * ({@code -Dremit.chaos=all}). Each scenario's recovery time (fault to every invariant holding)
 * goes to {@code e2e/target/chaos-report.md}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosIT {

    static final List<String> SERVICES = List.of("fx", "schools", "payments");
    static final Duration START = Duration.ofMinutes(5);
    static final Duration RECOVERY = Duration.ofMinutes(3);
    static final boolean ALL = "all".equals(System.getProperty("remit.chaos", "quick"));
    /** Concurrent payment clients in every scenario ({@code ./remit chaos --clients N}). */
    static final int CLIENTS = Integer.getInteger("remit.chaos.clients", 4);
    /**
     * The load run ({@code ./remit chaos --minutes M}): after every scenario has run once, they
     * run again in turn until M minutes have passed since the first began. 0: each runs once.
     */
    static final int MINUTES = Integer.getInteger("remit.chaos.minutes", 0);
    /** Two agents in the full suite, so that one can be marked gone and its instances move to the other. */
    static final int AGENTS = ALL ? 2 : 1;
    /** libfaketime's thread-safe build, as a JVM needs ({@code ./remit chaos} passes where it is). */
    static final Path LIBFAKETIME = Path.of(System.getProperty("remit.libfaketime",
            "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1"));
    static final String REPORT_HEADER = "| scenario | recovery (fault to invariants) | 201s | lost | duplicated | 503s | other errors |\n"
            + "| --- | --- | --- | --- | --- | --- | --- |\n";

    LocalRemit remit;
    StackProcesses processes;
    Invariants invariants;
    Path report;
    /** Every scenario run, in order, for the summary. */
    final List<Row> rows = new ArrayList<>();
    long firstScenarioAt;

    /** One scenario's figures: its payments and how long the stack took to recover. */
    record Row(String scenario, double recoverySeconds, long acknowledged, int lost, int duplicated, long unavailable,
               long otherErrors) {
        String line() {
            return String.format("| %s | %.1f s | %d | %d | %d | %d | %d |%n", scenario, recoverySeconds, acknowledged, lost,
                    duplicated, unavailable, otherErrors);
        }
    }

    @BeforeAll
    void start() throws Exception {
        remit = LocalRemit.start(SERVICES, spec -> {
            ObjectNode health = (ObjectNode) spec.path("healthCheck");
            health.put("interval", "1s").put("timeout", "1s").put("gracePeriod", "120s").put("consecutiveFailures", 3);
            if (AGENTS > 1) {
                // One instance on each agent, as on a cluster of several machines: an agent that
                // goes leaves every service an instance that serves while the other is replaced.
                spec.putArray("constraints").addArray().add("zone").add("GROUP_BY");
            }
        }, AGENTS);
        processes = new StackProcesses(remit.var);
        invariants = new Invariants(remit);
        for (String s : SERVICES) {
            remit.awaitHealthy(s, 2, START);
        }
        report = Path.of("target/chaos-report.md");
        Files.writeString(report, String.format("Fault suite run of %s: %s scenarios, %d payment clients, %d agent(s)%s.%n%n%s",
                java.time.LocalDateTime.now().withNano(0), ALL ? "all" : "the quick", CLIENTS, AGENTS,
                MINUTES > 0 ? ", scenarios in turn for at least " + MINUTES + " minutes" : "", REPORT_HEADER));
        firstScenarioAt = System.nanoTime();
    }

    @AfterAll
    void stop() throws IOException {
        try {
            summarise();
        } finally {
            if (remit != null) {
                remit.close();
            }
        }
    }

    /** Totals over every scenario run, appended to the report, and the report to stdout. */
    private void summarise() throws IOException {
        if (report == null || rows.isEmpty()) {
            return;
        }
        Row total = new Row("**total** (" + rows.size() + " scenario runs in "
                + Math.round((System.nanoTime() - firstScenarioAt) / 60e9) + " min)",
                rows.stream().mapToDouble(Row::recoverySeconds).sum(), rows.stream().mapToLong(Row::acknowledged).sum(),
                rows.stream().mapToInt(Row::lost).sum(), rows.stream().mapToInt(Row::duplicated).sum(),
                rows.stream().mapToLong(Row::unavailable).sum(), rows.stream().mapToLong(Row::otherErrors).sum());
        Files.writeString(report, total.line(), StandardOpenOption.APPEND);
        System.out.println("\n" + Files.readString(report));
    }

    // ---------------------------------------------------------------- scenarios

    @Test
    @Order(1)
    void killOfAPaymentsInstance() throws Exception {
        String task = anyTask("payments");
        scenario("kill -9 of a payments instance", Set.of("payments"),
                () -> StackProcesses.kill9(ProcessHandle.of(servicePid(task)).orElseThrow()));
    }

    @Test
    @Order(2)
    void killOfAnExecutor() throws Exception {
        Assumptions.assumeTrue(ALL, "in ./remit chaos only");
        String task = anyTask("fx");
        scenario("kill -9 of an fx executor", Set.of("fx"),
                () -> StackProcesses.kill9(processes.executor(task).orElseThrow(() -> new AssertionError("no executor for " + task))));
    }

    @Test
    @Order(3)
    void killOfTheScheduler() throws Exception {
        scenario("kill -9 of the scheduler", Set.of(),
                () -> StackProcesses.kill9(processes.scheduler().orElseThrow()));
    }

    @Test
    @Order(4)
    void pauseOfEtcd() throws Exception {
        scenario("etcd paused for 12 s (SIGSTOP, SIGCONT)", Set.of(), () -> {
            ProcessHandle etcd = processes.etcd().orElseThrow();
            StackProcesses.signal(etcd, "STOP");
            try {
                holdPaused(Duration.ofSeconds(12));
            } finally {
                StackProcesses.signal(etcd, "CONT");
            }
        });
    }

    @Test
    @Order(5)
    void killOfEtcd() throws Exception {
        Assumptions.assumeTrue(ALL, "in ./remit chaos only");
        scenario("kill -9 of etcd", Set.of(), () -> StackProcesses.kill9(processes.etcd().orElseThrow()));
    }

    @Test
    @Order(6)
    void killOfPostgres() throws Exception {
        scenario("kill -9 of PostgreSQL's postmaster", Set.of(),
                () -> StackProcesses.kill9(processes.postmaster().orElseThrow()));
    }

    @Test
    @Order(7)
    void killOfLocalcluster() throws Exception {
        Assumptions.assumeTrue(ALL, "in ./remit chaos only");
        scenario("kill -9 of localcluster (master and agent)", Set.of(),
                () -> StackProcesses.kill9(processes.localcluster().orElseThrow()));
    }

    @Test
    @Order(8)
    void sigtermOfLocalcluster() throws Exception {
        Assumptions.assumeTrue(ALL, "in ./remit chaos only");
        // As a Mesos agent stopped for an upgrade: the tasks keep running and re-subscribe to the
        // cluster ./remit local starts again; nothing is relaunched.
        scenario("SIGTERM of localcluster (a clean stop, as for an upgrade)", Set.of(), () -> {
            ProcessHandle cluster = processes.localcluster().orElseThrow();
            StackProcesses.signal(cluster, "TERM");
            cluster.onExit().orTimeout(60, TimeUnit.SECONDS).join();
        });
    }

    @Test
    @Order(9)
    void droppedFrameworkStream() throws Exception {
        scenario("the scheduler's connections to the Mesos master aborted (ss -K)", Set.of(),
                () -> StackProcesses.dropConnectionsTo(remit.masterPort));
    }

    @Test
    @Order(10)
    void executorPausedPastItsLease() throws Exception {
        Assumptions.assumeTrue(ALL, "in ./remit chaos only");
        String task = anyTask("schools");
        scenario("a schools executor paused 15 s, past its 10 s registration lease", Set.of(), () -> {
            ProcessHandle executor = processes.executor(task).orElseThrow();
            StackProcesses.signal(executor, "STOP");
            try {
                holdPaused(Duration.ofSeconds(15));
            } finally {
                StackProcesses.signal(executor, "CONT");
            }
        });
    }

    @Test
    @Order(11)
    void killOfTheLeaderWhileAStandbyRuns() throws Exception {
        Assumptions.assumeTrue(ALL, "in ./remit chaos only");
        Process standby = startStandby();
        try {
            scenario("kill -9 of the leading scheduler, a standby running", Set.of(),
                    () -> StackProcesses.kill9(processes.scheduler().orElseThrow()));
            scenario("kill -9 of the standby scheduler (the one ./remit local started again)", Set.of(),
                    () -> StackProcesses.kill9(processes.scheduler().orElseThrow()));
        } finally {
            standby.destroy();
            standby.waitFor(30, TimeUnit.SECONDS);
            standby.destroyForcibly();
        }
    }

    @Test
    @Order(12)
    void anAgentMarkedGone() throws Exception {
        Assumptions.assumeTrue(ALL, "in ./remit chaos only");
        Map<String, Set<String>> byAgent = masterTasksByAgent();
        Assumptions.assumeTrue(masterAgents().size() >= 2, "needs a second agent for the instances to move to");
        String agent = byAgent.entrySet().stream().filter(e -> e.getValue().stream().anyMatch(t -> t.startsWith("payments.")))
                .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new AssertionError("no agent runs payments: " + byAgent));
        Set<String> moved = new TreeSet<>();
        byAgent.get(agent).forEach(t -> moved.add(t.substring(0, t.indexOf('.'))));
        scenario("an agent marked gone (operator API MARK_AGENT_GONE); its " + moved + " instances move to the other",
                moved, () -> {
                    java.net.http.HttpResponse<String> r = LocalRemit.send(java.net.http.HttpRequest.newBuilder(
                                    java.net.URI.create(master() + "/api/v1")).timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("""
                                    {"type":"MARK_AGENT_GONE","mark_agent_gone":{"agent_id":{"value":"%s"}}}""".formatted(agent)))
                            .build()).orElseThrow(() -> new AssertionError("the master did not answer MARK_AGENT_GONE"));
                    assertThat(r.statusCode()).as("MARK_AGENT_GONE: " + r.body()).isEqualTo(200);
                });
        assertThat(masterAgents()).as("the gone agent is not registered").doesNotContain(agent);
        assertThat(masterTasksByAgent().keySet()).as("nothing runs on the gone agent").doesNotContain(agent);
    }

    @Test
    @Order(13)
    void aWallClockJumpInTheLeader() throws Exception {
        clockJump(false);
    }

    @Test
    @Order(14)
    void aJumpOfBothClocksInTheLeader() throws Exception {
        clockJump(true);
    }

    /**
     * The leading scheduler's clock jumps 120 s ahead, past its 10 s leader lease and its Mesos
     * heartbeat watchdog (5 missed 15 s heartbeats), as an NTP step would make it (the wall clock
     * only) or as if the process had been frozen two minutes without noticing
     * ({@code monotonicToo}: {@code System.nanoTime} jumps as well, so every timer of the JVM
     * falls due at once). The scheduler runs under libfaketime, whose offset file the test
     * rewrites: first a standby under it, then the scheduler {@code ./remit local} started is
     * killed so that the standby leads (started again, that one waits as a standby). A wall-clock
     * step must not even make it re-subscribe to Mesos: every timer it keeps is monotonic.
     */
    private void clockJump(boolean monotonicToo) throws Exception {
        Assumptions.assumeTrue(ALL, "in ./remit chaos only");
        assertThat(LIBFAKETIME).as("libfaketime (./remit chaos installs Debian's faketime)").exists();
        Path offset = remit.var.resolve("faketime-offset");
        Files.writeString(offset, "+0\n");
        Map<String, String> env = new TreeMap<>(Map.of("LD_PRELOAD", LIBFAKETIME.toString(),
                "FAKETIME_TIMESTAMP_FILE", offset.toString(), "FAKETIME_CACHE_DURATION", "1"));
        if (!monotonicToo) {
            env.put("FAKETIME_DONT_FAKE_MONOTONIC", "1");
        }
        // libfaketime 0.9.10 with FAKETIME_DONT_FAKE_MONOTONIC makes every wall-clock read cost
        // some microseconds (its cache seems not to apply then: 2 million System.currentTimeMillis
        // took 9 s instead of 0.04 s here), which slows the scheduler's start to minutes on a busy machine.
        Standby faked = startStandby(monotonicToo ? "scheduler-faketime-both" : "scheduler-faketime-wall", env,
                Duration.ofMinutes(8));
        try {
            StackProcesses.kill9(processes.scheduler().orElseThrow());
            remit.until("the scheduler under libfaketime leads and is subscribed to Mesos", RECOVERY, () -> leadsAndSubscribed(faked.port()));
            String subscribedAt = frameworkReregisteredAt();
            scenario(monotonicToo ? "the leading scheduler's wall and monotonic clocks jump +120 s (libfaketime), past its lease"
                    : "the leading scheduler's wall clock jumps +120 s (libfaketime), past its lease", Set.of(), () -> {
                Files.writeString(offset, "+120\n");
                remit.until("the scheduler's clock is 120 s ahead (its Date header)", Duration.ofSeconds(30),
                        () -> clockAheadSeconds(faked.port()) > 110);
            });
            assertThat(clockAheadSeconds(faked.port())).as("its clock stayed ahead throughout").isGreaterThan(110);
            if (!monotonicToo) {
                assertThat(frameworkReregisteredAt()).as("the master's reregistered_time of the framework: a wall-clock "
                        + "step made the scheduler subscribe again").isEqualTo(subscribedAt);
            }
        } finally {
            faked.stop();
        }
    }

    /** When the framework last subscribed, as the master's /state says ({@code reregistered_time}). */
    private String frameworkReregisteredAt() throws IOException {
        return masterState().path("frameworks").get(0).path("reregistered_time").asText();
    }

    /** Whether the scheduler on {@code port} leads and is subscribed to the master. */
    private boolean leadsAndSubscribed(int port) {
        try {
            java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                            "http://127.0.0.1:" + port + "/v1/leader")).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + remit.credential("REMIT_TOKEN")).GET().build();
            return LocalRemit.send(request).filter(r -> r.statusCode() == 200).map(r -> {
                try {
                    com.fasterxml.jackson.databind.JsonNode n = LocalRemit.JSON.readTree(r.body());
                    return n.path("isLeader").asBoolean() && n.path("subscribed").asBoolean();
                } catch (IOException e) {
                    return false;
                }
            }).orElse(false);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** How far ahead of this machine's clock the scheduler on {@code port} is, from its HTTP Date header. */
    private static long clockAheadSeconds(int port) {
        return LocalRemit.get("http://127.0.0.1:" + (port + 1) + "/ping")
                .flatMap(r -> r.headers().firstValue("Date"))
                .map(d -> java.time.ZonedDateTime.parse(d, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond()
                        - java.time.Instant.now().getEpochSecond())
                .orElse(Long.MIN_VALUE);
    }

    /**
     * The load run: after each scenario ran once above, they run again in turn until
     * {@link #MINUTES} have passed since the first began, each under {@link #CLIENTS} clients.
     * A scenario that cannot run at that point (the agent one with a single agent left) is
     * passed over; any failure ends the run.
     */
    @Test
    @Order(101)
    void loadRun() throws Exception {
        Assumptions.assumeTrue(MINUTES > 0, "only with ./remit chaos --minutes M");
        List<Fault> all = List.of(this::killOfAPaymentsInstance, this::killOfAnExecutor, this::killOfTheScheduler,
                this::pauseOfEtcd, this::killOfEtcd, this::killOfPostgres, this::killOfLocalcluster,
                this::droppedFrameworkStream, this::executorPausedPastItsLease, this::killOfTheLeaderWhileAStandbyRuns,
                this::anAgentMarkedGone, this::aWallClockJumpInTheLeader, this::aJumpOfBothClocksInTheLeader);
        long deadline = firstScenarioAt + TimeUnit.MINUTES.toNanos(MINUTES);
        while (System.nanoTime() - deadline < 0) {
            for (Fault scenario : all) {
                if (System.nanoTime() - deadline >= 0) {
                    break;
                }
                try {
                    scenario.inject();
                } catch (org.opentest4j.TestAbortedException e) {
                    System.out.println("load run: passed over a scenario: " + e.getMessage());
                }
            }
        }
    }

    private String master() {
        return "http://127.0.0.1:" + remit.masterPort;
    }

    private com.fasterxml.jackson.databind.JsonNode masterState() throws IOException {
        return LocalRemit.JSON.readTree(LocalRemit.get(master() + "/state").filter(r -> r.statusCode() == 200)
                .orElseThrow(() -> new IOException("the master's /state does not answer")).body());
    }

    /** The ids of the agents registered with the master. */
    private Set<String> masterAgents() throws IOException {
        Set<String> ids = new TreeSet<>();
        masterState().path("slaves").forEach(a -> ids.add(a.path("id").asText()));
        return ids;
    }

    /** The master's tasks of the services, by agent id. */
    private Map<String, Set<String>> masterTasksByAgent() throws IOException {
        Map<String, Set<String>> out = new TreeMap<>();
        masterState().path("frameworks").forEach(f -> f.path("tasks").forEach(t -> {
            String id = t.path("id").asText();
            if (SERVICES.stream().anyMatch(s -> id.startsWith(s + "."))) {
                out.computeIfAbsent(t.path("slave_id").asText(), k -> new TreeSet<>()).add(id);
            }
        }));
        return out;
    }

    /**
     * A second scheduler on the same etcd and master, as an operator would start one: the run's
     * var/scheduler.yml with other ports.
     */
    private Process startStandby() throws Exception {
        return startStandby("scheduler-standby", Map.of()).process();
    }

    /** A scheduler this suite started: its process and its API port (admin: port + 1). */
    record Standby(Process process, int port) {
        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** A standby named {@code name} (its config and log files), with {@code env} added to its environment. */
    private Standby startStandby(String name, Map<String, String> env) throws Exception {
        return startStandby(name, env, RECOVERY);
    }

    private Standby startStandby(String name, Map<String, String> env, Duration startWithin) throws Exception {
        int port = LocalRemit.freePortPair();
        String config = Files.readString(remit.var.resolve("scheduler.yml"))
                .replace("port: " + remit.schedulerPort, "port: " + port)
                .replace("port: " + (remit.schedulerPort + 1), "port: " + (port + 1))
                .replace("127.0.0.1:" + remit.schedulerPort, "127.0.0.1:" + port);
        Path file = remit.var.resolve(name + ".yml");
        Files.writeString(file, config);
        ProcessBuilder builder = new ProcessBuilder("java", "-jar", remit.root.resolve("scheduler/target/scheduler.jar").toString(),
                "server", file.toString()).directory(remit.root.toFile()).redirectErrorStream(true)
                .redirectOutput(remit.var.resolve("log/" + name + ".log").toFile());
        builder.environment().putAll(env);
        Standby standby = new Standby(builder.start(), port);
        try {
            remit.until("the " + name + " scheduler answers", startWithin, () ->
                    LocalRemit.get("http://127.0.0.1:" + (port + 1) + "/ping").map(r -> r.statusCode() == 200).orElse(false));
        } catch (AssertionError e) {
            standby.stop();
            throw new AssertionError(e.getMessage() + "\nits log:\n" + LocalRemit.tail(remit.var.resolve("log/" + name + ".log"), 20), e);
        }
        return standby;
    }

    // ---------------------------------------------------------------- the frame of every scenario

    interface Fault {
        void inject() throws Exception;
    }

    /**
     * Waits for a healthy stack, starts traffic, injects the fault once some payments went
     * through, then waits until every invariant holds again and more payments went through.
     *
     * @param mayRelaunch services whose instances the fault may replace; every other instance
     *     must keep running under its task id
     */
    void scenario(String name, Set<String> mayRelaunch, Fault fault) throws Exception {
        remit.until("a healthy stack, led by a subscribed scheduler, before: " + name, RECOVERY,
                () -> invariants.leaderSubscribed().isEmpty() && invariants.servicesHealthy(SERVICES).isEmpty());
        Map<String, Set<String>> before = invariants.healthyTasks(SERVICES);
        Supplier<List<String>> urls = () -> remit.urls("payments");
        try (PaymentTraffic traffic = new PaymentTraffic(urls, CLIENTS)) {
            remit.until("payments go through before the fault", Duration.ofMinutes(1), () -> traffic.acknowledged() >= 10);
            long faultAt = System.nanoTime();
            fault.inject();
            int ackedAtFault = traffic.acknowledged();
            List<String> last = new ArrayList<>();
            try {
                remit.until("every invariant holds again after: " + name, RECOVERY, () -> {
                    last.clear();
                    // First a leader that has heard everything Mesos has to say: without it, the
                    // task records of a scheduler that is just taking over can still look healthy.
                    last.addAll(invariants.leaderSubscribed());
                    if (last.isEmpty()) {
                        last.addAll(invariants.servicesHealthy(SERVICES));
                    }
                    if (last.isEmpty()) {
                        last.addAll(invariants.discoveryMatchesHealthy(SERVICES));
                    }
                    if (last.isEmpty()) {
                        last.addAll(invariants.noOrphans(SERVICES));
                    }
                    if (last.isEmpty()) {
                        last.addAll(invariants.masterAgrees(SERVICES));
                    }
                    if (last.isEmpty() && traffic.acknowledged() < ackedAtFault + 10) {
                        last.add("only " + (traffic.acknowledged() - ackedAtFault) + " payments since the fault");
                    }
                    return last.isEmpty();
                });
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nstill failing: " + last + "\n./remit local said:\n"
                        + LocalRemit.tail(remit.var.resolve("remit-local.out"), 15), e);
            }
            double recovery = (System.nanoTime() - faultAt) / 1e9;
            List<String> stuck = traffic.stop(Duration.ofSeconds(90));
            Invariants.PaymentCheck payments = invariants.checkPayments(traffic);
            Row row = new Row(name, recovery, traffic.acknowledged(), payments.lost(), payments.duplicated(),
                    traffic.unavailable(), traffic.otherErrors());
            rows.add(row);
            Files.writeString(report, row.line(), StandardOpenOption.APPEND);
            assertThat(stuck).as("payment keys never answered 201 after the fault").isEmpty();
            assertThat(traffic.refused()).as("payments refused as bad input").isEmpty();
            assertThat(payments.problems()).as("payments as acknowledged").isEmpty();
            Map<String, Set<String>> after = invariants.healthyTasks(SERVICES);
            Map<String, Set<String>> relaunched = new TreeMap<>();
            for (String s : SERVICES) {
                if (!mayRelaunch.contains(s) && !after.get(s).containsAll(before.get(s))) {
                    Set<String> gone = new TreeSet<>(before.get(s));
                    gone.removeAll(after.get(s));
                    relaunched.put(s, gone);
                }
            }
            assertThat(relaunched).as("instances replaced although the fault did not touch them").isEmpty();
        }
    }

    private String anyTask(String service) {
        return remit.instances(service).get(0).taskId();
    }

    private long servicePid(String taskId) {
        try {
            return remit.servicePid(taskId);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The length of a pause fault itself (not a wait for anything). */
    private static void holdPaused(Duration d) {
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(d.toMillis()));
    }
}
