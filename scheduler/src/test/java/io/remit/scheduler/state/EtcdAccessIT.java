package io.remit.scheduler.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.EtcdAccessPolicy;
import io.remit.registry.etcd.EtcdAuth;
import io.remit.registry.etcd.EtcdSettings;
import io.remit.registry.etcd.KeyValues;
import io.remit.registry.etcd.Keys;
import io.remit.registry.etcd.RegistryException;
import io.remit.scheduler.plan.TaskState;
import io.remit.testkit.EtcdServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
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
    void aDeletedServicesUsersGoOnceItsInstancesAreGoneAndItIsProvisionedAfreshWhenMadeAgain() {
        TaskStore tasks = new EtcdTaskStore(scheduler);
        try (EtcdAccess access = new EtcdAccess(admin(), kv, KEY)) {
            EtcdAccessSweep sweep = new EtcdAccessSweep(access, tasks);
            kv.put(Keys.serviceSpec("ledger"), "{}");
            EtcdAccess.Credentials old = access.credentials("ledger");
            TaskRecord running = new TaskRecord("ledger.1", "ledger", "r1", "1.0.0", TaskState.KILLING, true, "agent-1",
                    "host-a", java.util.Map.of("http", 31001), Instant.EPOCH, Instant.EPOCH, "TASK_RUNNING", null);
            tasks.put(running);

            // Still specified: nothing goes, whatever the engine knows (a new leader may not have read the specs yet).
            assertThat(sweep.sweep(Set.of(), List.of())).doesNotContain("ledger");
            // Deleted, but an instance still runs (draining, it deletes its discovery record as remit-executor-ledger).
            kv.delete(Keys.serviceSpec("ledger"));
            assertThat(sweep.sweep(Set.of(), List.of(running))).doesNotContain("ledger");
            assertThat(sweep.sweep(Set.of(), List.of())).as("the task record in etcd still counts").doesNotContain("ledger");
            assertThat(userRoles("remit-executor-ledger")).isPresent();

            tasks.delete("ledger.1");
            assertThat(sweep.sweep(Set.of(), List.of())).contains("ledger");
            assertThat(userRoles("remit-executor-ledger")).isEmpty();
            assertThat(userRoles("remit-service-ledger")).isEmpty();
            assertThat(kv.get(Keys.access("ledger"))).isEmpty();
            try (Etcd root = Etcd.connect(admin())) {
                assertThat(new EtcdAuth(root).rolePermissions("remit-executor-ledger")).isEmpty();
                assertThat(new EtcdAuth(root).rolePermissions("remit-service-ledger")).isEmpty();
            }
            try (Etcd stale = Etcd.connect(as(old.executorUser(), old.executorPassword()))) {
                assertThatThrownBy(() -> new KeyValues(stale).put(Keys.discovery("ledger", "ledger.1"), "{}"))
                        .isInstanceOf(RegistryException.class).hasMessageContaining("authentication failed");
            }
            assertThat(sweep.sweep(Set.of(), List.of())).as("again: nothing left to do").doesNotContain("ledger");

            // The same id made again: new users with new passwords, which work.
            kv.put(Keys.serviceSpec("ledger"), "{}");
            EtcdAccess.Credentials fresh = access.credentials("ledger");
            assertThat(fresh.executorPassword()).isNotEqualTo(old.executorPassword());
            assertThat(fresh.servicePassword()).isNotEqualTo(old.servicePassword());
            try (Etcd executor = Etcd.connect(as(fresh.executorUser(), fresh.executorPassword()))) {
                new KeyValues(executor).put(Keys.discovery("ledger", "ledger.2"), "{}");
            }
            kv.delete(Keys.serviceSpec("ledger"));
        }
    }

    @Test
    void aSchedulerThatDiedHalfWayLeavesTheMarkerAndTheNextLeaderFinishes() {
        try (EtcdAccess first = new EtcdAccess(admin(), kv, KEY)) {
            first.credentials("audit");
        }
        // Deleted, the users half removed (the executor's only) when the leader died.
        try (Etcd root = Etcd.connect(admin())) {
            new EtcdAuth(root).deleteUserAndRole("remit-executor-audit");
        }
        try (EtcdAccess successor = new EtcdAccess(admin(), kv, KEY)) {
            assertThat(new EtcdAccessSweep(successor, new EtcdTaskStore(scheduler)).sweep(Set.of(), List.of()))
                    .contains("audit");
        }
        assertThat(userRoles("remit-service-audit")).isEmpty();
        assertThat(kv.get(Keys.access("audit"))).isEmpty();
    }

    @Test
    void aSchedulerThatLeadsAgainChecksItsServicesUsersAgain() {
        kv.put(Keys.serviceSpec("cards"), "{}");
        try (EtcdAccess a = new EtcdAccess(admin(), kv, KEY); EtcdAccess b = new EtcdAccess(admin(), kv, KEY)) {
            EtcdAccess.Credentials before = a.credentials("cards");
            // b leads meanwhile: the service is deleted, its users removed, then it is made again.
            kv.delete(Keys.serviceSpec("cards"));
            assertThat(new EtcdAccessSweep(b, new EtcdTaskStore(scheduler)).sweep(Set.of(), List.of())).contains("cards");
            kv.put(Keys.serviceSpec("cards"), "{}");
            EtcdAccess.Credentials made = b.credentials("cards");

            a.forgetProvisioned(); // a leads again
            assertThat(a.credentials("cards")).isEqualTo(made).isNotEqualTo(before);
        }
        kv.delete(Keys.serviceSpec("cards"));
    }

    private java.util.Optional<List<String>> userRoles(String user) {
        try (Etcd root = Etcd.connect(admin())) {
            return new EtcdAuth(root).userRoles(user);
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
