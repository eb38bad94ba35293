package io.remit.scheduler.mesos;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.executor.api.LaunchSpec;
import io.remit.scheduler.engine.Cluster.PlannedLaunch;
import io.remit.scheduler.spec.EnvValue;
import io.remit.scheduler.spec.HealthCheck;
import io.remit.scheduler.spec.Resources;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.state.TaskRecord;
import io.remit.scheduler.plan.TaskState;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executor part of a TaskInfo: its command, what the agent fetches, and the early launch spec. */
class TaskInfoFactoryTest {

    private static TaskInfoFactory factory(Path artifacts) {
        return factory(artifacts, true);
    }

    private static TaskInfoFactory factory(Path artifacts, boolean earlyStart) {
        return new TaskInfoFactory(new TaskInfoFactory.Settings(URI.create("http://10.0.0.1:8080/artifacts"),
                "remit-executor.jar", List.of("http://127.0.0.1:2379"), "remit", "etcd-secret", 0.1, 64,
                Duration.ofSeconds(2), artifacts, earlyStart));
    }

    private static PlannedLaunch launch(Map<String, EnvValue> env) {
        ServiceSpec spec = new ServiceSpec("fx", "1.4.2", List.of("{{artifacts}}/fx.jar"), "server: {}", 1,
                new Resources(0.5, 256, 0, List.of("http", "admin")), null, env,
                new HealthCheck("/healthcheck", null, null, null, 3, null), null, null, Map.of("team", "fx"), null, null);
        TaskRecord task = new TaskRecord("fx.1", "fx", spec.revision(), spec.version(), TaskState.PENDING, null,
                "agent-1", "host-a", Map.of("http", 31001, "admin", 31002), Instant.EPOCH, Instant.EPOCH, null, null);
        return new PlannedLaunch(task, spec);
    }

    /** The file a URI's fetch leaves in the sandbox. */
    private static String fileName(Protos.CommandInfo.URI uri) {
        return uri.getOutputFile().isEmpty() ? uri.getValue().replaceAll("\\?.*", "").replaceAll(".*/", "") : uri.getOutputFile();
    }

    private static String sha256(String content) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(content.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void withTheArchiveBesideTheJarTheAgentFetchesBothAndTheCommandMapsIt(@TempDir Path artifacts) throws Exception {
        Files.writeString(artifacts.resolve("remit-executor.jar"), "jar");
        Files.writeString(artifacts.resolve("remit-executor-" + sha256("jar") + ".jsa"), "archive");
        Protos.CommandInfo command = factory(artifacts).build(launch(Map.of()), null).getExecutor().getCommand();

        assertThat(command.getValue()).startsWith("touch -d 2000-01-01T00:00:00Z remit-executor.jar; exec java ")
                .contains(" -XX:SharedArchiveFile=remit-executor.jsa ").endsWith(" -jar remit-executor.jar");
        assertThat(command.getUrisList()).extracting(TaskInfoFactoryTest::fileName)
                .containsExactly("remit-executor.jar", "remit-executor.jsa", "fx.jar");
        assertThat(command.getUris(0).getValue()).matches("http://10\\.0\\.0\\.1:8080/artifacts/remit-executor\\.jar\\?v=[0-9a-f]{16}");
        assertThat(command.getUris(0).getCache()).isTrue();
        assertThat(command.getUris(1).getCache()).isTrue();
    }

    @Test
    void withoutTheArchiveOrWithOneMadeFromAnotherJarThePlainCommandRuns(@TempDir Path artifacts) throws Exception {
        Files.writeString(artifacts.resolve("remit-executor.jar"), "jar");
        Files.writeString(artifacts.resolve("remit-executor-" + sha256("the previous build's jar") + ".jsa"), "stale");
        Protos.CommandInfo command = factory(artifacts).build(launch(Map.of()), null).getExecutor().getCommand();

        assertThat(command.getValue()).startsWith("exec java -Xmx64m").doesNotContain("SharedArchiveFile")
                .doesNotContain("touch");
        assertThat(command.getUrisList()).extracting(TaskInfoFactoryTest::fileName)
                .containsExactly("remit-executor.jar", "fx.jar");
    }

    @Test
    void theExecutorsEnvironmentCarriesTheLaunchSpecWithoutEtcdsCredentials(@TempDir Path artifacts) {
        Protos.TaskInfo task = factory(artifacts).build(launch(Map.of("GREETING", EnvValue.plain("hi"))), null);

        LaunchSpec full = LaunchSpec.fromJson(task.getData().toByteArray());
        assertThat(full.etcd().password()).isEqualTo("etcd-secret");
        List<Protos.Environment.Variable> variables = task.getExecutor().getCommand().getEnvironment().getVariablesList();
        assertThat(variables).extracting(Protos.Environment.Variable::getName).containsExactly("REMIT_LAUNCH_SPEC");
        String early = variables.get(0).getValue();
        assertThat(early).doesNotContain("etcd-secret").doesNotContain("\"user\"");
        assertThat(LaunchSpec.fromJson(early.getBytes(StandardCharsets.UTF_8))).isEqualTo(full.withoutEtcdCredentials());
    }

    @Test
    void withEarlyStartsOffOrASpecTooLargeForTheEnvironmentTheExecutorWaitsForLaunch(@TempDir Path artifacts) {
        assertThat(factory(artifacts, false).build(launch(Map.of()), null).getExecutor().getCommand()
                .getEnvironment().getVariablesList()).as("off").isEmpty();
        Protos.TaskInfo big = factory(artifacts).build(launch(Map.of("BIG", EnvValue.plain("x".repeat(70_000)))), null);
        assertThat(big.getExecutor().getCommand().getEnvironment().getVariablesList()).as("70 KB of env").isEmpty();
        assertThat(LaunchSpec.fromJson(big.getData().toByteArray()).env().get("BIG")).hasSize(70_000);
    }

    @Test
    void aServiceWithASecretGetsNoEarlyLaunchSpecSinceMesosShowsTheExecutorsEnvironment(@TempDir Path artifacts) {
        Protos.TaskInfo task = factory(artifacts).build(
                launch(Map.of("GREETING", EnvValue.plain("hi"), "DB_PASSWORD", EnvValue.secret("s3cret"))), null);

        assertThat(task.getExecutor().getCommand().getEnvironment().getVariablesList()).isEmpty();
        assertThat(task.getExecutor().toString()).doesNotContain("s3cret");
        assertThat(LaunchSpec.fromJson(task.getData().toByteArray()).env()).containsEntry("DB_PASSWORD", "s3cret");
    }

    @Test
    void withPerServiceEtcdUsersTheExecutorGetsItsServicesNotTheSchedulersAndNoEarlySpec(@TempDir Path artifacts) {
        String ca = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        List<String> asked = new java.util.ArrayList<>();
        TaskInfoFactory factory = new TaskInfoFactory(new TaskInfoFactory.Settings(URI.create("http://10.0.0.1:8080/artifacts"),
                "remit-executor.jar", List.of("https://127.0.0.1:2379"), "remit-scheduler", "scheduler-secret", 0.1, 64,
                Duration.ofSeconds(2), artifacts, true, ca, id -> {
                    asked.add(id);
                    return new io.remit.scheduler.state.EtcdAccess.Credentials("remit-executor-" + id, "exec-pw",
                            "remit-service-" + id, "svc-pw");
                }));

        Protos.TaskInfo task = factory.build(launch(Map.of("GREETING", EnvValue.plain("hi"))), null);

        assertThat(asked).containsExactly("fx");
        LaunchSpec.Etcd etcd = LaunchSpec.fromJson(task.getData().toByteArray()).etcd();
        assertThat(etcd).isEqualTo(new LaunchSpec.Etcd(List.of("https://127.0.0.1:2379"), "remit-executor-fx", "exec-pw", ca,
                "remit-service-fx", "svc-pw"));
        assertThat(task.getData().toStringUtf8()).doesNotContain("scheduler-secret");
        assertThat(task.getExecutor().getCommand().getEnvironment().getVariablesList())
                .as("a service started before LAUNCH would run without its credentials").isEmpty();
    }
}
