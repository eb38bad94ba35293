package io.remit.scheduler.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.remit.localcluster.LocalCluster;
import io.remit.localcluster.resources.ResourceSpec;
import io.remit.registry.discovery.DiscoveryCache;
import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.EtcdSettings;
import io.remit.testkit.EtcdServer;
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
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Everything below the scheduler, all real: a {@link LocalCluster} with one process agent, the
 * folder the scheduler serves at {@code /artifacts/} holding the executor and hello jars that Maven
 * built (see the failsafe configuration), and a {@link DiscoveryCache} of {@code hello} on the
 * given etcd. The agent starts executor and hello JVMs as its children; {@link #close()} kills
 * them, so a test stops only what it started.
 */
final class RealAgentStack implements AutoCloseable {

    /**
     * One agent: with several on one host their port ranges would hand out the same ports. The
     * system property {@code remit.it.agent.resources} replaces it, e.g. to keep clear of a
     * {@code ./remit local} on the same machine, which takes ports from 31000 too.
     */
    static final String RESOURCES = System.getProperty("remit.it.agent.resources",
            "cpus:4;mem:8192;disk:10000;ports:[31000-31999]");
    static final String SERVICE = "hello";

    private static final List<String> LOGS = List.of("stderr", "service.stdout", "service.stderr");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    final LocalCluster cluster;
    final DiscoveryCache discovery;
    private final Path clusterDir;
    private final Path artifacts;
    private final EtcdServer etcdServer;
    private final Etcd etcd;

    private RealAgentStack(Path work, EtcdServer etcdServer, String resources) throws IOException {
        this.etcdServer = etcdServer;
        this.clusterDir = work.resolve("cluster");
        this.artifacts = Files.createDirectories(work.resolve("artifacts"));
        Files.copy(file("remit.executor.jar"), artifacts.resolve("remit-executor.jar"));
        try (var built = Files.list(file("remit.executor.jar").getParent())) { // as ./remit local serves it
            for (Path archive : built.filter(f -> f.getFileName().toString().matches("remit-executor-[0-9a-f]{64}\\.jsa")).toList()) {
                Files.copy(archive, artifacts.resolve(archive.getFileName()));
            }
        }
        Files.copy(file("remit.hello.jar"), artifacts.resolve("hello.jar"));
        this.cluster = LocalCluster.builder().freePorts().agents(1).resources(ResourceSpec.parse(resources))
                .workDir(clusterDir).allocationInterval(Duration.ofMillis(100)).updateRetry(Duration.ofSeconds(1))
                .executorShutdownGrace(Duration.ofSeconds(5)).start();
        this.etcd = Etcd.connect(observer(etcdServer));
        this.discovery = new DiscoveryCache(etcd, SERVICE).start();
        assertThat(discovery.awaitReady(Duration.ofSeconds(10))).as("discovery cache ready").isTrue();
    }

    /**
     * How the stack watches etcd: as root (and trusting its CA, showing a client certificate of
     * its own where etcd asks for one) when etcd is secured.
     */
    static EtcdSettings observer(EtcdServer server) {
        EtcdSettings s = EtcdSettings.of(server.endpoint());
        if (server.clientCerts()) {
            EtcdServer.ClientCert own = server.clientCert("observer");
            s = s.withTls(new EtcdSettings.Tls(server.caFile(), own.certFile(), own.keyFile()));
        } else if (server.tls()) {
            s = s.withTls(new EtcdSettings.Tls(server.caFile(), null, null));
        }
        return server.authEnabled() ? s.withCredentials(EtcdServer.ROOT_USER, server.rootPassword()) : s;
    }

    static RealAgentStack start(Path work, EtcdServer etcd) throws IOException {
        return new RealAgentStack(work, etcd, RESOURCES);
    }

    /** As above, with the agent's resources given (e.g. a port range no other stack on the machine uses). */
    static RealAgentStack start(Path work, EtcdServer etcd, String resources) throws IOException {
        return new RealAgentStack(work, etcd, resources);
    }

    /** A scheduler on this cluster and etcd that serves the artifacts, with a short drain. */
    SchedulerHarness scheduler(int port) throws Exception {
        return scheduler(port, c -> { });
    }

    /** As above, then {@code more} changes the configuration (access control, say). */
    SchedulerHarness scheduler(int port, java.util.function.Consumer<io.remit.scheduler.SchedulerConfiguration> more)
            throws Exception {
        return new SchedulerHarness(etcdServer, cluster.masterUrl(), port, null, c -> {
            c.artifactsDir = artifacts.toString();
            c.drainGrace = Duration.ofSeconds(1);
            more.accept(c);
        });
    }

    /**
     * configs/examples/hello.yml as JSON, with {@code instances} and {@code version}, quick health
     * checks (five failures in a row, so that a pause on a busy machine does not fail an instance)
     * and JVM options that make the service start fast on a small machine.
     */
    static String helloSpec(int instances, String version) {
        try {
            ObjectNode spec = (ObjectNode) new YAMLMapper().readTree(file("remit.hello.spec").toFile());
            spec.put("instances", instances).put("version", version);
            spec.putObject("healthCheck").put("path", "/healthcheck").put("interval", "500ms").put("timeout", "500ms")
                    .put("gracePeriod", "20s").put("consecutiveFailures", 5);
            spec.withArray("jvmOptions").add("-XX:TieredStopAtLevel=1").add("-XX:+UseSerialGC").add("-Xss512k");
            return SchedulerHarness.JSON.writeValueAsString(spec);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The pid of the service JVM of the instance, as its executor wrote it into the sandbox. */
    long servicePid(String taskId) throws IOException {
        return Long.parseLong(Files.readString(sandbox(taskId).resolve("service.pid")).strip());
    }

    /** The sandbox of the instance's executor: {@code .../executors/remit-executor.<taskId>/runs/<container>}. */
    Path sandbox(String taskId) throws IOException {
        try (Stream<Path> all = Files.walk(clusterDir, 8)) {
            List<Path> runs = all.filter(p -> p.getParent() != null && p.getParent().getFileName().toString().equals("runs")
                    && !p.getFileName().toString().equals("latest")
                    && p.getParent().getParent().getFileName().toString().equals("remit-executor." + taskId)).toList();
            assertThat(runs).as("the sandbox of %s", taskId).hasSize(1);
            return runs.get(0);
        }
    }

    /** The tails of every executor's and service's logs, for failure messages. */
    String logs() {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> all = Files.walk(clusterDir, 9)) {
            for (Path f : all.filter(p -> LOGS.contains(p.getFileName().toString())).sorted().toList()) {
                List<String> lines = Files.readAllLines(f);
                b.append("\n--- ").append(clusterDir.relativize(f)).append(" (last 15 lines) ---\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
            }
        } catch (IOException | UncheckedIOException e) {
            b.append("\n(logs unreadable: ").append(e).append(")");
        }
        return b.toString();
    }

    /** Polls {@code ok} every 50 ms until it holds; fails after {@code timeout}, saying {@code what}, with the logs. */
    void until(String what, Duration timeout, BooleanSupplier ok) {
        until(() -> what, timeout, ok);
    }

    /** As above, with {@code what} told at the time of failure. */
    void until(Supplier<String> what, Duration timeout, BooleanSupplier ok) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + timeout + ": " + what.get() + logs());
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    /** GET on the host and port; empty when nothing answers. */
    static Optional<HttpResponse<String>> get(String host, int port, String pathAndQuery) {
        try {
            return Optional.of(HTTP.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + pathAndQuery))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Path file(String property) {
        String path = System.getProperty(property);
        assertThat(path).as("system property %s (set by failsafe)", property).isNotNull();
        Path file = Path.of(path).toAbsolutePath().normalize();
        assertThat(file).as("%s; run mvn install -DskipTests once so that it is built", property).isRegularFile();
        return file;
    }

    @Override
    public void close() {
        for (AutoCloseable c : List.<AutoCloseable>of(discovery, etcd, cluster)) {
            try {
                c.close();
            } catch (Exception e) {
                // best effort: the cluster must still be closed, which kills the JVMs it started
            }
        }
    }
}
