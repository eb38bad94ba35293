package io.remit.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Prometheus server (Debian's {@code prometheus}) on a free loopback port, configured from
 * Remit's own {@code configs/prometheus/prometheus.yml} (the file {@code ./remit local} uses) with
 * its rules, finding its targets through a scheduler's {@code /v1/prometheus/targets}. Its data
 * lives in a temporary folder that {@link #close()} deletes, after stopping the process by pid.
 *
 * <p>The binary is {@code $PROMETHEUS_BIN}, else {@code prometheus} on the PATH.
 */
public final class PrometheusServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PrometheusServer.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path dir;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private PrometheusServer(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /**
     * Starts Prometheus with the configuration in {@code configDir} ({@code prometheus.yml} and
     * its rules), scraping what {@code targetsUrl} lists, and waits until it is ready.
     */
    public static PrometheusServer start(Path configDir, String targetsUrl) {
        try {
            return start(configDir, targetsUrl, EtcdServer.freePort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As {@link #start(Path, String)}, on {@code port}. */
    public static PrometheusServer start(Path configDir, String targetsUrl, int port) {
        try {
            Path dir = Files.createTempDirectory("remit-prometheus-");
            String config = Files.readString(configDir.resolve("prometheus.yml"))
                    .replace("${TARGETS_URL}", targetsUrl)
                    .replace("${RULES_DIR}", configDir.toAbsolutePath().toString());
            Path file = dir.resolve("prometheus.yml");
            Files.writeString(file, config);
            Path log = dir.resolve("prometheus.log");
            Process p = new ProcessBuilder(binary(), "--config.file=" + file,
                    "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            PrometheusServer server = new PrometheusServer(p, dir, port);
            server.awaitReady(log);
            LOG.info("prometheus (pid {}) ready at {}", p.pid(), server.url());
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start prometheus (" + binary() + "): " + e.getMessage()
                    + ". Install it with: apt-get install -y prometheus", e);
        }
    }

    /** The base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    /** {@code GET /api/v1/targets?state=active}, as JSON text. */
    public String activeTargets() throws IOException {
        return get("/api/v1/targets?state=active");
    }

    /** An instant PromQL query ({@code /api/v1/query}), the answer as JSON text. */
    public String query(String promql) throws IOException {
        return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    }

    /** {@code GET /api/v1/rules}, as JSON text. */
    public String rules() throws IOException {
        return get("/api/v1/rules");
    }

    private String get(String path) throws IOException {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private void awaitReady(Path log) throws IOException {
        ServerProcesses.awaitReady("prometheus", process, log, dir, START_TIMEOUT, Duration.ofMillis(100), () ->
                http.send(HttpRequest.newBuilder(URI.create(url() + "/-/ready")).timeout(Duration.ofSeconds(1)).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
    }

    @Override
    public void close() {
        ServerProcesses.stop(process, Duration.ofSeconds(10), dir);
    }

    static String binary() {
        String env = System.getenv("PROMETHEUS_BIN");
        return env != null && !env.isBlank() ? env : "prometheus";
    }
}
