package io.remit.bench;

import io.remit.registry.discovery.DiscoveryCache;
import io.remit.registry.discovery.EtcdRegistry;
import io.remit.registry.discovery.GatewayRegistry;
import io.remit.registry.discovery.Instance;
import io.remit.registry.discovery.Registration;
import io.remit.registry.discovery.Registry;
import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.EtcdSettings;
import io.remit.testkit.EtcdServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How fast a registration reaches a watcher: one registry, by default the executor's
 * {@link GatewayRegistry} ({@code jetcd} as second argument: {@link EtcdRegistry}), registers instances of one
 * service, one by one; a {@link DiscoveryCache} on a separate etcd client watches
 * {@code /remit/discovery/<service>/} and a subscriber timestamps each task id's first and last
 * appearance. Reported: the {@code register()} call itself (lease grant + put), before
 * {@code register()} to the subscriber seeing the key, {@code register()} returned to seen, and
 * before {@code deregister()} to the subscriber seeing the key gone. Registrations stay live
 * until the deregistration phase, so the watched set grows to N (each with its own lease kept
 * alive, as N executors would). A warm-up of 200 register/deregister pairs comes first.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar io.remit.bench.DiscoveryPropagation [N=2000] [gateway|jetcd]}
 */
public final class DiscoveryPropagation {

    private static final String SERVICE = "bench";
    private static final Duration TTL = Duration.ofSeconds(30);
    private static final int WARM_UP = 200;

    private final Map<String, CountDownLatch> appeared = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> vanished = new ConcurrentHashMap<>();
    private final Map<String, Long> appearedAt = new ConcurrentHashMap<>();
    private final Map<String, Long> vanishedAt = new ConcurrentHashMap<>();
    /** Subscriber thread only. */
    private Set<String> previous = new HashSet<>();

    private DiscoveryPropagation() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        boolean jetcd = args.length > 1 && args[1].equals("jetcd");
        System.out.printf("registry %s; load %s%n", jetcd ? "EtcdRegistry (jetcd)" : "GatewayRegistry (the executor's)",
                PlatformOverhead.load());
        try (EtcdServer server = EtcdServer.start();
             Etcd writer = Etcd.connect(EtcdSettings.of(server.endpoint()));
             Etcd reader = Etcd.connect(EtcdSettings.of(server.endpoint()));
             AutoCloseable closing = jetcd ? new EtcdRegistry(writer) : new GatewayRegistry(EtcdSettings.of(server.endpoint()));
             DiscoveryCache cache = new DiscoveryCache(reader, SERVICE).start()) {
            if (!cache.awaitReady(Duration.ofSeconds(10))) {
                throw new IllegalStateException("no first snapshot from etcd");
            }
            DiscoveryPropagation bench = new DiscoveryPropagation();
            cache.subscribe(bench::changed);
            Registry registry = (Registry) closing;
            bench.run(registry, "warm", WARM_UP, true);
            bench.run(registry, "task", n, false);
            System.out.printf("load %s%n", PlatformOverhead.load());
        }
    }

    /** Subscriber: diff against the last snapshot, stamp what appeared and vanished. */
    private void changed(List<Instance> instances) {
        long now = System.nanoTime();
        Set<String> current = new HashSet<>(instances.size() * 2);
        for (Instance i : instances) {
            current.add(i.taskId());
            if (!previous.contains(i.taskId())) {
                appearedAt.putIfAbsent(i.taskId(), now);
                CountDownLatch l = appeared.get(i.taskId());
                if (l != null) {
                    l.countDown();
                }
            }
        }
        for (String gone : previous) {
            if (!current.contains(gone)) {
                vanishedAt.putIfAbsent(gone, now);
                CountDownLatch l = vanished.get(gone);
                if (l != null) {
                    l.countDown();
                }
            }
        }
        previous = current;
    }

    private void run(Registry registry, String prefix, int n, boolean warmUp) throws InterruptedException {
        List<Double> call = new ArrayList<>();
        List<Double> beforeToSeen = new ArrayList<>();
        List<Double> returnedToSeen = new ArrayList<>();
        List<Double> deregisterToGone = new ArrayList<>();
        List<Registration> live = new ArrayList<>();
        Instant began = Instant.now();
        for (int i = 0; i < n; i++) {
            String taskId = prefix + "-" + i;
            CountDownLatch seen = new CountDownLatch(1);
            appeared.put(taskId, seen);
            Instance instance = new Instance(SERVICE, taskId, "127.0.0.1", Map.of("http", 31000 + i % 1000),
                    "1.0.0", null, "agent-1", Instant.now());
            long before = System.nanoTime();
            Registration r = registry.register(instance, TTL);
            long returned = System.nanoTime();
            await(seen, taskId + " to appear");
            long at = appearedAt.get(taskId);
            call.add((returned - before) / 1e6);
            beforeToSeen.add((at - before) / 1e6);
            returnedToSeen.add((at - returned) / 1e6);
            if (warmUp) {
                deregister(r, deregisterToGone);
            } else {
                live.add(r);
            }
        }
        double registerSeconds = Duration.between(began, Instant.now()).toMillis() / 1000.0;
        for (Registration r : live) {
            deregister(r, deregisterToGone);
        }
        if (warmUp) {
            System.out.printf("warm-up: %d register/deregister pairs%n", n);
            return;
        }
        System.out.printf("%d sequential registrations in %.1f s (watched set grows 0 -> %d), then %d deregistrations:%n",
                n, registerSeconds, n, n);
        System.out.println("  register() call (lease grant + put):       " + Latencies.of(call).summary());
        System.out.println("  before register() -> subscriber sees it:   " + Latencies.of(beforeToSeen).summary());
        System.out.println("  register() returned -> subscriber sees it: " + Latencies.of(returnedToSeen).summary()
                + " (negative: the watch event beat the put's response)");
        System.out.println("  before deregister() -> subscriber sees it gone: " + Latencies.of(deregisterToGone).summary());
    }

    private void deregister(Registration r, List<Double> out) throws InterruptedException {
        String taskId = r.instance().taskId();
        CountDownLatch gone = new CountDownLatch(1);
        vanished.put(taskId, gone);
        long before = System.nanoTime();
        r.deregister();
        await(gone, taskId + " to vanish");
        out.add((vanishedAt.get(taskId) - before) / 1e6);
        appeared.remove(taskId);
        vanished.remove(taskId);
    }

    private static void await(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("waited 10 s for " + what);
        }
    }
}
