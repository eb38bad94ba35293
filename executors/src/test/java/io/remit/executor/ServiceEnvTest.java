package io.remit.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.executor.api.LaunchSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the service gets of etcd besides its endpoints: its own credentials and the CA, never the executor's. */
class ServiceEnvTest {

    private static final String CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    @TempDir
    Path sandbox;

    private static LaunchSpec spec(LaunchSpec.Etcd etcd) {
        return new LaunchSpec("svc", "1", "svc.1", null, "", Map.of("admin", 1234), 64, List.of(),
                Map.of("GREETING", "hi"), null, etcd, Duration.ofSeconds(1), null, null, List.of("sleep", "30"));
    }

    private LaunchContext context() {
        return new LaunchContext(sandbox, Map.of(), Path.of("java"), null, null, null);
    }

    @Test
    void theServiceGetsItsOwnUserAndTheCaFileNeverTheExecutors() throws Exception {
        LaunchSpec spec = spec(new LaunchSpec.Etcd(List.of("https://127.0.0.1:2379"), "remit-executor-svc", "exec-pw", CA,
                "remit-service-svc", "svc-pw"));

        Map<String, String> env = TaskRunner.serviceEnv(spec, context());

        Path ca = sandbox.resolve(LaunchSpec.Etcd.CA_FILE).toAbsolutePath();
        assertThat(env).containsEntry("GREETING", "hi")
                .containsEntry(LaunchSpec.Etcd.USER_ENV, "remit-service-svc")
                .containsEntry(LaunchSpec.Etcd.PASSWORD_ENV, "svc-pw")
                .containsEntry(LaunchSpec.Etcd.CA_FILE_ENV, ca.toString());
        assertThat(env.values()).doesNotContain("exec-pw", "remit-executor-svc");
        assertThat(ca).content().isEqualTo(CA);
    }

    @Test
    void theServiceGetsTheClientCertificateAsFilesWhoseKeyOnlyItsUserReads() throws Exception {
        String cert = "-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n";
        String key = "-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----\n";
        LaunchSpec spec = spec(new LaunchSpec.Etcd(List.of("https://127.0.0.1:2379"), "remit-executor-svc", "exec-pw", CA,
                "remit-service-svc", "svc-pw").withClientCert(cert, key));

        Map<String, String> env = TaskRunner.serviceEnv(spec, context());

        Path certFile = sandbox.resolve(LaunchSpec.Etcd.CERT_FILE).toAbsolutePath();
        Path keyFile = sandbox.resolve(LaunchSpec.Etcd.KEY_FILE).toAbsolutePath();
        assertThat(env).containsEntry(LaunchSpec.Etcd.CERT_FILE_ENV, certFile.toString())
                .containsEntry(LaunchSpec.Etcd.KEY_FILE_ENV, keyFile.toString());
        assertThat(certFile).content().isEqualTo(cert);
        assertThat(keyFile).content().isEqualTo(key);
        assertThat(java.nio.file.Files.getPosixFilePermissions(keyFile))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void withoutCaOrServiceCredentialsTheEnvironmentIsTheSpecs() throws Exception {
        LaunchSpec spec = spec(new LaunchSpec.Etcd(List.of("http://127.0.0.1:2379"), "u", "p"));
        assertThat(TaskRunner.serviceEnv(spec, context())).isEqualTo(Map.of("GREETING", "hi"));
        assertThat(sandbox.resolve(LaunchSpec.Etcd.CA_FILE)).doesNotExist();
        assertThat(sandbox.resolve(LaunchSpec.Etcd.KEY_FILE)).doesNotExist();
    }

    @Test
    void theWeightComesFromRemitWeightAndAnythingElseIsTheDefault() {
        java.util.function.Function<String, Integer> weight = text -> TaskRunner.weight(new LaunchSpec("svc", "1", "svc.1",
                null, "", Map.of("admin", 1234), 64, List.of(), text == null ? Map.of() : Map.of("REMIT_WEIGHT", text), null,
                null, Duration.ofSeconds(1), null, null, List.of("sleep", "30")));
        assertThat(weight.apply("20")).isEqualTo(20);
        assertThat(weight.apply(" 0 ")).isZero();
        assertThat(weight.apply(null)).isNull();
        assertThat(weight.apply("")).isNull();
        assertThat(weight.apply("-1")).isNull();
        assertThat(weight.apply("heavy")).isNull();
    }
}
