package io.remit.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.executor.api.LaunchSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceCommandTest {

    @Test
    void theHeapIsThreeQuartersOfTheTasksMemoryButAtLeast32Mb() {
        assertThat(ServiceCommand.heapMb(256)).isEqualTo(192);
        assertThat(ServiceCommand.heapMb(1000)).isEqualTo(750);
        assertThat(ServiceCommand.heapMb(1023)).isEqualTo(767);
        assertThat(ServiceCommand.heapMb(42)).isEqualTo(32);
        assertThat(ServiceCommand.heapMb(32)).isEqualTo(32);
        assertThat(ServiceCommand.heapMb(16_384)).isEqualTo(12_288);
    }

    @Test
    void jvmOptionsComeAfterTheDerivedHeapSoTheyCanOverrideIt() {
        LaunchSpec spec = new LaunchSpec("hello", "1", "hello.1", "hello.jar", "", Map.of("admin", 31000), 256,
                List.of("-Xmx100m", "-XX:+UseSerialGC"), Map.of(), null, LaunchSpec.Etcd.of("http://e:2379"), null, null);
        assertThat(ServiceCommand.argv(Path.of("/jdk/bin/java"), spec)).containsExactly(
                "/jdk/bin/java", "-Xmx192m", "-Xmx100m", "-XX:+UseSerialGC", "-jar", "hello.jar", "server", "config.yml");
    }

    @Test
    void javaComesFromJavaHomeElseFromTheExecutorsOwnJava() {
        assertThat(ServiceCommand.java(Map.of("JAVA_HOME", "/opt/jdk21"), "/usr/lib/jvm/17"))
                .isEqualTo(Path.of("/opt/jdk21/bin/java"));
        assertThat(ServiceCommand.java(Map.of(), "/usr/lib/jvm/17")).isEqualTo(Path.of("/usr/lib/jvm/17/bin/java"));
        assertThat(ServiceCommand.java(Map.of("JAVA_HOME", " "), "/usr/lib/jvm/17")).isEqualTo(Path.of("/usr/lib/jvm/17/bin/java"));
    }

    @Test
    void aCommandRunsThroughTheShellAndArgsWithoutOne() {
        LaunchSpec command = new LaunchSpec("web", "1", "web.1", null, "", Map.of("http", 31000), 64, List.of(), Map.of(),
                new LaunchSpec.HealthCheck("/", null, null, null, null, "http"), LaunchSpec.Etcd.of("http://e:2379"), null,
                null, "exec python3 -m http.server $PORT0", null);
        assertThat(command.problems()).isEmpty();
        assertThat(ServiceCommand.argv(Path.of("/jdk/bin/java"), command))
                .containsExactly("/bin/sh", "-c", "exec python3 -m http.server $PORT0");

        LaunchSpec args = new LaunchSpec("web", "1", "web.1", null, "", Map.of("http", 31000), 64, List.of(), Map.of(),
                new LaunchSpec.HealthCheck("/", null, null, null, null, "http"), LaunchSpec.Etcd.of("http://e:2379"), null,
                null, null, List.of("/usr/bin/python3", "-m", "http.server"));
        assertThat(ServiceCommand.argv(Path.of("/jdk/bin/java"), args)).containsExactly("/usr/bin/python3", "-m", "http.server");
    }

    @Test
    void aCommandSpecIsCheckedToo() {
        LaunchSpec both = new LaunchSpec("web", "1", "web.1", null, "", Map.of("admin", 31000), 64, List.of(), Map.of(),
                new LaunchSpec.HealthCheck("/", null, null, null, null, "http"), LaunchSpec.Etcd.of("http://e:2379"), null,
                null, "run", List.of());
        assertThat(both.problems()).containsExactly("args: give either command or args, not both",
                "args: must start with the program to run", "ports: must include 'http' (the health check port)");
        LaunchSpec jar = new LaunchSpec("web", "1", "web.1", null, "", Map.of("admin", 31000), 64, List.of(), Map.of(),
                null, LaunchSpec.Etcd.of("http://e:2379"), null, null);
        assertThat(jar.problems()).containsExactly("artifact: required (the file name of the service jar in the sandbox)");
    }
}
