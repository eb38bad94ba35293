package io.remit.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remit.testkit.EtcdServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The real scheduler ({@code scheduler/target/scheduler.jar}, run from the repository root) as a
 * child process on free loopback ports, configured through the environment as
 * {@code configs/scheduler.yml} reads it, with a small JSON-over-HTTP client for its REST API.
 * {@link #close()} stops the process it started, by its pid.
 */
final class SchedulerProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final String url;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private SchedulerProcess(Process process, String url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /**
     * Starts a scheduler whose {@code REMIT_VAR} is {@code var} (artifacts are served from
     * {@code var/artifacts}) and whose {@code REMIT_SPECS} is {@code specs}; logs go to
     * {@code var/log/scheduler.out}.
     */
    static SchedulerProcess start(String etcdEndpoint, String masterUrl, Path var, Path specs) throws IOException {
        int port = EtcdServer.freePort();
        ProcessBuilder pb = new ProcessBuilder("java", "-jar", "scheduler/target/scheduler.jar", "server",
                "configs/scheduler.yml");
        pb.environment().put("REMIT_PORT", Integer.toString(port));
        pb.environment().put("REMIT_ADMIN_PORT", Integer.toString(EtcdServer.freePort()));
        pb.environment().put("REMIT_VAR", var.toString());
        pb.environment().put("REMIT_SPECS", specs.toString());
        pb.environment().put("REMIT_EXECUTOR_EARLY_START", "true"); // as ./remit local: localcluster isolates nothing
        pb.environment().put("ETCD_ENDPOINT", etcdEndpoint);
        pb.environment().put("MESOS_MASTER", masterUrl);
        // Loopback only, and the access control is not what is measured: the benchmarks' REST calls go unauthenticated.
        pb.environment().put("REMIT_AUTH", "false");
        Path log = Files.createDirectories(var.resolve("log")).resolve("scheduler.out");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return new SchedulerProcess(pb.start(), "http://127.0.0.1:" + port, log);
    }

    String url() {
        return url;
    }

    Path log() {
        return log;
    }

    long pid() {
        return process.pid();
    }

    /** Waits until it leads and is subscribed to the master. */
    void awaitLeading(Duration timeout) throws Exception {
        await("/v1/leader", l -> l.path("isLeader").asBoolean() && l.path("subscribed").asBoolean(), timeout);
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url + path)).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(10)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** GET, the body as text. */
    String getText(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** GET as JSON; null for a 404. */
    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 404 ? null : JSON.readTree(r.body());
    }

    /** Polls {@code path} every 20 ms until {@code ok} holds; the last answer, or an exception at the timeout. */
    JsonNode await(String path, Predicate<JsonNode> ok, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the scheduler exited with " + process.exitValue() + "; see " + log);
            }
            try {
                last = get(path);
                if (last != null && ok.test(last)) {
                    return last;
                }
            } catch (IOException e) {
                last = null; // not listening yet
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("timed out on " + url + path + "; last " + last);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
