package io.remit.registry.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.remit.registry.discovery.GatewayRegistry;
import io.remit.registry.discovery.Registration;
import io.remit.registry.testing.TestEtcd;
import io.remit.testkit.EtcdServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * etcd with {@code --client-cert-auth}, as {@code ./remit local --secure-etcd} runs it: a client
 * must show a certificate of etcd's CA, and who it is stays its user and password. Through jetcd
 * (the scheduler, the services' kit) and etcd's JSON gateway ({@link GatewayRegistry}, the
 * executors), each as it really connects.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientCertificatesIT {

    private static final String SERVICE = "payments";
    private static final String EXECUTOR = EtcdAccessPolicy.executorUser(SERVICE);
    private static final String EXECUTOR_PASSWORD = "exec-payments-pw";

    private EtcdServer server;
    private Etcd root;
    private KeyValues rootKv;

    @BeforeAll
    void start() {
        server = EtcdServer.start(EtcdServer.Security.MUTUAL_TLS_AND_AUTH);
        root = Etcd.connect(settings(server.clientCert("scheduler"), EtcdServer.ROOT_USER, server.rootPassword()));
        rootKv = new KeyValues(root);
        EtcdAuth auth = new EtcdAuth(root);
        auth.ensureRole(EtcdAccessPolicy.executor(SERVICE));
        auth.ensureUser(EXECUTOR, EXECUTOR_PASSWORD, EXECUTOR, false);
        rootKv.put(Keys.serviceSpec(SERVICE), "{\"id\":\"payments\"}");
    }

    @AfterAll
    void stop() {
        if (root != null) {
            root.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private EtcdSettings settings(EtcdServer.ClientCert cert, String user, String password) {
        EtcdSettings s = EtcdSettings.of(server.endpoint())
                .withTls(new EtcdSettings.Tls(server.caFile(), cert == null ? null : cert.certFile(),
                        cert == null ? null : cert.keyFile()))
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(3));
        return user == null ? s : s.withCredentials(user, password);
    }

    @Test
    void aClientWithoutACertificateIsRefusedEvenWithRootsPassword() {
        EtcdSettings noCert = settings(null, EtcdServer.ROOT_USER, server.rootPassword());
        try (Etcd etcd = Etcd.connect(noCert)) {
            assertThatThrownBy(() -> new KeyValues(etcd).get(Keys.serviceSpec(SERVICE))).isInstanceOf(RegistryException.class);
        }
        try (GatewayRegistry registry = new GatewayRegistry(noCert)) {
            assertThatThrownBy(() -> registry.register(TestEtcd.instance(SERVICE, "payments.nocert"), Duration.ofSeconds(3)))
                    .isInstanceOf(RegistryException.class);
        }
        assertThat(rootKv.get(Keys.discovery(SERVICE, "payments.nocert"))).isEmpty();
    }

    @Test
    void aCertificateOfAnotherCaIsRefused() {
        try (EtcdServer other = EtcdServer.start(EtcdServer.Security.TLS_AND_AUTH)) {
            // Signed by the other etcd's CA; this etcd's CA still checks the server.
            EtcdSettings foreign = settings(other.clientCert("executor"), EXECUTOR, EXECUTOR_PASSWORD);
            try (Etcd etcd = Etcd.connect(foreign)) {
                assertThatThrownBy(() -> new KeyValues(etcd).put(Keys.discovery(SERVICE, "payments.foreign"), "{}"))
                        .isInstanceOf(RegistryException.class);
            }
        }
        assertThat(rootKv.get(Keys.discovery(SERVICE, "payments.foreign"))).isEmpty();
    }

    @Test
    void theCertificateAloneAuthenticatesNobody() {
        // etcd takes a certificate's common name for the user when no password is given; Remit's
        // certificates have none, so a client without a password is refused everything.
        try (Etcd etcd = Etcd.connect(settings(server.clientCert("executor"), null, null))) {
            assertThatThrownBy(() -> new KeyValues(etcd).put(Keys.discovery(SERVICE, "payments.anonymous"), "{}"))
                    .isInstanceOf(RegistryException.class).hasMessageContaining("permission denied");
            assertThatThrownBy(() -> new KeyValues(etcd).get(Keys.serviceSpec(SERVICE)))
                    .isInstanceOf(RegistryException.class).hasMessageContaining("permission denied");
        }
        assertThat(rootKv.get(Keys.discovery(SERVICE, "payments.anonymous"))).isEmpty();
    }

    @Test
    void theJsonGatewayRefusesACertificateWithACommonName() throws Exception {
        // Why Remit's client certificates have none: the executors register through the gateway.
        EtcdServer.ClientCert named = server.clientCertNamed("named", "remit-executor-payments");
        try (GatewayRegistry registry = new GatewayRegistry(settings(named, EXECUTOR, EXECUTOR_PASSWORD))) {
            assertThatThrownBy(() -> registry.register(TestEtcd.instance(SERVICE, "payments.named"), Duration.ofSeconds(3)))
                    .isInstanceOf(RegistryException.class).hasMessageContaining("HTTP 400");
        }
    }

    @Test
    void withACertificateThePasswordSaysWhoTheClientIs() {
        EtcdSettings executor = settings(server.clientCert("executor"), EXECUTOR, EXECUTOR_PASSWORD);
        try (GatewayRegistry registry = new GatewayRegistry(executor)) {
            Registration r = registry.register(TestEtcd.instance(SERVICE, "payments.1"), Duration.ofSeconds(3));
            assertThat(rootKv.get(Keys.discovery(SERVICE, "payments.1"))).isPresent();
            r.deregister();
            assertThat(rootKv.get(Keys.discovery(SERVICE, "payments.1"))).isEmpty();
        }
        try (Etcd etcd = Etcd.connect(executor)) {
            KeyValues kv = new KeyValues(etcd);
            kv.put(Keys.discovery(SERVICE, "payments.2"), "{}");
            // The executor's rights, not more: the certificate adds none.
            assertThatThrownBy(() -> kv.get(Keys.serviceSpec(SERVICE)))
                    .isInstanceOf(RegistryException.class).hasMessageContaining("permission denied");
        }
        try (Etcd wrong = Etcd.connect(settings(server.clientCert("executor"), EXECUTOR, "not-the-password"))) {
            assertThatThrownBy(() -> new KeyValues(wrong).get(Keys.discovery(SERVICE, "payments.2")))
                    .isInstanceOf(RegistryException.class).hasMessageContaining("authentication failed");
        }
    }
}
