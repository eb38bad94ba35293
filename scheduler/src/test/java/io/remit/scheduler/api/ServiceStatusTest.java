package io.remit.scheduler.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.scheduler.TestSpecs;
import io.remit.scheduler.engine.EngineSnapshot;
import io.remit.scheduler.plan.BackoffStatus;
import io.remit.scheduler.plan.TaskState;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.state.TaskRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The state shown for a service follows its instances first, its failure history second. */
class ServiceStatusTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static final ServiceSpec FX = TestSpecs.spec("fx", 2);
    /** Three failures in a row: crash-looping until an instance has stayed healthy for minutes. */
    private static final BackoffStatus CRASH_LOOPING = new BackoffStatus(3, Duration.ofSeconds(4), T0.plusSeconds(4), true);

    @Test
    void aServiceBackAtItsHealthyCountIsRunningWhileTheBackoffStillCountsItsFailures() {
        ServiceStatus status = status(CRASH_LOOPING, task("fx.1", TaskState.HEALTHY), task("fx.2", TaskState.HEALTHY));

        assertThat(status.state()).isEqualTo("running");
        assertThat(status.healthy()).isEqualTo(2);
        assertThat(status.recentFailures()).as("the history is still shown").isEqualTo(3);
    }

    @Test
    void aServiceShortOfHealthyInstancesThatKeepsFailingIsCrashLooping() {
        assertThat(status(CRASH_LOOPING, task("fx.1", TaskState.HEALTHY)).state()).isEqualTo("crash-looping");
        assertThat(status(CRASH_LOOPING, task("fx.1", TaskState.HEALTHY), task("fx.2", TaskState.STARTING)).state())
                .isEqualTo("crash-looping");
        assertThat(status(CRASH_LOOPING, task("fx.1", TaskState.HEALTHY), task("fx.2", TaskState.RUNNING_UNHEALTHY))
                .state()).isEqualTo("crash-looping");
    }

    @Test
    void withoutFailuresTheUsualStates() {
        assertThat(status(BackoffStatus.NONE, task("fx.1", TaskState.HEALTHY), task("fx.2", TaskState.HEALTHY)).state())
                .isEqualTo("running");
        assertThat(status(BackoffStatus.NONE, task("fx.1", TaskState.HEALTHY), task("fx.2", TaskState.STARTING)).state())
                .isEqualTo("deploying");
    }

    @Test
    void aStoppedServiceIsStoppedWhateverItsHistory() {
        ServiceSpec none = TestSpecs.spec("fx", 0);
        EngineSnapshot s = snapshot(CRASH_LOOPING, List.of());
        assertThat(ServiceStatus.of(none, s.tasks().values(), s).state()).isEqualTo("stopped");
    }

    private static ServiceStatus status(BackoffStatus backoff, TaskRecord... tasks) {
        EngineSnapshot s = snapshot(backoff, List.of(tasks));
        return ServiceStatus.of(FX, s.tasks().values(), s);
    }

    private static EngineSnapshot snapshot(BackoffStatus backoff, List<TaskRecord> tasks) {
        Map<String, TaskRecord> byId = new java.util.LinkedHashMap<>();
        tasks.forEach(t -> byId.put(t.taskId(), t));
        return new EngineSnapshot(Map.of("fx", FX), byId, List.of(), Map.of(),
                backoff.failures() == 0 ? Map.of() : Map.of("fx", backoff), Map.of(), true, false, 0);
    }

    private static TaskRecord task(String id, TaskState state) {
        return new TaskRecord(id, "fx", FX.revision(), FX.version(), state, state == TaskState.HEALTHY ? true : null,
                "a1", "host1", Map.of("http", 31000), T0, T0, "TASK_RUNNING", null);
    }
}
