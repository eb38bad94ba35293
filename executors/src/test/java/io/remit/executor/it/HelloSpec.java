package io.remit.executor.it;

import io.remit.executor.api.LaunchSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A launch spec of the hello service as the scheduler would send it, on ports that were free a
 * moment ago, with quick health checks; tests change what their story needs. Mutable.
 */
final class HelloSpec {

    static final String VERSION = "0.1.0";
    /** The config of configs/examples/hello.yml, bound to loopback. */
    static final String CONFIG = resource("hello-config.yml");

    final String taskId;
    String artifact = "hello.jar";
    String config = CONFIG;
    final Map<String, Integer> ports = new LinkedHashMap<>();
    final Map<String, String> env = new LinkedHashMap<>();
    /** Quick to start, small: the tests start several of these on two CPUs. */
    final List<String> jvmOptions = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k"));
    Duration drainGrace = Duration.ofSeconds(2);
    List<String> etcdEndpoints;

    HelloSpec(String taskId, String etcdEndpoint) {
        this.taskId = taskId;
        this.etcdEndpoints = List.of(etcdEndpoint);
        ports.put("http", freePort());
        ports.put("admin", freePort());
        env.put("GREETING", "Hello");
    }

    int port(String name) {
        return ports.get(name);
    }

    LaunchSpec build() {
        return new LaunchSpec("hello", VERSION, taskId, artifact, config, ports, 256, jvmOptions, env,
                new LaunchSpec.HealthCheck("/healthcheck", Duration.ofMillis(300), Duration.ofSeconds(1),
                        Duration.ofSeconds(45), 2),
                new LaunchSpec.Etcd(etcdEndpoints, null, null), drainGrace, Duration.ofSeconds(10));
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = HelloSpec.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
