package io.remit.localcluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A scheduler written the way the Mesos docs show it, with nothing but an HTTP client and a
 * JSON parser: it reads the RecordIO stream by hand. It deliberately does not use mesos-client,
 * so that localcluster is checked against the documented protocol and not against our own
 * client.
 */
final class RawScheduler implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    private final String masterUrl;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final LinkedBlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    private final List<JsonNode> seen = new ArrayList<>();
    private InputStream stream;
    private Thread reader;
    volatile boolean streamEnded;
    String streamId;
    String frameworkId;

    RawScheduler(String masterUrl) {
        this.masterUrl = masterUrl;
    }

    /** SUBSCRIBEs with the given framework_info JSON; returns the SUBSCRIBED event. */
    JsonNode subscribe(String frameworkInfoJson) throws Exception {
        return subscribeCall("{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":" + frameworkInfoJson + "}}");
    }

    JsonNode subscribeCall(String callJson) throws Exception {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(masterUrl + "/api/v1/scheduler"))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(callJson)).build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("SUBSCRIBE answered " + response.statusCode() + ": "
                    + new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
        }
        streamId = response.headers().firstValue("Mesos-Stream-Id").orElseThrow();
        stream = response.body();
        reader = new Thread(this::readRecords, "raw-scheduler-reader");
        reader.setDaemon(true);
        reader.start();
        JsonNode subscribed = next(e -> true, Duration.ofSeconds(10));
        if (subscribed.path("type").asText().equals("SUBSCRIBED")) {
            frameworkId = subscribed.path("subscribed").path("framework_id").path("value").asText();
        }
        return subscribed;
    }

    /** Reads RecordIO by hand: decimal length, line feed, that many bytes. */
    private void readRecords() {
        try {
            while (true) {
                ByteArrayOutputStream digits = new ByteArrayOutputStream();
                int b;
                while ((b = stream.read()) != '\n') {
                    if (b < 0) {
                        return;
                    }
                    digits.write(b);
                }
                int length = Integer.parseInt(digits.toString(StandardCharsets.US_ASCII));
                byte[] record = stream.readNBytes(length);
                if (record.length != length) {
                    return;
                }
                events.add(JSON.readTree(record));
            }
        } catch (IOException e) {
            // stream closed
        } finally {
            streamEnded = true;
        }
    }

    /** The next event matching {@code which}, skipping (but remembering) others; fails after the deadline. */
    JsonNode next(Predicate<JsonNode> which, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            long left = Duration.between(Instant.now(), deadline).toMillis();
            if (left <= 0) {
                throw new AssertionError("no matching event within " + timeout + "; the last events were "
                        + seen.subList(Math.max(0, seen.size() - 4), seen.size()));
            }
            JsonNode e = events.poll(left, TimeUnit.MILLISECONDS);
            if (e == null) {
                continue;
            }
            seen.add(e);
            if (which.test(e)) {
                return e;
            }
        }
    }

    JsonNode nextOfType(String type) throws InterruptedException {
        return next(e -> e.path("type").asText().equals(type), Duration.ofSeconds(15));
    }

    /** The next event of that type within 3 s, or an empty node. */
    JsonNode nextOfTypeOrNull(String type) throws InterruptedException {
        try {
            return next(e -> e.path("type").asText().equals(type), Duration.ofSeconds(3))
                    .path("offers").path("offers").get(0);
        } catch (AssertionError e) {
            return JSON.createObjectNode();
        }
    }

    /** The next UPDATE for {@code taskId} in {@code state}. */
    JsonNode update(String taskId, String state) throws InterruptedException {
        return next(e -> e.path("type").asText().equals("UPDATE")
                && e.path("update").path("status").path("task_id").path("value").asText().equals(taskId)
                && e.path("update").path("status").path("state").asText().equals(state), Duration.ofSeconds(20));
    }

    /**
     * Waits for {@code taskId} to reach {@code state}, acknowledging every update on the way (and
     * the one it returns), as a well-behaved scheduler does.
     */
    JsonNode reach(String taskId, String state) throws Exception {
        // An earlier reach() may have passed over (and acknowledged) this update already.
        for (JsonNode e : seen) {
            JsonNode status = e.path("update").path("status");
            if (status.path("task_id").path("value").asText().equals(taskId)
                    && status.path("state").asText().equals(state)) {
                return e;
            }
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (true) {
            JsonNode e = next(x -> x.path("type").asText().equals("UPDATE"),
                    Duration.between(Instant.now(), deadline));
            JsonNode status = e.path("update").path("status");
            if (status.has("uuid")) {
                acknowledge(e);
            }
            if (status.path("task_id").path("value").asText().equals(taskId)
                    && status.path("state").asText().equals(state)) {
                return e;
            }
        }
    }

    /** Waits until no event matching {@code which} arrives for {@code quiet}; fails if one does. */
    void expectNone(Predicate<JsonNode> which, Duration quiet) throws InterruptedException {
        Instant deadline = Instant.now().plus(quiet);
        long left;
        while ((left = Duration.between(Instant.now(), deadline).toMillis()) > 0) {
            JsonNode e = events.poll(left, TimeUnit.MILLISECONDS);
            if (e != null) {
                seen.add(e);
                if (which.test(e)) {
                    throw new AssertionError("unexpected event " + e);
                }
            }
        }
    }

    /** POSTs a call (JSON) with the stream id; returns the response. */
    HttpResponse<String> call(String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(masterUrl + "/api/v1/scheduler"))
                .header("Content-Type", "application/json")
                .header("Mesos-Stream-Id", streamId)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    void acknowledge(JsonNode updateEvent) throws Exception {
        JsonNode status = updateEvent.path("update").path("status");
        HttpResponse<String> r = call("""
                {"type":"ACKNOWLEDGE","framework_id":{"value":"%s"},
                 "acknowledge":{"agent_id":{"value":"%s"},"task_id":{"value":"%s"},"uuid":"%s"}}"""
                .formatted(frameworkId, status.path("agent_id").path("value").asText(),
                        status.path("task_id").path("value").asText(), status.path("uuid").asText()));
        if (r.statusCode() != 202) {
            throw new AssertionError("ACKNOWLEDGE answered " + r.statusCode() + ": " + r.body());
        }
    }

    JsonNode state() throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(masterUrl + "/state")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    /** Closes the connection, as a crashed scheduler would. */
    @Override
    public void close() throws IOException {
        if (stream != null) {
            stream.close();
        }
    }

    static String launch(String frameworkId, JsonNode offer, String taskId, String resources, String command) {
        return """
                {"type":"ACCEPT","framework_id":{"value":"%s"},
                 "accept":{"offer_ids":[{"value":"%s"}],
                   "operations":[{"type":"LAUNCH","launch":{"task_infos":[
                     {"name":"%s","task_id":{"value":"%s"},"agent_id":{"value":"%s"},
                      "resources":%s,
                      "command":{"value":"%s"}}]}}],
                   "filters":{"refuse_seconds":0.0}}}"""
                .formatted(frameworkId, offer.path("id").path("value").asText(), taskId, taskId,
                        offer.path("agent_id").path("value").asText(), resources, command);
    }

    static String scalars(double cpus, double mem) {
        return """
                [{"name":"cpus","type":"SCALAR","scalar":{"value":%s}},
                 {"name":"mem","type":"SCALAR","scalar":{"value":%s}}]""".formatted(cpus, mem);
    }
}
