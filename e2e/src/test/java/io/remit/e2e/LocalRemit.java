package io.remit.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.remit.registry.discovery.DiscoveryCache;
import io.remit.registry.discovery.Instance;
import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.EtcdSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code ./remit local} as a user runs it, on free loopback ports and in a folder of its own:
 * etcd, PostgreSQL, the local Mesos cluster, the scheduler, and the service specs given (by
 * default those of configs/services, with quicker health checks). {@link #close()} stops it the
 * way Ctrl-C does (SIGTERM to the script, which stops its children in order).
 */
final class LocalRemit implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    final Path root;
    final Path var;
    final int schedulerPort;
    final String etcdUrl;
    final int postgresPort;
    final int masterPort;
    /** Where ./remit local runs Prometheus. */
    final int prometheusPort;
    /** Where ./remit local runs Zipkin. */
    final int zipkinPort;
    private final Process process;
    private final Path output;
    private final Etcd etcd;
    private final Map<String, DiscoveryCache> discovery = new LinkedHashMap<>();

    private LocalRemit(Path root, Path var, Path specs, int agents) throws IOException {
        this.root = root;
        this.var = var;
        int etcdPort = freePortPair();
        this.schedulerPort = freePortPair();
        this.etcdUrl = "http://127.0.0.1:" + etcdPort;
        this.postgresPort = freePort();
        this.masterPort = freePort();
        this.prometheusPort = freePort();
        this.zipkinPort = freePort();
        this.output = var.resolve("remit-local.out");
        int taskPorts = 10_000 + 1000 * ThreadLocalRandom.current().nextInt(10); // below freePort()'s range
        List<String> command = new ArrayList<>(List.of(root.resolve("remit").toString(), "local", "--no-build",
                "--var", var.toString(), "--specs", specs.toString(),
                "--etcd-port", String.valueOf(etcdPort), "--scheduler-port", String.valueOf(schedulerPort),
                "--postgres-port", String.valueOf(postgresPort), "--master-port", String.valueOf(masterPort),
                "--agent-port", String.valueOf(agents > 1 ? freePortPair() : freePort()), "--agents", String.valueOf(agents),
                "--prometheus-port", String.valueOf(prometheusPort), "--zipkin-port", String.valueOf(zipkinPort),
                // Its own range of task ports, so that it can run beside another ./remit local (the
                // agents split it). Each agent alone holds the whole stack (about 1.5 cpus, 2 GB).
                "--resources", "cpus:4;mem:8192;disk:20000;ports:[" + taskPorts + "-" + (taskPorts + 999) + "]"));
        if (agents > 1) {
            // Agent i in zone z<i>, so that specs can spread over the agents with [zone, GROUP_BY].
            command.addAll(List.of("--zones", String.join(",", java.util.stream.IntStream.range(0, agents)
                    .mapToObj(i -> "z" + i).toList())));
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        // Capacity history every 2 s rather than every minute, so that its charts have points to draw.
        builder.environment().put("REMIT_CAPACITY_SAMPLE_INTERVAL", "PT2S");
        this.process = builder.start();
        until("./remit local says Remit is running", Duration.ofMinutes(3), () -> {
            assertThat(process.isAlive()).as("./remit local is alive; its output:\n%s", read(output)).isTrue();
            return read(output).contains("Remit is running");
        });
        this.etcd = Etcd.connect(EtcdSettings.of(etcdUrl));
    }

    /**
     * Starts {@code ./remit local} with the specs of configs/services named in {@code services},
     * each changed by {@code tune} (e.g. quicker health checks), in a new folder under target/.
     */
    static LocalRemit start(List<String> services, Consumer<ObjectNode> tune) throws IOException {
        return start(services, tune, 1);
    }

    /**
     * As {@link #start(List, Consumer)}, with {@code agents} real agents ({@code --agents}); with
     * more than one, agent i has the attribute {@code zone:z<i>}.
     */
    static LocalRemit start(List<String> services, Consumer<ObjectNode> tune, int agents) throws IOException {
        Path root = Path.of(System.getProperty("remit.root", "..")).toAbsolutePath().normalize();
        Path var = Files.createDirectories(root.resolve("e2e/target/remit-local-" + System.currentTimeMillis()));
        Path specs = Files.createDirectories(var.resolve("specs"));
        YAMLMapper yaml = new YAMLMapper();
        for (String service : services) {
            ObjectNode spec = (ObjectNode) yaml.readTree(root.resolve("configs/services/" + service + ".yml").toFile());
            tune.accept(spec);
            yaml.writeValue(specs.resolve(service + ".yml").toFile(), spec);
        }
        return new LocalRemit(root, var, specs, agents);
    }

    /** This run's etcd, as a client of the stack (a gateway, a tool) connects to it. */
    Etcd etcd() {
        return etcd;
    }

    /** A key and value straight into etcd, as an operator would with etcdctl. */
    void put(String key, String value) {
        new io.remit.registry.etcd.KeyValues(etcd).put(key, value);
    }

    void delete(String key) {
        new io.remit.registry.etcd.KeyValues(etcd).delete(key);
    }

    /** A value from the {@code credentials} file ./remit local generated, e.g. {@code REMIT_TOKEN}. */
    String credential(String name) {
        return read(var.resolve("credentials")).lines().filter(l -> l.startsWith(name + "="))
                .map(l -> l.substring(name.length() + 1)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not in " + var.resolve("credentials")));
    }

    /** A scheduler API call with the operator token ./remit local generated. */
    HttpResponse<String> operator(String method, String path, String body) throws IOException {
        String token = credential("REMIT_TOKEN");
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(scheduler() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return send(b.build()).orElseThrow(() -> new IOException("the scheduler did not answer"));
    }

    /** The payments database of this run, as the postgres user. */
    java.sql.Connection database() throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + postgresPort + "/payments", "postgres", "");
    }

    /** The output of ./remit local so far. */
    String output() {
        return read(output);
    }

    String scheduler() {
        return "http://127.0.0.1:" + schedulerPort;
    }

    /** The instances of {@code service} in etcd's registry now. */
    List<Instance> instances(String service) {
        return discovery.computeIfAbsent(service, s -> {
            DiscoveryCache cache = new DiscoveryCache(etcd, s).start();
            cache.awaitReady(Duration.ofSeconds(10));
            return cache;
        }).instances();
    }

    /** {@code http://host:port} of each live instance of {@code service}. */
    List<String> urls(String service) {
        List<String> urls = new ArrayList<>();
        for (Instance i : instances(service)) {
            urls.add("http://" + i.host() + ":" + i.port("http").orElseThrow());
        }
        return urls;
    }

    /** The scheduler's view of {@code service}: {@code status.healthy}, {@code status.state}... */
    JsonNode service(String service) {
        try {
            return JSON.readTree(operator("GET", "/v1/services/" + service, null).body());
        } catch (IOException e) {
            return JSON.nullNode();
        }
    }

    /** Waits until {@code service} has {@code n} healthy instances registered in etcd. */
    void awaitHealthy(String service, int n, Duration timeout) {
        until(service + " has " + n + " registered instances", timeout, () -> instances(service).size() == n);
    }

    /** The pid of the service JVM of task {@code taskId}, from its sandbox. */
    long servicePid(String taskId) throws IOException {
        return Long.parseLong(Files.readString(sandbox(taskId).resolve("service.pid")).strip());
    }

    Path sandbox(String taskId) throws IOException {
        try (Stream<Path> all = Files.walk(var.resolve("localcluster"), 9)) {
            return all.filter(p -> p.getParent() != null && p.getParent().getFileName().toString().equals("runs")
                            && !p.getFileName().toString().equals("latest")
                            && p.getParent().getParent().getFileName().toString().endsWith(taskId))
                    .findFirst().orElseThrow(() -> new AssertionError("no sandbox for " + taskId));
        }
    }

    /** Every {@code service.stdout} of every sandbox, by sandbox path. */
    Map<Path, String> serviceLogs() throws IOException {
        Map<Path, String> logs = new LinkedHashMap<>();
        try (Stream<Path> all = Files.walk(var.resolve("localcluster"), 10)) {
            for (Path p : all.filter(p -> p.getFileName().toString().startsWith("service.std")).sorted().toList()) {
                logs.put(p, read(p));
            }
        }
        return logs;
    }

    static Optional<HttpResponse<String>> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build());
    }

    static Optional<HttpResponse<String>> send(HttpRequest request) {
        try {
            return Optional.of(HTTP.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Polls {@code ok} every 100 ms until it holds; fails after {@code timeout} with the scheduler's log tail. */
    void until(String what, Duration timeout, BooleanSupplier ok) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + timeout + ": " + what + "\n" + tail(var.resolve("log/scheduler.log"), 30));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }

    static String tail(Path file, int lines) {
        List<String> all = read(file).lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    @Override
    public void close() {
        discovery.values().forEach(DiscoveryCache::close);
        if (etcd != null) {
            etcd.close();
        }
        process.destroy();
        try {
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A free port whose next port is free too (./remit local uses PORT and PORT+1). */
    static int freePortPair() throws IOException {
        for (int i = 0; i < 200; i++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 30_000);
            if (isFree(port) && isFree(port + 1)) {
                return port;
            }
        }
        throw new IOException("no two consecutive free ports found");
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
