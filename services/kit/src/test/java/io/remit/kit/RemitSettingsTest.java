package io.remit.kit;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.registry.etcd.EtcdSettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where a service's etcd user, password and CA come from: its config, else what the executor put in its environment. */
class RemitSettingsTest {

    private static final Map<String, String> EXECUTOR_ENV = Map.of(
            RemitSettings.USER_ENV, "remit-service-fx",
            RemitSettings.PASSWORD_ENV, "svc-pw",
            RemitSettings.CA_FILE_ENV, "/sandbox/etcd-ca.pem");

    @Test
    void theExecutorsEnvironmentFillsWhatTheConfigLeavesEmpty() {
        RemitSettings s = new RemitSettings("fx", null, null, "https://127.0.0.1:2379", null, null, null)
                .withEtcdFrom(EXECUTOR_ENV);

        assertThat(s.etcdUser()).isEqualTo("remit-service-fx");
        assertThat(s.etcdPassword()).isEqualTo("svc-pw");
        assertThat(s.toString()).doesNotContain("svc-pw");
        EtcdSettings etcd = Remit.etcdSettings(s);
        assertThat(etcd.user()).isEqualTo("remit-service-fx");
        assertThat(etcd.tls()).isEqualTo(new EtcdSettings.Tls(Path.of("/sandbox/etcd-ca.pem"), null, null));
    }

    @Test
    void theClientCertificateTheExecutorWroteIsShownToEtcd() {
        Map<String, String> env = new java.util.HashMap<>(EXECUTOR_ENV);
        env.put(RemitSettings.CERT_FILE_ENV, "/sandbox/etcd-client.pem");
        env.put(RemitSettings.KEY_FILE_ENV, "/sandbox/etcd-client.key");
        RemitSettings s = new RemitSettings("fx", null, null, "https://127.0.0.1:2379", null, null, null).withEtcdFrom(env);

        assertThat(Remit.etcdSettings(s).tls()).isEqualTo(new EtcdSettings.Tls(Path.of("/sandbox/etcd-ca.pem"),
                Path.of("/sandbox/etcd-client.pem"), Path.of("/sandbox/etcd-client.key")));
    }

    @Test
    void theConfigWinsAndPlaintextNeedsNoTls() {
        RemitSettings s = new RemitSettings("fx", null, null, "http://127.0.0.1:2379", "by-hand", "pw", null)
                .withEtcdFrom(EXECUTOR_ENV);

        assertThat(s.etcdUser()).isEqualTo("by-hand");
        assertThat(s.etcdPassword()).isEqualTo("pw");
        EtcdSettings etcd = Remit.etcdSettings(s);
        assertThat(etcd.tls()).isNull();
        assertThat(etcd.problems()).isEmpty();
    }

    @Test
    void httpsWithoutACaTrustsTheJvmsCas() {
        EtcdSettings etcd = Remit.etcdSettings(new RemitSettings("fx", null, null, "https://etcd:2379", null, null, null)
                .withEtcdFrom(Map.of()));
        assertThat(etcd.user()).isNull();
        assertThat(etcd.tls()).isEqualTo(new EtcdSettings.Tls(null, null, null));
    }
}
