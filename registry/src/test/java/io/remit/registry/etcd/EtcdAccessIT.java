package io.remit.registry.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.remit.registry.config.ConfigOverlay;
import io.remit.registry.config.FeatureFlags;
import io.remit.registry.discovery.DiscoveryCache;
import io.remit.registry.discovery.ExperimentTest;
import io.remit.registry.discovery.GatewayRegistry;
import io.remit.registry.discovery.Instance;
import io.remit.registry.discovery.Registration;
import io.remit.registry.discovery.TrafficRules;
import io.remit.registry.testing.TestEtcd;
import io.remit.testkit.EtcdServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link EtcdAccessPolicy}'s roles, made by {@link EtcdAuth}, against a real etcd with TLS and
 * authentication: each component's user can do what it needs and is refused the rest. The
 * executor's user is used through {@link GatewayRegistry} and the service's through jetcd, as
 * each really connects.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EtcdAccessIT {

    private static final String PAYMENTS = "payments";
    private static final String FX = "fx";
    private static final Map<String, String> PASSWORDS = Map.of(
            EtcdAccessPolicy.executorUser(PAYMENTS), "exec-payments-pw",
            EtcdAccessPolicy.serviceUser(PAYMENTS), "svc-payments-pw",
            EtcdAccessPolicy.executorUser(FX), "exec-fx-pw",
            EtcdAccessPolicy.serviceUser(FX), "svc-fx-pw",
            EtcdAccessPolicy.SCHEDULER, "scheduler-pw");

    private EtcdServer server;
    private Etcd root;
    private KeyValues rootKv;

    @BeforeAll
    void start() {
        server = EtcdServer.start(EtcdServer.Security.TLS_AND_AUTH);
        root = Etcd.connect(settings(EtcdServer.ROOT_USER, server.rootPassword()));
        rootKv = new KeyValues(root);
        EtcdAuth auth = new EtcdAuth(root);
        for (EtcdAccessPolicy.Role role : List.of(EtcdAccessPolicy.scheduler(), EtcdAccessPolicy.executor(PAYMENTS),
                EtcdAccessPolicy.service(PAYMENTS), EtcdAccessPolicy.executor(FX), EtcdAccessPolicy.service(FX))) {
            auth.ensureRole(role);
            auth.ensureUser(role.name(), PASSWORDS.get(role.name()), role.name(), false);
        }
        rootKv.put(Keys.serviceSpec(PAYMENTS), "{\"id\":\"payments\"}");
        rootKv.put(Keys.access(PAYMENTS), "sealed");
        rootKv.put(Keys.configPrefix(PAYMENTS) + "database.password", "payments-db-pw");
        rootKv.put(Keys.configPrefix(FX) + "feeBasisPoints", "50");
        rootKv.put(Keys.flag("newPricing"), "{\"enabled\":true}");
        rootKv.put(Keys.discovery(FX, "fx.1"), "{}");
        rootKv.put(Keys.experiment("new-fees"), ExperimentTest.DOC);
        rootKv.put(Keys.traffic(PAYMENTS), "{\"versions\": {\"2.2.0\": 90, \"2.3.0\": 10}}");
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

    private EtcdSettings settings(String user, String password) {
        return EtcdSettings.of(server.endpoint()).withTls(new EtcdSettings.Tls(server.caFile(), null, null))
                .withCredentials(user, password).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    private EtcdSettings as(String user) {
        return settings(user, PASSWORDS.get(user));
    }

    @Test
    void anExecutorWritesRenewsAndDeletesItsOwnDiscoveryRecord() {
        Instance instance = TestEtcd.instance(PAYMENTS, "payments.1");
        try (GatewayRegistry executor = new GatewayRegistry(as(EtcdAccessPolicy.executorUser(PAYMENTS)))) {
            Registration registration = executor.register(instance, Duration.ofSeconds(3));
            assertThat(rootKv.get(instance.key())).isPresent();
            // Renewed for longer than its TTL: the keep-alives are allowed too. The record must
            // stay, looked at all along, for 4 s of a 3 s TTL.
            long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            while (System.nanoTime() - until < 0) {
                assertThat(registration.isAlive()).isTrue();
                assertThat(rootKv.get(instance.key())).isPresent();
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            }
            registration.deregister(); // the guarded delete (a txn comparing the key), then the lease's revoke
            assertThat(rootKv.get(instance.key())).isEmpty();
        }
    }

    @Test
    void anExecutorIsRefusedAnotherServicesDiscoveryAndEverythingElse() {
        try (GatewayRegistry executor = new GatewayRegistry(as(EtcdAccessPolicy.executorUser(PAYMENTS)))) {
            assertThatThrownBy(() -> executor.register(TestEtcd.instance(FX, "fx.forged"), Duration.ofSeconds(3)))
                    .isInstanceOf(RegistryException.class).hasMessageContaining("permission denied");
        }
        assertThat(rootKv.get(Keys.discovery(FX, "fx.forged"))).isEmpty();
        try (Etcd executor = Etcd.connect(as(EtcdAccessPolicy.executorUser(PAYMENTS)))) {
            KeyValues kv = new KeyValues(executor);
            assertDenied(() -> kv.put(Keys.serviceSpec(PAYMENTS), "{\"id\":\"payments\",\"instances\":100}"));
            assertDenied(() -> kv.put(Keys.serviceSpec("evil"), "{}"));
            assertDenied(() -> kv.put(Keys.task("payments.1"), "{}"));
            assertDenied(() -> kv.get(Keys.serviceSpec(PAYMENTS)));
            assertDenied(() -> kv.get(Keys.configPrefix(PAYMENTS) + "database.password"));
            assertDenied(() -> kv.delete(Keys.discovery(FX, "fx.1")));
        }
        assertThat(rootKv.get(Keys.serviceSpec(PAYMENTS)).orElseThrow().string()).isEqualTo("{\"id\":\"payments\"}");
        assertThat(rootKv.get(Keys.discovery(FX, "fx.1"))).isPresent();
    }

    @Test
    void aServiceReadsItsConfigFlagsDiscoveryAndKeepsItsDataButNothingElse() {
        try (Etcd service = Etcd.connect(as(EtcdAccessPolicy.serviceUser(PAYMENTS)));
             ConfigOverlay overlay = new ConfigOverlay(service, PAYMENTS).start();
             FeatureFlags flags = new FeatureFlags(service).start();
             DiscoveryCache fx = new DiscoveryCache(service, FX).start();
             TrafficRules rules = new TrafficRules(service).start()) {
            assertThat(overlay.awaitReady(Duration.ofSeconds(10))).isTrue();
            assertThat(overlay.get("database.password")).contains("payments-db-pw");
            assertThat(flags.awaitReady(Duration.ofSeconds(10))).isTrue();
            assertThat(flags.isEnabled("newPricing")).isTrue();
            assertThat(fx.awaitReady(Duration.ofSeconds(10))).isTrue();
            assertThat(rules.awaitReady(Duration.ofSeconds(10))).as("the traffic splits and experiments").isTrue();
            assertThat(rules.experiments()).containsOnlyKeys("new-fees");
            assertThat(rules.splits()).containsOnlyKeys(PAYMENTS);

            KeyValues kv = new KeyValues(service);
            assertThat(kv.putIfAbsent(Keys.dataPrefix(PAYMENTS) + "k", "v")).isTrue();
            assertThat(kv.list(Keys.dataPrefix(PAYMENTS))).hasSize(1);

            assertDenied(() -> kv.get(Keys.configPrefix(FX) + "feeBasisPoints"));
            assertDenied(() -> kv.list(Keys.CONFIG));
            assertDenied(() -> kv.get(Keys.serviceSpec(PAYMENTS)));
            assertDenied(() -> kv.list(Keys.SERVICES));
            assertDenied(() -> kv.get(Keys.access(PAYMENTS)));
            assertDenied(() -> kv.list(Keys.TASKS));
            assertDenied(() -> kv.put(Keys.configPrefix(PAYMENTS) + "database.url", "jdbc:postgresql://evil/x"));
            assertDenied(() -> kv.put(Keys.flag("newPricing"), "{\"enabled\":false}"));
            assertDenied(() -> kv.put(Keys.discovery(PAYMENTS, "payments.forged"), "{}"));
            assertDenied(() -> kv.put(Keys.dataPrefix(FX) + "k", "v"));
            assertDenied(() -> kv.put(Keys.experiment("new-fees"), "{}"));
            assertDenied(() -> kv.put(Keys.traffic(FX), "{\"versions\": {\"1\": 100}}"));
        }
        try (Etcd fxService = Etcd.connect(as(EtcdAccessPolicy.serviceUser(FX)))) {
            assertDenied(() -> new KeyValues(fxService).get(Keys.configPrefix(PAYMENTS) + "database.password"));
        }
    }

    @Test
    void theSchedulerReadsAndWritesEverythingUnderRemitButCannotChangeUsers() {
        try (Etcd scheduler = Etcd.connect(as(EtcdAccessPolicy.SCHEDULER))) {
            KeyValues kv = new KeyValues(scheduler);
            kv.put(Keys.task("payments.2"), "{}");
            assertThat(kv.get(Keys.access(PAYMENTS))).isPresent();
            assertThat(kv.delete(Keys.task("payments.2"))).isTrue();
            assertDenied(() -> kv.put("/elsewhere", "x"));
            assertThatThrownBy(() -> new EtcdAuth(scheduler).ensureUser("intruder", "pw", "remit-scheduler", false))
                    .isInstanceOf(RegistryException.class).hasMessageContaining("permission denied");
        }
    }

    @Test
    void aPlaintextConnectionToTheTlsPortIsRefused() {
        String plaintext = server.endpoint().replace("https://", "http://");
        EtcdSettings settings = EtcdSettings.of(plaintext).withCredentials(EtcdServer.ROOT_USER, server.rootPassword())
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2));
        try (Etcd etcd = Etcd.connect(settings)) {
            assertThatThrownBy(() -> new KeyValues(etcd).get(Keys.serviceSpec(PAYMENTS))).isInstanceOf(RegistryException.class);
        }
        try (GatewayRegistry registry = new GatewayRegistry(settings)) {
            assertThatThrownBy(() -> registry.register(TestEtcd.instance(PAYMENTS, "payments.plain"), Duration.ofSeconds(3)))
                    .isInstanceOf(RegistryException.class);
        }
        assertThat(rootKv.get(Keys.discovery(PAYMENTS, "payments.plain"))).isEmpty();
    }

    @Test
    void aWrongPasswordOrNoneIsRefused() {
        String user = EtcdAccessPolicy.executorUser(PAYMENTS);
        try (GatewayRegistry wrong = new GatewayRegistry(settings(user, "not-the-password"))) {
            assertThatThrownBy(() -> wrong.register(TestEtcd.instance(PAYMENTS, "payments.wrong"), Duration.ofSeconds(3)))
                    .isInstanceOf(RegistryException.class).hasMessageContaining("authentication failed");
        }
        try (Etcd wrong = Etcd.connect(settings(EtcdAccessPolicy.serviceUser(PAYMENTS), "not-the-password"))) {
            assertThatThrownBy(() -> new KeyValues(wrong).get(Keys.configPrefix(PAYMENTS) + "database.password"))
                    .isInstanceOf(RegistryException.class).hasMessageContaining("authentication failed");
        }
        EtcdSettings anonymous = EtcdSettings.of(server.endpoint()).withTls(new EtcdSettings.Tls(server.caFile(), null, null));
        try (Etcd nobody = Etcd.connect(anonymous)) {
            assertThatThrownBy(() -> new KeyValues(nobody).get(Keys.configPrefix(PAYMENTS) + "database.password"))
                    .isInstanceOf(RegistryException.class).hasMessageContaining("user name is empty");
        }
        assertThat(rootKv.get(Keys.discovery(PAYMENTS, "payments.wrong"))).isEmpty();
    }

    @Test
    void ensuringARoleAgainTakesBackWhatWasAddedByHandAndKeepsTheUsersPassword() {
        EtcdAuth auth = new EtcdAuth(root);
        EtcdAccessPolicy.Role role = EtcdAccessPolicy.executor(FX);
        auth.ensureRole(new EtcdAccessPolicy.Role(role.name(), List.of(
                new EtcdAccessPolicy.Grant(Keys.discoveryPrefix(FX), EtcdAccessPolicy.Access.READWRITE),
                new EtcdAccessPolicy.Grant(Keys.SERVICES, EtcdAccessPolicy.Access.READWRITE))));
        assertThat(auth.rolePermissions(role.name()).orElseThrow()).hasSize(2);

        auth.ensureRole(role);
        assertThat(auth.ensureUser(role.name(), "ignored: the user exists", role.name(), false)).isFalse();

        assertThat(auth.rolePermissions(role.name()).orElseThrow()).hasSize(1);
        try (Etcd executor = Etcd.connect(as(role.name()))) {
            assertDenied(() -> new KeyValues(executor).put(Keys.serviceSpec(FX), "{}"));
            new KeyValues(executor).put(Keys.discovery(FX, "fx.2"), "{}");
        }
        assertThat(auth.userRoles(role.name())).contains(List.of(role.name()));
        assertThat(auth.userRoles("nobody")).isEmpty();
    }

    private static void assertDenied(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(RegistryException.class).hasMessageContaining("permission denied");
    }

}
