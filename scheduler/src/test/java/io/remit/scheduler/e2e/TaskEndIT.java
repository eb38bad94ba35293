package io.remit.scheduler.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.scheduler.EtcdPause;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What happens when an instance ends under the scheduler, on the real stack (etcd, a localcluster
 * process agent, executor and hello JVMs): the executor killed with SIGKILL, as {@code kill -9}.
 * Its end must reach etcd (discovery and the task record) and never be acknowledged before.
 */
@ExtendWith(EtcdExtension.class)
class TaskEndIT {

    private static final String SERVICE = "/v1/services/hello";
    private static final String INSTANCES = SERVICE + "/instances";
    private static final Duration START = Duration.ofSeconds(90);

    @TempDir
    Path work;
    private EtcdServer etcd;
    private RealAgentStack stack;
    private SchedulerHarness scheduler;

    @BeforeEach
    void start(EtcdServer etcd) throws Exception {
        this.etcd = etcd;
        SchedulerHarness.wipe(etcd);
        stack = RealAgentStack.start(work, etcd);
        scheduler = stack.scheduler(SchedulerHarness.freePort());
        scheduler.await("/v1/leader", l -> l.path("isLeader").asBoolean() && l.path("subscribed").asBoolean(),
                Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() {
        EtcdPause.resume(etcd);
        if (scheduler != null) {
            scheduler.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void anInstanceWhoseExecutorIsKilledLeavesDiscoveryAtOnceNotWhenItsLeaseExpires() throws Exception {
        String victim = deployOne();

        long killedAt = System.nanoTime();
        killExecutor(victim);

        stack.until("the record of " + victim + " to leave discovery", Duration.ofSeconds(30),
                () -> stack.discovery.instance(victim).isEmpty());
        Duration gone = Duration.ofNanos(System.nanoTime() - killedAt);
        assertThat(gone).as("well before the executor's 10 s lease runs out").isLessThan(Duration.ofSeconds(5));
        scheduler.await(SERVICE, s -> s.path("status").path("lastFailure").asText().startsWith(victim), START);
    }

    @Test
    void anUpdateTheSchedulerCouldNotStoreIsNotAcknowledgedAndIsAppliedByItsSuccessor() throws Exception {
        String victim = deployOne();

        EtcdPause.pause(etcd);
        killExecutor(victim);
        // The agent reports TASK_FAILED; the scheduler cannot store it (etcd answers nothing) ...
        stack.until("the master to hear that " + victim + " failed", Duration.ofSeconds(30),
                () -> masterTask(victim).map(t -> t.path("state").asText().equals("TASK_FAILED")).orElse(false));
        // ... so it must not acknowledge it: the master keeps it among the live tasks until it is.
        long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        while (System.nanoTime() - until < 0) {
            assertThat(masterTask(victim)).as("TASK_FAILED of %s stays unacknowledged while etcd is down", victim)
                    .hasValueSatisfying(t -> assertThat(t.path("completed").asBoolean()).isFalse());
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }

        scheduler.close(); // the scheduler dies before it could store the update
        scheduler = null;
        EtcdPause.resume(etcd);
        SchedulerHarness successor = stack.scheduler(SchedulerHarness.freePort());
        scheduler = successor;

        // The agent sends the update again; the successor applies it, stores it, acknowledges it.
        stack.until("the successor to acknowledge TASK_FAILED of " + victim, START,
                () -> masterTask(victim).map(t -> t.path("completed").asBoolean()).orElse(false));
        JsonNode fx = successor.await(SERVICE, s -> s.path("status").path("lastFailure").asText().startsWith(victim)
                && s.path("status").path("healthy").asInt() == 1, START);
        assertThat(fx.path("status").path("lastFailure").asText()).contains("TASK_FAILED");
        JsonNode instances = successor.get(INSTANCES);
        assertThat(instances).hasSize(1);
        assertThat(instances.get(0).path("taskId").asText()).isNotEqualTo(victim);
    }

    /** Deploys one hello instance and waits until it is healthy and in discovery; its task id. */
    private String deployOne() throws Exception {
        HttpResponse<String> put = scheduler.send("PUT", SERVICE, RealAgentStack.helloSpec(1, "0.1.0"));
        assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
        JsonNode instances = scheduler.await(INSTANCES, i -> i.size() == 1
                && i.get(0).path("state").asText().equals("HEALTHY"), START);
        String taskId = instances.get(0).path("taskId").asText();
        stack.until("discovery to list " + taskId, START, () -> stack.discovery.instance(taskId).isPresent());
        return taskId;
    }

    /** SIGKILL to the executor of the instance (the parent of its service JVM), as kill -9 sends. */
    private void killExecutor(String taskId) throws Exception {
        ProcessHandle service = ProcessHandle.of(stack.servicePid(taskId)).orElseThrow();
        ProcessHandle executor = service.parent().orElseThrow();
        assertThat(executor.info().commandLine().orElse("")).as("the executor's command line").contains("executor");
        assertThat(executor.destroyForcibly()).isTrue();
    }

    /** The task as the master shows it in /state, with {@code completed}: whether its terminal update was acknowledged. */
    private Optional<JsonNode> masterTask(String taskId) {
        JsonNode state = SchedulerHarness.JSON.valueToTree(stack.cluster.master().state());
        for (JsonNode fw : state.path("frameworks")) {
            for (String list : new String[] {"tasks", "completed_tasks"}) {
                for (JsonNode t : fw.path(list)) {
                    if (t.path("id").asText().equals(taskId)) {
                        return Optional.of(((com.fasterxml.jackson.databind.node.ObjectNode) t.deepCopy())
                                .put("completed", list.equals("completed_tasks")));
                    }
                }
            }
        }
        return Optional.empty();
    }
}
