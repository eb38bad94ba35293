package io.remit.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.registry.discovery.DiscoveryCache;
import io.remit.registry.discovery.EtcdRegistry;
import io.remit.registry.discovery.Registration;
import io.remit.registry.election.ElectionSettings;
import io.remit.registry.election.EtcdLeaderElection;
import io.remit.registry.election.LeadershipListener;
import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.KeyValues;
import io.remit.registry.etcd.Keys;
import io.remit.registry.etcd.PrefixCache;
import io.remit.registry.testing.Await;
import io.remit.registry.testing.EtcdRestarter;
import io.remit.registry.testing.TestEtcd;
import io.remit.testkit.EtcdServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd itself stops and starts again on the same port and data directory while a cache, a
 * registration and an election are running. Uses its own etcd, since it restarts it.
 */
class EtcdRestartIT {

    private static final Logger LOG = LoggerFactory.getLogger(EtcdRestartIT.class);

    private EtcdServer server;
    private EtcdRestarter restarter;

    @BeforeEach
    void startEtcd() {
        server = EtcdServer.start();
        Optional<EtcdRestarter> r = EtcdRestarter.of(server);
        if (r.isEmpty()) {
            server.close();
        }
        Assumptions.assumeTrue(r.isPresent(), "cannot read etcd's command line to restart it");
        restarter = r.get();
    }

    @AfterEach
    void stopEtcd() {
        if (restarter != null) {
            restarter.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void cachesRegistrationsAndElectionsCarryOnAcrossARestart() {
        Etcd service = TestEtcd.connect(server.endpoint());
        Etcd operator = TestEtcd.connect(server.endpoint());
        EtcdRegistry registry = new EtcdRegistry(service);
        PrefixCache<String> cache = new PrefixCache<>(operator, "/remit/test/restart/",
                (k, v) -> new String(v, StandardCharsets.UTF_8));
        DiscoveryCache discovery = new DiscoveryCache(operator, "fx");
        EtcdLeaderElection election = new EtcdLeaderElection(service,
                new ElectionSettings("/remit/test/restart-leader", "sched-a", Duration.ofSeconds(10)), LeadershipListener.NONE);
        try {
            KeyValues kv = new KeyValues(operator);
            kv.put("/remit/test/restart/before", "1");
            cache.start();
            discovery.start();
            election.start();
            Registration registration = registry.register(TestEtcd.instance("fx", "fx.1"), Duration.ofSeconds(10));
            Await.until("the cache, discovery and election to settle", () -> cache.isWatching()
                    && cache.snapshot().containsKey("before") && discovery.instance("fx.1").isPresent()
                    && election.isLeader());

            long stopAt = System.nanoTime();
            restarter.stop();
            Await.until("the cache to notice etcd is gone", () -> !cache.isWatching());
            restarter.start();
            LOG.info("etcd was down for {} ms", Duration.ofNanos(System.nanoTime() - stopAt).toMillis());

            kv.put("/remit/test/restart/after", "2");
            Duration resumed = Await.until("the cache to see a write after the restart", Duration.ofSeconds(20),
                    () -> cache.snapshot().equals(Map.of("before", "1", "after", "2")));
            LOG.info("cache caught up {} ms after etcd was healthy again", resumed.toMillis());
            assertThat(cache.relists()).as("resumed its watch, no re-read needed").isZero();

            // leases survive a restart (etcd extends them), and keep-alives resume
            Await.until("the registration to be alive", Duration.ofSeconds(20), registration::isAlive);
            assertThat(registration.state()).isEqualTo(Registration.State.REGISTERED);
            assertThat(discovery.instance("fx.1")).isPresent();
            assertThat(kv.get(Keys.discovery("fx", "fx.1"))).isPresent();
            Await.until("the leader to still lead", Duration.ofSeconds(20), election::isLeader);
            assertThat(election.leader()).contains("sched-a");
        } finally {
            election.close();
            discovery.close();
            cache.close();
            registry.close();
            service.close();
            operator.close();
        }
    }
}
