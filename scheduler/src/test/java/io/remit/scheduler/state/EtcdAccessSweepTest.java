package io.remit.scheduler.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.scheduler.plan.TaskState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which provisioned services look deleted: no spec the engine knows and no task of theirs that has not ended. */
class EtcdAccessSweepTest {

    private static TaskRecord task(String service, TaskState state) {
        return new TaskRecord(service + ".1", service, "r1", "1.0.0", state, null, "agent-1", "host-a",
                Map.of("http", 31001), Instant.EPOCH, Instant.EPOCH, null, null);
    }

    @Test
    void aServiceWithoutSpecAndWithoutLiveTasksIsACandidate() {
        Set<String> provisioned = Set.of("fx", "schools", "payments", "ledger");
        assertThat(EtcdAccessSweep.candidates(provisioned, Set.of("fx"),
                List.of(task("schools", TaskState.KILLING), task("payments", TaskState.KILLED))))
                .as("fx is specified, schools' instance still drains, payments' ended").containsExactly("ledger", "payments");
    }

    @Test
    void everyStateBeforeTheEndKeepsTheUsers() {
        for (TaskState state : TaskState.values()) {
            Set<String> out = EtcdAccessSweep.candidates(Set.of("fx"), Set.of(), List.of(task("fx", state)));
            assertThat(out).as(state.name()).isEqualTo(state.isTerminal() ? Set.of("fx") : Set.of());
        }
    }
}
