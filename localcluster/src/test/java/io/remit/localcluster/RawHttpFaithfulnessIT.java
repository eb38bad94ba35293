package io.remit.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives localcluster exactly as the Mesos scheduler HTTP API docs show, with raw JSON over
 * HTTP and RecordIO read by hand: SUBSCRIBE, OFFERS, ACCEPT a LAUNCH of a {@code sleep}
 * command, TASK_RUNNING, ACKNOWLEDGE, KILL, TASK_KILLED.
 */
class RawHttpFaithfulnessIT {

    @TempDir
    Path work;
    LocalCluster cluster;
    RawScheduler scheduler;

    @BeforeEach
    void start() throws Exception {
        cluster = LocalCluster.builder().freePorts().workDir(work).start();
        scheduler = new RawScheduler(cluster.masterUrl());
    }

    @AfterEach
    void stop() throws Exception {
        scheduler.close();
        cluster.close();
    }

    @Test
    void launchesAcknowledgesAndKillsASleepTaskAsTheDocsDescribe() throws Exception {
        JsonNode subscribed = scheduler.subscribe("{\"user\":\"root\",\"name\":\"raw\"}");
        assertThat(subscribed.path("type").asText()).isEqualTo("SUBSCRIBED");
        assertThat(subscribed.path("subscribed").path("heartbeat_interval_seconds").asDouble()).isEqualTo(15.0);
        assertThat(scheduler.streamId).isNotBlank();
        assertThat(scheduler.nextOfType("HEARTBEAT")).isNotNull();

        JsonNode offers = scheduler.nextOfType("OFFERS");
        JsonNode offer = offers.path("offers").path("offers").get(0);
        assertThat(names(offer.path("resources"))).contains("cpus", "mem", "disk", "ports");
        JsonNode ports = find(offer.path("resources"), "ports").path("ranges").path("range").get(0);
        assertThat(ports.path("begin").isNumber()).as("uint64 printed as a JSON number").isTrue();
        // 31000 unless some process on the host holds the lowest ports: those are not offered.
        assertThat(ports.path("begin").asLong()).isBetween(31000L, 32000L);

        HttpResponse<String> accepted = scheduler.call(RawScheduler.launch(scheduler.frameworkId, offer, "sleeper",
                RawScheduler.scalars(0.1, 32), "sleep 1000"));
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(accepted.body()).isEmpty();

        JsonNode starting = scheduler.update("sleeper", "TASK_STARTING");
        assertThat(starting.path("update").path("status").path("uuid").asText()).isNotEmpty();
        scheduler.acknowledge(starting);
        JsonNode running = scheduler.update("sleeper", "TASK_RUNNING");
        assertThat(running.path("update").path("status").path("source").asText()).isEqualTo("SOURCE_EXECUTOR");
        scheduler.acknowledge(running);

        JsonNode task = scheduler.state().path("frameworks").get(0).path("tasks").get(0);
        assertThat(task.path("id").asText()).isEqualTo("sleeper");
        assertThat(task.path("state").asText()).isEqualTo("TASK_RUNNING");
        assertThat(task.path("executor_id").asText()).isEmpty();

        HttpResponse<String> kill = scheduler.call("""
                {"type":"KILL","framework_id":{"value":"%s"},"kill":{"task_id":{"value":"sleeper"}}}"""
                .formatted(scheduler.frameworkId));
        assertThat(kill.statusCode()).isEqualTo(202);
        JsonNode killed = scheduler.update("sleeper", "TASK_KILLED");
        assertThat(killed.path("update").path("status").path("message").asText())
                .isEqualTo("Command terminated with signal Terminated");
        scheduler.acknowledge(killed);

        JsonNode after = scheduler.state().path("frameworks").get(0);
        assertThat(after.path("tasks")).isEmpty();
        assertThat(after.path("completed_tasks").get(0).path("state").asText()).isEqualTo("TASK_KILLED");
        assertThat(after.path("used_resources").path("cpus").asDouble()).isZero();
    }

    static java.util.List<String> names(JsonNode resources) {
        java.util.List<String> names = new java.util.ArrayList<>();
        resources.forEach(r -> names.add(r.path("name").asText()));
        return names;
    }

    static JsonNode find(JsonNode resources, String name) {
        for (JsonNode r : resources) {
            if (r.path("name").asText().equals(name)) {
                return r;
            }
        }
        throw new AssertionError("no resource " + name + " in " + resources);
    }
}
