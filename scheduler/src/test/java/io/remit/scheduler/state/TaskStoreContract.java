package io.remit.scheduler.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.registry.etcd.Subscription;
import io.remit.scheduler.plan.TaskState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TaskStore} does; run against the in-memory one and the etcd one (with a real
 * etcd), so the stand-in the unit tests use cannot drift from what the scheduler runs on.
 */
abstract class TaskStoreContract {

    static final Instant T = Instant.parse("2026-11-28T10:00:00Z");

    protected TaskStore store;

    /** A store with no records in it. */
    protected abstract TaskStore newStore();

    @BeforeEach
    void fresh() {
        store = newStore();
    }

    static TaskRecord record(String taskId, TaskState state) {
        return new TaskRecord(taskId, "fx", "r1", "1.0.0", state, state == TaskState.HEALTHY ? true : null, "agent-1",
                "host-1", Map.of("http", 31001, "admin", 31002), T, T.plusSeconds(state.ordinal()), null, null, 31003);
    }

    @Test
    void aRecordReadsBackAsWrittenAndAPutReplacesIt() {
        TaskRecord launched = record("fx.1", TaskState.LAUNCHED);
        store.put(launched);
        assertThat(store.all()).containsExactly(launched);

        TaskRecord healthy = launched.with(TaskState.HEALTHY, true, "TASK_RUNNING", "up", T.plusSeconds(9));
        store.put(healthy);
        assertThat(store.all()).containsExactly(healthy);
        assertThat(store.all().get(0).executorPort()).as("the executor's port, kept for a successor").isEqualTo(31003);
    }

    @Test
    void aDeletedRecordIsGoneAndDeletingWhatIsNotThereIsHarmless() {
        store.put(record("fx.1", TaskState.HEALTHY));
        store.put(record("fx.2", TaskState.STARTING));

        store.delete("fx.1");
        store.delete("fx.1");
        store.delete("never-was");
        store.deleteDiscovery("fx", "never-was");

        assertThat(store.all()).extracting(TaskRecord::taskId).containsExactly("fx.2");
    }

    @Test
    void aWatcherSeesTheRecordsThereAndThenEveryChange() {
        TaskRecord first = record("fx.1", TaskState.HEALTHY);
        store.put(first);
        List<Map<String, TaskRecord>> seen = new CopyOnWriteArrayList<>();
        try (Subscription watch = store.watch(seen::add)) {
            Await.until("the records already there", () -> !seen.isEmpty(), () -> seen);
            assertThat(seen.get(0)).containsExactly(Map.entry("fx.1", first));

            TaskRecord second = record("fx.2", TaskState.LAUNCHED);
            store.put(second);
            Await.until("the new record", () -> last(seen).containsKey("fx.2"), () -> seen);
            assertThat(last(seen)).containsOnlyKeys("fx.1", "fx.2").containsEntry("fx.2", second);

            TaskRecord killing = second.with(TaskState.KILLING, null, "TASK_RUNNING", "scale down", T.plusSeconds(20));
            store.put(killing);
            store.delete("fx.1");
            Await.until("the change and the delete", () -> last(seen).size() == 1
                    && last(seen).get("fx.2").state() == TaskState.KILLING, () -> seen);
            assertThat(last(seen).get("fx.2")).isEqualTo(killing);
        }
        int calls = seen.size();
        store.put(record("fx.3", TaskState.LAUNCHED));
        assertThat(store.all()).hasSize(2);
        assertThat(seen).as("nothing after the watch was closed").hasSize(calls);
    }

    private static Map<String, TaskRecord> last(List<Map<String, TaskRecord>> seen) {
        return seen.isEmpty() ? Map.of() : seen.get(seen.size() - 1);
    }
}
