package io.remit.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.executor.api.LaunchSpec;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service started from the executor's environment before LAUNCH, with real processes. */
class PrestartTest {

    private static final ExecutorMetrics METRICS = new ExecutorMetrics(java.time.Instant.now(), null);

    @TempDir
    Path sandbox;
    private Prestart early;

    @AfterEach
    void stop() {
        if (early != null) {
            early.discard("test over");
        }
    }

    private static LaunchSpec spec(String version, int adminPort) {
        return new LaunchSpec("svc", version, "svc.1", null, "port: {{port.admin}}", Map.of("admin", adminPort), 64,
                List.of(), Map.of("GREETING", "hi"), null, new LaunchSpec.Etcd(List.of("http://127.0.0.1:2379"), "u", "p"),
                Duration.ofSeconds(1), null, null, List.of("sleep", "30"));
    }

    private Prestart start(LaunchSpec spec) {
        String json = new String(spec.withoutEtcdCredentials().toJson(), StandardCharsets.UTF_8);
        LaunchContext context = new LaunchContext(sandbox, Map.of(), Path.of("java"), null, null, null);
        return Prestart.start(Map.of(Prestart.ENV, json), context, METRICS, java.time.Clock.systemUTC());
    }

    @Test
    void theLaunchOfTheSameSpecTakesOverTheRunningService() throws Exception {
        LaunchSpec spec = spec("1.0", freePort());
        early = start(spec);
        assertThat(early).isNotNull();
        assertThat(sandbox.resolve("config.yml")).content().startsWith("port: ");

        ServiceProcess taken = early.adopt(spec); // the LAUNCH carries etcd's credentials too
        assertThat(taken).isNotNull();
        assertThat(taken.isAlive()).isTrue();
        taken.kill();
        taken.exited().get(5, TimeUnit.SECONDS);
    }

    @Test
    void aLaunchOfAnotherSpecStopsTheServiceStartedEarly() throws Exception {
        early = start(spec("1.0", freePort()));
        assertThat(early).isNotNull();
        long pid = ProcessHandle.current().children().filter(p -> p.info().command().orElse("").endsWith("sleep"))
                .findFirst().orElseThrow().pid();

        assertThat(early.adopt(spec("2.0", freePort()))).isNull();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("sleep, pid %d", pid).isFalse();
    }

    @Test
    void nothingStartsWhenTheEnvironmentHasNoSpecOrOneThatFailsItsChecks() throws Exception {
        LaunchContext context = new LaunchContext(sandbox, Map.of(), Path.of("java"), null, null, null);
        assertThat(Prestart.start(Map.of(), context, METRICS, java.time.Clock.systemUTC())).isNull();
        assertThat(Prestart.start(Map.of(Prestart.ENV, "{not json"), context, METRICS, java.time.Clock.systemUTC())).isNull();
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(0));
            assertThat(start(spec("1.0", taken.getLocalPort()))).as("its admin port is taken").isNull();
        }
        assertThat(ProcessHandle.current().children().filter(p -> p.info().command().orElse("").endsWith("sleep")))
                .isEmpty();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
