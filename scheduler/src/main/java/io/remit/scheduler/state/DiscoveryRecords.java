package io.remit.scheduler.state;

import io.remit.registry.discovery.Instance;
import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.Keys;
import io.remit.registry.etcd.PrefixCache;
import java.util.Collection;

/**
 * Every discovery record in etcd ({@code /remit/discovery/<service>/<task-id>}), every service's,
 * kept current by a watch: what Prometheus is told to scrape and what the per-service gauges
 * count. A record that does not read as an instance is left out (and logged by the cache).
 */
public final class DiscoveryRecords implements AutoCloseable {

    private final PrefixCache<Instance> cache;

    public DiscoveryRecords(Etcd etcd) {
        this.cache = new PrefixCache<>(etcd, Keys.DISCOVERY, (key, json) -> Instance.fromJson(json));
    }

    public DiscoveryRecords start() {
        cache.start();
        return this;
    }

    /** The records as last seen; empty until the first read. */
    public Collection<Instance> all() {
        return cache.snapshot().values();
    }

    @Override
    public void close() {
        cache.close();
    }
}
