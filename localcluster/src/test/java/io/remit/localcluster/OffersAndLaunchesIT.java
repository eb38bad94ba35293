package io.remit.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.localcluster.resources.ResourceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Offers, filters and launches behave as on a Mesos master: bad launches end in the right terminal update. */
class OffersAndLaunchesIT {

    @TempDir
    Path work;
    LocalCluster cluster;
    RawScheduler s;

    @BeforeEach
    void start() throws Exception {
        cluster = LocalCluster.builder().freePorts().workDir(work)
                .resources(ResourceSpec.parse("cpus:2;mem:1024;disk:1000;ports:[31000-31009]"))
                .updateRetry(Duration.ofMillis(300)).start();
        s = new RawScheduler(cluster.masterUrl());
    }

    @AfterEach
    void stop() throws Exception {
        s.close();
        cluster.close();
    }

    private JsonNode offer() throws InterruptedException {
        return s.nextOfType("OFFERS").path("offers").path("offers").get(0);
    }

    private void accept(String json) throws Exception {
        assertThat(s.call(json).statusCode()).isEqualTo(202);
    }

    @Test
    void aTaskAskingForMoreThanItsOfferGetsTaskErrorAndTheResourcesComeBack() throws Exception {
        s.subscribe("{\"user\":\"u\",\"name\":\"n\"}");
        JsonNode offer = offer();
        accept(RawScheduler.launch(s.frameworkId, offer, "greedy", RawScheduler.scalars(3, 64), "sleep 1000"));
        JsonNode error = s.update("greedy", "TASK_ERROR");
        JsonNode status = error.path("update").path("status");
        assertThat(status.path("reason").asText()).isEqualTo("REASON_TASK_INVALID");
        assertThat(status.path("source").asText()).isEqualTo("SOURCE_MASTER");
        assertThat(status.path("message").asText()).contains("more than available").contains("cpus:3");
        assertThat(status.has("uuid")).as("master-made updates need no acknowledgement").isFalse();
        JsonNode again = offer();
        assertThat(OfferJson.scalar(again, "cpus")).isEqualTo(2.0);
    }

    @Test
    void portsOutsideTheOfferedRangesAreInvalid() throws Exception {
        s.subscribe("{\"user\":\"u\",\"name\":\"n\"}");
        JsonNode offer = offer();
        String resources = """
                [{"name":"cpus","type":"SCALAR","scalar":{"value":0.1}},
                 {"name":"ports","type":"RANGES","ranges":{"range":[{"begin":40000,"end":40000}]}}]""";
        accept(RawScheduler.launch(s.frameworkId, offer, "porty", resources, "sleep 1000"));
        JsonNode status = s.update("porty", "TASK_ERROR").path("update").path("status");
        assertThat(status.path("reason").asText()).isEqualTo("REASON_TASK_INVALID");
        assertThat(status.path("message").asText()).contains("ports:[40000-40000]");
    }

    @Test
    void aLaunchOnAnOfferThatIsGoneIsLostOrDroppedForPartitionAwareFrameworks() throws Exception {
        s.subscribe("{\"user\":\"u\",\"name\":\"n\"}");
        JsonNode offer = offer();
        accept(RawScheduler.launch(s.frameworkId, offer, "first", RawScheduler.scalars(0.1, 32), "sleep 1000"));
        s.update("first", "TASK_STARTING");
        accept(RawScheduler.launch(s.frameworkId, offer, "reused", RawScheduler.scalars(0.1, 32), "sleep 1000"));
        JsonNode lost = s.update("reused", "TASK_LOST").path("update").path("status");
        assertThat(lost.path("reason").asText()).isEqualTo("REASON_INVALID_OFFERS");
        assertThat(lost.path("message").asText()).startsWith("Task launched with invalid offers: Offer ")
                .endsWith("is no longer valid");

        RawScheduler aware = new RawScheduler(cluster.masterUrl());
        aware.subscribe("{\"user\":\"u\",\"name\":\"pa\",\"capabilities\":[{\"type\":\"PARTITION_AWARE\"}]}");
        String bogus = RawScheduler.launch(aware.frameworkId, offer, "dropped", RawScheduler.scalars(0.1, 32), "true");
        assertThat(aware.call(bogus).statusCode()).isEqualTo(202);
        JsonNode dropped = aware.update("dropped", "TASK_DROPPED").path("update").path("status");
        assertThat(dropped.path("reason").asText()).isEqualTo("REASON_INVALID_OFFERS");
        aware.close();
        assertThat(s.state().path("frameworks").findValues("tasks").toString()).doesNotContain("reused", "dropped");
    }

    @Test
    void declineFiltersHoldUntilReviveAndSuppressStopsOffers() throws Exception {
        s.subscribe("{\"user\":\"u\",\"name\":\"n\"}");
        JsonNode offer = offer();
        accept("""
                {"type":"DECLINE","framework_id":{"value":"%s"},
                 "decline":{"offer_ids":[{"value":"%s"}],"filters":{"refuse_seconds":3600.0}}}"""
                .formatted(s.frameworkId, offer.path("id").path("value").asText()));
        s.expectNone(e -> e.path("type").asText().equals("OFFERS"), Duration.ofMillis(2500));
        accept("{\"type\":\"REVIVE\",\"framework_id\":{\"value\":\"" + s.frameworkId + "\"}}");
        JsonNode revived = offer();
        accept("{\"type\":\"SUPPRESS\",\"framework_id\":{\"value\":\"" + s.frameworkId + "\"}}");
        accept("""
                {"type":"DECLINE","framework_id":{"value":"%s"},
                 "decline":{"offer_ids":[{"value":"%s"}],"filters":{"refuse_seconds":0.0}}}"""
                .formatted(s.frameworkId, revived.path("id").path("value").asText()));
        s.expectNone(e -> e.path("type").asText().equals("OFFERS"), Duration.ofMillis(2500));
        accept("{\"type\":\"REVIVE\",\"framework_id\":{\"value\":\"" + s.frameworkId + "\"}}");
        assertThat(offer().path("id").path("value").asText()).isNotEqualTo(revived.path("id").path("value").asText());
    }

    @Test
    void anUnacknowledgedUpdateIsResentWithTheSameUuidAndLaterOnesWaitBehindIt() throws Exception {
        s.subscribe("{\"user\":\"u\",\"name\":\"n\"}");
        accept(RawScheduler.launch(s.frameworkId, offer(), "t", RawScheduler.scalars(0.1, 32), "sleep 1000"));
        JsonNode first = s.update("t", "TASK_STARTING");
        JsonNode resent = s.update("t", "TASK_STARTING");
        assertThat(resent.path("update").path("status").path("uuid").asText())
                .isEqualTo(first.path("update").path("status").path("uuid").asText());
        s.acknowledge(resent);
        JsonNode running = s.update("t", "TASK_RUNNING");
        s.acknowledge(running);
        s.expectNone(e -> e.path("type").asText().equals("UPDATE"), Duration.ofSeconds(1));
    }

    @Test
    void commandsThatExitEndFinishedOrFailedWithTheExitStatus() throws Exception {
        s.subscribe("{\"user\":\"u\",\"name\":\"n\"}");
        JsonNode offer = offer();
        String ok = RawScheduler.launch(s.frameworkId, offer, "ok", RawScheduler.scalars(0.1, 32), "true");
        accept(ok.replace("\"filters\":{\"refuse_seconds\":0.0}", "\"filters\":{\"refuse_seconds\":0.0}").replace(
                "]}}],", "]}},{\"type\":\"LAUNCH\",\"launch\":{\"task_infos\":[{\"name\":\"bad\",\"task_id\":{\"value\":\"bad\"},"
                        + "\"agent_id\":{\"value\":\"" + offer.path("agent_id").path("value").asText() + "\"},"
                        + "\"resources\":" + RawScheduler.scalars(0.1, 32) + ",\"command\":{\"value\":\"exit 3\"}}]}}],"));
        JsonNode finished = s.reach("ok", "TASK_FINISHED").path("update").path("status");
        assertThat(finished.path("message").asText()).isEqualTo("Command exited with status 0");
        JsonNode failed = s.reach("bad", "TASK_FAILED").path("update").path("status");
        assertThat(failed.path("message").asText()).isEqualTo("Command exited with status 3");
    }

    @Test
    void urisAreFetchedIntoTheSandboxAndAMissingOneFailsTheTask() throws Exception {
        Path script = work.resolve("hello.sh");
        Files.writeString(script, "#!/bin/sh\necho hello from the sandbox > proof.txt\n");
        s.subscribe("{\"user\":\"u\",\"name\":\"n\"}");
        JsonNode offer = offer();
        String launch = RawScheduler.launch(s.frameworkId, offer, "fetched", RawScheduler.scalars(0.1, 32), "./hello.sh")
                .replace("\"command\":{", "\"command\":{\"uris\":[{\"value\":\"" + script.toUri() + "\",\"executable\":true}],");
        accept(launch);
        s.reach("fetched", "TASK_FINISHED");
        try (var files = Files.walk(work)) {
            Path proof = files.filter(p -> p.getFileName().toString().equals("proof.txt")).findFirst().orElseThrow();
            assertThat(Files.readString(proof)).contains("hello from the sandbox");
            assertThat(proof.getParent().resolve("stdout")).exists();
        }
        JsonNode next = offer();
        String missing = RawScheduler.launch(s.frameworkId, next, "nofile", RawScheduler.scalars(0.1, 32), "true")
                .replace("\"command\":{", "\"command\":{\"uris\":[{\"value\":\"file:///nonexistent/app.jar\"}],");
        accept(missing);
        JsonNode failed = s.reach("nofile", "TASK_FAILED").path("update").path("status");
        assertThat(failed.path("reason").asText()).isEqualTo("REASON_CONTAINER_LAUNCH_FAILED");
        assertThat(failed.path("message").asText()).contains("/nonexistent/app.jar");
    }

    @Test
    void httpUrisAreDownloadedAndArchivesExtracted() throws Exception {
        Path dir = Files.createDirectories(work.resolve("served"));
        Files.writeString(dir.resolve("app.txt"), "from an archive");
        Process tar = new ProcessBuilder("tar", "-C", dir.toString(), "-czf", work.resolve("app.tar.gz").toString(), "app.txt")
                .start();
        assertThat(tar.waitFor()).isZero();
        com.sun.net.httpserver.HttpServer files = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        files.createContext("/app.tar.gz", ex -> {
            byte[] body = Files.readAllBytes(work.resolve("app.tar.gz"));
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        files.start();
        try {
            s.subscribe("{\"user\":\"u\",\"name\":\"n\"}");
            String url = "http://127.0.0.1:" + files.getAddress().getPort();
            String launch = RawScheduler.launch(s.frameworkId, offer(), "web", RawScheduler.scalars(0.1, 32),
                    "grep -q 'from an archive' app.txt").replace("\"command\":{",
                    "\"command\":{\"uris\":[{\"value\":\"" + url + "/app.tar.gz\"}],");
            accept(launch);
            s.reach("web", "TASK_FINISHED");
            String missing = RawScheduler.launch(s.frameworkId, offer(), "web404", RawScheduler.scalars(0.1, 32), "true")
                    .replace("\"command\":{", "\"command\":{\"uris\":[{\"value\":\"" + url + "/nothing.jar\"}],");
            accept(missing);
            JsonNode failed = s.reach("web404", "TASK_FAILED").path("update").path("status");
            assertThat(failed.path("message").asText()).contains("nothing.jar").contains("HTTP 404");
        } finally {
            files.stop(0);
        }
    }

    @Test
    void teardownKillsEveryTaskAndRemovesTheFramework() throws Exception {
        s.subscribe("{\"user\":\"u\",\"name\":\"n\",\"failover_timeout\":60.0}");
        accept(RawScheduler.launch(s.frameworkId, offer(), "long", RawScheduler.scalars(0.1, 32),
                "echo $$ > pid && exec sleep 1000"));
        s.reach("long", "TASK_RUNNING");
        long pid = sandboxPid();
        accept("{\"type\":\"TEARDOWN\",\"framework_id\":{\"value\":\"" + s.frameworkId + "\"}}");
        FailoverAndReconciliationIT.awaitTrue(() -> cluster.master().frameworkIds().isEmpty());
        JsonNode state = s.state();
        assertThat(state.path("completed_frameworks").get(0).path("completed_tasks").get(0).path("state").asText())
                .isEqualTo("TASK_KILLED");
        assertThat(state.path("slaves").get(0).path("used_resources").path("cpus").asDouble()).isZero();
        FailoverAndReconciliationIT.awaitTrue(() -> cluster.agents().get(0).tasks().isEmpty());
        FailoverAndReconciliationIT.awaitTrue(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }

    /** The pid a task wrote to the file {@code pid} in its sandbox. */
    private long sandboxPid() throws Exception {
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(10);
        while (java.time.Instant.now().isBefore(deadline)) {
            try (var files = Files.walk(work)) {
                var found = files.filter(p -> p.getFileName().toString().equals("pid")).findFirst();
                if (found.isPresent() && !Files.readString(found.get()).isBlank()) {
                    return Long.parseLong(Files.readString(found.get()).trim());
                }
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
        }
        throw new AssertionError("no pid file in any sandbox");
    }

    @Test
    void aCachedUriIsFetchedOncePerAgent() throws Exception {
        Path served = Files.writeString(work.resolve("tool.sh"), "#!/bin/sh\nexit 0\n");
        java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        com.sun.net.httpserver.HttpServer files = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        files.createContext("/tool.sh", ex -> {
            requests.incrementAndGet();
            byte[] body = Files.readAllBytes(served);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        files.start();
        try {
            s.subscribe("{\"user\":\"u\",\"name\":\"n\"}");
            String uri = "{\"value\":\"http://127.0.0.1:" + files.getAddress().getPort()
                    + "/tool.sh\",\"executable\":true,\"cache\":true}";
            for (String id : new String[] {"first", "second"}) {
                accept(RawScheduler.launch(s.frameworkId, offer(), id, RawScheduler.scalars(0.1, 32), "./tool.sh")
                        .replace("\"command\":{", "\"command\":{\"uris\":[" + uri + "],"));
                s.reach(id, "TASK_FINISHED");
            }
            assertThat(requests.get()).as("fetched over HTTP once, then from the agent's cache").isEqualTo(1);
        } finally {
            files.stop(0);
        }
    }
}
