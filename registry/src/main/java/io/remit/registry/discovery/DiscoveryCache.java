package io.remit.registry.discovery;

import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.Json;
import io.remit.registry.etcd.Keys;
import io.remit.registry.etcd.PrefixCache;
import io.remit.registry.etcd.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The live instances of one service: a {@link PrefixCache} of {@link Instance} over
 * {@code /remit/discovery/<service>/}. An entry whose JSON does not parse, or names another
 * service or task than its key, is logged and left out.
 *
 * <p>Same threading and failure contract as {@link PrefixCache}: reads are non-blocking,
 * listeners run on one thread in order, and the cache rides out etcd restarts and compaction.
 */
public final class DiscoveryCache implements AutoCloseable {

    private final String service;
    private final PrefixCache<Instance> cache;

    public DiscoveryCache(Etcd etcd, String service) {
        this.service = Keys.segment("service", service);
        this.cache = new PrefixCache<>(etcd, Keys.discoveryPrefix(service), this::decode);
    }

    /** Starts watching; returns at once. */
    public DiscoveryCache start() {
        cache.start();
        return this;
    }

    public boolean awaitReady(Duration timeout) {
        return cache.awaitReady(timeout);
    }

    public String service() {
        return service;
    }

    /** The live instances, ordered by task id; immutable. */
    public List<Instance> instances() {
        return List.copyOf(cache.snapshot().values());
    }

    public Optional<Instance> instance(String taskId) {
        return cache.get(taskId);
    }

    /** Task id to instance; immutable. */
    public Map<String, Instance> snapshot() {
        return cache.snapshot();
    }

    /** Calls {@code listener} with the current instances and after every change (see {@link PrefixCache#subscribe}). */
    public Subscription subscribe(Consumer<List<Instance>> listener) {
        return cache.subscribe(snapshot -> listener.accept(List.copyOf(snapshot.values())));
    }

    public long revision() {
        return cache.revision();
    }

    public boolean isWatching() {
        return cache.isWatching();
    }

    @Override
    public void close() {
        cache.close();
    }

    private Instance decode(String taskId, byte[] json) throws Exception {
        Instance instance = Json.instance(json);
        if (!instance.service().equals(service) || !instance.taskId().equals(taskId)) {
            throw new IllegalArgumentException("the value is " + instance.service() + "/" + instance.taskId()
                    + " but its key is " + service + "/" + taskId);
        }
        return instance;
    }
}
