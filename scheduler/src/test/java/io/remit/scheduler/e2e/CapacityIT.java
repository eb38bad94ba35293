package io.remit.scheduler.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.localcluster.LocalCluster;
import io.remit.localcluster.resources.ResourceSpec;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Capacity planning against a real master's /state, with services placed by the real scheduler. */
@ExtendWith(EtcdExtension.class)
class CapacityIT {

    @TempDir
    Path work;
    LocalCluster cluster;
    SchedulerHarness scheduler;
    EtcdServer etcd;

    @BeforeEach
    void start(EtcdServer etcd) throws Exception {
        this.etcd = etcd;
        cluster = LocalCluster.builder().freePorts().agents(0).simulatedAgents(3).zones(List.of("a", "b", "c"))
                .simulatedResources(ResourceSpec.parse("cpus:2;mem:4096;disk:1000;ports:[31000-31099]"))
                .workDir(work).start();
        scheduler = harness();
    }

    SchedulerHarness harness() throws Exception {
        SchedulerHarness h = new SchedulerHarness(etcd, cluster.masterUrl(), SchedulerHarness.freePort(), null,
                c -> c.capacity.sampleInterval = Duration.ofMillis(200));
        h.await("/v1/leader", l -> l.path("isLeader").asBoolean() && l.path("subscribed").asBoolean(), Duration.ofSeconds(60));
        return h;
    }

    @AfterEach
    void stop() throws Exception {
        scheduler.close();
        cluster.close();
        SchedulerHarness.wipe(etcd);
    }

    @Test
    void aPlannerSeesTotalsUseByServiceAndWhatFitsAndHistorySurvivesARestart() throws Exception {
        assertThat(scheduler.send("POST", "/v1/services", SchedulerOnSimulatedAgentsIT.spec("fx", 3, 512)).statusCode()).isEqualTo(201);
        scheduler.await("/v1/services/fx", s -> SchedulerOnSimulatedAgentsIT.healthy(s, 3), Duration.ofSeconds(30));

        // The master's view is cached for a moment: wait until it shows the launches too.
        JsonNode report = scheduler.await("/v1/capacity", r -> r.path("byService").path("fx").path("instances").asInt() == 3
                && r.path("resources").path("memMb").path("allocated").asLong() == 3 * 640, Duration.ofSeconds(10));
        assertThat(report.path("resources").path("cpus").path("total").asDouble()).isEqualTo(6.0);
        assertThat(report.path("resources").path("memMb").path("total").asLong()).isEqualTo(3 * 4096);
        assertThat(report.path("resources").path("ports").path("total").asLong()).isEqualTo(300);
        // Each fx instance: 0.1 cpus + 0.05 for its executor, 512 + 128 MB, 2 ports + 1 for its executor.
        assertThat(report.path("byService").path("fx").path("resources").path("memMb").asLong()).isEqualTo(3 * 640);
        assertThat(report.path("byTeam").path("payments").path("instances").asInt()).isEqualTo(3);
        assertThat(report.path("resources").path("memMb").path("allocated").asLong()).isEqualTo(3 * 640);
        assertThat(report.path("agents")).hasSize(3);

        // GROUP_BY zone over three zones and 3,456 MB free per agent (640 each): 5 more per agent.
        JsonNode more = scheduler.get("/v1/capacity/what-if?service=fx&count=20");
        assertThat(more.path("fits").asInt()).isEqualTo(15);
        assertThat(more.path("byAgent")).hasSize(3);
        assertThat(more.path("reason").asText()).contains("mem");
        JsonNode shape = scheduler.get("/v1/capacity/what-if?cpus=1.5&memMb=1024&ports=1&count=4");
        assertThat(shape.path("fits").asInt()).isEqualTo(3);

        HttpResponse<String> bad = scheduler.send("GET", "/v1/capacity/what-if?service=nope&cpus=-1", null);
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(SchedulerHarness.JSON.readTree(bad.body()).path("details").findValuesAsText("path"))
                .contains("count", "service");
        // Asking changed nothing.
        assertThat(scheduler.get("/v1/services/fx").path("status").path("active").asInt()).isEqualTo(3);

        HttpResponse<String> text = scheduler.send("GET", "/v1/capacity?format=text", null);
        assertThat(text.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(text.body()).contains("Remit capacity: 3 agents").contains("by service").contains("fx").contains("room for more");

        JsonNode samples = scheduler.await("/v1/capacity/history?hours=1",
                h -> h.size() >= 3 && h.get(h.size() - 1).path("remitInstances").asInt() == 3, Duration.ofSeconds(20));
        int before = samples.size();
        scheduler.close();
        scheduler = harness();
        JsonNode after = scheduler.await("/v1/capacity/history?hours=1", h -> h.size() > before, Duration.ofSeconds(20));
        assertThat(after.get(0).path("at").asText()).isEqualTo(samples.get(0).path("at").asText());
        HttpResponse<String> csv = scheduler.send("GET", "/v1/capacity/history?hours=1&format=csv", null);
        assertThat(csv.body().lines().findFirst()).hasValue(
                "at,cpusTotal,cpusAllocated,memMbTotal,memMbAllocated,diskMbTotal,diskMbAllocated,portsTotal,portsAllocated,remitInstances");
        assertThat(csv.body().lines().count()).isGreaterThan(before);
    }
}
