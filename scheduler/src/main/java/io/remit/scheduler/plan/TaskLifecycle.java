package io.remit.scheduler.plan;

import static io.remit.scheduler.plan.Effect.FORGET;
import static io.remit.scheduler.plan.Effect.PERSIST;
import static io.remit.scheduler.plan.Effect.RECORD_FAILURE;
import static io.remit.scheduler.plan.Effect.RECORD_HEALTHY;
import static io.remit.scheduler.plan.Effect.SEND_KILL;
import static io.remit.scheduler.plan.TaskState.HEALTHY;
import static io.remit.scheduler.plan.TaskState.KILLING;
import static io.remit.scheduler.plan.TaskState.LAUNCHED;
import static io.remit.scheduler.plan.TaskState.PENDING;
import static io.remit.scheduler.plan.TaskState.RUNNING_UNHEALTHY;
import static io.remit.scheduler.plan.TaskState.STARTING;

import java.util.EnumMap;
import java.util.Map;

/**
 * A task's life as a table: {@code (state, event) -> Transition(new state, effects)}. Pure; the
 * caller carries out the effects. Every pair has an entry.
 *
 * <p>The rules, in words:
 *
 * <ul>
 *   <li>Updates move a task forward (PENDING, LAUNCHED, STARTING, RUNNING_UNHEALTHY/HEALTHY) and
 *       may skip steps (after a failover the first answer may be TASK_RUNNING). An update older
 *       than the current state (TASK_STAGING for a running task) is IGNORED. Between
 *       RUNNING_UNHEALTHY and HEALTHY a task moves both ways.
 *   <li>Becoming HEALTHY tells the restart backoff ({@link Effect#RECORD_HEALTHY}).
 *   <li>A kill request sends KILL and moves to KILLING, except for a PENDING task, whose LAUNCH
 *       was never sent: it is KILLED at once. Another kill request while KILLING resends KILL.
 *   <li>Ending by itself (FINISHED, FAILED, ERROR) counts as a failure of the service for the
 *       backoff: a long-running service is not meant to stop. KILLED (by someone) and LOST (the
 *       agent's fault) do not count. Ending while KILLING never counts.
 *   <li>Terminal states stay terminal; events are IGNORED, except that a LOST task reported as
 *       running again (an agent came back) is killed: its replacement may already run.
 * </ul>
 */
public final class TaskLifecycle {

    private static final Map<TaskState, Map<TaskEvent, Transition>> TABLE = build();

    private TaskLifecycle() {}

    /** The transition for an event in a state; never null. */
    public static Transition next(TaskState state, TaskEvent event) {
        return TABLE.get(state).get(event);
    }

    private static Map<TaskState, Map<TaskEvent, Transition>> build() {
        Map<TaskState, Map<TaskEvent, Transition>> table = new EnumMap<>(TaskState.class);
        for (TaskState s : TaskState.values()) {
            Map<TaskEvent, Transition> row = new EnumMap<>(TaskEvent.class);
            for (TaskEvent e : TaskEvent.values()) {
                row.put(e, s.isTerminal() ? terminal(s, e) : s == KILLING ? killing(e) : live(s, e));
            }
            table.put(s, row);
        }
        return table;
    }

    /** PENDING, LAUNCHED, STARTING, RUNNING_UNHEALTHY, HEALTHY. */
    private static Transition live(TaskState s, TaskEvent e) {
        return switch (e) {
            case LAUNCH_SENT, STAGING -> forward(s, LAUNCHED);
            case STARTING -> forward(s, STARTING);
            case RUNNING_UNHEALTHY -> s == RUNNING_UNHEALTHY ? Transition.unchanged(s)
                    : Transition.moved(RUNNING_UNHEALTHY, PERSIST);
            case RUNNING_HEALTHY -> s == HEALTHY ? Transition.unchanged(s)
                    : Transition.moved(HEALTHY, PERSIST, RECORD_HEALTHY);
            case KILL_REQUESTED -> s == PENDING ? Transition.moved(TaskState.KILLED, PERSIST, FORGET)
                    : Transition.moved(KILLING, PERSIST, SEND_KILL);
            case KILLING -> Transition.moved(KILLING, PERSIST);
            case FINISHED -> Transition.moved(TaskState.FINISHED, PERSIST, RECORD_FAILURE, FORGET);
            case FAILED -> Transition.moved(TaskState.FAILED, PERSIST, RECORD_FAILURE, FORGET);
            case ERROR -> Transition.moved(TaskState.ERROR, PERSIST, RECORD_FAILURE, FORGET);
            case KILLED -> Transition.moved(TaskState.KILLED, PERSIST, FORGET);
            case LOST -> Transition.moved(TaskState.LOST, PERSIST, FORGET);
        };
    }

    /** Moves to {@code to} if that is further along than {@code s}, else stays or ignores. */
    private static Transition forward(TaskState s, TaskState to) {
        int here = progress(s);
        int there = progress(to);
        if (there > here) {
            return Transition.moved(to, PERSIST);
        }
        return there == here ? Transition.unchanged(s) : Transition.ignored(s);
    }

    private static int progress(TaskState s) {
        return switch (s) {
            case PENDING -> 0;
            case LAUNCHED -> 1;
            case STARTING -> 2;
            default -> 3; // RUNNING_UNHEALTHY, HEALTHY
        };
    }

    private static Transition killing(TaskEvent e) {
        return switch (e) {
            case KILL_REQUESTED -> Transition.unchanged(KILLING, SEND_KILL);
            case KILLING -> Transition.unchanged(KILLING);
            case LAUNCH_SENT, STAGING, STARTING, RUNNING_UNHEALTHY, RUNNING_HEALTHY -> Transition.ignored(KILLING);
            case FINISHED -> Transition.moved(TaskState.FINISHED, PERSIST, FORGET);
            case FAILED -> Transition.moved(TaskState.FAILED, PERSIST, FORGET);
            case KILLED -> Transition.moved(TaskState.KILLED, PERSIST, FORGET);
            case LOST -> Transition.moved(TaskState.LOST, PERSIST, FORGET);
            case ERROR -> Transition.moved(TaskState.ERROR, PERSIST, FORGET);
        };
    }

    private static Transition terminal(TaskState s, TaskEvent e) {
        boolean runsAgain = e == TaskEvent.STARTING || e == TaskEvent.RUNNING_UNHEALTHY || e == TaskEvent.RUNNING_HEALTHY;
        if (s == TaskState.LOST && runsAgain) {
            return Transition.moved(KILLING, PERSIST, SEND_KILL);
        }
        return Transition.ignored(s);
    }
}
