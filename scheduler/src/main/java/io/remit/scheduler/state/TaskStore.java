package io.remit.scheduler.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.remit.registry.KeyValue;
import io.remit.registry.KeyValues;
import io.remit.registry.Keys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task records in etcd under {@code /remit/tasks/}, and the removal of a gone instance's discovery
 * record. Thread-safe; every call is one etcd round trip and throws a
 * {@link io.remit.registry.RegistryException} when etcd fails or does not answer in time.
 */
public final class TaskStore {

    private static final Logger LOG = LoggerFactory.getLogger(TaskStore.class);

    private final KeyValues kv;

    public TaskStore(KeyValues kv) {
        this.kv = kv;
    }

    /** Writes the record; returns only once etcd has it. */
    public void put(TaskRecord record) {
        try {
            kv.put(Keys.task(record.taskId()), Json.MAPPER.writeValueAsString(record));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void delete(String taskId) {
        kv.delete(Keys.task(taskId));
    }

    /**
     * Deletes the instance's discovery record ({@code /remit/discovery/<service>/<task-id>}),
     * which its executor wrote under a lease, so that clients stop calling an instance that is
     * gone at once rather than when the lease expires. Nothing happens if there is none.
     */
    public void deleteDiscovery(String serviceId, String taskId) {
        kv.delete(Keys.discovery(serviceId, taskId));
    }

    /** Every stored record; one that does not parse is logged and skipped. */
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
}
