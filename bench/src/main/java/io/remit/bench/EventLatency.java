package io.remit.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Event latency: from the moment the scheduler's engine applies a task update (the event's
 * {@code updatedAt}) to an SSE client of {@code GET /v1/events} reading the event, same machine
 * clock. A scheduler process on localcluster's simulated agents runs a service scaled 0 -> N -> 0
 * a few times, so every instance produces launched, healthy and killed events.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.remit.bench.EventLatency [instances] [rounds]</pre>
 */
public final class EventLatency {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EventLatency() {
    }

    public static void main(String[] args) throws Exception {
        int instances = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        try (SimulatedStack stack = SimulatedStack.start("events", 20, "cpus:16;mem:65536;disk:100000;ports:[31000-32000]")) {
            SchedulerProcess scheduler = stack.scheduler;
            java.util.Map<String, List<Double>> latencies = new java.util.concurrent.ConcurrentHashMap<>();
            HttpResponse<InputStream> stream = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(scheduler.url() + "/v1/events?type=instance.")).build(), HttpResponse.BodyHandlers.ofInputStream());
            Thread reader = new Thread(() -> read(stream.body(), latencies), "sse-reader");
            reader.setDaemon(true);
            reader.start();
            for (int round = 0; round < rounds; round++) {
                String spec = """
                        {"id":"events","version":"1","artifacts":["{{artifacts}}/x.jar"],"instances":%d,
                         "resources":{"cpus":0.1,"memMb":32,"diskMb":0,"ports":["admin"]},"config":""}""";
                if (round == 0) {
                    scheduler.post("/v1/services", spec.formatted(instances));
                } else {
                    put(scheduler.url() + "/v1/services/events", spec.formatted(instances));
                }
                scheduler.await("/v1/services/events", s -> s.path("status").path("healthy").asInt() == instances,
                        Duration.ofMinutes(3));
                put(scheduler.url() + "/v1/services/events", spec.formatted(0));
                scheduler.await("/v1/services/events", s -> s.path("status").path("active").asInt() == 0
                        && s.path("status").path("state").asText().equals("stopped"), Duration.ofMinutes(3));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (latencies.values().stream().mapToInt(List::size).sum() < rounds * instances * 3L
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            List<Double> all = new ArrayList<>();
            latencies.forEach((type, list) -> {
                all.addAll(list);
                System.out.printf("  %-20s %s%n", type, Latencies.of(list).summary());
            });
            Latencies l = Latencies.of(all);
            System.out.printf("%d instance events over %d rounds of %d instances on 20 simulated agents%n",
                    l.count(), rounds, instances);
            System.out.println("task update applied -> SSE client, all: " + l.summary());
        }
    }

    private static void put(String url, String json) throws Exception {
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void read(InputStream in, java.util.Map<String, List<Double>> latencies) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("data: ")) {
                    Instant now = Instant.now();
                    JsonNode event = JSON.readTree(line.substring(6));
                    String updatedAt = event.path("data").path("updatedAt").asText(null);
                    if (updatedAt != null) {
                        latencies.computeIfAbsent(event.path("type").asText(), k -> Collections.synchronizedList(new ArrayList<>()))
                                .add(Duration.between(Instant.parse(updatedAt), now).toNanos() / 1e6);
                    }
                }
            }
        } catch (Exception e) {
            // the stream ends with the scheduler
        }
    }
}
