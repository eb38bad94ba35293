package io.remit.scheduler.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v1/instances/{taskId}/logs} on the real stack (etcd, a localcluster process agent,
 * the executor and a hello JVM): the instance's stdout read through the agent's /files/read,
 * follow receiving a line the instance writes after it was opened, the log of a crashed instance
 * still readable, and bad input refused with a 4xx in the error shape.
 */
@ExtendWith(EtcdExtension.class)
class InstanceLogsIT {

    private static final Duration START = Duration.ofSeconds(90);

    @TempDir
    Path work;
    private RealAgentStack stack;
    private SchedulerHarness scheduler;

    @BeforeEach
    void start(EtcdServer etcd) throws Exception {
        SchedulerHarness.wipe(etcd);
        stack = RealAgentStack.start(work, etcd);
        scheduler = stack.scheduler(SchedulerHarness.freePort());
        scheduler.await("/v1/leader", l -> l.path("isLeader").asBoolean() && l.path("subscribed").asBoolean(),
                Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() {
        if (scheduler != null) {
            scheduler.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void followShowsNewLinesAndTheLogOfACrashedInstanceStaysReadable() throws Exception {
        HttpResponse<String> put = scheduler.send("PUT", "/v1/services/hello", RealAgentStack.helloSpec(1, "0.1.0"));
        assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
        JsonNode instance = scheduler.await("/v1/services/hello/instances", i -> i.size() == 1
                && i.get(0).path("state").asText().equals("HEALTHY"), START).get(0);
        String taskId = instance.path("taskId").asText();
        String logs = "/v1/instances/" + taskId + "/logs";

        JsonNode page = scheduler.get(logs);
        assertThat(page.path("service").asText()).isEqualTo("hello");
        assertThat(page.path("file").asText()).isEqualTo("service.stdout");
        assertThat(page.path("ended").asBoolean()).isFalse();
        assertThat(page.path("data").asText()).as("the service's own start-up lines").contains("Started");
        JsonNode first = scheduler.get(logs + "?offset=0&length=10");
        assertThat(first.path("offset").asLong()).isZero();
        HttpResponse<String> text = scheduler.send("GET", logs + "?format=text", null);
        assertThat(text.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(text.body()).as("format=text, as ./remit logs prints it (the log may have grown since)")
                .startsWith(page.path("data").asText());
        String whole = scheduler.get(logs + "?offset=0&length=1048576").path("data").asText();
        assertThat(first.path("data").asText()).hasSize(10);
        assertThat(whole).startsWith(first.path("data").asText());
        assertThat(first.path("nextOffset").asLong()).isEqualTo(10);

        // Follow, then make the instance write a line: the stream must bring it.
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpClient client = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<Stream<String>>> follow = client.sendAsync(
                HttpRequest.newBuilder(URI.create(scheduler.url + logs + "?follow=true")).build(),
                HttpResponse.BodyHandlers.ofLines());
        HttpResponse<Stream<String>> stream = follow.get(10, TimeUnit.SECONDS);
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        Thread reader = new Thread(() -> stream.body().forEach(lines::add), "log-follower");
        reader.setDaemon(true);
        reader.start();
        String marker = "marker-" + System.nanoTime();
        int httpPort = instance.path("ports").path("http").asInt();
        assertThat(RealAgentStack.get(instance.path("host").asText("127.0.0.1"), httpPort, "/hello?name=" + marker))
                .hasValueSatisfying(r -> assertThat(r.statusCode()).isEqualTo(200));
        awaitLine(lines, l -> l.startsWith("data: ") && l.contains(marker), "the request's log line on the follow stream");

        // The instance crashes: its log stays readable, and the follow stream ends saying how.
        ProcessHandle.of(stack.servicePid(taskId)).orElseThrow().destroyForcibly();
        scheduler.await("/v1/services/hello", s -> s.path("status").path("lastFailure").asText().startsWith(taskId), START);
        JsonNode after = scheduler.get(logs + "?length=4096");
        assertThat(after.path("ended").asBoolean()).isTrue();
        assertThat(after.path("data").asText()).as("the crashed instance's last lines").contains(marker);
        awaitLine(lines, l -> l.equals("event: end"), "the follow stream's end");
        String endData = awaitLine(lines, l -> l.startsWith("data: "), "the end event's data");
        assertThat(endData).contains(taskId).contains("failed");
    }

    @Test
    void badInputIsAClear4xxAndNothingOutsideTheSandboxIsServed() throws Exception {
        HttpResponse<String> put = scheduler.send("PUT", "/v1/services/hello", RealAgentStack.helloSpec(1, "0.1.0"));
        assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
        String taskId = scheduler.await("/v1/services/hello/instances", i -> i.size() == 1
                && i.get(0).path("state").asText().equals("HEALTHY"), START).get(0).path("taskId").asText();
        String logs = "/v1/instances/" + taskId + "/logs";
        for (List<String> c : List.of(
                List.of("?stream=..%2F..%2F..%2Fetc%2Fpasswd", "stream"),
                List.of("?stream=/etc/passwd", "stream"),
                List.of("?offset=-1", "offset"),
                List.of("?offset=abc", "offset"),
                List.of("?length=0", "length"),
                List.of("?length=2000000", "length"),
                List.of("?follow=maybe", "follow"),
                List.of("?follow=true&offset=-3", "offset"),
                List.of("?format=xml", "format"))) {
            HttpResponse<String> r = scheduler.send("GET", logs + c.get(0), null);
            assertThat(r.statusCode()).as(c.get(0) + ": " + r.body()).isEqualTo(400);
            JsonNode body = SchedulerHarness.JSON.readTree(r.body());
            assertThat(body.path("code").asInt()).isEqualTo(400);
            assertThat(body.path("details").get(0).path("path").asText()).as(c.get(0)).isEqualTo(c.get(1));
            assertThat(r.body()).doesNotContain("root:");
        }
        HttpResponse<String> unknown = scheduler.send("GET", "/v1/instances/hello.nosuch/logs", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(SchedulerHarness.JSON.readTree(unknown.body()).path("message").asText()).contains("hello.nosuch");
        HttpResponse<String> dots = scheduler.send("GET", "/v1/instances/..%2F..%2Fetc/logs", null);
        assertThat(dots.statusCode()).isBetween(400, 404);
        assertThat(dots.body()).doesNotContain("root:");
    }

    private static String awaitLine(BlockingQueue<String> lines, java.util.function.Predicate<String> ok, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        StringBuilder seen = new StringBuilder();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                break;
            }
            if (ok.test(line)) {
                return line;
            }
            seen.append(line.length() > 200 ? line.substring(0, 200) + "..." : line).append('\n');
        }
        throw new AssertionError("not within 20 s: " + what + "; the stream said:\n" + seen);
    }
}
