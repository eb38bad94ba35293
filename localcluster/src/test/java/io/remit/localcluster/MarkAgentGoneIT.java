package io.remit.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.master.Protos.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator API's MARK_AGENT_GONE ({@code POST /api/v1}), driven with raw HTTP as the Mesos
 * operator docs show it: the agent's tasks end TASK_GONE_BY_OPERATOR (TASK_LOST for a framework
 * that is not partition-aware), its processes are killed, it is never offered again, and it
 * stays gone across a restart of the cluster.
 */
class MarkAgentGoneIT {

    @TempDir
    Path work;
    LocalCluster cluster;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        cluster = LocalCluster.builder().freePorts().workDir(work).agents(2).heartbeatInterval(Duration.ofMillis(500)).start();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    /** A framework with a task (a shell with two children) running on the agent of its first offer. */
    private RawScheduler withTask(String taskId, boolean partitionAware) throws Exception {
        RawScheduler s = new RawScheduler(cluster.masterUrl());
        s.subscribe("{\"user\":\"u\",\"name\":\"fw\",\"failover_timeout\":60.0"
                + (partitionAware ? ",\"capabilities\":[{\"type\":\"PARTITION_AWARE\"}]" : "") + "}");
        JsonNode offer = s.nextOfType("OFFERS").path("offers").path("offers").get(0);
        s.call(RawScheduler.launch(s.frameworkId, offer, taskId, RawScheduler.scalars(0.1, 32), "sleep 1000 & sleep 1000"));
        s.reach(taskId, "TASK_RUNNING");
        return s;
    }

    private String agentOf(RawScheduler s) throws Exception {
        return s.state().path("frameworks").get(0).path("tasks").get(0).path("slave_id").asText();
    }

    private HttpResponse<String> operator(String contentType, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(cluster.masterUrl() + "/api/v1"))
                .header("Content-Type", contentType).header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> markGoneJson(String agentId) throws Exception {
        return operator("application/json", """
                {"type":"MARK_AGENT_GONE","mark_agent_gone":{"agent_id":{"value":"%s"}}}""".formatted(agentId).getBytes());
    }

    /** Every process whose working directory is in the cluster's work dir (sandboxes). */
    private List<ProcessHandle> sandboxProcesses() {
        return ProcessHandle.allProcesses().filter(p -> {
            try {
                return Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "cwd")).startsWith(work.toRealPath());
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }

    @Test
    void aGoneAgentsTasksAreGoneByOperatorItsProcessesKilledAndItIsNeverOfferedAgain() throws Exception {
        RawScheduler s = withTask("stranded", true);
        String agent = agentOf(s);
        assertThat(sandboxProcesses()).as("the task's shell and its two sleeps").hasSizeGreaterThanOrEqualTo(3);

        HttpResponse<String> r = markGoneJson(agent);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

        JsonNode status = s.update("stranded", "TASK_GONE_BY_OPERATOR").path("update").path("status");
        assertThat(status.path("reason").asText()).isEqualTo("REASON_AGENT_REMOVED_BY_OPERATOR");
        assertThat(status.path("source").asText()).isEqualTo("SOURCE_MASTER");
        assertThat(status.path("message").asText()).isEqualTo("Agent has been marked gone");
        assertThat(s.nextOfType("FAILURE").path("failure").path("agent_id").path("value").asText()).isEqualTo(agent);
        FailoverAndReconciliationIT.awaitTrue(() -> sandboxProcesses().isEmpty());

        JsonNode state = s.state();
        assertThat(state.path("slaves")).hasSize(1);
        assertThat(state.path("slaves").get(0).path("id").asText()).isNotEqualTo(agent);
        assertThat(state.path("frameworks").get(0).path("completed_tasks").get(0).path("state").asText())
                .isEqualTo("TASK_GONE_BY_OPERATOR");
        assertThat(cluster.agents()).extracting(a -> a.info().getId().getValue()).doesNotContain(agent);

        // Asked about a task on it the master never knew, the master says it is gone.
        s.call("""
                {"type":"RECONCILE","framework_id":{"value":"%s"},"reconcile":{"tasks":[
                  {"task_id":{"value":"never-was"},"agent_id":{"value":"%s"}}]}}""".formatted(s.frameworkId, agent));
        assertThat(s.update("never-was", "TASK_GONE_BY_OPERATOR").path("update").path("status").path("message").asText())
                .isEqualTo("Reconciliation: Task is gone");

        // Several allocation rounds (1 s each) with the filters cleared offer only the other agent.
        s.call("{\"type\":\"REVIVE\",\"framework_id\":{\"value\":\"" + s.frameworkId + "\"}}");
        s.expectNone(e -> e.path("type").asText().equals("OFFERS") && e.toString().contains(agent), Duration.ofSeconds(3));

        HttpResponse<String> again = markGoneJson(agent);
        assertThat(again.statusCode()).as("MARK_AGENT_GONE is idempotent").isEqualTo(200);
        s.close();
    }

    @Test
    void aFrameworkThatIsNotPartitionAwareHearsTaskLostAndProtobufWorksToo() throws Exception {
        RawScheduler s = withTask("old-style", false);
        String agent = agentOf(s);
        Call call = Call.newBuilder().setType(Call.Type.MARK_AGENT_GONE)
                .setMarkAgentGone(Call.MarkAgentGone.newBuilder().setAgentId(AgentID.newBuilder().setValue(agent))).build();
        HttpResponse<String> r = operator("application/x-protobuf", call.toByteArray());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode status = s.update("old-style", "TASK_LOST").path("update").path("status");
        assertThat(status.path("reason").asText()).isEqualTo("REASON_AGENT_REMOVED");
        FailoverAndReconciliationIT.awaitTrue(() -> sandboxProcesses().isEmpty());
        s.close();
    }

    @Test
    void aGoneAgentStaysGoneWhenTheClusterStartsAgainAndItsPlaceGetsANewAgent() throws Exception {
        Set<String> before = ids();
        String gone = before.iterator().next();
        assertThat(markGoneJson(gone).statusCode()).isEqualTo(200);
        cluster.close();
        cluster = LocalCluster.builder().freePorts().workDir(work).agents(2).start();
        Set<String> after = ids();
        assertThat(after).hasSize(2).doesNotContain(gone).containsAll(before.stream().filter(id -> !id.equals(gone)).toList());
        assertThat(markGoneJson(gone).statusCode()).as("still gone, still idempotent").isEqualTo(200);
    }

    @Test
    void badOperatorCallsGetTheMastersStatusCodes() throws Exception {
        HttpResponse<String> unknown = markGoneJson("no-such-agent");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("Agent 'no-such-agent' not found");

        HttpResponse<String> missing = operator("application/json", "{\"type\":\"MARK_AGENT_GONE\"}".getBytes());
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).isEqualTo("Failed to validate master::Call: Expecting 'mark_agent_gone' to be present");

        assertThat(operator("text/plain", "{}".getBytes()).statusCode()).isEqualTo(415);
        assertThat(operator("application/json", "{not json".getBytes()).statusCode()).isEqualTo(400);
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(cluster.masterUrl() + "/api/v1")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(ids()).as("no bad call removed an agent").hasSize(2);
    }

    private Set<String> ids() {
        return cluster.agents().stream().map(a -> a.info().getId().getValue()).collect(Collectors.toSet());
    }
}
