package io.remit.localcluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.localcluster.LocalClusterMain;
import io.remit.mesos.MediaType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code REMIT_LOG_FORMAT=json}: localcluster, run as its own JVM, writes every log line of a
 * start, a task's life and a stop as one JSON object with the services' field names and its own
 * identity; what it prints for scripts stays on stdout.
 */
class JsonLogIT {

    @TempDir
    Path work;
    private Process cluster;
    private RecordingScheduler scheduler;

    @AfterEach
    void stop() throws Exception {
        if (scheduler != null) {
            scheduler.close();
        }
        if (cluster != null && cluster.isAlive()) {
            cluster.destroyForcibly();
            cluster.waitFor();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void everyLineOfItsLogIsAJsonObjectWithTheServicesFields() throws Exception {
        int masterPort = freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                LocalClusterMain.class.getName(), "--port", Integer.toString(masterPort),
                "--agent-port", Integer.toString(freePort()), "--work-dir", work.resolve("lc").toString(),
                "--resources", "cpus:2;mem:2048;disk:1000;ports:[31000-31099]");
        pb.environment().put("REMIT_LOG_FORMAT", "json");
        pb.redirectOutput(work.resolve("stdout").toFile()).redirectError(work.resolve("stderr").toFile());
        cluster = pb.start();
        String master = "http://127.0.0.1:" + masterPort;
        Await.until("localcluster to serve", Duration.ofSeconds(30), () -> {
            try {
                HttpResponse<String> r = ClusterHttp.CLIENT.send(HttpRequest.newBuilder(URI.create(master + "/state")).build(),
                        HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200 && ClusterHttp.JSON.readTree(r.body()).path("slaves").size() == 1;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        scheduler = RecordingScheduler.start(RecordingScheduler.config(master, MediaType.PROTOBUF,
                RecordingScheduler.framework("json-logs")).build());
        Offer offer = scheduler.offer();
        scheduler.send(Tasks.launch(offer, Tasks.command(offer, "short", "echo done")));
        scheduler.reach("short", TaskState.TASK_FINISHED);
        scheduler.close();
        scheduler = null;
        cluster.destroy(); // SIGTERM: the shutdown hook logs its stop
        assertThat(cluster.waitFor(30, TimeUnit.SECONDS)).isTrue();

        List<String> lines = Files.readAllLines(work.resolve("stderr"));
        assertThat(lines).as("log lines").hasSizeGreaterThan(3);
        for (String line : lines) {
            JsonNode json;
            try {
                json = ClusterHttp.JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("not a JSON object: " + line, e);
            }
            assertThat(json.isObject()).as(line).isTrue();
            for (String field : List.of("timestamp", "level", "thread", "logger", "message", "version")) {
                assertThat(json.path(field).asText()).as(field + " in " + line).isNotBlank();
            }
            assertThat(json.path("service").asText()).as(line).isEqualTo("localcluster");
            assertThat(json.path("instance").asText()).as(line).isEqualTo("127.0.0.1:" + masterPort);
        }
        assertThat(lines).anyMatch(l -> l.contains("Launching task short")).anyMatch(l -> l.contains("Stopping localcluster"));
        assertThat(Files.readString(work.resolve("stdout"))).startsWith("localcluster master listening on " + master);
    }
}
