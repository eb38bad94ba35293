package io.remit.executor.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LaunchSpecJsonTest {

    private static final ObjectMapper PLAIN = new ObjectMapper();

    static LaunchSpec example() {
        return new LaunchSpec("hello", "0.1.0", "hello.7f3a9c", "hello.jar", """
                server:
                  applicationConnectors:
                    - type: http
                      port: {{port.http}}
                  adminConnectors:
                    - type: http
                      port: {{port.admin}}
                remit:
                  service: hello
                  version: "{{service.version}}"
                  instanceId: "{{instance.id}}"
                  etcdEndpoints: "{{etcd.endpoints}}"
                """, Map.of("http", 31001, "admin", 31002), 256, List.of("-XX:+UseSerialGC"), Map.of("GREETING", "Hello"),
                new LaunchSpec.HealthCheck("/healthcheck", Duration.ofSeconds(5), Duration.ofSeconds(2),
                        Duration.ofSeconds(30), 3),
                LaunchSpec.Etcd.of("http://10.0.0.5:2379", "http://10.0.0.6:2379"), Duration.ofSeconds(2),
                Duration.ofSeconds(10));
    }

    @Test
    void writesTheDocumentedJson() throws IOException {
        assertThat(PLAIN.readTree(example().toJson())).isEqualTo(PLAIN.readTree(fixture("fixtures/launch-spec.json")));
    }

    @Test
    void readsTheDocumentedJson() throws IOException {
        assertThat(LaunchSpec.fromJson(fixture("fixtures/launch-spec.json"))).isEqualTo(example());
    }

    @Test
    void fillsInDefaults() {
        LaunchSpec spec = LaunchSpec.fromJson("""
                {"serviceId":"fx","version":"1","instanceId":"fx.1","artifact":"fx.jar","ports":{"admin":31000},
                 "memMb":64,"etcd":{"endpoints":["http://127.0.0.1:2379"]}}""".getBytes(StandardCharsets.UTF_8));
        assertThat(spec.registrationTtl()).isEqualTo(Duration.ofSeconds(10));
        assertThat(spec.drainGrace()).isEqualTo(Duration.ofSeconds(5));
        assertThat(spec.healthCheck()).isEqualTo(new LaunchSpec.HealthCheck("/healthcheck", Duration.ofSeconds(10),
                Duration.ofSeconds(5), Duration.ofSeconds(60), 3));
        assertThat(spec.configTemplate()).isEmpty();
        assertThat(spec.jvmOptions()).isEmpty();
        assertThat(spec.env()).isEmpty();
    }

    @Test
    void ignoresUnknownFieldsSoANewerSchedulerCanAddSome() {
        LaunchSpec spec = LaunchSpec.fromJson(json(example()).replaceFirst("\\{", "{\"futureField\":{\"x\":1},")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(spec).isEqualTo(example());
    }

    @Test
    void listsEveryProblemAtOnce() {
        assertThatThrownBy(() -> LaunchSpec.fromJson("""
                {"serviceId":"a/b","instanceId":"","artifact":"../x.jar","ports":{"http":70000},"memMb":16,
                 "jvmOptions":["Xmx1g"],"healthCheck":{"path":"health","interval":"PT0S","consecutiveFailures":0},
                 "etcd":{"endpoints":[]},"registrationTtl":"PT1.5S"}""".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(InvalidLaunchSpecException.class, e -> assertThat(e.problems()).containsExactly(
                        "serviceId: must not contain '/' or surrounding spaces, was 'a/b'",
                        "version: required",
                        "instanceId: required",
                        "artifact: must be a file name in the sandbox, without '/': '../x.jar'",
                        "ports.http: must be in 1..65535, was 70000",
                        "ports: must include 'admin' (the health check port)",
                        "memMb: must be at least 32, was 16",
                        "jvmOptions[0]: must start with '-', was 'Xmx1g'",
                        "healthCheck.path: must start with '/', was 'health'",
                        "healthCheck.interval: must be positive, was PT0S",
                        "healthCheck.consecutiveFailures: must be at least 1, was 0",
                        "etcd.endpoints: at least one etcd client URL is required",
                        "registrationTtl: must be whole seconds, at least 2 s, was PT1.5S"));
    }

    @Test
    void saysWhereTheJsonIsWrong() {
        assertThatThrownBy(() -> LaunchSpec.fromJson("{\"memMb\":\"lots\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidLaunchSpecException.class).hasMessageStartingWith("invalid launch spec: memMb: ");
        assertThatThrownBy(() -> LaunchSpec.fromJson("{\"serviceId\":".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidLaunchSpecException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> LaunchSpec.fromJson(new byte[0]))
                .isInstanceOf(InvalidLaunchSpecException.class).hasMessageContaining("TaskInfo.data is empty");
    }

    @Test
    void neverShowsSecrets() {
        LaunchSpec spec = example();
        LaunchSpec withSecrets = new LaunchSpec(spec.serviceId(), spec.version(), spec.instanceId(), spec.artifact(),
                spec.configTemplate(), spec.ports(), spec.memMb(), spec.jvmOptions(), Map.of("DB_PASSWORD", "hunter2"),
                spec.healthCheck(), new LaunchSpec.Etcd(List.of("http://e:2379"), "remit", "s3cret"),
                spec.drainGrace(), spec.registrationTtl());
        assertThat(withSecrets.toString()).contains("DB_PASSWORD").doesNotContain("hunter2").doesNotContain("s3cret");
    }

    @Test
    void carriesTheCaAndTheServicesOwnCredentialsAndDropsEveryPasswordForTheEarlySpec() {
        LaunchSpec spec = example();
        String ca = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        LaunchSpec secure = new LaunchSpec(spec.serviceId(), spec.version(), spec.instanceId(), spec.artifact(),
                spec.configTemplate(), spec.ports(), spec.memMb(), spec.jvmOptions(), spec.env(), spec.healthCheck(),
                new LaunchSpec.Etcd(List.of("https://e:2379"), "remit-executor-hello", "exec-pw", ca,
                        "remit-service-hello", "svc-pw"),
                spec.drainGrace(), spec.registrationTtl());

        LaunchSpec read = LaunchSpec.fromJson(secure.toJson());
        assertThat(read).isEqualTo(secure);
        assertThat(read.etcd().hasServiceCredentials()).isTrue();
        assertThat(secure.toString()).contains("remit-service-hello").doesNotContain("exec-pw").doesNotContain("svc-pw");

        LaunchSpec early = secure.withoutEtcdCredentials();
        assertThat(early.etcd()).isEqualTo(new LaunchSpec.Etcd(List.of("https://e:2379"), null, null, ca, null, null));
        assertThat(json(early)).doesNotContain("pw").contains("BEGIN CERTIFICATE");
        // The plain form has none of the new fields.
        assertThat(json(example())).doesNotContain("serviceUser").doesNotContain("\"ca\"");
    }

    @Test
    void carriesAClientCertificateWhoseKeyIsNeverShownNorPutInTheEarlySpec() {
        LaunchSpec spec = example();
        String ca = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        String cert = "-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n";
        String key = "-----BEGIN PRIVATE KEY-----\nMIGHsecretkey\n-----END PRIVATE KEY-----\n";
        LaunchSpec secure = new LaunchSpec(spec.serviceId(), spec.version(), spec.instanceId(), spec.artifact(),
                spec.configTemplate(), spec.ports(), spec.memMb(), spec.jvmOptions(), spec.env(), spec.healthCheck(),
                new LaunchSpec.Etcd(List.of("https://e:2379"), "remit-executor-hello", "exec-pw", ca,
                        "remit-service-hello", "svc-pw").withClientCert(cert, key),
                spec.drainGrace(), spec.registrationTtl());

        LaunchSpec read = LaunchSpec.fromJson(secure.toJson());
        assertThat(read).isEqualTo(secure);
        assertThat(read.etcd().hasClientCert()).isTrue();
        assertThat(read.problems()).isEmpty();
        assertThat(secure.toString()).contains("cert=(PEM)").doesNotContain("MIGHsecretkey");
        assertThat(json(secure.withoutEtcdCredentials())).doesNotContain("MIGHsecretkey").doesNotContain("MIIC");
    }

    @Test
    void serviceCredentialsGoTogetherAndTheCaIsPem() {
        LaunchSpec spec = example();
        LaunchSpec broken = new LaunchSpec(spec.serviceId(), spec.version(), spec.instanceId(), spec.artifact(),
                spec.configTemplate(), spec.ports(), spec.memMb(), spec.jvmOptions(), spec.env(), spec.healthCheck(),
                new LaunchSpec.Etcd(List.of("https://e:2379"), null, null, "not a certificate", "remit-service-hello", null),
                spec.drainGrace(), spec.registrationTtl());
        assertThat(broken.problems()).contains("etcd: serviceUser and servicePassword go together",
                "etcd.ca: must be PEM certificates (-----BEGIN CERTIFICATE-----)");
        LaunchSpec halfCert = new LaunchSpec(spec.serviceId(), spec.version(), spec.instanceId(), spec.artifact(),
                spec.configTemplate(), spec.ports(), spec.memMb(), spec.jvmOptions(), spec.env(), spec.healthCheck(),
                LaunchSpec.Etcd.of("https://e:2379").withClientCert("not a certificate", null),
                spec.drainGrace(), spec.registrationTtl());
        assertThat(halfCert.problems()).contains("etcd: cert and key go together",
                "etcd.cert: must be a PEM certificate (-----BEGIN CERTIFICATE-----)");
    }

    private static String json(LaunchSpec spec) {
        return new String(spec.toJson(), StandardCharsets.UTF_8);
    }

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = LaunchSpecJsonTest.class.getClassLoader().getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }
}
