package io.remit.scheduler.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.dropwizard.testing.DropwizardTestSupport;
import io.remit.scheduler.SchedulerApplication;
import io.remit.scheduler.SchedulerConfiguration;
import io.remit.testkit.EtcdServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** One scheduler process-in-a-JVM (the real Dropwizard app) against a real etcd and a localcluster. */
final class SchedulerHarness implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    private final DropwizardTestSupport<SchedulerConfiguration> app;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final String url;
    /** The admin port: health checks, /metrics, /prometheus. */
    int adminPort;

    SchedulerHarness(EtcdServer etcd, String masterUrl, int port, String specsDir) throws Exception {
        this(etcd, masterUrl, port, specsDir, c -> { });
    }

    /** As above; {@code customize} changes the configuration last (artifacts folder, drain grace). */
    SchedulerHarness(EtcdServer etcd, String masterUrl, int port, String specsDir,
                     Consumer<SchedulerConfiguration> customize) throws Exception {
        SchedulerConfiguration config = new SchedulerConfiguration();
        config.etcd.endpoints = List.of(etcd.endpoint());
        config.mesos.masters = List.of(masterUrl);
        config.mesos.failoverTimeout = Duration.ofMinutes(10);
        config.specsDir = specsDir == null ? "" : specsDir;
        config.leaderTtl = Duration.ofSeconds(5);
        config.declineRefuse = Duration.ofSeconds(1);
        DefaultServerFactory server = (DefaultServerFactory) config.getServerFactory();
        ((HttpConnectorFactory) server.getApplicationConnectors().get(0)).setPort(port);
        adminPort = freePort();
        ((HttpConnectorFactory) server.getAdminConnectors().get(0)).setPort(adminPort);
        url = "http://127.0.0.1:" + port;
        config.advertisedUrl = url;
        customize.accept(config);
        app = new DropwizardTestSupport<>(SchedulerApplication.class, config);
        app.before();
    }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
        return send(method, path, body, null);
    }

    /** As {@link #send(String, String, String)}, with an {@code Authorization} header unless it is null. */
    HttpResponse<String> send(String method, String path, String body, String authorization) throws Exception {
        return send(method, path, body, authorization, java.util.Map.of());
    }

    /** As {@link #send(String, String, String, String)}, with more headers ({@code X-Remit-Message}, {@code Accept}). */
    HttpResponse<String> send(String method, String path, String body, String authorization,
                              java.util.Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", body.strip().startsWith("{") ? "application/json" : "application/yaml");
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A configured user with the hash of {@code token} or of {@code password} (the other null). */
    static io.remit.scheduler.auth.AuthSettings.User user(String name, io.remit.scheduler.auth.Role role, String token,
                                                           String password) {
        io.remit.scheduler.auth.AuthSettings.User u = new io.remit.scheduler.auth.AuthSettings.User();
        u.name = name;
        u.role = role;
        u.token = token == null ? null : io.remit.scheduler.auth.Credentials.hash(token);
        u.password = password == null ? null : io.remit.scheduler.auth.Credentials.hash(password);
        return u;
    }

    JsonNode get(String path) throws Exception {
        return get(path, null);
    }

    /** As {@link #get(String)}, with an {@code Authorization} header unless it is null. */
    JsonNode get(String path, String authorization) throws Exception {
        HttpResponse<String> r = send("GET", path, null, authorization);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " -> " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** Polls {@code path} until {@code ok} holds, failing after {@code timeout} with the last answer. */
    JsonNode await(String path, Predicate<JsonNode> ok, Duration timeout) throws Exception {
        return await(path, ok, any -> true, timeout);
    }

    /**
     * Polls {@code path} every 100 ms until {@code ok} holds, failing at once if an answer breaks
     * {@code meanwhile}, and after {@code timeout} with the last answer.
     */
    JsonNode await(String path, Predicate<JsonNode> ok, Predicate<JsonNode> meanwhile, Duration timeout)
            throws Exception {
        return await(path, null, ok, meanwhile, timeout);
    }

    /** As {@link #await(String, Predicate, Duration)}, asking with {@code authorization} (access control on). */
    JsonNode awaitAs(String authorization, String path, Predicate<JsonNode> ok, Duration timeout) throws Exception {
        return await(path, authorization, ok, any -> true, timeout);
    }

    private JsonNode await(String path, String authorization, Predicate<JsonNode> ok, Predicate<JsonNode> meanwhile,
                           Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            JsonNode answer;
            try {
                answer = get(path, authorization);
            } catch (AssertionError | java.io.IOException e) {
                answer = null;
                last = JSON.createObjectNode().put("error", String.valueOf(e.getMessage()));
            }
            if (answer != null) {
                last = answer;
                if (!meanwhile.test(answer)) {
                    throw new AssertionError("GET " + path + " broke what must hold meanwhile: " + answer);
                }
                if (ok.test(answer)) {
                    return answer;
                }
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        throw new AssertionError("not within " + timeout + ": GET " + path + " last answered " + last);
    }

    /** Checks that {@code ok} holds on every answer of {@code path} for the whole {@code period}. */
    void holds(String path, Predicate<JsonNode> ok, Duration period) throws Exception {
        Instant end = Instant.now().plus(period);
        while (Instant.now().isBefore(end)) {
            JsonNode now = get(path);
            if (!ok.test(now)) {
                throw new AssertionError("stopped holding: GET " + path + " answered " + now);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            app.after();
        }
    }

    private boolean closed;

    static int freePort() throws Exception {
        return EtcdServer.freePort();
    }

    /** Deletes everything Remit keeps in this etcd, so the next test of the class starts clean. */
    static void wipe(EtcdServer etcd) throws Exception {
        try (var client = io.etcd.jetcd.Client.builder().endpoints(etcd.endpoint()).build()) {
            io.etcd.jetcd.ByteSequence root = io.etcd.jetcd.ByteSequence.from("/remit/", java.nio.charset.StandardCharsets.UTF_8);
            client.getKVClient().delete(root, io.etcd.jetcd.options.DeleteOption.builder().isPrefix(true).build()).get();
        }
    }
}
