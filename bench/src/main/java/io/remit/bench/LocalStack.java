package io.remit.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.remit.registry.discovery.DiscoveryCache;
import io.remit.registry.discovery.Instance;
import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.EtcdSettings;
import io.remit.registry.etcd.KeyValues;
import io.remit.testkit.EtcdServer;
import java.io.IOException;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The whole local stack as a user runs it: {@code ./remit local --no-build} (etcd, PostgreSQL,
 * localcluster with one real agent, the scheduler with its access control on, Prometheus, Zipkin,
 * and fx, schools and payments from configs/services) on free loopback ports, in a folder of its
 * own. Run from the repository root after a build. {@link #close()} stops it as Ctrl-C does
 * (SIGTERM to the script, which stops its children in order).
 */
final class LocalStack implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    final Path var;
    final String schedulerUrl;
    final String etcdUrl;
    final String prometheusUrl;
    final String zipkinUrl;
    private final Process process;
    private final Path output;
    private Etcd etcd;
    private final Map<String, DiscoveryCache> discovery = new LinkedHashMap<>();

    private LocalStack(Path var, Path specs, Path prometheusData) throws IOException {
        this.var = var;
        int etcdPort = freePortPair();
        int schedulerPort = freePortPair();
        int prometheusPort = EtcdServer.freePort();
        int zipkinPort = EtcdServer.freePort();
        this.schedulerUrl = "http://127.0.0.1:" + schedulerPort;
        this.etcdUrl = "http://127.0.0.1:" + etcdPort;
        this.prometheusUrl = "http://127.0.0.1:" + prometheusPort;
        this.zipkinUrl = "http://127.0.0.1:" + zipkinPort;
        this.output = var.resolve("remit-local.out");
        // Task ports of their own (below the free-port range), so that it runs beside other stacks.
        int taskPorts = 10_000 + 1000 * ThreadLocalRandom.current().nextInt(10);
        List<String> command = List.of("./remit", "local", "--no-build", "--var", var.toString(),
                "--specs", specs.toString(), "--etcd-port", String.valueOf(etcdPort),
                "--scheduler-port", String.valueOf(schedulerPort),
                "--postgres-port", String.valueOf(EtcdServer.freePort()),
                "--master-port", String.valueOf(EtcdServer.freePort()), "--agent-port", String.valueOf(EtcdServer.freePort()),
                "--prometheus-port", String.valueOf(prometheusPort), "--zipkin-port", String.valueOf(zipkinPort),
                "--resources", "cpus:4;mem:8192;disk:20000;ports:[" + taskPorts + "-" + (taskPorts + 999) + "]");
        if (prometheusData != null) {
            Files.createDirectories(var.resolve("prometheus"));
            try (var blocks = Files.list(prometheusData)) {
                Path data = Files.createDirectories(var.resolve("prometheus/data"));
                for (Path block : blocks.toList()) {
                    Files.move(block, data.resolve(block.getFileName()));
                }
            }
        }
        this.process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    /**
     * Starts the stack with the specs of configs/services named in {@code services}, each changed
     * by {@code tune}, in a new temporary folder; returns once {@code ./remit local} says it runs.
     * {@code prometheusData}, when not null, is a folder of TSDB blocks moved into Prometheus's
     * data folder before it starts (a backfilled history).
     */
    static LocalStack start(String name, List<String> services, Consumer<ObjectNode> tune, Path prometheusData)
            throws Exception {
        Path var = Files.createTempDirectory("remit-bench-" + name);
        Path specs = Files.createDirectories(var.resolve("specs"));
        YAMLMapper yaml = new YAMLMapper();
        for (String service : services) {
            ObjectNode spec = (ObjectNode) yaml.readTree(Path.of("configs/services/" + service + ".yml").toFile());
            tune.accept(spec);
            yaml.writeValue(specs.resolve(service + ".yml").toFile(), spec);
        }
        LocalStack stack = new LocalStack(var, specs, prometheusData);
        try {
            stack.until("./remit local says Remit is running (see " + stack.output + ")", Duration.ofMinutes(4), () -> {
                if (!stack.process.isAlive()) {
                    throw new IllegalStateException("./remit local exited:\n" + read(stack.output));
                }
                return read(stack.output).contains("Remit is running");
            });
            stack.etcd = Etcd.connect(EtcdSettings.of(stack.etcdUrl));
            return stack;
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    /**
     * CPU time (ms, user and system) used so far by each part of the stack: every process started
     * under {@code ./remit local} (and PostgreSQL's, which detach), by what it runs (payments, fx, schools, executor, zipkin,
     * postgres, scheduler, localcluster, prometheus, etcd, other). Processes that ended are not counted.
     */
    Map<String, Double> cpuMillis() {
        Map<String, Double> out = new java.util.TreeMap<>();
        // PostgreSQL's postmaster detaches from the script: find it, and its backends, by the data folder.
        Map<Long, ProcessHandle> parts = new java.util.HashMap<>();
        process.descendants().forEach(p -> parts.put(p.pid(), p));
        ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(var.toString())).forEach(p -> {
            parts.put(p.pid(), p);
            p.descendants().forEach(d -> parts.put(d.pid(), d));
        });
        parts.values().forEach(p -> {
            String command = p.info().commandLine().orElse("");
            try {
                String[] stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat")).replaceFirst("^.*\\) ", "").split(" ");
                double ms = (Long.parseLong(stat[11]) + Long.parseLong(stat[12])) * 10.0; // fields 14, 15: clock ticks of 10 ms
                out.merge(part(command), ms, Double::sum);
            } catch (IOException | RuntimeException gone) {
                // it ended meanwhile
            }
        });
        return out;
    }

    private static String part(String command) {
        for (String service : List.of("payments", "fx", "schools")) {
            if (command.contains("-jar " + service + ".jar")) {
                return service;
            }
        }
        for (String part : List.of("remit-executor", "zipkin", "postgres", "scheduler", "localcluster", "prometheus", "etcd")) {
            if (command.contains(part)) {
                return part.equals("remit-executor") ? "executors" : part;
            }
        }
        return "other";
    }

    /** A value of the credentials file ./remit local wrote, e.g. {@code REMIT_TOKEN}. */
    String credential(String name) {
        return read(var.resolve("credentials")).lines().filter(l -> l.startsWith(name + "="))
                .map(l -> l.substring(name.length() + 1)).findFirst()
                .orElseThrow(() -> new IllegalStateException(name + " is not in " + var.resolve("credentials")));
    }

    /** A key and value into etcd, as an operator would with etcdctl. */
    void put(String key, String value) {
        new KeyValues(etcd).put(key, value);
    }

    /** A scheduler GET with the operator token, as JSON. */
    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(schedulerUrl + path))
                .header("Authorization", "Bearer " + credential("REMIT_TOKEN")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + ": " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** The instances of {@code service} in etcd's discovery records now. */
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

    /** Waits until {@code service} has {@code n} instances in discovery. */
    void awaitRegistered(String service, int n, Duration timeout) {
        until(service + " has " + n + " registered instances", timeout, () -> instances(service).size() == n);
    }

    /** Polls {@code ok} every 100 ms until it holds; throws after {@code timeout}. */
    void until(String what, Duration timeout, BooleanSupplier ok) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("not within " + timeout + ": " + what);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
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

    /** A free port whose next port is free too (./remit local uses PORT and PORT+1 for etcd and the scheduler). */
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
