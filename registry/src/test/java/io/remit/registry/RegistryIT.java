package io.remit.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Registrations seen through a DiscoveryCache on another client, against a real etcd. */
@ExtendWith(EtcdExtension.class)
class RegistryIT {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryIT.class);

    private Etcd observerClient;
    private KeyValues observerKv;

    @BeforeEach
    void connect(EtcdServer etcd) {
        observerClient = TestEtcd.connect(etcd.endpoint());
        observerKv = new KeyValues(observerClient);
    }

    @AfterEach
    void disconnect() {
        observerClient.close();
    }

    @Test
    void aRegistrationIsSeenByAnotherClientAndDeregisteringRemovesIt(EtcdServer etcd) {
        try (Etcd owner = TestEtcd.connect(etcd.endpoint());
             EtcdRegistry registry = new EtcdRegistry(owner);
             DiscoveryCache fx = new DiscoveryCache(observerClient, "fx").start();
             DiscoveryCache fx2 = new DiscoveryCache(observerClient, "fx2").start()) {
            assertThat(fx.awaitReady(Duration.ofSeconds(5))).isTrue();
            Instance instance = TestEtcd.instance("fx", "fx.1");

            Registration registration = registry.register(instance, Duration.ofSeconds(5));
            Duration seen = Await.until("the instance in the other client's cache", Duration.ofSeconds(5),
                    () -> fx.instances().equals(List.of(instance)));
            LOG.info("registration visible to another client after {} ms", seen.toMillis());
            assertThat(registration.isAlive()).isTrue();
            assertThat(registration.state()).isEqualTo(Registration.State.REGISTERED);
            assertThat(fx.instance("fx.1")).contains(instance);
            assertThat(fx2.instances()).isEmpty();
            long lease = observerKv.get(instance.key()).orElseThrow().modRevision();
            assertThat(lease).isPositive();

            registration.deregister();
            assertThat(registration.state()).isEqualTo(Registration.State.DEREGISTERED);
            assertThat(registration.isAlive()).isFalse();
            assertThat(observerKv.get(instance.key())).isEmpty(); // deleted before deregister returned
            Await.until("the instance gone from the cache", Duration.ofSeconds(5), () -> fx.instances().isEmpty());
            registration.deregister(); // idempotent
        }
    }

    @Test
    void aRegistrationWhoseOwnerStopsKeepingItAliveDisappearsAfterItsTtl(EtcdServer etcd) {
        Duration ttl = Duration.ofSeconds(2);
        Etcd owner = TestEtcd.connect(etcd.endpoint());
        EtcdRegistry registry = new EtcdRegistry(owner);
        try (DiscoveryCache cache = new DiscoveryCache(observerClient, "crashy").start()) {
            Instance instance = TestEtcd.instance("crashy", "crashy.1");
            registry.register(instance, ttl);
            Await.until("the instance in the cache", Duration.ofSeconds(5), () -> cache.instance("crashy.1").isPresent());

            owner.close(); // the process "dies": no deregistration, no more keep-alives
            long closedAt = System.nanoTime();
            assertThat(cache.instance("crashy.1")).as("still there right after the owner vanished").isPresent();
            Duration gone = Await.until("the orphaned instance to expire", ttl.plusSeconds(3),
                    () -> cache.instance("crashy.1").isEmpty());
            LOG.info("orphaned registration (ttl {}) expired {} ms after its owner stopped", ttl,
                    Duration.ofNanos(System.nanoTime() - closedAt).toMillis());
            // the last keep-alive was at most a third of the TTL before the owner stopped
            assertThat(gone).isGreaterThan(Duration.ofMillis(ttl.toMillis() * 2 / 3 - 200));
        } finally {
            registry.close();
        }
    }

    @Test
    void aRegistrationLostWhileEtcdWasUnreachableIsWrittenAgainWhenItReturns(EtcdServer etcd) {
        BlockingQueue<String> transitions = new LinkedBlockingQueue<>();
        try (TcpProxy proxy = TcpProxy.start(etcd.clientPort());
             Etcd owner = TestEtcd.connect(proxy.endpoint());
             EtcdRegistry registry = new EtcdRegistry(owner);
             DiscoveryCache cache = new DiscoveryCache(observerClient, "partitioned").start()) {
            Instance instance = TestEtcd.instance("partitioned", "p.1");
            Registration registration = registry.register(instance, Duration.ofSeconds(2),
                    (r, from, to) -> transitions.add(from + "->" + to));
            Await.until("the instance in the cache", () -> cache.instance("p.1").isPresent());

            proxy.cut();
            Duration expired = Await.until("the key to expire in etcd", Duration.ofSeconds(6),
                    () -> cache.instance("p.1").isEmpty());
            assertThat(Await.next("LOST", transitions)).isEqualTo("REGISTERED->LOST");
            assertThat(registration.isAlive()).isFalse();
            LOG.info("cut off: key expired after {} ms", expired.toMillis());

            proxy.restore();
            Duration back = Await.until("the instance registered again", Duration.ofSeconds(20),
                    () -> cache.instance("p.1").isPresent());
            assertThat(Await.next("REGISTERED", transitions)).isEqualTo("LOST->REGISTERED");
            assertThat(registration.isAlive()).isTrue();
            assertThat(cache.instance("p.1")).contains(instance);
            LOG.info("reconnected: registered again after {} ms", back.toMillis());

            registration.deregister();
            assertThat(Await.next("DEREGISTERED", transitions)).isEqualTo("REGISTERED->DEREGISTERED");
            Await.until("the instance gone", Duration.ofSeconds(5), () -> cache.instance("p.1").isEmpty());
        }
    }

    @Test
    void closingTheRegistryDrainsItsRegistrations(EtcdServer etcd) {
        try (DiscoveryCache cache = new DiscoveryCache(observerClient, "drained").start()) {
            Etcd owner = TestEtcd.connect(etcd.endpoint());
            EtcdRegistry registry = new EtcdRegistry(owner);
            registry.register(TestEtcd.instance("drained", "d.1"), Duration.ofSeconds(30));
            registry.register(TestEtcd.instance("drained", "d.2"), Duration.ofSeconds(30));
            Await.until("both instances", () -> cache.instances().size() == 2);
            registry.close();
            owner.close();
            assertThat(observerKv.list(Keys.discoveryPrefix("drained"))).isEmpty();
            Await.until("both gone from the cache", Duration.ofSeconds(5), () -> cache.instances().isEmpty());
        }
    }
}
