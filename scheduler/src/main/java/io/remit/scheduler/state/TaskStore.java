package io.remit.scheduler.state;

import io.remit.registry.etcd.Subscription;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the scheduler launched: one {@link TaskRecord} per task it has not forgotten, and the
 * removal of a gone instance's discovery record. Thread-safe. {@link EtcdTaskStore} keeps them in
 * etcd; {@link InMemoryTaskStore} is the stand-in for unit tests (the same contract test runs
 * against both).
 *
 * <p>Failure: a call that cannot reach the store throws (etcd: a
 * {@link io.remit.registry.etcd.RegistryException}) and changes nothing the caller can rely on.
 */
public interface TaskStore {

    /** Writes the record, replacing the task's previous one; returns only once the store has it. */
    void put(TaskRecord record);

    /** Removes the task's record; nothing happens if there is none. */
    void delete(String taskId);

    /**
     * Deletes the instance's discovery record ({@code /remit/discovery/<service>/<task-id>}),
     * which its executor wrote under a lease, so that clients stop calling an instance that is
     * gone at once rather than when the lease expires. Nothing happens if there is none.
     */
    void deleteDiscovery(String serviceId, String taskId);

    /** Every stored record; one that does not parse is logged and skipped. */
    List<TaskRecord> all();

    /**
     * Calls {@code listener} with every record, by task id, once they are known, and again after
     * each change, in the order of the changes; one call at a time. Several changes made close
     * together may arrive as one call. Closing the subscription stops the calls.
     */
    Subscription watch(Consumer<Map<String, TaskRecord>> listener);
}
