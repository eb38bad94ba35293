package io.remit.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real etcd server (Debian's {@code etcd-server}) on free loopback ports with its own data
 * directory, for tests. Never a fake: Remit's registry, leases and watches are tested against
 * the server they run on.
 *
 * <p>{@link #start()} is plaintext without authentication. {@link #start(Security)} can add TLS on
 * the client port (a CA and a server certificate for 127.0.0.1 and localhost, made for this run
 * with the {@code openssl} command under {@code <dataDir>/tls/}) and authentication (a
 * {@code root} user with a random password, then {@code auth enable}), as
 * {@code ./remit local --secure-etcd} runs it, and with {@link Security#MUTUAL_TLS_AND_AUTH} ask each
 * client for a certificate of that CA ({@link #clientCert}).
 *
 * <p>The binary is {@code $ETCD_BIN}, else {@code etcd} on the PATH. {@link #close()} stops the
 * process it started (by pid) and deletes the data directory, keys and certificates included.
 */
public final class EtcdServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EtcdServer.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    /** The user {@link Security#auth()} creates, with every right. */
    public static final String ROOT_USER = "root";

    /**
     * How the server is secured.
     *
     * @param tls  https on the client port, with a CA made for this run ({@link #caFile()})
     * @param auth authentication on: a {@value #ROOT_USER} user ({@link #rootPassword()}), then
     *             {@code auth enable}
     */
    public record Security(boolean tls, boolean auth, boolean clientCerts) {
        public static final Security PLAINTEXT = new Security(false, false, false);
        public static final Security TLS_AND_AUTH = new Security(true, true, false);
        /** As {@link #TLS_AND_AUTH}, and {@code --client-cert-auth}: every client shows a certificate of the CA. */
        public static final Security MUTUAL_TLS_AND_AUTH = new Security(true, true, true);

        /** Without client certificates. */
        public Security(boolean tls, boolean auth) {
            this(tls, auth, false);
        }

        public Security {
            if (clientCerts && !tls) {
                throw new IllegalArgumentException("client certificates need TLS");
            }
        }
    }

    /** A client certificate and its private key (PKCS#8), PEM files signed by {@link #caFile()}. */
    public record ClientCert(Path certFile, Path keyFile) {
    }

    private final Process process;
    private final Path dataDir;
    private final int clientPort;
    private final Path log;
    private final TestTls tls;
    private final String rootPassword;
    private final boolean clientCerts;

    private EtcdServer(Process process, Path dataDir, int clientPort, Path log, TestTls tls, String rootPassword,
                       boolean clientCerts) {
        this.clientCerts = clientCerts;
        this.process = process;
        this.dataDir = dataDir;
        this.clientPort = clientPort;
        this.log = log;
        this.tls = tls;
        this.rootPassword = rootPassword;
    }

    /** Starts a plaintext etcd without authentication and waits until it answers {@code /health}. */
    public static EtcdServer start() {
        return start(Security.PLAINTEXT);
    }

    /**
     * Starts etcd secured as {@code security} says and waits until it answers {@code /health};
     * with authentication, returns once it is enabled.
     */
    public static EtcdServer start(Security security) {
        try {
            Path dataDir = Files.createTempDirectory("remit-etcd-");
            TestTls tls = security.tls() ? TestTls.create(dataDir.resolve("tls")) : null;
            int client = freePort();
            int peer = freePort();
            String clientUrl = (tls != null ? "https" : "http") + "://127.0.0.1:" + client;
            String peerUrl = "http://127.0.0.1:" + peer;
            Path log = dataDir.resolve("etcd.log");
            List<String> argv = new java.util.ArrayList<>(List.of(binary(), "--name", "remit-test",
                    "--data-dir", dataDir.resolve("data").toString(),
                    "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
                    "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
                    "--initial-cluster", "remit-test=" + peerUrl));
            if (tls != null) {
                argv.addAll(List.of("--cert-file", tls.serverCert().toString(), "--key-file", tls.serverKey().toString()));
            }
            if (security.clientCerts()) {
                argv.addAll(List.of("--client-cert-auth", "--trusted-ca-file", tls.caCert().toString()));
            }
            Process p = new ProcessBuilder(argv)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            String rootPassword = security.auth() ? TestTls.randomHex(16) : null;
            EtcdServer server = new EtcdServer(p, dataDir, client, log, tls, rootPassword, security.clientCerts());
            server.awaitHealthy();
            if (security.auth()) {
                server.enableAuth();
            }
            LOG.info("etcd {} (pid {}) ready at {}{}{}", dataDir, p.pid(), clientUrl,
                    security.auth() ? " with authentication" : "", security.clientCerts() ? " and client certificates" : "");
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start etcd (" + binary() + "): " + e.getMessage()
                    + ". Install it with: apt-get install -y etcd-server etcd-client", e);
        }
    }

    /** The client URL, e.g. {@code http://127.0.0.1:41234} ({@code https} with TLS). */
    public String endpoint() {
        return (tls != null ? "https" : "http") + "://127.0.0.1:" + clientPort;
    }

    /** The CA that signed the server's certificate (PEM), or null without TLS. */
    public Path caFile() {
        return tls == null ? null : tls.caCert();
    }

    /** Whether etcd asks every client for a certificate signed by {@link #caFile()} ({@code --client-cert-auth}). */
    public boolean clientCerts() {
        return clientCerts;
    }

    /**
     * A client certificate of this etcd's CA named {@code name} (made once), as
     * {@code ./remit local --secure-etcd} makes them: subject {@code O=remit test, OU=<name>}, no
     * common name. etcd 3.4 refuses a certificate with a common name on its JSON gateway (which
     * executors use), and over gRPC would take that name for the user when no password is given;
     * without one, the certificate authenticates nobody by itself.
     */
    public ClientCert clientCert(String name) {
        if (tls == null) {
            throw new IllegalStateException("etcd runs without TLS: no client certificates");
        }
        try {
            return tls.clientCert(name, "/O=remit test/OU=" + name);
        } catch (IOException e) {
            throw new UncheckedIOException("could not make the client certificate " + name + ": " + e.getMessage(), e);
        }
    }

    /** As {@link #clientCert}, but with the common name {@code commonName}: what Remit does not make. */
    public ClientCert clientCertNamed(String name, String commonName) {
        if (tls == null) {
            throw new IllegalStateException("etcd runs without TLS: no client certificates");
        }
        try {
            return tls.clientCert(name, "/CN=" + commonName);
        } catch (IOException e) {
            throw new UncheckedIOException("could not make the client certificate " + name + ": " + e.getMessage(), e);
        }
    }

    /** Whether the client port speaks TLS. */
    public boolean tls() {
        return tls != null;
    }

    /** Whether authentication is on ({@link #ROOT_USER} with {@link #rootPassword()}). */
    public boolean authEnabled() {
        return rootPassword != null;
    }

    /** The password of {@link #ROOT_USER}, or null without authentication. */
    public String rootPassword() {
        return rootPassword;
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

    /**
     * Writes {@code value} at {@code key}, as an operator would with {@code etcdctl put}: for tests
     * that change what a running component watches (its runtime config, a flag) without the
     * component's own etcd client. Over etcd's JSON gateway, as {@link #ROOT_USER} when
     * authentication is on. Blocks until etcd has applied it.
     *
     * @throws IllegalStateException when etcd refuses or does not answer
     */
    public void put(String key, String value) {
        operate("/v3/kv/put", "{\"key\":\"" + base64(key) + "\",\"value\":\"" + base64(value) + "\"}");
    }

    /** Deletes {@code key} (nothing when it is absent), as {@code etcdctl del}. */
    public void delete(String key) {
        operate("/v3/kv/deleterange", "{\"key\":\"" + base64(key) + "\"}");
    }

    /** Deletes every key starting with {@code prefix}, as {@code etcdctl del --prefix}. */
    public void deletePrefix(String prefix) {
        byte[] end = prefix.getBytes(StandardCharsets.UTF_8);
        end[end.length - 1]++; // the first key after the prefix's range; Remit's prefixes end in '/'
        operate("/v3/kv/deleterange", "{\"key\":\"" + base64(prefix) + "\",\"range_end\":\""
                + Base64.getEncoder().encodeToString(end) + "\"}");
    }

    private void operate(String path, String json) {
        try {
            HttpClient http = httpClient();
            String token = rootPassword == null ? null : rootToken(http);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint() + path))
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(json));
            if (token != null) {
                request.header("Authorization", token);
            }
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200 || r.body().contains("\"error\"")) {
                throw new IllegalStateException("etcd " + path + " answered " + r.statusCode() + ": " + r.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("etcd " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during etcd " + path, e);
        }
    }

    private String rootToken(HttpClient http) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(endpoint() + "/v3/auth/authenticate"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"" + ROOT_USER + "\",\"password\":\"" + rootPassword + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher token = Pattern.compile("\"token\":\"([^\"]+)\"").matcher(r.body());
        if (r.statusCode() != 200 || !token.find()) {
            throw new IOException("etcd refused " + ROOT_USER + "'s sign-in: " + r.statusCode() + " " + r.body());
        }
        return token.group(1);
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Adds {@link #ROOT_USER} with the root role and enables authentication, over etcd's JSON
     * gateway (no etcdctl needed). etcd refuses {@code auth enable} without a root user.
     */
    private void enableAuth() throws IOException {
        HttpClient http = httpClient();
        gateway(http, "/v3/auth/user/add", "{\"name\":\"" + ROOT_USER + "\",\"password\":\"" + rootPassword + "\"}");
        gateway(http, "/v3/auth/user/grant", "{\"user\":\"" + ROOT_USER + "\",\"role\":\"root\"}");
        gateway(http, "/v3/auth/enable", "{}");
    }

    private void gateway(HttpClient http, String path, String json) throws IOException {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(endpoint() + path))
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200 || r.body().contains("\"error\"")) {
                throw new IOException("etcd " + path + " answered " + r.statusCode() + ": " + r.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during etcd " + path, e);
        }
    }

    private HttpClient httpClient() {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1));
        if (tls != null) {
            b.sslContext(tls.clientContext(clientCerts ? clientCert("harness") : null));
        }
        return b.build();
    }

    private void awaitHealthy() throws IOException {
        HttpClient http = httpClient();
        ServerProcesses.awaitReady("etcd", process, log, dataDir, START_TIMEOUT, Duration.ofMillis(50), () -> {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(endpoint() + "/health"))
                    .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().contains("\"health\":\"true\"");
        });
    }

    @Override
    public void close() {
        ServerProcesses.stop(process, Duration.ofSeconds(10), dataDir);
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
