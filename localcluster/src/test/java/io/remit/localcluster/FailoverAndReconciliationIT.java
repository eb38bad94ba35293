package io.remit.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Framework failover, failover timeouts, reconciliation, agent loss and master restarts. */
class FailoverAndReconciliationIT {

    @TempDir
    Path work;
    LocalCluster cluster;

    @BeforeEach
    void start() throws Exception {
        // A short heartbeat: like any HTTP server that is not libprocess, localcluster notices a
        // scheduler that vanished only when it next writes to its stream.
        cluster = LocalCluster.builder().freePorts().workDir(work).agents(2).heartbeatInterval(Duration.ofMillis(500)).start();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private static String info(double failoverTimeout, String extra) {
        return "{\"user\":\"u\",\"name\":\"fw\",\"failover_timeout\":" + failoverTimeout + extra + "}";
    }

    private RawScheduler withRunningTask(double failoverTimeout, String taskId) throws Exception {
        RawScheduler s = new RawScheduler(cluster.masterUrl());
        s.subscribe(info(failoverTimeout, ""));
        JsonNode offer = s.nextOfType("OFFERS").path("offers").path("offers").get(0);
        s.call(RawScheduler.launch(s.frameworkId, offer, taskId, RawScheduler.scalars(0.1, 32), "sleep 1000"));
        s.reach(taskId, "TASK_RUNNING");
        return s;
    }

    @Test
    void aFrameworkFailsOverWithinItsTimeoutAndKeepsItsTasks() throws Exception {
        RawScheduler first = withRunningTask(60, "keeper");
        String oldStream = first.streamId;
        first.close();
        awaitTrue(() -> !cluster.master().state().toString().contains("connected=true"));

        RawScheduler second = new RawScheduler(cluster.masterUrl());
        JsonNode subscribed = second.subscribeCall("""
                {"type":"SUBSCRIBE","framework_id":{"value":"%s"},
                 "subscribe":{"framework_info":{"user":"u","name":"fw","failover_timeout":60.0,"id":{"value":"%s"}}}}"""
                .formatted(first.frameworkId, first.frameworkId));
        assertThat(subscribed.path("subscribed").path("framework_id").path("value").asText()).isEqualTo(first.frameworkId);
        assertThat(second.streamId).isNotEqualTo(oldStream);
        JsonNode tasks = second.state().path("frameworks").get(0).path("tasks");
        assertThat(tasks.get(0).path("id").asText()).isEqualTo("keeper");
        assertThat(tasks.get(0).path("state").asText()).isEqualTo("TASK_RUNNING");

        second.call("{\"type\":\"RECONCILE\",\"framework_id\":{\"value\":\"" + second.frameworkId + "\"},\"reconcile\":{}}");
        JsonNode implicit = second.next(e -> e.path("type").asText().equals("UPDATE"), Duration.ofSeconds(10));
        JsonNode status = implicit.path("update").path("status");
        assertThat(status.path("state").asText()).isEqualTo("TASK_RUNNING");
        assertThat(status.path("reason").asText()).isEqualTo("REASON_RECONCILIATION");
        assertThat(status.path("source").asText()).isEqualTo("SOURCE_MASTER");
        assertThat(status.has("uuid")).isFalse();
        second.close();
    }

    @Test
    void explicitReconciliationAnswersKnownAndUnknownTasks() throws Exception {
        RawScheduler s = withRunningTask(60, "known");
        String agent = s.state().path("frameworks").get(0).path("tasks").get(0).path("slave_id").asText();
        s.call("""
                {"type":"RECONCILE","framework_id":{"value":"%s"},"reconcile":{"tasks":[
                  {"task_id":{"value":"known"}},
                  {"task_id":{"value":"ghost"},"agent_id":{"value":"%s"}},
                  {"task_id":{"value":"nowhere"}}]}}""".formatted(s.frameworkId, agent));
        JsonNode known = s.update("known", "TASK_RUNNING").path("update").path("status");
        assertThat(known.path("message").asText()).isEqualTo("Reconciliation: Latest task state");
        JsonNode ghost = s.update("ghost", "TASK_LOST").path("update").path("status");
        assertThat(ghost.path("message").asText()).isEqualTo("Reconciliation: Task is unknown to the agent");
        JsonNode nowhere = s.update("nowhere", "TASK_LOST").path("update").path("status");
        assertThat(nowhere.path("reason").asText()).isEqualTo("REASON_RECONCILIATION");
        s.close();
    }

    @Test
    void afterTheFailoverTimeoutTheFrameworkIsRemovedAndItsTasksKilled() throws Exception {
        RawScheduler s = withRunningTask(0.5, "doomed");
        s.close();
        awaitTrue(() -> cluster.master().frameworkIds().isEmpty());
        JsonNode state = s.state();
        JsonNode completed = state.path("completed_frameworks").get(0);
        assertThat(completed.path("id").asText()).isEqualTo(s.frameworkId);
        assertThat(completed.path("completed_tasks").get(0).path("state").asText()).isEqualTo("TASK_KILLED");
        awaitTrue(() -> cluster.agents().stream().allMatch(a -> a.tasks().isEmpty()));

        RawScheduler late = new RawScheduler(cluster.masterUrl());
        JsonNode error = late.subscribeCall("""
                {"type":"SUBSCRIBE","framework_id":{"value":"%s"},
                 "subscribe":{"framework_info":{"user":"u","name":"fw","id":{"value":"%s"}}}}"""
                .formatted(s.frameworkId, s.frameworkId));
        assertThat(error.path("type").asText()).isEqualTo("ERROR");
        assertThat(error.path("error").path("message").asText()).isEqualTo("Framework has been removed");
    }

    @Test
    void aLostAgentTurnsItsTasksLostAndTellsEveryFramework() throws Exception {
        RawScheduler s = withRunningTask(60, "victim");
        String agent = s.state().path("frameworks").get(0).path("tasks").get(0).path("slave_id").asText();
        cluster.removeAgent(AgentID.newBuilder().setValue(agent).build());
        JsonNode lost = s.update("victim", "TASK_LOST").path("update").path("status");
        assertThat(lost.path("reason").asText()).isEqualTo("REASON_AGENT_REMOVED");
        JsonNode failure = s.nextOfType("FAILURE");
        assertThat(failure.path("failure").path("agent_id").path("value").asText()).isEqualTo(agent);
        assertThat(s.state().path("slaves")).hasSize(1);
        s.close();
    }

    @Test
    void afterAMasterRestartAgentsBringTheirTasksBackAndTheFrameworkResubscribes() throws Exception {
        RawScheduler s = withRunningTask(60, "survivor");
        cluster.restartMaster();
        awaitTrue(() -> s.streamEnded);
        RawScheduler again = new RawScheduler(cluster.masterUrl());
        again.subscribeCall("""
                {"type":"SUBSCRIBE","framework_id":{"value":"%s"},
                 "subscribe":{"framework_info":{"user":"u","name":"fw","failover_timeout":60.0,"id":{"value":"%s"}}}}"""
                .formatted(s.frameworkId, s.frameworkId));
        JsonNode fw = again.state().path("frameworks").get(0);
        assertThat(fw.path("id").asText()).isEqualTo(s.frameworkId);
        assertThat(fw.path("tasks").get(0).path("id").asText()).isEqualTo("survivor");
        assertThat(fw.path("tasks").get(0).path("state").asText()).isEqualTo("TASK_RUNNING");
        JsonNode offer = again.nextOfType("OFFERS").path("offers").path("offers").get(0);
        assertThat(OfferJson.scalar(offer, "cpus") + OfferJson.scalar(again.nextOfTypeOrNull("OFFERS"), "cpus"))
                .as("the surviving task's resources are not offered again").isLessThan(8.0);
        again.call("""
                {"type":"KILL","framework_id":{"value":"%s"},"kill":{"task_id":{"value":"survivor"}}}"""
                .formatted(again.frameworkId));
        again.reach("survivor", "TASK_KILLED");
        again.close();
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(15);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met within 15 s");
            }
            Thread.onSpinWait();
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
        }
    }

    static FrameworkID id(String value) {
        return FrameworkID.newBuilder().setValue(value).build();
    }
}
