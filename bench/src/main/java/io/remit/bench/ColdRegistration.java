package io.remit.bench;

import io.remit.registry.Etcd;
import io.remit.registry.EtcdRegistry;
import io.remit.registry.EtcdSettings;
import io.remit.registry.Instance;
import io.remit.registry.KeyValues;
import io.remit.registry.Registration;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The executor's first registration, in a JVM as cold as the executor's: connect, then the first
 * {@code register()} (lease grant + put on a channel nobody used yet), then a second one. With
 * {@code warm}, one {@code get} is sent right after connecting, as an executor could do while its
 * service starts, and the first {@code register()} is timed after it. Run in a fresh JVM with the
 * executor's flags by {@link PlatformOverhead}; prints one line of milliseconds.
 *
 * <p>{@code java -Xmx48m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp bench/target/benchmarks.jar
 * io.remit.bench.ColdRegistration <etcd endpoint> [warm]}
 */
public final class ColdRegistration {

    private ColdRegistration() {
    }

    public static void main(String[] args) {
        boolean warm = args.length > 1 && args[1].equals("warm");
        long t0 = System.nanoTime();
        try (Etcd etcd = Etcd.connect(EtcdSettings.of(args[0]));
             EtcdRegistry registry = new EtcdRegistry(etcd)) {
            long connected = System.nanoTime();
            long warmed = connected;
            if (warm) {
                new KeyValues(etcd).get("/remit/bench/warm-up");
                warmed = System.nanoTime();
            }
            Registration first = registry.register(instance("cold-" + ProcessHandle.current().pid()), Duration.ofSeconds(10));
            long registered = System.nanoTime();
            Registration second = registry.register(instance("warm-" + ProcessHandle.current().pid()), Duration.ofSeconds(10));
            long again = System.nanoTime();
            first.deregister();
            second.deregister();
            System.out.printf("connect %.0f ms, warm-up get %s, first register() %.0f ms, second register() %.1f ms%n",
                    (connected - t0) / 1e6, warm ? String.format("%.0f ms", (warmed - connected) / 1e6) : "none",
                    (registered - warmed) / 1e6, (again - registered) / 1e6);
        }
    }

    private static Instance instance(String taskId) {
        return new Instance("cold-registration", taskId, "127.0.0.1", Map.of("admin", 24001), "1", null, "agent",
                Instant.now());
    }
}
