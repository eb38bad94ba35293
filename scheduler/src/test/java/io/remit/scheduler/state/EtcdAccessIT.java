package io.remit.scheduler.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.remit.registry.Etcd;
import io.remit.registry.EtcdAccessPolicy;
import io.remit.registry.EtcdAuth;
import io.remit.registry.EtcdSettings;
import io.remit.registry.KeyValues;
import io.remit.registry.Keys;
import io.remit.registry.RegistryException;
import io.remit.testkit.EtcdServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The scheduler making each service's etcd users, against a real etcd with TLS and
 * authentication: the scheduler connects as {@code remit-scheduler} (read and write under
 * {@code /remit/}), and makes users and roles with a separate root credential.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EtcdAccessIT {

    private static final String KEY = "0123456789abcdef0123456789abcdef";
    private static final String SCHEDULER_PASSWORD = "scheduler-pw";

    private EtcdServer server;
    private Etcd scheduler;
    private KeyValues kv;

    @BeforeAll
    void start() {
        server = EtcdServer.start(EtcdServer.Security.TLS_AND_AUTH);
        try (Etcd root = Etcd.connect(admin())) {
            EtcdAuth auth = new EtcdAuth(root);
            auth.ensureRole(EtcdAccessPolicy.scheduler());
            auth.ensureUser(EtcdAccessPolicy.SCHEDULER, SCHEDULER_PASSWORD, EtcdAccessPolicy.SCHEDULER, false);
        }
        scheduler = Etcd.connect(as(EtcdAccessPolicy.SCHEDULER, SCHEDULER_PASSWORD));
        kv = new KeyValues(scheduler);
    }

    @AfterAll
    void stop() {
        if (scheduler != null) {
            scheduler.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private EtcdSettings as(String user, String password) {
        return EtcdSettings.of(server.endpoint()).withTls(new EtcdSettings.Tls(server.caFile(), null, null))
                .withCredentials(user, password).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    private EtcdSettings admin() {
        return as(EtcdServer.ROOT_USER, server.rootPassword());
    }

    @Test
    void aServicesUsersAreMadeOnceTheirPasswordsSealedAndAnotherSchedulerGivesTheSame() {
        EtcdAccess.Credentials first;
        try (EtcdAccess access = new EtcdAccess(admin(), kv, KEY)) {
            first = access.credentials("fx");
            assertThat(access.credentials("fx")).isSameAs(first);
        }
        assertThat(first.executorUser()).isEqualTo("remit-executor-fx");
        assertThat(first.serviceUser()).isEqualTo("remit-service-fx");
        assertThat(first.executorPassword()).hasSize(48).isNotEqualTo(first.servicePassword());
        assertThat(first.toString()).doesNotContain(first.executorPassword()).doesNotContain(first.servicePassword());

        String stored = kv.get(Keys.access("fx")).orElseThrow().string();
        assertThat(stored).contains("\"executor\":\"v1.").doesNotContain(first.executorPassword())
                .doesNotContain(first.servicePassword());

        try (EtcdAccess another = new EtcdAccess(admin(), kv, KEY)) {
            assertThat(another.credentials("fx")).isEqualTo(first);
        }
        try (Etcd executor = Etcd.connect(as(first.executorUser(), first.executorPassword()));
             Etcd service = Etcd.connect(as(first.serviceUser(), first.servicePassword()))) {
            new KeyValues(executor).put(Keys.discovery("fx", "fx.1"), "{}");
            assertThat(new KeyValues(service).get(Keys.discovery("fx", "fx.1"))).isPresent();
            assertThatThrownBy(() -> new KeyValues(service).get(Keys.access("fx")))
                    .isInstanceOf(RegistryException.class).hasMessageContaining("permission denied");
            assertThatThrownBy(() -> new KeyValues(executor).put(Keys.serviceSpec("fx"), "{}"))
                    .isInstanceOf(RegistryException.class).hasMessageContaining("permission denied");
        }
    }

    @Test
    void passwordsThatNoLongerOpenAreReplacedAndTheOldOnesRefused() {
        EtcdAccess.Credentials old;
        try (EtcdAccess access = new EtcdAccess(admin(), kv, KEY)) {
            old = access.credentials("schools");
        }
        // Another secrets key: what was sealed does not open, so new passwords are made and set.
        EtcdAccess.Credentials renewed;
        try (EtcdAccess access = new EtcdAccess(admin(), kv, "another-key-another-key-another-key")) {
            renewed = access.credentials("schools");
        }
        assertThat(renewed.executorPassword()).isNotEqualTo(old.executorPassword());
        try (Etcd stale = Etcd.connect(as(old.executorUser(), old.executorPassword()))) {
            assertThatThrownBy(() -> new KeyValues(stale).put(Keys.discovery("schools", "schools.1"), "{}"))
                    .isInstanceOf(RegistryException.class).hasMessageContaining("authentication failed");
        }
        try (Etcd fresh = Etcd.connect(as(renewed.executorUser(), renewed.executorPassword()))) {
            new KeyValues(fresh).put(Keys.discovery("schools", "schools.1"), "{}");
        }

        // Deleting the stored passwords is how an operator rotates them.
        kv.delete(Keys.access("schools"));
        try (EtcdAccess access = new EtcdAccess(admin(), kv, "another-key-another-key-another-key")) {
            assertThat(access.credentials("schools").servicePassword()).isNotEqualTo(renewed.servicePassword());
        }
    }

    @Test
    void theSchedulersOwnUserCannotMakeUsers() {
        try (EtcdAccess access = new EtcdAccess(as(EtcdAccessPolicy.SCHEDULER, SCHEDULER_PASSWORD), kv, KEY)) {
            assertThatThrownBy(() -> access.credentials("payments"))
                    .isInstanceOf(RegistryException.class).hasMessageContaining("permission denied");
        }
    }
}
