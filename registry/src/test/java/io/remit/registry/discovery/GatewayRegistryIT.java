package io.remit.registry.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.EtcdSettings;
import io.remit.registry.etcd.KeyValues;
import io.remit.registry.etcd.RegistryException;
import io.remit.registry.testing.Await;
import io.remit.registry.testing.TestEtcd;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What only {@link GatewayRegistry} has to get right (RegistryIT runs the shared behaviour):
 * etcd's authentication, and several endpoints of which some are down. Against a real etcd, with
 * authentication enabled by etcdctl as an operator would.
 */
@ExtendWith(EtcdExtension.class)
class GatewayRegistryIT {

    @Test
    void aRegistryWithAUserAndPasswordRegistersAndAWrongPasswordIsRefusedClearly() throws Exception {
        try (EtcdServer etcd = EtcdServer.start()) {
            etcdctl(etcd, "user", "add", "root:root-secret");
            etcdctl(etcd, "role", "add", "root");
            etcdctl(etcd, "user", "grant-role", "root", "root");
            etcdctl(etcd, "user", "add", "executor:exec-secret");
            etcdctl(etcd, "role", "add", "discovery");
            etcdctl(etcd, "role", "grant-permission", "--prefix=true", "discovery", "readwrite", "/remit/discovery/");
            etcdctl(etcd, "user", "grant-role", "executor", "discovery");
            etcdctl(etcd, "auth", "enable");

            EtcdSettings settings = EtcdSettings.of(etcd.endpoint()).withCredentials("executor", "exec-secret");
            Instance instance = TestEtcd.instance("fx", "fx.auth");
            try (GatewayRegistry registry = new GatewayRegistry(settings);
                 Etcd observer = Etcd.connect(EtcdSettings.of(etcd.endpoint()).withCredentials("root", "root-secret"))) {
                Registration registration = registry.register(instance, Duration.ofSeconds(5));
                assertThat(new KeyValues(observer).get(instance.key())).isPresent();
                assertThat(registration.isAlive()).isTrue();
                registration.deregister();
                assertThat(new KeyValues(observer).get(instance.key())).isEmpty();
            }

            try (GatewayRegistry wrong = new GatewayRegistry(
                    EtcdSettings.of(etcd.endpoint()).withCredentials("executor", "not-the-password"))) {
                assertThatThrownBy(() -> wrong.register(TestEtcd.instance("fx", "fx.denied"), Duration.ofSeconds(5)))
                        .isInstanceOf(RegistryException.class)
                        .hasMessageContaining("/v3/auth/authenticate")
                        .hasMessageContaining("authentication failed");
            }
        }
    }

    @Test
    void anEndpointThatIsDownIsSkipped(EtcdServer etcd) throws IOException {
        String down = "http://127.0.0.1:" + EtcdServer.freePort();
        try (GatewayRegistry registry = new GatewayRegistry(EtcdSettings.of(down, etcd.endpoint()));
             Etcd observer = TestEtcd.connect(etcd.endpoint())) {
            Instance instance = TestEtcd.instance("fx", "fx.failover");
            Registration registration = registry.register(instance, Duration.ofSeconds(5));
            assertThat(new KeyValues(observer).get(instance.key())).isPresent();
            registration.deregister();
            assertThat(new KeyValues(observer).get(instance.key())).isEmpty();
        }
    }

    @Test
    void aLeaseRevokedBehindItsBackIsNoticedAndTheKeyWrittenAgain(EtcdServer etcd) throws Exception {
        java.util.concurrent.BlockingQueue<String> transitions = new java.util.concurrent.LinkedBlockingQueue<>();
        try (GatewayRegistry registry = new GatewayRegistry(EtcdSettings.of(etcd.endpoint()));
             Etcd observer = TestEtcd.connect(etcd.endpoint())) {
            Instance instance = TestEtcd.instance("fx", "fx.revoked");
            Registration registration = registry.register(instance, Duration.ofSeconds(3),
                    (r, from, to) -> transitions.add(from + "->" + to));
            String lease = gateway(etcd, "/v3/kv/range", "{\"key\":\"" + base64(instance.key()) + "\"}")
                    .replaceAll("(?s).*\"lease\":\"(\\d+)\".*", "$1");
            gateway(etcd, "/v3/lease/revoke", "{\"ID\":\"" + lease + "\"}"); // an operator, or etcd losing it

            assertThat(Await.next("LOST", transitions)).isEqualTo("REGISTERED->LOST");
            assertThat(Await.next("REGISTERED", transitions)).isEqualTo("LOST->REGISTERED");
            assertThat(new KeyValues(observer).get(instance.key())).isPresent();
            assertThat(registration.isAlive()).isTrue();
        }
    }

    private static String base64(String s) {
        return java.util.Base64.getEncoder().encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String gateway(EtcdServer etcd, String path, String json) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(etcd.endpoint() + path))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s: %s", path, r.body()).isEqualTo(200);
        return r.body();
    }

    @Test
    void whenNoEndpointAnswersRegisteringFailsNamingEtcd() throws IOException {
        String down = "http://127.0.0.1:" + EtcdServer.freePort();
        try (GatewayRegistry registry = new GatewayRegistry(EtcdSettings.of(down))) {
            assertThatThrownBy(() -> registry.register(TestEtcd.instance("fx", "fx.nowhere"), Duration.ofSeconds(5)))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining(down)
                    .hasMessageContaining("unreachable");
            assertThat(registry.registrations()).isEmpty();
        }
    }

    private static void etcdctl(EtcdServer etcd, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("etcdctl", "--endpoints=" + etcd.endpoint()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("etcdctl %s: %s", String.join(" ", args), output).isZero();
    }
}
