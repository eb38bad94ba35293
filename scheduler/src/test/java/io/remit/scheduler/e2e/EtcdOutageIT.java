package io.remit.scheduler.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.localcluster.LocalCluster;
import io.remit.scheduler.EtcdPause;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** etcd stops answering (SIGSTOP: connections stay open, nothing comes back); reads of the services still answer at once. */
@ExtendWith(EtcdExtension.class)
class EtcdOutageIT {

    @TempDir
    Path work;

    @Test
    void theServicesAreAnsweredAtOnceFromTheLastKnownStateSayingHowOldItIs(EtcdServer etcd) throws Exception {
        SchedulerHarness.wipe(etcd);
        try (LocalCluster cluster = LocalCluster.builder().freePorts().agents(0).simulatedAgents(1)
                .zones(List.of("a")).workDir(work).start()) {
            SchedulerHarness scheduler = new SchedulerHarness(etcd, cluster.masterUrl(), SchedulerHarness.freePort(), null);
            try {
                scheduler.await("/v1/leader", l -> l.path("isLeader").asBoolean() && l.path("subscribed").asBoolean(),
                        Duration.ofSeconds(30));
                HttpResponse<String> created = scheduler.send("POST", "/v1/services",
                        SchedulerOnSimulatedAgentsIT.spec("fx", 2, 64));
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                scheduler.await("/v1/services/fx", s -> SchedulerOnSimulatedAgentsIT.healthy(s, 2), Duration.ofSeconds(20));

                EtcdPause.pause(etcd);
                // Past the leader's lease (5 s here): it stops leading, and its reads must come from
                // what it knew last, not from etcd after etcd's 5 s request timeout.
                List<String> slow = new ArrayList<>();
                String age = null;
                long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (System.nanoTime() - end < 0) {
                    long start = System.nanoTime();
                    HttpResponse<String> r = scheduler.send("GET", "/v1/services", null);
                    Duration took = Duration.ofNanos(System.nanoTime() - start);
                    if (took.compareTo(Duration.ofSeconds(1)) >= 0) {
                        slow.add(took.toMillis() + " ms: " + r.statusCode());
                    }
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                    JsonNode services = SchedulerHarness.JSON.readTree(r.body());
                    assertThat(services).hasSize(1);
                    assertThat(services.get(0).path("id").asText()).isEqualTo("fx");
                    assertThat(services.get(0).path("status").path("healthy").asInt()).isEqualTo(2);
                    age = r.headers().firstValue("X-Remit-State-Age").orElse(age);
                    LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
                }
                assertThat(slow).as("answers that took a second or more").isEmpty();
                assertThat(age).as("once the state is no longer current, the answer says how old it is").isNotNull();
                assertThat(Long.parseLong(age)).isPositive();

                HttpResponse<String> one = scheduler.send("GET", "/v1/services/fx", null);
                assertThat(one.statusCode()).isEqualTo(200);
                assertThat(one.headers().firstValue("X-Remit-State-Age")).isPresent();
            } finally {
                EtcdPause.resume(etcd);
                scheduler.close();
            }
        }
    }

    @Test
    void readsThatNeedEtcdAnswer503WithRetryAfterInTheErrorShapeNot500(EtcdServer etcd) throws Exception {
        SchedulerHarness.wipe(etcd);
        try (LocalCluster cluster = LocalCluster.builder().freePorts().agents(0).simulatedAgents(1)
                .zones(List.of("a")).workDir(work).start()) {
            SchedulerHarness scheduler = new SchedulerHarness(etcd, cluster.masterUrl(), SchedulerHarness.freePort(), null);
            try {
                scheduler.await("/v1/leader", l -> l.path("isLeader").asBoolean(), Duration.ofSeconds(30));
                HttpResponse<String> created = scheduler.send("POST", "/v1/services",
                        SchedulerOnSimulatedAgentsIT.spec("fx", 1, 64));
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

                EtcdPause.pause(etcd);
                List<String> wrong = new ArrayList<>();
                for (String path : List.of("/v1/deployments", "/v1/deployments/dep-1", "/v1/releases",
                        "/v1/releases/rel-1", "/v1/experiments", "/v1/experiments/e1", "/v1/services/fx/revisions")) {
                    HttpResponse<String> r = scheduler.send("GET", path, null);
                    JsonNode body = r.body().isBlank() ? null : SchedulerHarness.JSON.readTree(r.body());
                    boolean shaped = body != null && body.path("code").asInt() == 503
                            && body.path("message").asText().contains("etcd") && body.path("details").isArray()
                            && !r.body().contains("Exception");
                    if (r.statusCode() != 503 || r.headers().firstValue("Retry-After").isEmpty() || !shaped) {
                        wrong.add("GET " + path + " -> " + r.statusCode() + " " + r.headers().firstValue("Retry-After")
                                + " " + r.body());
                    }
                }
                HttpResponse<String> marathon = scheduler.send("GET", "/v2/apps/fx/versions", null);
                if (marathon.statusCode() != 503 || marathon.headers().firstValue("Retry-After").isEmpty()) {
                    wrong.add("GET /v2/apps/fx/versions -> " + marathon.statusCode() + " " + marathon.body());
                }
                assertThat(wrong).as("answers while etcd does not answer").isEmpty();
            } finally {
                EtcdPause.resume(etcd);
                scheduler.close();
            }
        }
    }
}
