package io.remit.scheduler.state;

import io.remit.registry.etcd.Subscription;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Task records in memory, for unit tests: the stand-in the {@code TaskStoreContract} keeps
 * honest against {@link EtcdTaskStore}. Thread-safe; watchers are called on the writing thread,
 * before the write returns, under the store's lock (so in order).
 */
public final class InMemoryTaskStore implements TaskStore {

    private final Map<String, TaskRecord> records = new LinkedHashMap<>();
    private final Map<String, String> discovery = new LinkedHashMap<>();
    private final List<Consumer<Map<String, TaskRecord>>> watchers = new CopyOnWriteArrayList<>();

    @Override
    public synchronized void put(TaskRecord record) {
        records.put(record.taskId(), record);
        changed();
    }

    @Override
    public synchronized void delete(String taskId) {
        if (records.remove(taskId) != null) {
            changed();
        }
    }

    /** What an executor does when its instance is up: registers it for discovery. */
    public synchronized void putDiscovery(String serviceId, String taskId) {
        discovery.put(serviceId + "/" + taskId, taskId);
    }

    public synchronized boolean hasDiscovery(String serviceId, String taskId) {
        return discovery.containsKey(serviceId + "/" + taskId);
    }

    @Override
    public synchronized void deleteDiscovery(String serviceId, String taskId) {
        discovery.remove(serviceId + "/" + taskId);
    }

    @Override
    public synchronized List<TaskRecord> all() {
        return new ArrayList<>(records.values());
    }

    @Override
    public synchronized Subscription watch(Consumer<Map<String, TaskRecord>> listener) {
        watchers.add(listener);
        listener.accept(Map.copyOf(records));
        return () -> watchers.remove(listener);
    }

    private void changed() {
        Map<String, TaskRecord> now = Map.copyOf(records);
        for (Consumer<Map<String, TaskRecord>> w : watchers) {
            w.accept(now);
        }
    }
}
