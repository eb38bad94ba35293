package io.remit.scheduler.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.scheduler.events.SchedulerEvent.AgentChanged;
import io.remit.scheduler.events.SchedulerEvent.LeadershipChanged;
import io.remit.scheduler.events.SchedulerEvent.SpecChanged;
import io.remit.scheduler.events.SchedulerEvent.TaskTransition;
import io.remit.scheduler.plan.TaskState;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.state.InMemoryTaskStore;
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

    @Test
    void eachEventReadsAsTheStreamHasAlwaysWrittenIt() {
        EventJournal journal = new EventJournal(100, Clock.fixed(T, ZoneOffset.UTC));
        journal.record(new SpecChanged("fx", null, spec("fx", 1)));
        journal.record(new AgentChanged("agent-1", "host-1", true));
        assertThat(journal.record(TaskTransition.of(null, task("fx.1", TaskState.PENDING)))).as("PENDING is not told")
                .isEmpty();
        journal.record(TaskTransition.of(TaskState.PENDING, task("fx.1", TaskState.LAUNCHED)));
        assertThat(journal.record(new SpecChanged("fx", spec("fx", 1), spec("fx", 1)))).as("no change").isEmpty();
        journal.record(new SpecChanged("fx", spec("fx", 1), spec("fx", 2)));
        journal.record(TaskTransition.of(TaskState.LAUNCHED, task("fx.1", TaskState.HEALTHY)));
        assertThat(journal.record(TaskTransition.of(TaskState.HEALTHY, task("fx.1", TaskState.HEALTHY)))).isEmpty();
        journal.record(TaskTransition.of(TaskState.HEALTHY, task("fx.1", TaskState.RUNNING_UNHEALTHY)));
        journal.record(TaskTransition.of(TaskState.STARTING, task("fx.2", TaskState.RUNNING_UNHEALTHY)));
        journal.record(new SpecChanged("fx", spec("fx", 2), null));
        journal.record(TaskTransition.of(TaskState.RUNNING_UNHEALTHY, task("fx.1", TaskState.FAILED)));
        journal.record(new AgentChanged("agent-1", "host-1", false));
        journal.record(new LeadershipChanged("http://127.0.0.1:8080", true));
        journal.record(new LeadershipChanged("http://127.0.0.1:8080", false));

        List<Event> events = journal.after(0).events();
        assertThat(events).extracting(Event::type).containsExactly(
                "service.created", "agent.added",
                "instance.launched",
                "service.changed", "instance.healthy",
                "instance.unhealthy", "instance.running",
                "service.deleted", "instance.failed", "agent.removed",
                "leader.changed", "leader.changed");
        assertThat(events).extracting(Event::id).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
        assertThat(events).extracting(Event::at).containsOnly(T);
        assertThat(events.get(2).data()).containsEntry("service", "fx").containsEntry("taskId", "fx.1")
                .containsEntry("state", "LAUNCHED").containsEntry("version", "1.0.0").containsEntry("host", "host-1")
                .containsEntry("agentId", "agent-1").containsEntry("ports", Map.of("http", 31001))
                .containsEntry("updatedAt", T.toString()).doesNotContainKeys("message", "mesosState");
        assertThat(events.get(3).data()).containsExactlyInAnyOrderEntriesOf(
                Map.of("service", "fx", "version", "1.0.0", "instances", 2));
        assertThat(events.get(7).data()).containsExactlyInAnyOrderEntriesOf(Map.of("service", "fx"));
        assertThat(events.get(8).data()).containsEntry("taskId", "fx.1").containsEntry("service", "fx")
                .containsEntry("message", "exit status 1").containsEntry("mesosState", "TASK_FAILED");
        assertThat(events.get(9).data()).containsExactlyInAnyOrderEntriesOf(Map.of("agentId", "agent-1", "host", "host-1"));
        assertThat(events.get(10).data()).containsExactlyInAnyOrderEntriesOf(
                Map.of("leader", "http://127.0.0.1:8080", "elected", true));
        assertThat(events.get(11).data()).containsExactlyInAnyOrderEntriesOf(
                Map.of("previous", "http://127.0.0.1:8080", "elected", false));
    }

    @Test
    void specChangesBetweenTwoSetsNameEveryServiceThatChanged() {
        Map<String, ServiceSpec> before = Map.of("fx", spec("fx", 1), "gone", spec("gone", 1), "same", spec("same", 2));
        Map<String, ServiceSpec> after = Map.of("fx", spec("fx", 3), "new", spec("new", 1), "same", spec("same", 2));

        assertThat(SpecChanged.from(before, after)).containsExactlyInAnyOrder(
                new SpecChanged("gone", spec("gone", 1), null),
                new SpecChanged("fx", spec("fx", 1), spec("fx", 3)),
                new SpecChanged("new", null, spec("new", 1)));
    }

    @Test
    void aStandbyTellsTheTransitionsItSeesInTheTaskRecordsButNotTheBaseline() {
        InMemoryTaskStore store = new InMemoryTaskStore();
        store.put(task("fx.0", TaskState.HEALTHY));
        EventJournal journal = new EventJournal(100, Clock.fixed(T, ZoneOffset.UTC));
        try (StandbyEvents standby = StandbyEvents.start(store, journal)) {
            assertThat(journal.after(0).events()).as("what is there at start is not news").isEmpty();
            store.put(task("fx.1", TaskState.PENDING));
            store.put(task("fx.1", TaskState.LAUNCHED));
            store.put(task("fx.1", TaskState.HEALTHY));
            store.put(task("fx.1", TaskState.HEALTHY).with(TaskState.HEALTHY, true, "TASK_RUNNING", "again", T));
            store.put(task("fx.1", TaskState.FAILED));
            store.delete("fx.1");
            store.put(task("fx.0", TaskState.KILLING));
        }
        store.put(task("fx.0", TaskState.KILLED));

        assertThat(journal.after(0).events()).extracting(Event::type).containsExactly(
                "instance.launched", "instance.healthy", "instance.failed", "instance.killing");
        assertThat(journal.after(0).events().get(2).data()).containsEntry("message", "exit status 1");
    }

    @Test
    void theHistoryIsBounded() {
        EventJournal journal = new EventJournal(3, Clock.systemUTC());
        for (int i = 0; i < 5; i++) {
            journal.record(new LeadershipChanged("scheduler-" + i, true));
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
        Thread writer = new Thread(() -> journal.record(new LeadershipChanged("scheduler", true)));
        long start = System.nanoTime();
        writer.start();
        EventJournal.Page page = journal.await(0, 10_000);
        assertThat(page.events()).hasSize(1);
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
    }
}
