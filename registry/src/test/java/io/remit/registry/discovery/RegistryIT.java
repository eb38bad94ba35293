package io.remit.registry.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.EtcdSettings;
import io.remit.registry.etcd.KeyValues;
import io.remit.registry.etcd.Keys;
import io.remit.registry.testing.Await;
import io.remit.registry.testing.TcpProxy;
import io.remit.registry.testing.TestEtcd;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registrations seen through a DiscoveryCache on another client, against a real etcd; each test
 * runs for both implementations, which must behave alike.
 */
@ExtendWith(EtcdExtension.class)
class RegistryIT {

    /** The implementations of {@link Registry}. */
    enum Kind { JETCD, GATEWAY }

    /** A registering process: its registry, and a way to die without deregistering anything. */
    private record Owner(Registry registry, Runnable die, Runnable stop) implements AutoCloseable {

        /** Short timeouts, so that outage tests move quickly. */
        static Owner of(Kind kind, String endpoint) {
            if (kind == Kind.JETCD) {
                Etcd client = TestEtcd.connect(endpoint);
                EtcdRegistry registry = new EtcdRegistry(client);
                return new Owner(registry, client::close, () -> {
                    registry.close();
                    client.close();
                });
            }
            GatewayRegistry registry = new GatewayRegistry(
                    EtcdSettings.of(endpoint).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2)));
            return new Owner(registry, registry::halt, registry::close);
        }

        Registration register(Instance instance, Duration ttl) {
            return registry.register(instance, ttl);
        }

        @Override
        public void close() {
            stop.run();
        }
    }

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

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aRegistrationIsSeenByAnotherClientAndDeregisteringRemovesIt(Kind kind, EtcdServer etcd) {
        try (Owner registry = Owner.of(kind, etcd.endpoint());
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
            assertThat(observerKv.get(instance.key()).orElseThrow().modRevision()).isPositive();

            registration.deregister();
            assertThat(registration.state()).isEqualTo(Registration.State.DEREGISTERED);
            assertThat(registration.isAlive()).isFalse();
            assertThat(observerKv.get(instance.key())).isEmpty(); // deleted before deregister returned
            Await.until("the instance gone from the cache", Duration.ofSeconds(5), () -> fx.instances().isEmpty());
            registration.deregister(); // idempotent
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aRegistrationWhoseOwnerStopsKeepingItAliveDisappearsAfterItsTtl(Kind kind, EtcdServer etcd) {
        Duration ttl = Duration.ofSeconds(2);
        Owner registry = Owner.of(kind, etcd.endpoint());
        try (DiscoveryCache cache = new DiscoveryCache(observerClient, "crashy").start()) {
            Instance instance = TestEtcd.instance("crashy", "crashy.1");
            registry.register(instance, ttl);
            Await.until("the instance in the cache", Duration.ofSeconds(5), () -> cache.instance("crashy.1").isPresent());

            registry.die().run(); // the process "dies": no deregistration, no more keep-alives
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

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aRegistrationLostWhileEtcdWasUnreachableIsWrittenAgainWhenItReturns(Kind kind, EtcdServer etcd) {
        BlockingQueue<String> transitions = new LinkedBlockingQueue<>();
        try (TcpProxy proxy = TcpProxy.start(etcd.clientPort());
             Owner registry = Owner.of(kind, proxy.endpoint());
             DiscoveryCache cache = new DiscoveryCache(observerClient, "partitioned").start()) {
            Instance instance = TestEtcd.instance("partitioned", "p.1");
            Registration registration = registry.registry().register(instance, Duration.ofSeconds(2),
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

    @ParameterizedTest
    @EnumSource(Kind.class)
    void closingTheRegistryDrainsItsRegistrations(Kind kind, EtcdServer etcd) {
        try (DiscoveryCache cache = new DiscoveryCache(observerClient, "drained").start()) {
            Owner registry = Owner.of(kind, etcd.endpoint());
            registry.register(TestEtcd.instance("drained", "d.1"), Duration.ofSeconds(30));
            registry.register(TestEtcd.instance("drained", "d.2"), Duration.ofSeconds(30));
            Await.until("both instances", () -> cache.instances().size() == 2);
            registry.close();
            assertThat(observerKv.list(Keys.discoveryPrefix("drained"))).isEmpty();
            Await.until("both gone from the cache", Duration.ofSeconds(5), () -> cache.instances().isEmpty());
        }
    }
}
