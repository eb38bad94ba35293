package io.remit.registry.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.remit.registry.election.ElectionSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcdSettingsTest {

    @TempDir
    Path dir;

    @Test
    void plainLoopbackSettingsAreValidAndGetDefaultTimeouts() {
        EtcdSettings s = EtcdSettings.of("http://127.0.0.1:2379", "http://127.0.0.1:22379");
        assertThat(s.problems()).isEmpty();
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.validated()).isSameAs(s);
    }

    @Test
    void tlsWithExistingFilesAndHttpsIsValid() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
        Path cert = Files.writeString(dir.resolve("client.pem"), "x");
        Path key = Files.writeString(dir.resolve("client-key.pem"), "x");
        EtcdSettings s = EtcdSettings.of("https://etcd-1:2379")
                .withTls(new EtcdSettings.Tls(ca, cert, key))
                .withCredentials("remit", "secret");
        assertThat(s.problems()).isEmpty();
        assertThat(s.toString()).doesNotContain("secret").contains("***");
    }

    @Test
    void listsEveryProblemAtOnceNamingEachField() {
        EtcdSettings s = new EtcdSettings(List.of("127.0.0.1:2379", "ftp://x:1", "http://h", "http://h:1/v3"),
                "remit", null, null, Duration.ZERO, Duration.ofSeconds(-1));
        assertThat(s.problems()).containsExactly(
                "endpoints[0]: '127.0.0.1:2379' must be a URL starting with http:// or https://",
                "endpoints[1]: 'ftp://x:1' must be a URL starting with http:// or https://",
                "endpoints[2]: 'http://h' has no port (etcd's client port is usually 2379)",
                "endpoints[3]: 'http://h:1/v3' must not have a path or query",
                "password: required when user is set",
                "connectTimeout: must be positive (was PT0S)",
                "requestTimeout: must be positive (was PT-1S)");
        assertThatThrownBy(s::validated)
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("endpoints[0]")
                .hasMessageContaining("requestTimeout")
                .satisfies(e -> assertThat(((InvalidSettingsException) e).problems()).hasSize(7));
    }

    @Test
    void noEndpointsIsAProblem() {
        assertThat(new EtcdSettings(null, null, null, null, null, null).problems())
                .containsExactly("endpoints: at least one etcd client URL is required (e.g. http://127.0.0.1:2379)");
    }

    @Test
    void schemeAndTlsMustAgree() {
        Path missing = dir.resolve("nope.pem");
        assertThat(EtcdSettings.of("http://a:1", "https://b:1").problems())
                .containsExactly("endpoints: mixes http and https; use one scheme for all endpoints");
        assertThat(EtcdSettings.of("https://a:1").problems())
                .containsExactly("tls: endpoints use https but no tls section is set");
        assertThat(EtcdSettings.of("http://a:1").withTls(new EtcdSettings.Tls(null, null, null)).problems())
                .containsExactly("tls: a tls section is set but endpoints use http; use https:// endpoints");
        assertThat(EtcdSettings.of("https://a:1").withTls(new EtcdSettings.Tls(missing, missing, null)).problems())
                .containsExactly(
                        "tls.caFile: " + missing + " does not exist or is not readable",
                        "tls.certFile: " + missing + " does not exist or is not readable",
                        "tls.keyFile: required when tls.certFile is set");
    }

    @Test
    void passwordWithoutUserIsAProblem() {
        assertThat(EtcdSettings.of("http://a:1").withCredentials(null, "pw").problems())
                .containsExactly("user: required when password is set");
    }

    @Test
    void connectRefusesInvalidSettingsBeforeBuildingAClient() {
        assertThatThrownBy(() -> Etcd.connect(EtcdSettings.of("localhost")))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("endpoints[0]");
    }

    @Test
    void electionSettingsDefaultToTheSchedulerKeyAndTenSeconds() {
        ElectionSettings s = ElectionSettings.scheduler("sched-1");
        assertThat(s.name()).isEqualTo("/remit/scheduler/leader");
        assertThat(s.ttl()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.problems()).isEmpty();
        assertThat(new ElectionSettings("leader/", " ", Duration.ofMillis(1500)).problems()).containsExactly(
                "name: must be an absolute key not ending in '/' (was 'leader/')",
                "candidateId: required",
                "ttl: must be whole seconds, at least 1 s (was PT1.5S)");
    }
}
