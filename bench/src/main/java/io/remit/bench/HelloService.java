package io.remit.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.remit.executor.api.ConfigTemplate;
import io.remit.executor.api.LaunchSpec;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The stand-in service as {@code configs/examples/hello.yml} defines it, for the platform
 * overhead benchmark: its spec as JSON for the scheduler, and a direct start of
 * {@code services/hello/target/hello.jar} with the same rendered config and JVM flags the
 * executor would give it (the baseline). Both bind only to loopback.
 */
final class HelloService {

    static final Path JAR = Path.of("services/hello/target/hello.jar");
    static final Path SPEC = Path.of("configs/examples/hello.yml");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode spec;

    private HelloService(ObjectNode spec) {
        this.spec = spec;
    }

    /**
     * hello.yml with one instance, health checks every {@code interval} (timeout the same, as the
     * validator allows no more) after a 30 s grace period, and its connectors bound to loopback.
     */
    static HelloService fromRepository(Duration interval) throws IOException {
        ObjectNode spec = (ObjectNode) new YAMLMapper().readTree(SPEC.toFile());
        spec.put("instances", 1);
        ObjectNode health = (ObjectNode) spec.get("healthCheck");
        health.put("interval", interval.toMillis() + "ms");
        health.put("timeout", interval.toMillis() + "ms");
        health.put("gracePeriod", "30s");
        spec.put("config", loopbackOnly(spec.get("config").asText()));
        return new HelloService(spec);
    }

    /** Adds {@code bindHost: 127.0.0.1} to every {@code - type: http} connector of the template. */
    static String loopbackOnly(String template) {
        return template.replaceAll("(?m)^(\\s*)- type: http\\s*$", "$1- type: http\n$1  bindHost: 127.0.0.1");
    }

    String id() {
        return spec.get("id").asText();
    }

    String json() throws IOException {
        return JSON.writeValueAsString(spec);
    }

    /**
     * The spec with one more env value, a secret one: the scheduler then keeps the launch spec out
     * of the executor's environment, so the executor starts the service only after LAUNCH.
     */
    String jsonWithASecret() throws IOException {
        ObjectNode copy = spec.deepCopy();
        ObjectNode env = copy.has("env") ? (ObjectNode) copy.get("env") : copy.putObject("env");
        env.putObject("BENCH_SECRET").put("value", "not-shown").put("secret", true);
        return JSON.writeValueAsString(copy);
    }

    String version() {
        return spec.get("version").asText();
    }

    /** The JVM flags the executor puts before {@code -jar}: its heap from memMb, then the spec's jvmOptions. */
    List<String> jvmFlags() {
        int memMb = spec.get("resources").get("memMb").asInt();
        List<String> flags = new ArrayList<>(List.of("-Xmx" + Math.max(32, memMb * 3 / 4) + "m"));
        spec.get("jvmOptions").forEach(o -> flags.add(o.asText()));
        return flags;
    }

    /** The config the executor would write for {@code ports}, rendered by the executor's own template code. */
    String renderConfig(Map<String, Integer> ports, String etcdEndpoint) {
        LaunchSpec launch = new LaunchSpec(id(), version(), "baseline", "hello.jar", spec.get("config").asText(), ports,
                spec.get("resources").get("memMb").asInt(), List.of(), Map.of(), null, LaunchSpec.Etcd.of(etcdEndpoint),
                null, null);
        return ConfigTemplate.render(launch.configTemplate(), ConfigTemplate.values(launch));
    }

    /** One direct start: process start to the admin port's health check answering 200. */
    record DirectStart(double millis, long pid, Path dir) {
    }

    /**
     * Starts {@code java <flags> -jar hello.jar server config.yml} in a fresh folder under
     * {@code work}, times it until {@code GET /healthcheck} on the admin port answers 200 (polled
     * every 5 ms), then stops it (SIGTERM, SIGKILL after 10 s) and waits for it to exit.
     */
    DirectStart startDirectly(Path work, String etcdEndpoint, int http, int admin) throws Exception {
        Path dir = Files.createTempDirectory(work, "baseline-");
        Files.writeString(dir.resolve("config.yml"), renderConfig(Map.of("http", http, "admin", admin), etcdEndpoint));
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.addAll(jvmFlags());
        argv.addAll(List.of("-jar", JAR.toAbsolutePath().toString(), "server", "config.yml"));
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(new File(dir.resolve("service.stdout").toString()));
        spec.get("env").fields().forEachRemaining(e -> pb.environment().put(e.getKey(), e.getValue().asText()));
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        HttpRequest check = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/healthcheck"))
                .timeout(Duration.ofSeconds(1)).build();
        long start = System.nanoTime();
        Process p = pb.start();
        try {
            long deadline = start + TimeUnit.SECONDS.toNanos(120);
            while (true) {
                try {
                    if (client.send(check, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return new DirectStart((System.nanoTime() - start) / 1e6, p.pid(), dir);
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("hello did not become healthy; see " + dir.resolve("service.stdout"));
                }
                Thread.sleep(5);
            }
        } finally {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
