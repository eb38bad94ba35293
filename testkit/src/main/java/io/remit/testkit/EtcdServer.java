package io.remit.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real etcd server (Debian's {@code etcd-server}) on free loopback ports with its own data
 * directory, for tests. Never a fake: Remit's registry, leases and watches are tested against
 * the server they run on.
 *
 * <p>The binary is {@code $ETCD_BIN}, else {@code etcd} on the PATH. {@link #close()} stops the
 * process it started (by pid) and deletes the data directory.
 */
public final class EtcdServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EtcdServer.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path dataDir;
    private final int clientPort;
    private final Path log;

    private EtcdServer(Process process, Path dataDir, int clientPort, Path log) {
        this.process = process;
        this.dataDir = dataDir;
        this.clientPort = clientPort;
        this.log = log;
    }

    /** Starts etcd and waits until it answers {@code /health}. */
    public static EtcdServer start() {
        try {
            Path dataDir = Files.createTempDirectory("remit-etcd-");
            int client = freePort();
            int peer = freePort();
            String clientUrl = "http://127.0.0.1:" + client;
            String peerUrl = "http://127.0.0.1:" + peer;
            Path log = dataDir.resolve("etcd.log");
            Process p = new ProcessBuilder(binary(), "--name", "remit-test",
                    "--data-dir", dataDir.resolve("data").toString(),
                    "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
                    "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
                    "--initial-cluster", "remit-test=" + peerUrl)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            EtcdServer server = new EtcdServer(p, dataDir, client, log);
            server.awaitHealthy();
            LOG.info("etcd {} (pid {}) ready at {}", dataDir, p.pid(), clientUrl);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start etcd (" + binary() + "): " + e.getMessage()
                    + ". Install it with: apt-get install -y etcd-server etcd-client", e);
        }
    }

    /** The client URL, e.g. {@code http://127.0.0.1:41234}. */
    public String endpoint() {
        return "http://127.0.0.1:" + clientPort;
    }

    public List<String> endpoints() {
        return List.of(endpoint());
    }

    /** Where this etcd keeps its data (its WAL and snapshots are under {@code data/}). */
    public Path dataDir() {
        return dataDir;
    }

    public int clientPort() {
        return clientPort;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    private void awaitHealthy() throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException("etcd exited with " + process.exitValue() + ": " + tail());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(endpoint() + "/health"))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"health\":\"true\"")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for etcd", e);
            }
            try {
                process.waitFor(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for etcd", e);
            }
        }
        close();
        throw new IOException("etcd did not become healthy within " + START_TIMEOUT + ": " + tail());
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", dataDir, e.toString());
        }
    }

    static String binary() {
        String env = System.getenv("ETCD_BIN");
        return env != null && !env.isBlank() ? env : "etcd";
    }

    /** A port that was free a moment ago on loopback. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
