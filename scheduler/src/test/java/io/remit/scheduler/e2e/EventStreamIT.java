package io.remit.scheduler.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.localcluster.LocalCluster;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /v1/events} as an SSE client sees it: live events, and resume with Last-Event-ID. */
@ExtendWith(EtcdExtension.class)
class EventStreamIT {

    @TempDir
    Path work;
    LocalCluster cluster;
    SchedulerHarness scheduler;

    @BeforeEach
    void start(EtcdServer etcd) throws Exception {
        cluster = LocalCluster.builder().freePorts().agents(0).simulatedAgents(3)
                .zones(List.of("a", "b", "c")).workDir(work).start();
        scheduler = new SchedulerHarness(etcd, cluster.masterUrl(), SchedulerHarness.freePort(), null);
        scheduler.await("/v1/leader", l -> l.path("isLeader").asBoolean() && l.path("subscribed").asBoolean(),
                Duration.ofSeconds(60));
    }

    @AfterEach
    void stop() {
        scheduler.close();
        cluster.close();
    }

    /** One SSE event as read off the wire. */
    record Sse(String id, String event, JsonNode data) {
    }

    /** Reads the stream on a thread of its own into a queue. */
    static BlockingQueue<Sse> listen(String url, String lastEventId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<java.io.InputStream> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        BlockingQueue<Sse> queue = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                String id = null;
                String event = null;
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("id: ")) {
                        id = line.substring(4);
                    } else if (line.startsWith("event: ")) {
                        event = line.substring(7);
                    } else if (line.startsWith("data: ") && event != null) {
                        queue.add(new Sse(id, event, SchedulerHarness.JSON.readTree(line.substring(6))));
                    } else if (line.isEmpty()) {
                        id = null;
                        event = null;
                    }
                }
            } catch (Exception e) {
                // the test ended and closed the stream
            }
        }, "sse-reader");
        reader.setDaemon(true);
        reader.start();
        return queue;
    }

    static List<Sse> until(BlockingQueue<Sse> queue, String type, String service) throws InterruptedException {
        List<Sse> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Sse e = queue.poll(100, TimeUnit.MILLISECONDS);
            if (e != null) {
                seen.add(e);
                if (e.event().equals(type) && service.equals(e.data().path("data").path("service").asText())) {
                    return seen;
                }
            }
        }
        throw new AssertionError("no " + type + " of " + service + " within 30 s; saw " + seen);
    }

    @Test
    void anOperatorSeesAServiceComeUpLiveAndCatchesUpAfterReconnecting() throws Exception {
        BlockingQueue<Sse> live = listen(scheduler.url + "/v1/events", null);
        assertThat(scheduler.send("POST", "/v1/services", SchedulerOnSimulatedAgentsIT.spec("fx", 2, 128)).statusCode())
                .isEqualTo(201);
        List<Sse> seen = until(live, "instance.healthy", "fx");
        assertThat(seen).extracting(Sse::event).contains("service.created", "instance.launched");
        Sse healthy = seen.get(seen.size() - 1);
        assertThat(healthy.data().path("data").path("taskId").asText()).startsWith("fx");
        assertThat(healthy.data().path("type").asText()).isEqualTo("instance.healthy");
        assertThat(Long.parseLong(healthy.id())).isEqualTo(healthy.data().path("id").asLong());

        // A client that saw up to the service's creation and reconnects gets everything after it.
        String createdId = seen.stream().filter(s -> s.event().equals("service.created")).findFirst().orElseThrow().id();
        BlockingQueue<Sse> resumed = listen(scheduler.url + "/v1/events", createdId);
        List<Sse> replay = until(resumed, "instance.healthy", "fx");
        assertThat(replay).extracting(Sse::event).doesNotContain("service.created").contains("instance.launched");
        assertThat(Long.parseLong(replay.get(0).id())).isEqualTo(Long.parseLong(createdId) + 1);

        // A filtered stream sees only its service's events.
        BlockingQueue<Sse> onlyPayments = listen(scheduler.url + "/v1/events?service=payments", null);
        scheduler.send("POST", "/v1/services", SchedulerOnSimulatedAgentsIT.spec("payments", 1, 128));
        scheduler.send("PUT", "/v1/services/fx", SchedulerOnSimulatedAgentsIT.spec("fx", 3, 128));
        List<Sse> payments = until(onlyPayments, "instance.healthy", "payments");
        assertThat(payments).allSatisfy(e -> assertThat(e.data().path("data").path("service").asText()).isEqualTo("payments"));

        // ?recent=N (what the web UI opens with): the newest N kept events of the filter first, then live ones.
        BlockingQueue<Sse> recent = listen(scheduler.url + "/v1/events?service=fx&recent=2", null);
        Sse first = recent.poll(10, TimeUnit.SECONDS);
        Sse second = recent.poll(10, TimeUnit.SECONDS);
        assertThat(first).isNotNull();
        assertThat(second).isNotNull();
        assertThat(List.of(first, second)).allSatisfy(e ->
                assertThat(e.data().path("data").path("service").asText()).isEqualTo("fx"));
        assertThat(Long.parseLong(first.id())).isLessThan(Long.parseLong(second.id()));
        scheduler.send("POST", "/v1/services/fx/restart", null);
        List<Sse> afterRestart = until(recent, "instance.launched", "fx");
        assertThat(Long.parseLong(afterRestart.get(afterRestart.size() - 1).id())).isGreaterThan(Long.parseLong(second.id()));
        HttpResponse<String> bad = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(scheduler.url + "/v1/events?recent=5000")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("\"path\":\"recent\"");
    }
}
