package io.remit.executor.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.executor.api.LaunchSpec;
import io.remit.registry.discovery.Instance;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The life of an instance, end to end: the real executor jar on a real localcluster agent starts
 * the real hello jar, health-checks it, registers it in a real etcd, drains it on KILL, follows
 * its health, and reports its death.
 */
@ExtendWith(EtcdExtension.class)
class ServiceLifecycleIT {

    @TempDir
    static Path work;
    static ExecutorHarness harness;

    @BeforeAll
    static void start(EtcdServer etcd) throws Exception {
        harness = ExecutorHarness.start(work, etcd);
    }

    @AfterAll
    static void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    private static String newTaskId() {
        return "hello." + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void startsRegistersAndServesThenDrainsBeforeSigtermOnKill() throws Exception {
        HelloSpec hello = harness.hello(newTaskId());
        LaunchSpec spec = hello.build();
        String id = spec.instanceId();

        TaskStatus running = harness.launchHealthy(spec);
        assertThat(running.getMessage()).isEqualTo("healthy");

        harness.awaitRecord(id, true);
        Instance record = harness.record(id).orElseThrow();
        assertThat(record.ports()).isEqualTo(Map.of("http", hello.port("http"), "admin", hello.port("admin")));
        assertThat(record.host()).isEqualTo("127.0.0.1");
        assertThat(record.version()).isEqualTo(HelloSpec.VERSION);
        assertThat(record.zone()).isEqualTo(ExecutorHarness.ZONE);
        assertThat(record.agentId()).isEqualTo(running.getAgentId().getValue());
        assertThat(record.key()).isEqualTo("/remit/discovery/hello/" + id);
        assertThat(record.weight()).as("no REMIT_WEIGHT: no weight written, the default").isNull();

        HttpResponse<String> greeting = ExecutorHarness.get(hello.port("http"), "/hello?name=x").orElseThrow();
        assertThat(greeting.statusCode()).isEqualTo(200);
        assertThat(greeting.body()).isEqualTo("{\"greeting\":\"Hello, x!\",\"instance\":\"" + id + "\",\"version\":\"0.1.0\"}");

        Path sandbox = harness.sandbox(id);
        assertThat(Files.readString(sandbox.resolve("config.yml")))
                .contains("port: " + hello.port("http")).contains("port: " + hello.port("admin"))
                .contains("instanceId: \"" + id + "\"").contains("etcdEndpoints: \"" + harness.etcdEndpoint + "\"");
        assertThat(Files.readString(sandbox.resolve("service.stdout"))).contains("hello instance " + id);
        assertThat(Files.readString(sandbox.resolve("stderr"))).as("the executor's own log")
                .contains("launching LaunchSpec[serviceId=hello").contains("TASK_RUNNING healthy=true");
        long pid = harness.servicePid(id);

        long killedAt = System.nanoTime();
        harness.kill(running, null);
        harness.awaitRecord(id, false);
        assertThat(ExecutorHarness.get(hello.port("http"), "/hello?name=drain"))
                .as("the record is gone while the service still serves: it drains before SIGTERM")
                .hasValueSatisfying(r -> assertThat(r.statusCode()).isEqualTo(200));
        assertThat(ExecutorHarness.exited(pid)).isFalse();

        TaskStatus killed = harness.next(id);
        assertThat(killed.getState()).as(killed.getMessage()).isEqualTo(TaskState.TASK_KILLED);
        assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isGreaterThanOrEqualTo(spec.drainGrace());
        assertThat(killed.getMessage()).isEqualTo("killed: drained for PT2S, then the service stopped with exit status 143 "
                + "(signal 15, SIGTERM)");
        Await.until("the service JVM to exit", () -> ExecutorHarness.exited(pid));
        assertThat(harness.record(id)).isEmpty();
        assertThat(Files.readString(sandbox.resolve("service.stdout"))).as("the service's last words after SIGTERM")
                .contains("Stopped application");
    }

    @Test
    void followsHealthChangesWithUpdatesAndTheRecord() throws Exception {
        Path unhealthy = work.resolve("unhealthy-" + UUID.randomUUID());
        HelloSpec hello = harness.hello(newTaskId());
        hello.env.put("HELLO_UNHEALTHY_FILE", unhealthy.toString());
        hello.env.put("REMIT_WEIGHT", "20");
        hello.drainGrace = Duration.ofMinutes(5); // the KILL below overrides it
        LaunchSpec spec = hello.build();
        String id = spec.instanceId();

        TaskStatus running = harness.launchHealthy(spec);
        harness.awaitRecord(id, true);
        assertThat(harness.record(id).orElseThrow().weight()).as("the weight from REMIT_WEIGHT").isEqualTo(20);

        Files.createFile(unhealthy);
        TaskStatus sick = harness.next(id);
        assertThat(sick.getState()).isEqualTo(TaskState.TASK_RUNNING);
        assertThat(sick.getHealthy()).isFalse();
        assertThat(sick.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED);
        assertThat(sick.getMessage()).startsWith("unhealthy: 2 failed health check(s) in a row")
                .contains("answered 500").contains("unhealthy while " + unhealthy);
        harness.awaitRecord(id, false);

        Files.delete(unhealthy);
        TaskStatus well = harness.next(id);
        assertThat(well.getState()).isEqualTo(TaskState.TASK_RUNNING);
        assertThat(well.getHealthy()).isTrue();
        harness.awaitRecord(id, true);
        assertThat(harness.record(id).orElseThrow().weight()).as("published again with its weight").isEqualTo(20);

        long killedAt = System.nanoTime();
        harness.kill(running, Duration.ofMillis(200));
        TaskStatus killed = harness.next(id);
        assertThat(killed.getState()).isEqualTo(TaskState.TASK_KILLED);
        assertThat(killed.getMessage()).startsWith("killed: drained for PT0.2S, then");
        assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).as("the KILL's grace period replaced drainGrace")
                .isLessThan(Duration.ofSeconds(30));
        assertThat(harness.record(id)).isEmpty();
    }

    @Test
    void theServiceStartedFromTheExecutorsEnvironmentBeforeLaunchIsTheOneItsTaskRuns() throws Exception {
        HelloSpec hello = harness.hello(newTaskId());
        LaunchSpec spec = hello.build();
        String id = spec.instanceId();
        harness.launchWithEarlySpec(spec, spec);
        harness.awaitHealthy(spec);
        harness.awaitRecord(id, true);

        long pid = harness.servicePid(id);
        String log = Files.readString(harness.sandbox(id).resolve("stderr"));
        assertThat(log).contains("as task " + id + " before LAUNCH")
                .contains("task " + id + " takes over the service started before LAUNCH (pid " + pid + ")");
        assertThat(log.indexOf("before LAUNCH")).as("started before the LAUNCH was read")
                .isLessThan(log.indexOf("launching LaunchSpec["));
        assertThat(ExecutorHarness.get(hello.port("http"), "/hello?name=x").orElseThrow().body()).contains("\"Hello, x!\"");
    }

    @Test
    void aLaunchUnlikeTheSpecInTheEnvironmentStopsThatServiceAndStartsItsOwn() throws Exception {
        HelloSpec hello = harness.hello(newTaskId());
        LaunchSpec spec = hello.build();
        hello.env.put("GREETING", "Hola");
        LaunchSpec other = hello.build();
        String id = spec.instanceId();
        harness.launchWithEarlySpec(spec, other);
        harness.awaitHealthy(spec);

        String log = Files.readString(harness.sandbox(id).resolve("stderr"));
        assertThat(log).contains("before LAUNCH").contains("LAUNCH of " + id + " differs from the spec in REMIT_LAUNCH_SPEC");
        HttpResponse<String> greeting = ExecutorHarness.get(hello.port("http"), "/hello?name=x").orElseThrow();
        assertThat(greeting.body()).as("the LAUNCH's GREETING, not the environment's").contains("\"Hello, x!\"");
    }

    @Test
    void aServiceKilledBySignal9FailsTheTaskWithItsExitStatusAndLastLines() throws Exception {
        LaunchSpec spec = harness.hello(newTaskId()).build();
        String id = spec.instanceId();
        harness.launchHealthy(spec);
        harness.awaitRecord(id, true);

        long pid = harness.servicePid(id);
        assertThat(ProcessHandle.of(pid)).as("service pid %s", pid).isPresent();
        assertThat(ProcessHandle.of(pid).orElseThrow().destroyForcibly()).isTrue();

        TaskStatus failed = harness.next(id);
        assertThat(failed.getState()).isEqualTo(TaskState.TASK_FAILED);
        assertThat(failed.getMessage())
                .startsWith("the service exited by itself, exit status 137 (signal 9, SIGKILL); its last ")
                .contains("line(s) of output:\n")
                .contains("Started");
        harness.awaitRecord(id, false);
    }

    @Test
    void shutdownDrainsAndStopsTheServiceWithinTheAgentsGracePeriod() throws Exception {
        HelloSpec hello = harness.hello(newTaskId());
        hello.drainGrace = Duration.ofMinutes(5); // more than the agent allows: SHUTDOWN must cut it short
        LaunchSpec spec = hello.build();
        String id = spec.instanceId();
        TaskStatus running = harness.launchHealthy(spec);
        harness.awaitRecord(id, true);
        long pid = harness.servicePid(id);

        harness.shutdown(running);
        harness.awaitRecord(id, false);
        TaskStatus killed = harness.next(id);
        assertThat(killed.getState()).as(killed.getMessage()).isEqualTo(TaskState.TASK_KILLED);
        assertThat(killed.getSource()).as("reported by the executor, not by the agent after killing it")
                .isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
        assertThat(killed.getMessage()).startsWith("killed: drained for PT2S, then the service stopped with exit status 143");
        Await.until("the service JVM to exit", () -> ExecutorHarness.exited(pid));
    }
}
