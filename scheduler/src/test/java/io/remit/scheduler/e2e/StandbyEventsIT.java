package io.remit.scheduler.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.localcluster.LocalCluster;
import io.remit.scheduler.e2e.EventStreamIT.Sse;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A web UI connected to a standby stays live: the standby's {@code /v1/events} tells the
 * instance events of the leader's instances, from the task records the leader writes to etcd.
 */
@ExtendWith(EtcdExtension.class)
class StandbyEventsIT {

    @TempDir
    Path work;

    @Test
    void theStandbysStreamTellsTheLeadersInstancesComingUpAndGoing(EtcdServer etcd) throws Exception {
        try (LocalCluster cluster = LocalCluster.builder().freePorts().agents(0).simulatedAgents(2)
                .zones(List.of("a", "b")).workDir(work).start();
             SchedulerHarness leader = new SchedulerHarness(etcd, cluster.masterUrl(), SchedulerHarness.freePort(), null)) {
            leader.await("/v1/leader", l -> l.path("isLeader").asBoolean() && l.path("subscribed").asBoolean(),
                    Duration.ofSeconds(60));
            try (SchedulerHarness standby = new SchedulerHarness(etcd, cluster.masterUrl(), SchedulerHarness.freePort(),
                    null)) {
                standby.await("/v1/leader", l -> leader.url.equals(l.path("leader").asText())
                        && !l.path("isLeader").asBoolean(), Duration.ofSeconds(20));
                BlockingQueue<Sse> live = EventStreamIT.listen(standby.url + "/v1/events?type=instance.", null);

                assertThat(leader.send("POST", "/v1/services", SchedulerOnSimulatedAgentsIT.spec("fx", 2, 64))
                        .statusCode()).isEqualTo(201);
                List<Sse> seen = EventStreamIT.until(live, "instance.healthy", "fx");
                assertThat(seen).extracting(Sse::event).contains("instance.launched");
                JsonNode healthy = seen.get(seen.size() - 1).data().path("data");
                leader.await("/v1/services/fx", s -> SchedulerOnSimulatedAgentsIT.healthy(s, 2), Duration.ofSeconds(30));
                Set<String> instances = new HashSet<>();
                leader.get("/v1/services/fx/instances").forEach(i -> instances.add(i.path("taskId").asText()));
                assertThat(instances).as("the standby told of one of the leader's instances")
                        .contains(healthy.path("taskId").asText());
                assertThat(healthy.path("state").asText()).isEqualTo("HEALTHY");
                assertThat(healthy.path("host").asText()).isNotEmpty();
                assertThat(healthy.path("ports").path("http").asInt()).isPositive();

                assertThat(leader.send("PUT", "/v1/services/fx", SchedulerOnSimulatedAgentsIT.spec("fx", 0, 64))
                        .statusCode()).isEqualTo(200);
                List<Sse> ending = EventStreamIT.until(live, "instance.killed", "fx");
                Sse killed = ending.get(ending.size() - 1);
                assertThat(instances).contains(killed.data().path("data").path("taskId").asText());
                assertThat(killed.data().path("data").path("mesosState").asText()).isEqualTo("TASK_KILLED");
            }
        }
    }
}
