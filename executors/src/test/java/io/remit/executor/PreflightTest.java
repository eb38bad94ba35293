package io.remit.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.executor.api.LaunchSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreflightTest {

    @TempDir
    Path sandbox;

    private static LaunchSpec spec(String template, int http, int admin) {
        return new LaunchSpec("hello", "0.1.0", "hello.1", "hello.jar", template, Map.of("http", http, "admin", admin), 64,
                List.of(), Map.of(), null, LaunchSpec.Etcd.of("http://127.0.0.1:2379"), null, null);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void rendersTheConfigWhenEverythingIsInPlace() throws IOException {
        Files.writeString(sandbox.resolve("hello.jar"), "jar");
        int http = freePort();
        int admin = freePort();
        Preflight.Outcome outcome = Preflight.check(spec("http: {{port.http}}\nid: {{instance.id}}", http, admin), sandbox);
        assertThat(outcome.problems()).isEmpty();
        assertThat(outcome.config()).isEqualTo("http: " + http + "\nid: hello.1");
    }

    @Test
    void namesATakenPortAMissingArtifactAndABadPlaceholderAtOnce() throws IOException {
        int admin = freePort();
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int http = taken.getLocalPort();
            Preflight.Outcome outcome = Preflight.check(spec("grpc: {{port.grpc}}", http, admin), sandbox);
            assertThat(outcome.ok()).isFalse();
            assertThat(outcome.problems()).hasSize(3);
            assertThat(outcome.problems().get(0)).startsWith("config template: unknown placeholder {{port.grpc}} at line 1");
            assertThat(outcome.problems().get(1)).startsWith("port " + http + " (http) is already in use on this host");
            assertThat(outcome.problems().get(2)).startsWith("artifact 'hello.jar' is not in the sandbox " + sandbox);
        }
    }

    @Test
    void aPortBoundOnAllInterfacesIsTakenToo() throws IOException {
        try (ServerSocket taken = new ServerSocket(0)) {
            assertThat(Preflight.taken(taken.getLocalPort())).isPresent();
        }
        assertThat(Preflight.taken(freePort())).isEmpty();
    }
}
