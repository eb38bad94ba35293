package io.remit.registry.testing;

import io.remit.registry.discovery.Instance;
import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.EtcdSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Clients and sample values for the integration tests. */
public final class TestEtcd {

    private TestEtcd() {
    }

    /** A client with short timeouts, so outage tests move quickly. */
    public static Etcd connect(String endpoint) {
        return connect(endpoint, new GrpcFaults());
    }

    /** As {@link #connect(String)}, with {@code faults} tampering with etcd's answers. */
    public static Etcd connect(String endpoint, GrpcFaults faults) {
        return Etcd.connect(EtcdSettings.of(endpoint).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2)),
                java.util.List.of(faults));
    }

    public static Instance instance(String service, String taskId) {
        return new Instance(service, taskId, "127.0.0.1", Map.of("http", 31001, "admin", 31002), "1.0.0", "a",
                "agent-S0", Instant.parse("2026-11-28T10:15:30Z"));
    }
}
