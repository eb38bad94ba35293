package io.remit.scheduler.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.localcluster.LocalCluster;
import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.EtcdSettings;
import io.remit.scheduler.state.EtcdSpecStore;
import io.remit.scheduler.state.Revision;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A change acknowledged is never without its revision: the scheduler (its shaded jar, in a process
 * of its own) is killed with SIGKILL the moment it answers a spec change, and etcd holds the new
 * spec and its revision both. This holds by construction (EtcdSpecStore writes the two in one
 * etcd transaction before it answers); the test shows it the way an operator would meet it.
 */
@ExtendWith(EtcdExtension.class)
class RevisionKillIT {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path work;

    @Test
    void aSchedulerKilledRightAfterAnsweringAChangeLeavesTheSpecAndItsRevision(EtcdServer etcd) throws Exception {
        Path specs = Files.createDirectories(work.resolve("specs"));
        try (LocalCluster cluster = LocalCluster.builder().freePorts().agents(0).simulatedAgents(1)
                .workDir(work.resolve("cluster")).start();
             Etcd client = Etcd.connect(EtcdSettings.of(etcd.endpoint()))) {
            EtcdSpecStore store = new EtcdSpecStore(client);
            for (int round = 1; round <= 2; round++) {
                int port = SchedulerHarness.freePort();
                Process scheduler = start(etcd, cluster.masterUrl(), specs, port, round);
                try {
                    String url = "http://127.0.0.1:" + port;
                    awaitLeader(url, scheduler);
                    HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/v1/services/fx"))
                            .header("Content-Type", "application/json").header("X-Remit-Message", "round " + round)
                            .PUT(HttpRequest.BodyPublishers.ofString(spec("1.0." + round))).build(),
                            HttpResponse.BodyHandlers.ofString());
                    scheduler.destroyForcibly();   // SIGKILL, as soon as the answer is in
                    assertThat(answer.statusCode()).as(answer.body()).isIn(200, 201);
                    assertThat(answer.headers().firstValue("X-Remit-Revision")).contains(String.valueOf(round));
                } finally {
                    scheduler.destroyForcibly();
                    scheduler.waitFor();
                }
                assertThat(store.get("fx").orElseThrow().spec().version()).isEqualTo("1.0." + round);
                List<Revision> revisions = store.revisions("fx");
                assertThat(revisions).hasSize(round);
                assertThat(revisions.get(0).number()).isEqualTo(round);
                assertThat(revisions.get(0).message()).isEqualTo("round " + round);
                assertThat(revisions.get(0).spec().version()).isEqualTo("1.0." + round);
            }
        } finally {
            SchedulerHarness.wipe(etcd);
        }
    }

    static String spec(String version) {
        return """
                {"id":"fx","version":"%s","artifacts":["{{artifacts}}/svc.jar"],"instances":1,
                 "resources":{"cpus":0.1,"memMb":64,"diskMb":0,"ports":["http","admin"]}}""".formatted(version);
    }

    Process start(EtcdServer etcd, String master, Path specs, int port, int round) throws Exception {
        Path var = Files.createDirectories(work.resolve("var-" + round));
        ProcessBuilder pb = new ProcessBuilder("java", "-jar", System.getProperty("remit.scheduler.jar"), "server",
                System.getProperty("remit.scheduler.config"))
                .redirectErrorStream(true).redirectOutput(var.resolve("scheduler.out").toFile());
        pb.environment().putAll(Map.of("REMIT_PORT", String.valueOf(port),
                "REMIT_ADMIN_PORT", String.valueOf(SchedulerHarness.freePort()), "MESOS_MASTER", master,
                "ETCD_ENDPOINT", etcd.endpoint(), "REMIT_SPECS", specs.toString(), "REMIT_VAR", var.toString(),
                "REMIT_AUTH", "false", "REMIT_LEADER_TTL", "PT3S"));
        return pb.start();
    }

    /** Until this scheduler leads (the one killed before held the lease for up to 3 s more). */
    static void awaitLeader(String url, Process scheduler) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            assertThat(scheduler.isAlive()).as("the scheduler runs").isTrue();
            assertThat(System.nanoTime() - deadline).as("it leads within 90 s").isNegative();
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/v1/leader")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && SchedulerHarness.JSON.readTree(r.body()).path("isLeader").asBoolean()) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
    }
}
