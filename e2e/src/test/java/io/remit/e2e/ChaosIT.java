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

    LocalRemit remit;
    StackProcesses processes;
    Invariants invariants;
    Path report;

    @BeforeAll
    void start() throws Exception {
        remit = LocalRemit.start(SERVICES, spec -> {
            ObjectNode health = (ObjectNode) spec.path("healthCheck");
            health.put("interval", "1s").put("timeout", "1s").put("gracePeriod", "120s").put("consecutiveFailures", 3);
        });
        processes = new StackProcesses(remit.var);
        invariants = new Invariants(remit);
        for (String s : SERVICES) {
            remit.awaitHealthy(s, 2, START);
        }
        report = Path.of("target/chaos-report.md");
        if (!Files.exists(report)) {
            Files.writeString(report, "| scenario | recovery (fault to invariants) | 201s | 503s | other retries |\n| --- | --- | --- | --- | --- |\n");
        }
    }

    @AfterAll
    void stop() {
        if (remit != null) {
            remit.close();
        }
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
    void droppedFrameworkStream() throws Exception {
        scenario("the scheduler's connections to the Mesos master aborted (ss -K)", Set.of(),
                () -> StackProcesses.dropConnectionsTo(remit.masterPort));
    }

    @Test
    @Order(9)
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
    @Order(10)
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

    /**
     * A second scheduler on the same etcd and master, as an operator would start one: the run's
     * var/scheduler.yml with other ports.
     */
    private Process startStandby() throws Exception {
        int port = LocalRemit.freePortPair();
        String config = Files.readString(remit.var.resolve("scheduler.yml"))
                .replace("port: " + remit.schedulerPort, "port: " + port)
                .replace("port: " + (remit.schedulerPort + 1), "port: " + (port + 1))
                .replace("127.0.0.1:" + remit.schedulerPort, "127.0.0.1:" + port);
        Path file = remit.var.resolve("scheduler-standby.yml");
        Files.writeString(file, config);
        Process p = new ProcessBuilder("java", "-jar", remit.root.resolve("scheduler/target/scheduler.jar").toString(),
                "server", file.toString()).directory(remit.root.toFile()).redirectErrorStream(true)
                .redirectOutput(remit.var.resolve("log/scheduler-standby.log").toFile()).start();
        remit.until("the standby scheduler answers", Duration.ofMinutes(2), () ->
                LocalRemit.get("http://127.0.0.1:" + (port + 1) + "/ping").map(r -> r.statusCode() == 200).orElse(false));
        return p;
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
        remit.until("a healthy stack before: " + name, RECOVERY, () -> invariants.servicesHealthy(SERVICES).isEmpty());
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
                    last.addAll(invariants.servicesHealthy(SERVICES));
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
            assertThat(stuck).as("payment keys never answered 201 after the fault").isEmpty();
            assertThat(traffic.refused()).as("payments refused as bad input").isEmpty();
            assertThat(invariants.paymentsIntact(traffic)).as("payments as acknowledged").isEmpty();
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
            Files.writeString(report, String.format("| %s | %.1f s | %d | %d | %d |%n", name, recovery,
                    traffic.acknowledged(), traffic.unavailable(), traffic.otherErrors()), StandardOpenOption.APPEND);
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
