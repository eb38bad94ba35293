package io.remit.localcluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.localcluster.LocalCluster;
import io.remit.localcluster.LocalClusterMain;
import io.remit.localcluster.resources.Ranges;
import io.remit.localcluster.resources.Resources;
import io.remit.mesos.MediaType;
import io.remit.mesos.scheduler.SchedulerCalls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * localcluster recovers from its work dir as Mesos does: it runs here as its own JVM, is killed
 * with SIGKILL (or stopped with SIGTERM) while {@link EchoExecutor}s run tasks, and is started again on the same work dir
 * and ports. The master and agent keep their ids, the framework fails over with its id and finds
 * its tasks still TASK_RUNNING, the executors re-subscribe and keep working; an executor that
 * does not re-subscribe in time is killed with its whole process tree and its task is lost.
 */
class ClusterRestartRecoveryIT {

    /** Short, for the executor that is not to come back; the others get a generous one. */
    private static final Duration REREGISTRATION = Duration.ofSeconds(3);

    @TempDir
    Path work;
    private Process cluster;
    private RecordingScheduler scheduler;
    private int masterPort;
    private int agentPort;
    private final List<Long> leftovers = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        if (scheduler != null) {
            scheduler.close();
        }
        if (System.getProperty("recovery.log.copy") != null && Files.exists(work.resolve("localcluster.log"))) {
            Files.copy(work.resolve("localcluster.log"), Path.of(System.getProperty("recovery.log.copy")),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        if (cluster != null && cluster.isAlive()) {
            stopEverything();
        }
        for (long pid : leftovers) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private Duration reregistration = Duration.ofSeconds(30);

    private void startCluster() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                LocalClusterMain.class.getName(), "--port", Integer.toString(masterPort),
                "--agent-port", Integer.toString(agentPort), "--work-dir", work.resolve("lc").toString(),
                "--executor-reregistration-timeout", Long.toString(reregistration.toSeconds()),
                "--resources", "cpus:4;mem:4096;disk:1000;ports:[31000-32000]");
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("localcluster.log").toFile()));
        cluster = pb.start();
        // A cold JVM on two busy cores takes up to ~30 s to serve (29.5 s measured at load 29).
        Await.until("localcluster to serve with its agent", Duration.ofSeconds(90), () -> {
            try {
                HttpResponse<String> r = ClusterHttp.CLIENT.send(HttpRequest.newBuilder(URI.create(masterUrl() + "/state"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200 && ClusterHttp.JSON.readTree(r.body()).path("slaves").size() == 1;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
    }

    private void killCluster() throws InterruptedException {
        cluster.destroyForcibly(); // SIGKILL: no shutdown hook, nothing cleaned up
        cluster.waitFor();
    }

    /** SIGTERM, as an operator stopping it for an upgrade: the tasks are left running. */
    private void terminateCluster() throws InterruptedException {
        cluster.destroy();
        cluster.waitFor();
    }

    /** SIGUSR1: the cluster stops every task and then itself. */
    private void stopEverything() throws Exception {
        Process kill = new ProcessBuilder("kill", "-USR1", Long.toString(cluster.pid())).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
        cluster.waitFor();
    }

    private interface Stop {
        void stop() throws Exception;
    }

    private String masterUrl() {
        return "http://127.0.0.1:" + masterPort;
    }

    private JsonNode state() throws Exception {
        return ClusterHttp.get(masterUrl() + "/state");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void startAll() throws Exception {
        masterPort = freePort();
        agentPort = freePort();
        startCluster();
        scheduler = RecordingScheduler.start(RecordingScheduler.config(masterUrl(), MediaType.PROTOBUF,
                RecordingScheduler.framework("recovering")).build());
    }

    private static String echoCommand() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return "exec '" + java + "' -XX:TieredStopAtLevel=1 -Xmx64m -cp '" + System.getProperty("java.class.path")
                + "' " + EchoExecutor.class.getName();
    }

    private long launchRunning(ExecutorInfo executor, String taskId) {
        Offer offer = scheduler.offer();
        scheduler.send(Tasks.launch(offer, Tasks.onExecutor(offer, taskId, executor)));
        TaskStatus running = scheduler.reach(taskId, TaskState.TASK_RUNNING);
        long pid = Long.parseLong(running.getMessage().substring("pid ".length()));
        leftovers.add(pid);
        return pid;
    }

    private Path sandbox(String agentId, String executorId) throws IOException {
        Path runs = work.resolve("lc").resolve("slaves").resolve(agentId).resolve("frameworks")
                .resolve(scheduler.frameworkId().getValue()).resolve("executors").resolve(executorId).resolve("runs");
        try (Stream<Path> list = Files.list(runs)) {
            return list.filter(p -> !p.getFileName().toString().equals("latest")).findFirst().orElseThrow();
        }
    }

    /** The framework as the master's {@code /state} shows it once it is subscribed again. */
    private JsonNode awaitActiveFramework(String id) {
        JsonNode[] found = new JsonNode[1];
        Await.until("the framework to be active again", Duration.ofSeconds(30), () -> {
            try {
                for (JsonNode fw : state().path("frameworks")) {
                    if (fw.path("id").asText().equals(id) && fw.path("active").asBoolean()) {
                        found[0] = fw;
                        return true;
                    }
                }
                return false;
            } catch (Exception e) {
                return false;
            }
        });
        return found[0];
    }

    private TaskStatus reconcile(String taskId, String agentId) {
        scheduler.send(SchedulerCalls.reconcile(List.of(SchedulerCalls.reconcileTask(Tasks.id(taskId),
                org.apache.mesos.v1.Protos.AgentID.newBuilder().setValue(agentId).build()))));
        return scheduler.next("reconciliation of " + taskId, e -> e.getType() == Event.Type.UPDATE
                && e.getUpdate().getStatus().getTaskId().getValue().equals(taskId)
                && e.getUpdate().getStatus().getReason() == TaskStatus.Reason.REASON_RECONCILIATION, Await.TIMEOUT)
                .getUpdate().getStatus();
    }

    private static long subscriptions(Path sandbox) throws IOException {
        return Files.readAllLines(sandbox.resolve("stderr")).stream().filter(l -> l.contains("subscribed to agent")).count();
    }

    @Test
    void afterAKillDashNineTheClusterComesBackWithItsIdsFrameworkTasksAndExecutors() throws Exception {
        comesBackWithItsTasksAfter(this::killCluster);
    }

    @Test
    void afterASigtermTheClusterComesBackWithItsIdsFrameworkTasksAndExecutors() throws Exception {
        comesBackWithItsTasksAfter(this::terminateCluster);
    }

    @Test
    void sigusr1StopsTheClusterAndEveryTaskItRuns() throws Exception {
        startAll();
        long first = launchRunning(Tasks.executor("echo-a", echoCommand()), "task-a");
        long second = launchRunning(Tasks.executor("echo-b", echoCommand()), "task-b");
        stopEverything();
        Await.until("both executors to be stopped with the cluster", () -> Await.exited(first) && Await.exited(second));
    }

    private void comesBackWithItsTasksAfter(Stop stop) throws Exception {
        startAll();
        long first = launchRunning(Tasks.executor("echo-a", echoCommand()), "task-a");
        long second = launchRunning(Tasks.executor("echo-b", echoCommand()), "task-b");
        JsonNode before = state();
        String masterId = before.path("id").asText();
        String agentId = before.path("slaves").get(0).path("id").asText();
        String frameworkId = scheduler.frameworkId().getValue();
        Path sandboxA = sandbox(agentId, "echo-a");
        assertThat(subscriptions(sandboxA)).isEqualTo(1);

        stop.stop();
        assertThat(Await.exited(first) || Await.exited(second)).as("executors outlive the agent").isFalse();
        startCluster();

        JsonNode fw = awaitActiveFramework(frameworkId);
        JsonNode after = state();
        assertThat(after.path("id").asText()).as("master id").isEqualTo(masterId);
        assertThat(after.path("slaves").get(0).path("id").asText()).as("agent id").isEqualTo(agentId);
        assertThat(scheduler.frameworkId().getValue()).isEqualTo(frameworkId);
        assertThat(fw.path("tasks").findValuesAsText("id")).containsExactlyInAnyOrder("task-a", "task-b");
        assertThat(fw.path("tasks").findValuesAsText("state")).containsOnly("TASK_RUNNING");

        assertThat(reconcile("task-a", agentId).getState()).isEqualTo(TaskState.TASK_RUNNING);
        assertThat(reconcile("task-b", agentId).getState()).isEqualTo(TaskState.TASK_RUNNING);
        Await.until("both executors to re-subscribe", () -> {
            try {
                JsonNode executors = ClusterHttp.get("http://127.0.0.1:" + agentPort + "/state").path("executors");
                return executors.size() == 2 && executors.findValuesAsText("phase").stream().allMatch("RUNNING"::equals);
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(subscriptions(sandboxA)).as("the same executor process subscribed again").isEqualTo(2);
        assertThat(Await.exited(first) || Await.exited(second)).isFalse();

        // The re-subscribed executor still takes orders: a KILL reaches it and it answers.
        scheduler.send(SchedulerCalls.kill(Tasks.id("task-a"), org.apache.mesos.v1.Protos.AgentID.newBuilder()
                .setValue(agentId).build()));
        TaskStatus killed = scheduler.reach("task-a", TaskState.TASK_KILLED);
        assertThat(killed.getMessage()).isEqualTo("killed by the echo executor");
        Await.until("the killed task's executor to exit", () -> Await.exited(first));
        assertThat(Await.exited(second)).isFalse();
        // Nothing was launched again: still one run directory per executor.
        assertThat(Files.list(sandboxA.getParent()).filter(p -> !p.getFileName().toString().equals("latest")).count())
                .isEqualTo(1);
    }

    @Test
    void anExecutorThatDoesNotResubscribeInTimeIsKilledWithItsChildrenAndItsTaskIsLost() throws Exception {
        reregistration = REREGISTRATION;
        startAll();
        long pid = launchRunning(Tasks.executor("hung", echoCommand(), "ECHO_DEAF", "1", "ECHO_CHILD", "1"), "task-hung");
        String agentId = state().path("slaves").get(0).path("id").asText();
        Path childPidFile = sandbox(agentId, "hung").resolve(EchoExecutor.CHILD_PID_FILE);
        Await.until("the executor's child to start", () -> Files.exists(childPidFile));
        long child = Long.parseLong(Files.readString(childPidFile).trim());
        leftovers.add(child);

        killCluster();
        assertThat(Await.exited(pid) || Await.exited(child)).as("the executor outlives the agent").isFalse();
        long restartedAt = System.nanoTime();
        startCluster();

        Await.until("the executor and its child to be killed", Duration.ofSeconds(20),
                () -> Await.exited(pid) && Await.exited(child));
        assertThat(Duration.ofNanos(System.nanoTime() - restartedAt)).isLessThan(REREGISTRATION.plusSeconds(15));
        awaitActiveFramework(scheduler.frameworkId().getValue());
        // The agent resends the TASK_RUNNING the framework had not acknowledged before the kill
        // (its ACKNOWLEDGE may not have reached the checkpoint), then TASK_LOST behind it.
        TaskStatus update = scheduler.reach("task-hung", TaskState.TASK_LOST);
        assertThat(update.getReason()).isEqualTo(TaskStatus.Reason.REASON_EXECUTOR_REREGISTRATION_TIMEOUT);
        assertThat(update.getMessage()).isEqualTo("Executor did not reregister within 3secs");
        assertThat(update.getSource()).isEqualTo(TaskStatus.Source.SOURCE_AGENT);
        assertThat(reconcile("task-hung", agentId).getState()).isEqualTo(TaskState.TASK_LOST);
    }

    @Test
    void aPortSomeProcessOnTheHostHoldsIsNotOffered() throws Exception {
        int low;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            low = probe.getLocalPort();
        }
        try (ServerSocket held = new ServerSocket()) {
            held.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), low));
            try (LocalCluster lc = LocalCluster.builder().freePorts().workDir(work.resolve("ports"))
                    .allocationInterval(Duration.ofMillis(200))
                    .resources(Resources.of(1, 1024, 100, Ranges.of(low, low + 2))).start();
                 RecordingScheduler s = RecordingScheduler.start(RecordingScheduler.config(lc.masterUrl(),
                         MediaType.PROTOBUF, RecordingScheduler.framework("ports")).build())) {
                Offer offer = s.offer();
                assertThat(ports(offer)).isEqualTo(Ranges.of(low + 1, low + 2));
                held.close();
                s.send(SchedulerCalls.decline(List.of(offer.getId()), Duration.ZERO));
                assertThat(ports(s.offer())).as("offered again once released").isEqualTo(Ranges.of(low, low + 2));
            }
        }
    }

    private static Ranges ports(Offer offer) {
        for (Resource r : offer.getResourcesList()) {
            if (r.getName().equals("ports")) {
                return Ranges.fromProto(r.getRanges());
            }
        }
        return Ranges.EMPTY;
    }
}
