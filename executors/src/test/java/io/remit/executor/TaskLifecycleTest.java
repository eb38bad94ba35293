package io.remit.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.executor.TaskLifecycle.Action;
import io.remit.executor.TaskLifecycle.Event;
import io.remit.executor.TaskLifecycle.Phase;
import io.remit.executor.TaskLifecycle.Reason;
import io.remit.executor.TaskLifecycle.Reported;
import io.remit.executor.TaskLifecycle.Transition;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskLifecycleTest {

    private static final Duration STOP = Duration.ofSeconds(10);
    private static final Duration DRAIN = Duration.ofSeconds(2);
    private static final Event STARTED = new Event.Started(42);
    private static final Event HEALTHY = new Event.HealthChanged(true, "healthy");
    private static final Event UNHEALTHY = new Event.HealthChanged(false, "unhealthy: 3 failed");
    private static final Event KILL = new Event.KillRequested(DRAIN, STOP, false);
    private static final Event CRASHED = new Event.Exited(new ExitStatus(137), List.of("Started server", "oops"));
    private static final Event SIGTERMED = new Event.Exited(new ExitStatus(143), List.of());
    private static final List<Event> EVERY_EVENT = List.of(STARTED, new Event.LaunchFailed("no", false), HEALTHY, UNHEALTHY,
            KILL, new Event.DrainEnded(), new Event.StopTimedOut(), CRASHED, new Event.Exited(new ExitStatus(0), List.of()));

    private TaskLifecycle state = TaskLifecycle.launching(STOP);

    private List<Action> on(Event event) {
        Transition t = state.on(event);
        state = t.next();
        return t.actions();
    }

    private static Action.Report report(Reported state, Boolean healthy, Reason reason, String message) {
        return new Action.Report(state, healthy, reason, message);
    }

    private void reach(Phase phase, Event... events) {
        for (Event e : events) {
            on(e);
        }
        assertThat(state.phase()).isEqualTo(phase);
    }

    @Test
    void startsReportsRunningWhenFirstHealthyAndPublishes() {
        assertThat(on(STARTED)).containsExactly(report(Reported.STARTING, null, Reason.NONE, "service JVM started, pid 42"));
        assertThat(on(HEALTHY)).as("published before it is reported healthy")
                .containsExactly(new Action.Publish(), report(Reported.RUNNING, true, Reason.HEALTH, "healthy"));
        assertThat(state.phase()).isEqualTo(Phase.HEALTHY);
    }

    @Test
    void healthChangesAreReportedAndTheRecordFollowsThem() {
        reach(Phase.HEALTHY, STARTED, HEALTHY);
        assertThat(on(UNHEALTHY)).containsExactly(report(Reported.RUNNING, false, Reason.HEALTH, "unhealthy: 3 failed"),
                new Action.Withdraw());
        assertThat(on(UNHEALTHY)).isEmpty();
        assertThat(on(HEALTHY)).as("published before it is reported healthy")
                .containsExactly(new Action.Publish(), report(Reported.RUNNING, true, Reason.HEALTH, "healthy"));
        assertThat(on(HEALTHY)).isEmpty();
    }

    @Test
    void killWithdrawsFirstThenDrainsThenTerminatesThenKills() {
        reach(Phase.HEALTHY, STARTED, HEALTHY);
        assertThat(on(KILL)).containsExactly(new Action.Drain(DRAIN));
        assertThat(on(UNHEALTHY)).as("health no longer matters").isEmpty();
        assertThat(on(new Event.DrainEnded())).containsExactly(new Action.Stop(STOP));
        assertThat(on(new Event.StopTimedOut())).containsExactly(new Action.ForceStop());
        assertThat(on(new Event.Exited(new ExitStatus(137), List.of()))).containsExactly(report(Reported.KILLED, null,
                Reason.NONE, "killed: drained for PT2S, then the service stopped with exit status 137 (signal 9, SIGKILL)"),
                new Action.Finish());
        assertThat(state.ended()).isTrue();
    }

    @Test
    void killUsesTheGraceItIsGivenAndReportsKillingWhenTheFrameworkWantsIt() {
        reach(Phase.UNHEALTHY, STARTED, HEALTHY, UNHEALTHY);
        Duration fromKillPolicy = Duration.ofMillis(500);
        assertThat(on(new Event.KillRequested(fromKillPolicy, Duration.ofSeconds(3), true))).containsExactly(
                report(Reported.KILLING, null, Reason.NONE, "draining, then stopping"), new Action.Drain(fromKillPolicy));
        assertThat(on(new Event.DrainEnded())).containsExactly(new Action.Stop(Duration.ofSeconds(3)));
        assertThat(on(SIGTERMED)).first().isEqualTo(report(Reported.KILLED, null, Reason.NONE,
                "killed: drained for PT0.5S, then the service stopped with exit status 143 (signal 15, SIGTERM)"));
    }

    @Test
    void aKillBeforeTheFirstHealthyAnswerSkipsTheDrain() {
        reach(Phase.STARTING, STARTED);
        assertThat(on(KILL)).containsExactly(new Action.Stop(STOP));
        assertThat(on(SIGTERMED).get(0)).isEqualTo(report(Reported.KILLED, null, Reason.NONE,
                "killed: the service stopped with exit status 143 (signal 15, SIGTERM)"));
    }

    @Test
    void aServiceThatDiesFailsTheTaskWithItsExitStatusAndLastLinesAndWithdrawsFirst() {
        reach(Phase.HEALTHY, STARTED, HEALTHY);
        assertThat(on(CRASHED)).containsExactly(new Action.Withdraw(), report(Reported.FAILED, null, Reason.NONE,
                "the service exited by itself, exit status 137 (signal 9, SIGKILL); its last 2 line(s) of output:\n"
                        + "Started server\noops"), new Action.Finish());
    }

    @Test
    void aServiceThatExitsCleanlyFinishesTheTask() {
        reach(Phase.STARTING, STARTED);
        assertThat(on(new Event.Exited(new ExitStatus(0), List.of("bye")))).containsExactly(
                report(Reported.FINISHED, null, Reason.NONE, "the service exited by itself, exit status 0"), new Action.Finish());
    }

    @Test
    void aServiceThatNeverBecomesHealthyIsStoppedAndFailed() {
        reach(Phase.STARTING, STARTED);
        assertThat(on(new Event.HealthChanged(false, "never became healthy: 3 failed"))).containsExactly(new Action.Stop(STOP));
        assertThat(on(SIGTERMED)).containsExactly(report(Reported.FAILED, false, Reason.HEALTH,
                "never became healthy: 3 failed; stopped it, exit status 143 (signal 15, SIGTERM); no output"),
                new Action.Finish());
    }

    @Test
    void aLaunchThatFailsEndsAtOnce() {
        assertThat(on(new Event.LaunchFailed("port 31001 (http) is already in use", false))).containsExactly(
                report(Reported.FAILED, null, Reason.LAUNCH_FAILED, "port 31001 (http) is already in use"), new Action.Finish());
        state = TaskLifecycle.launching(STOP);
        assertThat(on(new Event.LaunchFailed("bad spec", true)).get(0)).isEqualTo(report(Reported.FAILED, null,
                Reason.INVALID, "bad spec"));
    }

    @Test
    void anEndedTaskIgnoresEverything() {
        reach(Phase.ENDED, STARTED, CRASHED);
        for (Event e : EVERY_EVENT) {
            assertThat(on(e)).as("%s", e).isEmpty();
            assertThat(state.phase()).isEqualTo(Phase.ENDED);
        }
    }

    /** Every (phase, event) pair: defined, and each phase ends only with one Finish after a terminal report. */
    @Test
    void everyPhaseAnswersEveryEvent() {
        List<List<Event>> paths = List.of(List.of(), List.of(STARTED), List.of(STARTED, HEALTHY),
                List.of(STARTED, HEALTHY, UNHEALTHY), List.of(STARTED, HEALTHY, KILL),
                List.of(STARTED, HEALTHY, KILL, new Event.DrainEnded()), List.of(STARTED, CRASHED));
        for (List<Event> path : paths) {
            for (Event event : EVERY_EVENT) {
                state = TaskLifecycle.launching(STOP);
                path.forEach(this::on);
                Phase before = state.phase();
                List<Action> actions = on(event);
                long finishes = actions.stream().filter(a -> a instanceof Action.Finish).count();
                assertThat(finishes).as("%s + %s", before, event).isEqualTo(state.ended() && before != Phase.ENDED ? 1 : 0);
                if (finishes == 1) {
                    assertThat(actions.get(actions.size() - 2)).isInstanceOfSatisfying(Action.Report.class, r ->
                            assertThat(r.state()).isIn(Reported.FAILED, Reported.FINISHED, Reported.KILLED));
                }
            }
        }
    }
}
