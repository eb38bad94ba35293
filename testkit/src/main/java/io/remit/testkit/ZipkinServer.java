package io.remit.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Zipkin server (the {@code io.zipkin:zipkin-server} exec jar from Maven Central, in-memory
 * storage) on a free loopback port, as {@code ./remit local} runs it. {@link #close()} stops the
 * process by pid and deletes its folder.
 *
 * <p>The jar is {@code $ZIPKIN_JAR}, else {@code testkit/target/zipkin/zipkin-server.jar} (the
 * testkit build copies it there) found from the working directory upwards, else the one in the
 * local Maven repository.
 */
public final class ZipkinServer implements AutoCloseable {

    /** The version the build fetches (testkit/pom.xml) and {@code ./remit local} runs. */
    public static final String VERSION = "3.5.1";
    private static final Logger LOG = LoggerFactory.getLogger(ZipkinServer.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final Path dir;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private ZipkinServer(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** Starts Zipkin on a free loopback port and waits until it answers {@code /health}. */
    public static ZipkinServer start() {
        try {
            int port = EtcdServer.freePort();
            Path dir = Files.createTempDirectory("remit-zipkin-");
            Path log = dir.resolve("zipkin.log");
            Process p = new ProcessBuilder(command(jar(), port))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            ZipkinServer server = new ZipkinServer(p, dir, port);
            server.awaitReady(log);
            LOG.info("zipkin (pid {}) ready at {}", p.pid(), server.url());
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start zipkin: " + e.getMessage(), e);
        }
    }

    /**
     * The command that runs Zipkin from {@code jar} on loopback {@code port}, with in-memory storage
     * of the newest 100,000 spans (about 1.7 KB of heap each; as ./remit local runs it).
     */
    public static List<String> command(Path jar, int port) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-jar", jar.toString(),
                "--zipkin.storage.type=mem", "--zipkin.storage.mem.max-spans=100000",
                "--server.port=" + port,
                "--armeria.ports[0].port=" + port, "--armeria.ports[0].ip=127.0.0.1",
                "--armeria.ports[0].protocols[0]=http");
    }

    /** The base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    /** {@code GET /api/v2/trace/{id}}: the trace's spans as JSON text; empty text when Zipkin has none. */
    public String trace(String traceId) throws IOException {
        HttpResponse<String> r = send("/api/v2/trace/" + traceId);
        return r.statusCode() == 404 ? "" : ok(r);
    }

    /** {@code GET /api/v2/traces?serviceName=..&limit=..}: recent traces of a service, as JSON text. */
    public String traces(String service, int limit) throws IOException {
        return ok(send("/api/v2/traces?serviceName=" + service + "&limit=" + limit + "&lookback=3600000"));
    }

    /** Any GET of Zipkin's API, as JSON text. */
    public String get(String pathAndQuery) throws IOException {
        return ok(send(pathAndQuery));
    }

    private static String ok(HttpResponse<String> r) throws IOException {
        if (r.statusCode() != 200) {
            throw new IOException(r.uri() + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private HttpResponse<String> send(String path) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The Zipkin server jar to run; see the class comment. */
    public static Path jar() {
        String env = System.getenv("ZIPKIN_JAR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path built = d.resolve("testkit/target/zipkin/zipkin-server.jar");
            if (Files.isRegularFile(built)) {
                return built;
            }
        }
        Path m2 = Path.of(System.getProperty("user.home"), ".m2", "repository", "io", "zipkin", "zipkin-server", VERSION,
                "zipkin-server-" + VERSION + "-exec.jar");
        if (Files.isRegularFile(m2)) {
            return m2;
        }
        throw new UncheckedIOException(new IOException("no Zipkin server jar: build testkit (mvn -pl testkit package) "
                + "or set ZIPKIN_JAR"));
    }

    private void awaitReady(Path log) throws IOException {
        ServerProcesses.awaitReady("zipkin", process, log, dir, START_TIMEOUT, Duration.ofMillis(200),
                () -> send("/health").statusCode() == 200);
    }

    @Override
    public void close() {
        ServerProcesses.stop(process, Duration.ofSeconds(15), dir);
    }
}
