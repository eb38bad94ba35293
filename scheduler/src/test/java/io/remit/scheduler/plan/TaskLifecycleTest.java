package io.remit.scheduler.plan;

import static io.remit.scheduler.plan.Effect.FORGET;
import static io.remit.scheduler.plan.Effect.PERSIST;
import static io.remit.scheduler.plan.Effect.RECORD_FAILURE;
import static io.remit.scheduler.plan.Effect.RECORD_HEALTHY;
import static io.remit.scheduler.plan.Effect.SEND_KILL;
import static org.assertj.core.api.Assertions.assertThat;

import io.remit.scheduler.plan.Transition.Outcome;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TaskLifecycleTest {

    private static final Set<TaskEvent> ENDINGS =
            EnumSet.of(TaskEvent.FINISHED, TaskEvent.FAILED, TaskEvent.KILLED, TaskEvent.LOST, TaskEvent.ERROR);

    @Test
    void everyStateEventPairObeysTheRules() {
        for (TaskState s : TaskState.values()) {
            for (TaskEvent e : TaskEvent.values()) {
                Transition t = TaskLifecycle.next(s, e);
                String pair = s + " + " + e + " -> " + t;
                assertThat(t).as(pair).isNotNull();
                switch (t.outcome()) {
                    case IGNORED -> assertThat(t.state()).as(pair).isEqualTo(s);
                    case UNCHANGED -> assertThat(t.state()).as(pair).isEqualTo(s);
                    case MOVED -> {
                        assertThat(t.state()).as(pair).isNotEqualTo(s);
                        assertThat(t.effects()).as(pair).contains(PERSIST);
                    }
                }
                if (t.outcome() == Outcome.IGNORED) {
                    assertThat(t.effects()).as(pair).isEmpty();
                }
                if (t.effects().contains(SEND_KILL)) {
                    assertThat(t.state()).as(pair).isEqualTo(TaskState.KILLING);
                }
                if (t.effects().contains(RECORD_HEALTHY)) {
                    assertThat(t.state()).as(pair).isEqualTo(TaskState.HEALTHY);
                }
                assertThat(t.effects().contains(FORGET)).as(pair).isEqualTo(t.state().isTerminal() && t.outcome() == Outcome.MOVED);
                if (t.effects().contains(RECORD_FAILURE)) {
                    assertThat(s.isActive()).as(pair).isTrue();
                    assertThat(t.state()).as(pair).isIn(TaskState.FINISHED, TaskState.FAILED, TaskState.ERROR);
                }
                if (s.isTerminal()) {
                    boolean comesBack = s == TaskState.LOST
                            && List.of(TaskEvent.STARTING, TaskEvent.RUNNING_HEALTHY, TaskEvent.RUNNING_UNHEALTHY).contains(e);
                    assertThat(t.outcome()).as(pair).isEqualTo(comesBack ? Outcome.MOVED : Outcome.IGNORED);
                }
                if (!s.isTerminal() && ENDINGS.contains(e)) {
                    assertThat(t.state()).as(pair).isEqualTo(TaskState.valueOf(e.name()));
                }
            }
        }
    }

    @Test
    void aHealthyLife() {
        TaskState s = TaskState.PENDING;
        List<TaskEvent> events = List.of(TaskEvent.LAUNCH_SENT, TaskEvent.STAGING, TaskEvent.STARTING,
                TaskEvent.RUNNING_UNHEALTHY, TaskEvent.RUNNING_HEALTHY, TaskEvent.KILL_REQUESTED, TaskEvent.KILLING, TaskEvent.KILLED);
        List<TaskState> expected = List.of(TaskState.LAUNCHED, TaskState.LAUNCHED, TaskState.STARTING,
                TaskState.RUNNING_UNHEALTHY, TaskState.HEALTHY, TaskState.KILLING, TaskState.KILLING, TaskState.KILLED);
        for (int i = 0; i < events.size(); i++) {
            s = TaskLifecycle.next(s, events.get(i)).state();
            assertThat(s).as("after %s", events.get(i)).isEqualTo(expected.get(i));
        }
    }

    @Test
    void specificRows() {
        assertThat(TaskLifecycle.next(TaskState.STARTING, TaskEvent.RUNNING_HEALTHY).effects()).containsExactly(PERSIST, RECORD_HEALTHY);
        assertThat(TaskLifecycle.next(TaskState.HEALTHY, TaskEvent.RUNNING_UNHEALTHY).state()).isEqualTo(TaskState.RUNNING_UNHEALTHY);
        assertThat(TaskLifecycle.next(TaskState.HEALTHY, TaskEvent.STAGING).outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(TaskLifecycle.next(TaskState.PENDING, TaskEvent.RUNNING_HEALTHY).state()).isEqualTo(TaskState.HEALTHY);
        assertThat(TaskLifecycle.next(TaskState.PENDING, TaskEvent.KILL_REQUESTED))
                .isEqualTo(new Transition(TaskState.KILLED, EnumSet.of(PERSIST, FORGET), Outcome.MOVED));
        assertThat(TaskLifecycle.next(TaskState.HEALTHY, TaskEvent.KILL_REQUESTED).effects()).containsExactly(PERSIST, SEND_KILL);
        assertThat(TaskLifecycle.next(TaskState.KILLING, TaskEvent.KILL_REQUESTED))
                .isEqualTo(new Transition(TaskState.KILLING, EnumSet.of(SEND_KILL), Outcome.UNCHANGED));
        assertThat(TaskLifecycle.next(TaskState.HEALTHY, TaskEvent.FAILED).effects()).containsExactly(PERSIST, RECORD_FAILURE, FORGET);
        assertThat(TaskLifecycle.next(TaskState.KILLING, TaskEvent.FAILED).effects()).containsExactly(PERSIST, FORGET);
        assertThat(TaskLifecycle.next(TaskState.HEALTHY, TaskEvent.LOST).effects()).containsExactly(PERSIST, FORGET);
        assertThat(TaskLifecycle.next(TaskState.LOST, TaskEvent.RUNNING_HEALTHY))
                .isEqualTo(new Transition(TaskState.KILLING, EnumSet.of(PERSIST, SEND_KILL), Outcome.MOVED));
        assertThat(TaskLifecycle.next(TaskState.FAILED, TaskEvent.RUNNING_HEALTHY).outcome()).isEqualTo(Outcome.IGNORED);
    }
}
