package io.remit.localcluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.remit.localcluster.LocalCluster;
import io.remit.mesos.MediaType;
import io.remit.mesos.scheduler.SchedulerCalls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Custom executors on the real agent: {@link EchoExecutor} runs as a child JVM on mesos-client's
 * {@code ExecutorClient}, gets the environment a Mesos agent gives, runs two tasks in one
 * process, exchanges messages with the scheduler, and handles KILL and SHUTDOWN; executors that exit or never subscribe fail their
 * tasks as on Mesos; the agent's executor API answers bad requests as a Mesos agent does.
 */
class CustomExecutorIT {

    @TempDir
    Path work;
    LocalCluster cluster;
    RecordingScheduler scheduler;

    private void start(UnaryOperator<LocalCluster.Builder> settings) throws Exception {
        cluster = settings.apply(LocalCluster.builder().freePorts().workDir(work).allocationInterval(Duration.ofMillis(200)))
                .start();
        scheduler = RecordingScheduler.start(RecordingScheduler.config(cluster.masterUrl(), MediaType.PROTOBUF,
                RecordingScheduler.framework("executors")).build());
    }

    @AfterEach
    void stop() {
        if (scheduler != null) {
            scheduler.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** The command that starts {@link EchoExecutor} with this JVM's java and class path. */
    private static String echoCommand() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return "exec '" + java + "' -XX:TieredStopAtLevel=1 -Xmx64m -cp '" + System.getProperty("java.class.path")
                + "' " + EchoExecutor.class.getName();
    }

    private TaskStatus launchOn(ExecutorInfo executor, String taskId) {
        Offer offer = scheduler.offer();
        scheduler.send(Tasks.launch(offer, Tasks.onExecutor(offer, taskId, executor)));
        return scheduler.nextStatus(taskId, Await.TIMEOUT);
    }

    private static long pid(TaskStatus running) {
        assertThat(running.getMessage()).startsWith("pid ");
        return Long.parseLong(running.getMessage().substring(4));
    }

    /** The run directories of an executor: one per process the agent started for it. */
    private List<Path> runs(String executorId) throws IOException {
        Path runs = work.resolve("slaves").resolve(cluster.agents().get(0).info().getId().getValue())
                .resolve("frameworks").resolve(scheduler.frameworkId().getValue())
                .resolve("executors").resolve(executorId).resolve("runs");
        try (Stream<Path> list = Files.list(runs)) {
            return list.filter(p -> !p.getFileName().toString().equals("latest")).toList();
        }
    }

    private static Map<String, String> environment(Path sandbox) throws IOException {
        Map<String, String> env = new HashMap<>();
        for (String line : Files.readAllLines(sandbox.resolve(EchoExecutor.ENV_FILE))) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return env;
    }

    private double usedCpus() {
        try {
            return ClusterHttp.state(cluster).path("slaves").get(0).path("used_resources").path("cpus").asDouble();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private void kill(TaskStatus status) {
        scheduler.send(SchedulerCalls.kill(status.getTaskId(), status.getAgentId()));
    }

    @Test
    void anExecutorGetsTheAgentsEnvironmentAndRunsTwoTasksInOneProcess() throws Exception {
        start(b -> b.executorShutdownGrace(Duration.ofSeconds(7)));
        ExecutorInfo echo = Tasks.executor("echo", echoCommand());

        TaskStatus first = launchOn(echo, "first");
        assertThat(first.getState()).isEqualTo(TaskState.TASK_RUNNING);
        assertThat(first.getExecutorId()).isEqualTo(echo.getExecutorId());
        assertThat(first.getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
        scheduler.acknowledge(first);
        long pid = pid(first);

        List<Path> runs = runs("echo");
        assertThat(runs).hasSize(1);
        Path sandbox = runs.get(0);
        Map<String, String> env = environment(sandbox);
        int agentPort = cluster.agents().get(0).info().getPort();
        assertThat(env)
                .containsEntry("MESOS_FRAMEWORK_ID", scheduler.frameworkId().getValue())
                .containsEntry("MESOS_EXECUTOR_ID", "echo")
                .containsEntry("MESOS_AGENT_ENDPOINT", "127.0.0.1:" + agentPort)
                .containsEntry("MESOS_SANDBOX", sandbox.toString())
                .containsEntry("MESOS_DIRECTORY", sandbox.toString())
                .containsEntry("MESOS_CHECKPOINT", "1")
                .containsEntry("MESOS_RECOVERY_TIMEOUT", "15mins")
                .containsEntry("MESOS_SUBSCRIPTION_BACKOFF_MAX", "2secs")
                .containsEntry("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "7secs")
                .containsEntry("MESOS_SLAVE_ID", first.getAgentId().getValue())
                .containsEntry("MESOS_SLAVE_PID", "slave(1)@127.0.0.1:" + agentPort)
                .containsEntry("MESOS_HTTP_COMMAND_EXECUTOR", "0")
                .containsEntry("LIBPROCESS_PORT", "0");
        assertThat(Files.readString(sandbox.resolve("stdout"))).contains("echo executor " + pid + " starting");
        assertThat(Files.readString(sandbox.resolve("stderr"))).contains("subscribed to agent");

        TaskStatus second = launchOn(echo, "second");
        assertThat(second.getState()).isEqualTo(TaskState.TASK_RUNNING);
        assertThat(pid(second)).as("the second task runs in the same executor process").isEqualTo(pid);
        scheduler.acknowledge(second);
        assertThat(runs("echo")).containsExactly(sandbox);

        scheduler.send(SchedulerCalls.message(first.getAgentId(), echo.getExecutorId(), ByteString.copyFromUtf8("ping")));
        Event.Message echoed = scheduler.next(Event.Type.MESSAGE).getMessage();
        assertThat(echoed.getData().toStringUtf8()).isEqualTo("ping");
        assertThat(echoed.getAgentId()).isEqualTo(first.getAgentId());
        assertThat(echoed.getExecutorId()).isEqualTo(echo.getExecutorId());

        kill(first);
        TaskStatus firstKilled = scheduler.reach("first", TaskState.TASK_KILLED);
        assertThat(firstKilled.getMessage()).isEqualTo("killed by the echo executor");
        assertThat(firstKilled.getExecutorId()).isEqualTo(echo.getExecutorId());
        assertThat(Await.exited(pid)).as("the executor still has a task").isFalse();
        kill(second);
        assertThat(scheduler.reach("second", TaskState.TASK_KILLED).getSource())
                .isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
        Await.until("the executor to exit with its last task", () -> Await.exited(pid));
        Await.until("the executor's resources to be released", () -> usedCpus() == 0);
    }

    private static boolean offersPort(Offer offer, long port) {
        return offer.getResourcesList().stream().filter(r -> r.getName().equals("ports"))
                .flatMap(r -> r.getRanges().getRangeList().stream()).anyMatch(r -> r.getBegin() <= port && port <= r.getEnd());
    }

    private static org.apache.mesos.v1.Protos.Resource port(long port) {
        return org.apache.mesos.v1.Protos.Resource.newBuilder().setName("ports")
                .setType(org.apache.mesos.v1.Protos.Value.Type.RANGES)
                .setRanges(org.apache.mesos.v1.Protos.Value.Ranges.newBuilder().addRange(
                        org.apache.mesos.v1.Protos.Value.Range.newBuilder().setBegin(port).setEnd(port))).build();
    }

    @Test
    void anExecutorsOwnPortCountsAgainstTheOfferAndIsNobodyElsesUntilTheExecutorEnds() throws Exception {
        // As the Remit scheduler reserves its executors' metrics ports: a resource of the ExecutorInfo.
        start(b -> b);
        Offer offer = scheduler.offer();
        long port = offer.getResourcesList().stream().filter(r -> r.getName().equals("ports")).findFirst().orElseThrow()
                .getRanges().getRange(0).getBegin();
        ExecutorInfo echo = Tasks.executor("echo-port", echoCommand()).toBuilder().addResources(port(port)).build();
        scheduler.send(Tasks.launch(offer, Tasks.onExecutor(offer, "with-port", echo)));
        TaskStatus running = scheduler.reach("with-port", TaskState.TASK_RUNNING);
        long pid = pid(running);
        assertThat(ClusterHttp.state(cluster).path("slaves").get(0).path("used_resources").path("ports").asText())
                .contains(Long.toString(port));

        Offer next = scheduler.offer();
        assertThat(offersPort(next, port)).as("the executor's port is not offered while it runs").isFalse();
        scheduler.send(Tasks.launch(next, Tasks.command(next, "thief", "sleep 100").toBuilder().addResources(port(port)).build()));
        TaskStatus refused = scheduler.reach("thief", TaskState.TASK_ERROR);
        assertThat(refused.getMessage()).contains("more than available");

        kill(running);
        scheduler.reach("with-port", TaskState.TASK_KILLED);
        Await.until("the executor to exit with its task", () -> Await.exited(pid));
        // An offer made before the port came back holds the rest of the agent until it is declined:
        // decline each such offer, or the port could only come back when it times out.
        Await.until("its port to be offered again", () -> {
            Offer o = scheduler.offer();
            if (offersPort(o, port)) {
                return true;
            }
            scheduler.send(SchedulerCalls.decline(List.of(o.getId()), Duration.ZERO));
            return false;
        });
    }

    @Test
    void shutdownMakesTheExecutorKillItsTasksAndExitBeforeTheGracePeriodEnds() throws Exception {
        // A grace period far beyond the test's patience: only the executor itself can end it in time.
        start(b -> b.executorShutdownGrace(Duration.ofMinutes(2)));
        ExecutorInfo echo = Tasks.executor("echo-json", echoCommand(), "ECHO_MEDIA_TYPE", "JSON");
        TaskStatus running = launchOn(echo, "doomed");
        assertThat(running.getState()).isEqualTo(TaskState.TASK_RUNNING);
        scheduler.acknowledge(running);
        long pid = pid(running);

        scheduler.send(Call.newBuilder().setType(Call.Type.SHUTDOWN).setShutdown(Call.Shutdown.newBuilder()
                .setAgentId(running.getAgentId()).setExecutorId(echo.getExecutorId())).build());
        TaskStatus killed = scheduler.reach("doomed", TaskState.TASK_KILLED);
        assertThat(killed.getMessage()).isEqualTo("shut down by the echo executor");
        assertThat(killed.getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
        Await.until("the executor to exit on SHUTDOWN", () -> Await.exited(pid));
    }

    @Test
    void anExecutorThatExitsWithoutSubscribingFailsItsTask() throws Exception {
        start(b -> b);
        TaskStatus failed = launchOn(Tasks.executor("quitter", "exit 0"), "abandoned");
        assertThat(failed.getState()).isEqualTo(TaskState.TASK_FAILED);
        assertThat(failed.getMessage()).isEqualTo("Executor terminated");
        assertThat(failed.getReason()).isEqualTo(TaskStatus.Reason.REASON_EXECUTOR_TERMINATED);
        assertThat(failed.getSource()).isEqualTo(TaskStatus.Source.SOURCE_AGENT);
        assertThat(failed.getExecutorId().getValue()).isEqualTo("quitter");
        Path sandbox = runs("quitter").get(0);
        assertThat(sandbox.resolve("stdout")).exists();
        assertThat(sandbox.resolve("stderr")).exists();
    }

    @Test
    void anExecutorThatNeverSubscribesIsKilledAfterTheRegistrationTimeout() throws Exception {
        start(b -> b.registrationTimeout(Duration.ofSeconds(1)));
        long launchedAt = System.nanoTime();
        TaskStatus failed = launchOn(Tasks.executor("mute", "sleep 1000"), "unheard");
        assertThat(Duration.ofNanos(System.nanoTime() - launchedAt)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(failed.getState()).isEqualTo(TaskState.TASK_FAILED);
        assertThat(failed.getReason()).isEqualTo(TaskStatus.Reason.REASON_EXECUTOR_REGISTRATION_TIMEOUT);
        assertThat(failed.getMessage()).isEqualTo("Executor did not register within 1secs");
        assertThat(failed.getSource()).isEqualTo(TaskStatus.Source.SOURCE_AGENT);
    }

    @Test
    void theExecutorApiAnswersBadRequestsAsAMesosAgentDoes() throws Exception {
        start(b -> b);
        URI api = URI.create("http://127.0.0.1:" + cluster.agents().get(0).info().getPort() + "/api/v1/executor");

        HttpResponse<String> get = ClusterHttp.CLIENT.send(HttpRequest.newBuilder(api).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);

        HttpResponse<String> unknown = post(api, """
                {"type":"SUBSCRIBE","framework_id":{"value":"no-such-framework"},
                 "executor_id":{"value":"e"},"subscribe":{}}""");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).isEqualTo("Framework cannot be found");

        HttpResponse<String> noUuid = post(api, """
                {"type":"UPDATE","framework_id":{"value":"f"},"executor_id":{"value":"e"},
                 "update":{"status":{"task_id":{"value":"t"},"state":"TASK_RUNNING","source":"SOURCE_EXECUTOR"}}}""");
        assertThat(noUuid.statusCode()).isEqualTo(400);
        assertThat(noUuid.body()).isEqualTo("Failed to validate Executor::Call: Expecting 'uuid' to be present");
    }

    private static HttpResponse<String> post(URI uri, String json) throws Exception {
        return ClusterHttp.CLIENT.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
