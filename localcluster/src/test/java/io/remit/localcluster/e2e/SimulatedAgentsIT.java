package io.remit.localcluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.localcluster.LocalCluster;
import io.remit.mesos.MediaType;
import io.remit.mesos.scheduler.SchedulerCalls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A thousand simulated agents: every one is offered, runs a task, and shows in {@code /state}. */
class SimulatedAgentsIT {

    private static final int AGENTS = 1000;

    @TempDir
    Path work;
    LocalCluster cluster;
    RecordingScheduler scheduler;

    @BeforeEach
    void start() throws Exception {
        cluster = LocalCluster.builder().freePorts().workDir(work).agents(0).simulatedAgents(AGENTS).start();
        scheduler = RecordingScheduler.start(RecordingScheduler.config(cluster.masterUrl(), MediaType.PROTOBUF,
                RecordingScheduler.framework("thousand")).build());
    }

    @AfterEach
    void stop() {
        scheduler.close();
        cluster.close();
    }

    @Test
    void aThousandAgentsAreOfferedRunATaskEachAndShowInState() throws Exception {
        scheduler.next(Event.Type.SUBSCRIBED);
        Map<AgentID, Offer> offers = new HashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (offers.size() < AGENTS) {
            Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
            Event event = scheduler.next(offers.size() + " of " + AGENTS + " agents offered, then OFFERS",
                    e -> e.getType() == Event.Type.OFFERS, left);
            for (Offer offer : event.getOffers().getOffersList()) {
                assertThat(offers.put(offer.getAgentId(), offer)).as("one offer per agent").isNull();
            }
        }

        List<CompletableFuture<Void>> accepted = new ArrayList<>();
        int n = 0;
        for (Offer offer : offers.values()) {
            accepted.add(scheduler.client.send(Tasks.launch(offer, Tasks.command(offer, "task-" + n++, "sleep 1000"))));
        }
        Await.done("1000 ACCEPTs", CompletableFuture.allOf(accepted.toArray(CompletableFuture[]::new)));

        Set<String> running = new HashSet<>();
        List<CompletableFuture<Void>> acknowledged = new ArrayList<>();
        while (running.size() < AGENTS) {
            TaskStatus status = scheduler.next(running.size() + " of " + AGENTS + " tasks running, then an UPDATE",
                    e -> e.getType() == Event.Type.UPDATE, Await.TIMEOUT).getUpdate().getStatus();
            assertThat(status.getState()).as(status.getTaskId().getValue()).isEqualTo(TaskState.TASK_RUNNING);
            assertThat(running.add(status.getTaskId().getValue())).as("no update is resent").isTrue();
            acknowledged.add(scheduler.client.send(
                    SchedulerCalls.acknowledge(status.getAgentId(), status.getTaskId(), status.getUuid())));
        }
        Await.done("1000 ACKNOWLEDGEs", CompletableFuture.allOf(acknowledged.toArray(CompletableFuture[]::new)));

        JsonNode state = ClusterHttp.state(cluster);
        assertThat(state.path("slaves")).hasSize(AGENTS);
        assertThat(state.path("activated_slaves").asInt()).isEqualTo(AGENTS);
        JsonNode tasks = state.path("frameworks").get(0).path("tasks");
        assertThat(tasks).hasSize(AGENTS);
        Set<String> agentsUsed = new HashSet<>();
        for (JsonNode task : tasks) {
            assertThat(task.path("state").asText()).isEqualTo("TASK_RUNNING");
            agentsUsed.add(task.path("slave_id").asText());
        }
        assertThat(agentsUsed).hasSize(AGENTS);

        // /master/slaves (what Remit's capacity views read): the agents alone, with what they use.
        JsonNode slaves = ClusterHttp.get(cluster.masterUrl() + "/master/slaves");
        assertThat(slaves.path("slaves")).hasSize(AGENTS);
        assertThat(slaves.has("frameworks")).isFalse();
        for (JsonNode agent : slaves.path("slaves")) {
            assertThat(agent.path("used_resources").path("cpus").asDouble()).isPositive();
            assertThat(agent.path("resources").path("cpus").asDouble()).isPositive();
        }
    }
}
