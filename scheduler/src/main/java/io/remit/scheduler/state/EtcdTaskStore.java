package io.remit.scheduler.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.Json;
import io.remit.registry.etcd.KeyValue;
import io.remit.registry.etcd.KeyValues;
import io.remit.registry.etcd.Keys;
import io.remit.registry.etcd.PrefixCache;
import io.remit.registry.etcd.Subscription;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task records in etcd under {@code /remit/tasks/<task-id>} as JSON, and the removal of a gone
 * instance's discovery record. Thread-safe; every call but {@link #watch} is one etcd round trip
 * and throws a {@link io.remit.registry.etcd.RegistryException} when etcd fails or does not answer in
 * time.
 */
public final class EtcdTaskStore implements TaskStore {

    private static final Logger LOG = LoggerFactory.getLogger(EtcdTaskStore.class);

    private final Etcd etcd;
    private final KeyValues kv;

    public EtcdTaskStore(Etcd etcd) {
        this.etcd = etcd;
        this.kv = new KeyValues(etcd);
    }

    @Override
    public void put(TaskRecord record) {
        try {
            kv.put(Keys.task(record.taskId()), Json.MAPPER.writeValueAsString(record));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void delete(String taskId) {
        kv.delete(Keys.task(taskId));
    }

    @Override
    public void deleteDiscovery(String serviceId, String taskId) {
        kv.delete(Keys.discovery(serviceId, taskId));
    }

    @Override
    public List<TaskRecord> all() {
        List<TaskRecord> out = new ArrayList<>();
        for (KeyValue entry : kv.list(Keys.TASKS)) {
            try {
                out.add(Json.MAPPER.readValue(entry.value(), TaskRecord.class));
            } catch (IOException e) {
                LOG.warn("Skipping unreadable task record {}: {}", entry.key(), e.getMessage());
            }
        }
        return out;
    }

    /** Watches {@code /remit/tasks/} with a cache of its own, closed with the subscription. */
    @Override
    public Subscription watch(Consumer<Map<String, TaskRecord>> listener) {
        PrefixCache<TaskRecord> cache = new PrefixCache<>(etcd, Keys.TASKS,
                (key, value) -> Json.MAPPER.readValue(value, TaskRecord.class)).start();
        Subscription subscription = cache.subscribe(records -> {
            Map<String, TaskRecord> byId = new LinkedHashMap<>();
            records.values().forEach(r -> byId.put(r.taskId(), r));
            listener.accept(Collections.unmodifiableMap(byId));
        });
        return () -> {
            subscription.close();
            cache.close();
        };
    }
}
