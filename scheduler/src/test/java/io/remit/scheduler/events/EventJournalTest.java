package io.remit.scheduler.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.scheduler.engine.AgentView;
import io.remit.scheduler.engine.EngineSnapshot;
import io.remit.scheduler.plan.TaskState;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.state.TaskRecord;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventJournalTest {

    private static final Instant T = Instant.parse("2026-11-28T10:00:00Z");

    static ServiceSpec spec(String id, int instances) {
        return io.remit.scheduler.TestSpecs.spec(id, instances);
    }

    static TaskRecord task(String id, TaskState state) {
        return new TaskRecord(id, "fx", "r1", "1.0.0", state, state == TaskState.HEALTHY ? true : null, "agent-1",
                "host-1", Map.of("http", 31001), T, T, state == TaskState.FAILED ? "TASK_FAILED" : null,
                state == TaskState.FAILED ? "exit status 1" : null);
    }

    static EngineSnapshot snap(Map<String, ServiceSpec> specs, Map<String, TaskRecord> tasks, List<TaskRecord> ended,
                               Map<String, AgentView> agents) {
        return new EngineSnapshot(specs, tasks, ended, Map.of(), Map.of(), agents, true, false, 0);
    }

    @Test
    void tellsWhatChangedBetweenSnapshots() {
        EventJournal journal = new EventJournal(100, Clock.fixed(T, ZoneOffset.UTC));
        AgentView agent = new AgentView("agent-1", "host-1", Map.of(), 4, 8192, T);
        journal.snapshot(snap(Map.of("fx", spec("fx", 1)), Map.of(), List.of(), Map.of("agent-1", agent)));
        journal.snapshot(snap(Map.of("fx", spec("fx", 1)), Map.of("fx.1", task("fx.1", TaskState.LAUNCHED)), List.of(),
                Map.of("agent-1", agent)));
        journal.snapshot(snap(Map.of("fx", spec("fx", 2)), Map.of("fx.1", task("fx.1", TaskState.HEALTHY)), List.of(),
                Map.of("agent-1", agent)));
        journal.snapshot(snap(Map.of("fx", spec("fx", 2)), Map.of("fx.1", task("fx.1", TaskState.RUNNING_UNHEALTHY)),
                List.of(), Map.of("agent-1", agent)));
        journal.snapshot(snap(Map.of(), Map.of(), List.of(task("fx.1", TaskState.FAILED)), Map.of()));

        List<Event> events = journal.after(0).events();
        assertThat(events).extracting(Event::type).containsExactly(
                "service.created", "agent.added",
                "instance.launched",
                "service.changed", "instance.healthy",
                "instance.unhealthy",
                "service.deleted", "instance.failed", "agent.removed");
        assertThat(events).extracting(Event::id).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        Event failed = events.get(7);
        assertThat(failed.data()).containsEntry("taskId", "fx.1").containsEntry("service", "fx")
                .containsEntry("message", "exit status 1").containsEntry("mesosState", "TASK_FAILED");
        assertThat(events.get(3).data()).containsEntry("instances", 2);
    }

    @Test
    void aRebaseIsNotNewsAndTheHistoryIsBounded() {
        EventJournal journal = new EventJournal(3, Clock.systemUTC());
        journal.rebase(snap(Map.of("fx", spec("fx", 1)), Map.of("fx.1", task("fx.1", TaskState.HEALTHY)), List.of(), Map.of()));
        assertThat(journal.after(0).events()).isEmpty();
        for (int i = 0; i < 5; i++) {
            journal.append("leader.changed", Map.of("n", i));
        }
        EventJournal.Page fromStart = journal.after(0);
        assertThat(fromStart.gap()).isTrue();
        assertThat(fromStart.events()).extracting(Event::id).containsExactly(3L, 4L, 5L);
        EventJournal.Page recent = journal.after(3);
        assertThat(recent.gap()).isFalse();
        assertThat(recent.events()).extracting(Event::id).containsExactly(4L, 5L);
        // An id from a previous scheduler process (ids restart at 1): everything kept is new to it.
        assertThat(journal.after(99).events()).hasSize(3);
    }

    @Test
    void awaitReturnsAsSoonAsAnEventArrives() throws Exception {
        EventJournal journal = new EventJournal(10, Clock.systemUTC());
        Thread writer = new Thread(() -> journal.append("leader.changed", Map.of()));
        long start = System.nanoTime();
        writer.start();
        EventJournal.Page page = journal.await(0, 10_000);
        assertThat(page.events()).hasSize(1);
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
    }
}
