package io.remit.executor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The life of the one task a service executor runs, as a table: {@link #on(Event)} returns the
 * next state and the actions to carry out, and does nothing itself. Immutable and pure;
 * {@link TaskRunner} feeds it events and performs the actions, in order.
 *
 * <pre>
 * LAUNCHING --Started--> STARTING --healthy--> HEALTHY <--healthy/unhealthy--> UNHEALTHY
 *     |                     |  \--never healthy--> STOPPING (fails the task)
 *     |                     \--Kill--> STOPPING (nothing was published, nothing to drain)
 *     \--LaunchFailed/Kill--> ENDED
 * HEALTHY/UNHEALTHY --Kill--> DRAINING (record withdrawn, then the grace) --DrainEnded--> STOPPING (SIGTERM)
 * STOPPING --StopTimedOut--> STOPPING (SIGKILL);  any running state --Exited--> ENDED
 * </pre>
 *
 * @param phase where the task is
 * @param stopTimeout how long SIGTERM gets before SIGKILL, in the stop that is or will be under way
 * @param killed whether the scheduler (or agent) asked for the kill, so the end is TASK_KILLED
 * @param failure why the executor itself is stopping the service, or {@code null}
 * @param drain the drain that preceded the stop, or {@code null}
 */
public record TaskLifecycle(Phase phase, Duration stopTimeout, boolean killed, String failure, Duration drain) {

    public enum Phase { LAUNCHING, STARTING, HEALTHY, UNHEALTHY, DRAINING, STOPPING, ENDED }

    /** What happens to the task. */
    public sealed interface Event {
        /** The service JVM was started. */
        record Started(long pid) implements Event { }

        /** The service could not be started; {@code invalid} when the launch spec itself is wrong. */
        record LaunchFailed(String reason, boolean invalid) implements Event { }

        /** The health verdict changed. */
        record HealthChanged(boolean healthy, String detail) implements Event { }

        /**
         * KILL, SHUTDOWN, or the agent gone: drain for {@code drain}, then SIGTERM and SIGKILL
         * after {@code stopTimeout}; {@code reportKilling} when the framework understands TASK_KILLING.
         */
        record KillRequested(Duration drain, Duration stopTimeout, boolean reportKilling) implements Event { }

        /** The drain grace period after the record was withdrawn has passed. */
        record DrainEnded() implements Event { }

        /** SIGTERM did not end the service in time. */
        record StopTimedOut() implements Event { }

        /** The service JVM ended; {@code lastLines} of its output, oldest first. */
        record Exited(ExitStatus status, List<String> lastLines) implements Event { }
    }

    /** The states of a {@link Action.Report}, mapped to Mesos's by the shell. */
    public enum Reported { STARTING, RUNNING, KILLING, FINISHED, FAILED, KILLED }

    /** Why, for the scheduler: mapped to Mesos reasons by the shell. */
    public enum Reason { NONE, INVALID, LAUNCH_FAILED, HEALTH }

    /** What the shell must do, in order. */
    public sealed interface Action {
        /** Send a status update; {@code healthy} is null when there is no verdict to tell. */
        record Report(Reported state, Boolean healthy, Reason reason, String message) implements Action { }

        /** Write the discovery record (under a lease kept alive), retrying until withdrawn. */
        record Publish() implements Action { }

        /** Delete the discovery record. */
        record Withdraw() implements Action { }

        /** Delete the discovery record, then deliver {@link Event.DrainEnded} {@code grace} after it is gone. */
        record Drain(Duration grace) implements Action { }

        /** SIGTERM the service; deliver {@link Event.StopTimedOut} after {@code timeout}. */
        record Stop(Duration timeout) implements Action { }

        /** SIGKILL the service. */
        record ForceStop() implements Action { }

        /** Stop health checks and, once every update is acknowledged, exit the executor. */
        record Finish() implements Action { }
    }

    /** The next state and what to do to get there. */
    public record Transition(TaskLifecycle next, List<Action> actions) { }

    public TaskLifecycle {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(stopTimeout, "stopTimeout");
    }

    /** A task just launched; an unhealthy start is stopped with {@code stopTimeout} between SIGTERM and SIGKILL. */
    public static TaskLifecycle launching(Duration stopTimeout) {
        return new TaskLifecycle(Phase.LAUNCHING, stopTimeout, false, null, null);
    }

    public boolean ended() {
        return phase == Phase.ENDED;
    }

    /** The transition for {@code event}; an event that means nothing in this phase leaves it as it is. */
    public Transition on(Event event) {
        return switch (phase) {
            case LAUNCHING -> launching(event);
            case STARTING -> starting(event);
            case HEALTHY, UNHEALTHY -> running(event);
            case DRAINING -> draining(event);
            case STOPPING -> stopping(event);
            case ENDED -> stay();
        };
    }

    private Transition launching(Event event) {
        if (event instanceof Event.Started s) {
            return go(Phase.STARTING, report(Reported.STARTING, null, Reason.NONE, "service JVM started, pid " + s.pid()));
        }
        if (event instanceof Event.LaunchFailed f) {
            return go(Phase.ENDED, report(Reported.FAILED, null, f.invalid() ? Reason.INVALID : Reason.LAUNCH_FAILED,
                    f.reason()), new Action.Finish());
        }
        if (event instanceof Event.KillRequested) {
            return new Transition(with(Phase.ENDED, true), List.of(
                    report(Reported.KILLED, null, Reason.NONE, "killed before the service started"), new Action.Finish()));
        }
        return stay();
    }

    private Transition starting(Event event) {
        if (event instanceof Event.HealthChanged h) {
            if (h.healthy()) {
                return go(Phase.HEALTHY, new Action.Publish(), report(Reported.RUNNING, true, Reason.HEALTH, h.detail()));
            }
            TaskLifecycle next = new TaskLifecycle(Phase.STOPPING, stopTimeout, killed, h.detail(), null);
            return new Transition(next, List.of(new Action.Stop(stopTimeout)));
        }
        if (event instanceof Event.KillRequested k) {
            // Never published, so nobody sends it traffic: no drain.
            TaskLifecycle next = new TaskLifecycle(Phase.STOPPING, k.stopTimeout(), true, null, null);
            return new Transition(next, killing(k, new Action.Stop(k.stopTimeout())));
        }
        if (event instanceof Event.Exited e) {
            return exitedOnItsOwn(e, false);
        }
        return stay();
    }

    private Transition running(Event event) {
        if (event instanceof Event.HealthChanged h) {
            if (h.healthy() && phase == Phase.UNHEALTHY) {
                return go(Phase.HEALTHY, new Action.Publish(), report(Reported.RUNNING, true, Reason.HEALTH, h.detail()));
            }
            if (!h.healthy() && phase == Phase.HEALTHY) {
                return go(Phase.UNHEALTHY, report(Reported.RUNNING, false, Reason.HEALTH, h.detail()), new Action.Withdraw());
            }
            return stay();
        }
        if (event instanceof Event.KillRequested k) {
            TaskLifecycle next = new TaskLifecycle(Phase.DRAINING, k.stopTimeout(), true, null, k.drain());
            return new Transition(next, killing(k, new Action.Drain(k.drain())));
        }
        if (event instanceof Event.Exited e) {
            return exitedOnItsOwn(e, true);
        }
        return stay();
    }

    private Transition draining(Event event) {
        if (event instanceof Event.DrainEnded) {
            return go(Phase.STOPPING, new Action.Stop(stopTimeout));
        }
        if (event instanceof Event.Exited e) {
            return go(Phase.ENDED, report(Reported.KILLED, null, Reason.NONE,
                    "killed: the service ended while draining, " + e.status().describe()), new Action.Finish());
        }
        return stay();
    }

    private Transition stopping(Event event) {
        if (event instanceof Event.StopTimedOut) {
            return stay(new Action.ForceStop());
        }
        if (event instanceof Event.KillRequested && !killed) {
            return new Transition(with(Phase.STOPPING, true), List.of());
        }
        if (event instanceof Event.Exited e) {
            if (killed) {
                String drained = drain == null ? "" : "drained for " + drain + ", then ";
                return go(Phase.ENDED, report(Reported.KILLED, null, Reason.NONE,
                        "killed: " + drained + "the service stopped with " + e.status().describe()), new Action.Finish());
            }
            return go(Phase.ENDED, report(Reported.FAILED, false, Reason.HEALTH,
                    failure + "; stopped it, " + e.status().describe() + lastLines(e)), new Action.Finish());
        }
        return stay();
    }

    private Transition exitedOnItsOwn(Event.Exited e, boolean published) {
        List<Action> actions = new ArrayList<>();
        if (published) {
            actions.add(new Action.Withdraw());
        }
        if (e.status().success()) {
            actions.add(report(Reported.FINISHED, null, Reason.NONE, "the service exited by itself, " + e.status().describe()));
        } else {
            actions.add(report(Reported.FAILED, null, Reason.NONE,
                    "the service exited by itself, " + e.status().describe() + lastLines(e)));
        }
        actions.add(new Action.Finish());
        return new Transition(with(Phase.ENDED, killed), actions);
    }

    private static List<Action> killing(Event.KillRequested k, Action then) {
        return k.reportKilling()
                ? List.of(report(Reported.KILLING, null, Reason.NONE, "draining, then stopping"), then)
                : List.of(then);
    }

    private static String lastLines(Event.Exited e) {
        return e.lastLines().isEmpty() ? "; no output"
                : "; its last " + e.lastLines().size() + " line(s) of output:\n" + String.join("\n", e.lastLines());
    }

    private static Action.Report report(Reported state, Boolean healthy, Reason reason, String message) {
        return new Action.Report(state, healthy, reason, message);
    }

    private TaskLifecycle with(Phase next, boolean killedNow) {
        return new TaskLifecycle(next, stopTimeout, killedNow, failure, drain);
    }

    private Transition go(Phase next, Action... actions) {
        return new Transition(with(next, killed), List.of(actions));
    }

    private Transition stay(Action... actions) {
        return new Transition(this, List.of(actions));
    }
}
