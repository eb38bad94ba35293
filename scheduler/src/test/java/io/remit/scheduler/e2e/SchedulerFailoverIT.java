package io.remit.scheduler.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.localcluster.LocalCluster;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Two schedulers: one leads, the standby serves reads and redirects writes, and takes over without relaunching anything. */
@ExtendWith(EtcdExtension.class)
class SchedulerFailoverIT {

    @TempDir
    Path work;

    @Test
    void theStandbyTakesOverAndAdoptsEveryInstance(EtcdServer etcd) throws Exception {
        try (LocalCluster cluster = LocalCluster.builder().freePorts().agents(0).simulatedAgents(2)
                .zones(java.util.List.of("a", "b")).workDir(work).start()) {
            SchedulerHarness a = new SchedulerHarness(etcd, cluster.masterUrl(), SchedulerHarness.freePort(), null);
            a.await("/v1/leader", l -> l.path("isLeader").asBoolean(), Duration.ofSeconds(20));
            SchedulerHarness b = new SchedulerHarness(etcd, cluster.masterUrl(), SchedulerHarness.freePort(), null);
            try {
                JsonNode leaderSeenByB = b.await("/v1/leader", l -> !l.path("leader").isNull(), Duration.ofSeconds(10));
                assertThat(leaderSeenByB.path("leader").asText()).isEqualTo(a.url);
                assertThat(leaderSeenByB.path("isLeader").asBoolean()).isFalse();

                HttpResponse<String> write = b.send("POST", "/v1/services",
                        SchedulerOnSimulatedAgentsIT.spec("fx", 4, 64));
                assertThat(write.statusCode()).as("a standby redirects writes").isEqualTo(307);
                assertThat(write.headers().firstValue("Location")).hasValue(a.url + "/v1/services");
                HttpResponse<String> followed = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()
                        .send(HttpRequest.newBuilder(URI.create(b.url + "/v1/services"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(SchedulerOnSimulatedAgentsIT.spec("fx", 4, 64)))
                                .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(followed.statusCode()).as(followed.body()).isEqualTo(201);
                a.await("/v1/services/fx", s -> SchedulerOnSimulatedAgentsIT.healthy(s, 4), Duration.ofSeconds(20));
                JsonNode fromStandby = b.await("/v1/services/fx/instances", i -> i.size() == 4, Duration.ofSeconds(10));
                Set<String> before = new HashSet<>();
                fromStandby.forEach(i -> before.add(i.path("taskId").asText()));

                long start = System.nanoTime();
                a.close();
                b.await("/v1/leader", l -> l.path("isLeader").asBoolean() && l.path("subscribed").asBoolean(),
                        Duration.ofSeconds(15));
                double tookSeconds = (System.nanoTime() - start) / 1e9;
                JsonNode fx = b.await("/v1/services/fx", s -> SchedulerOnSimulatedAgentsIT.healthy(s, 4), Duration.ofSeconds(20));
                Set<String> after = new HashSet<>();
                b.get("/v1/services/fx/instances").forEach(i -> after.add(i.path("taskId").asText()));
                assertThat(after).as("nothing relaunched after failover").isEqualTo(before);
                assertThat(fx.path("status").path("state").asText()).isEqualTo("running");
                assertThat(tookSeconds).as("standby leads within seconds").isLessThan(15);
            } finally {
                b.close();
            }
        }
    }
}
