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
                "agent-1", "host-a", Map.of("http", 31001, "admin", 31002), LAUNCHED, LAUNCHED, null, null, 31003);
        return new PlannedLaunch(task, spec);
    }

    static final Instant LAUNCHED = Instant.parse("2026-12-07T10:15:30Z");

    /** The executor's environment, by name. */
    private static Map<String, String> environment(Protos.TaskInfo task) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        task.getExecutor().getCommand().getEnvironment().getVariablesList().forEach(v -> env.put(v.getName(), v.getValue()));
        return env;
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
        String early = environment(task).get("REMIT_LAUNCH_SPEC");
        assertThat(early).doesNotContain("etcd-secret").doesNotContain("\"user\"");
        assertThat(LaunchSpec.fromJson(early.getBytes(StandardCharsets.UTF_8))).isEqualTo(full.withoutEtcdCredentials());
    }

    @Test
    void withEarlyStartsOffOrASpecTooLargeForTheEnvironmentTheExecutorWaitsForLaunch(@TempDir Path artifacts) {
        assertThat(environment(factory(artifacts, false).build(launch(Map.of()), null))).as("off")
                .doesNotContainKey("REMIT_LAUNCH_SPEC");
        Protos.TaskInfo big = factory(artifacts).build(launch(Map.of("BIG", EnvValue.plain("x".repeat(70_000)))), null);
        assertThat(environment(big)).as("70 KB of env").doesNotContainKey("REMIT_LAUNCH_SPEC");
        assertThat(LaunchSpec.fromJson(big.getData().toByteArray()).env().get("BIG")).hasSize(70_000);
    }

    @Test
    void aServiceWithASecretGetsNoEarlyLaunchSpecSinceMesosShowsTheExecutorsEnvironment(@TempDir Path artifacts) {
        Protos.TaskInfo task = factory(artifacts).build(
                launch(Map.of("GREETING", EnvValue.plain("hi"), "DB_PASSWORD", EnvValue.secret("s3cret"))), null);

        assertThat(environment(task)).doesNotContainKey("REMIT_LAUNCH_SPEC");
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
        assertThat(environment(task)).as("a service started before LAUNCH would run without its credentials")
                .doesNotContainKey("REMIT_LAUNCH_SPEC");
    }

    @Test
    void theExecutorGetsTheClientCertificateInTheLaunchSpecOnlyAndNoEarlySpec(@TempDir Path artifacts) {
        String cert = "-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n";
        String key = "-----BEGIN PRIVATE KEY-----\nMIGHsecret\n-----END PRIVATE KEY-----\n";
        TaskInfoFactory factory = new TaskInfoFactory(new TaskInfoFactory.Settings(URI.create("http://10.0.0.1:8080/artifacts"),
                "remit-executor.jar", List.of("https://127.0.0.1:2379"), "remit-scheduler", "scheduler-secret", 0.1, 64,
                Duration.ofSeconds(2), artifacts, true, null, null).withEtcdClientCert(cert, key));

        Protos.TaskInfo task = factory.build(launch(Map.of("GREETING", EnvValue.plain("hi"))), null);

        LaunchSpec.Etcd etcd = LaunchSpec.fromJson(task.getData().toByteArray()).etcd();
        assertThat(etcd.cert()).isEqualTo(cert);
        assertThat(etcd.key()).isEqualTo(key);
        assertThat(environment(task)).as("Mesos shows the executor's environment: no key there, so no early start")
                .doesNotContainKey("REMIT_LAUNCH_SPEC");
        assertThat(environment(task).values()).noneMatch(v -> v.contains("MIGHsecret"));
    }

    @Test
    void theExecutorHasItsMetricsPortAsAResourceOfItsOwnAndIsToldItWhoItRunsAndWhenItWasLaunched(@TempDir Path artifacts) {
        Protos.TaskInfo task = factory(artifacts, false).build(launch(Map.of()), null);

        assertThat(task.getExecutor().getResourcesList()).filteredOn(r -> r.getName().equals("ports"))
                .singleElement().satisfies(r -> assertThat(r.getRanges().getRangeList()).containsExactly(
                        Protos.Value.Range.newBuilder().setBegin(31003).setEnd(31003).build()));
        assertThat(task.getResourcesList()).filteredOn(r -> r.getName().equals("ports")).singleElement()
                .satisfies(r -> assertThat(r.getRanges().getRangeList()).extracting(Protos.Value.Range::getBegin)
                        .as("the service's ports only").containsExactly(31001L, 31002L));
        assertThat(LaunchSpec.fromJson(task.getData().toByteArray()).ports()).isEqualTo(Map.of("http", 31001, "admin", 31002));
        assertThat(environment(task)).isEqualTo(Map.of("REMIT_EXECUTOR_METRICS_PORT", "31003",
                "REMIT_LAUNCHED_AT", "2026-12-07T10:15:30Z", "REMIT_SERVICE_ID", "fx", "REMIT_SERVICE_VERSION", "1.4.2",
                "REMIT_INSTANCE_ID", "fx.1"));
    }

    @Test
    void executorsLogJsonWhenTheSchedulerSaysSo(@TempDir Path artifacts) {
        TaskInfoFactory json = new TaskInfoFactory(new TaskInfoFactory.Settings(URI.create("http://10.0.0.1:8080/artifacts"),
                "remit-executor.jar", List.of("http://127.0.0.1:2379"), "remit", "etcd-secret", 0.1, 64,
                Duration.ofSeconds(2), artifacts, false, null, null, "json"));

        assertThat(environment(json.build(launch(Map.of()), null))).containsEntry("REMIT_LOG_FORMAT", "json");
        assertThat(environment(factory(artifacts).build(launch(Map.of()), null))).doesNotContainKey("REMIT_LOG_FORMAT");
    }

    @Test
    void anInstanceLaunchedWithoutAnExecutorPortGetsNeither(@TempDir Path artifacts) {
        PlannedLaunch old = launch(Map.of());
        TaskRecord r = old.record();
        TaskRecord without = new TaskRecord(r.taskId(), r.serviceId(), r.revision(), r.version(), r.state(), null, r.agentId(),
                r.hostname(), r.ports(), r.launchedAt(), r.updatedAt(), null, null);
        Protos.TaskInfo task = factory(artifacts, false).build(new PlannedLaunch(without, old.spec()), null);

        assertThat(task.getExecutor().getResourcesList()).extracting(Protos.Resource::getName).containsExactly("cpus", "mem");
        assertThat(environment(task)).doesNotContainKey("REMIT_EXECUTOR_METRICS_PORT");
    }
}
