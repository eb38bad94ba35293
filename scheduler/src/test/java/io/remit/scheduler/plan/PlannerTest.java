package io.remit.scheduler.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.scheduler.plan.Action.Kill;
import io.remit.scheduler.plan.Action.Launch;
import io.remit.scheduler.plan.Action.Revive;
import io.remit.scheduler.plan.Action.Suppress;
import io.remit.scheduler.plan.Action.Wait;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Stories: given the cluster and the desired state, expect these actions. */
class PlannerTest {

    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    private final List<TaskView> tasks = new ArrayList<>();
    private final Map<String, DesiredService> desired = new HashMap<>();
    private final Map<String, BackoffStatus> backoff = new HashMap<>();
    private boolean suppressed;
    private boolean refused;

    private void want(String service, String revision, int instances, String... dependencies) {
        desired.put(service, new DesiredService(service, revision, instances, List.of(dependencies)));
    }

    /** A task launched {@code minutesAgo} minutes before now. */
    private void has(String taskId, String service, String revision, TaskState state, int minutesAgo) {
        tasks.removeIf(t -> t.taskId().equals(taskId));
        tasks.add(new TaskView(taskId, service, revision, state, NOW.minus(Duration.ofMinutes(minutesAgo))));
    }

    private List<Action> decide() {
        return decideAt(NOW);
    }

    private List<Action> decideAt(Instant now) {
        return Planner.decide(new ClusterView(tasks, backoff, suppressed, refused), DesiredState.of(desired.values()), now);
    }

    @Test
    void aNewServiceRevivesOffersAndLaunches() {
        suppressed = true;
        want("hello", "r1", 2);

        assertThat(decide()).containsExactly(new Revive(), new Launch("hello", 2));
    }

    @Test
    void newDemandRevivesOffersThatWereDeclinedWithALongFilterEvenIfNotSuppressed() {
        want("hello", "r1", 2);
        assertThat(decide()).as("offers flow, none refused: no REVIVE needed").containsExactly(new Launch("hello", 2));
        refused = true;
        assertThat(decide()).as("agents withheld by refuse filters: REVIVE clears them")
                .containsExactly(new Revive(), new Launch("hello", 2));
    }

    @Test
    void aSettledClusterSuppressesOffersOnce() {
        want("hello", "r1", 2);
        has("t1", "hello", "r1", TaskState.HEALTHY, 10);
        has("t2", "hello", "r1", TaskState.HEALTHY, 10);

        assertThat(decide()).containsExactly(new Suppress());
        suppressed = true;
        assertThat(decide()).isEmpty();
    }

    @Test
    void tasksOnTheirWayCountAndEndedOnesAreReplaced() {
        want("hello", "r1", 4);
        has("t1", "hello", "r1", TaskState.HEALTHY, 10);
        has("t2", "hello", "r1", TaskState.STARTING, 1);
        has("t3", "hello", "r1", TaskState.PENDING, 0);
        has("t4", "hello", "r1", TaskState.FAILED, 5);
        has("t5", "hello", "r1", TaskState.KILLING, 5);

        assertThat(decide()).containsExactly(new Launch("hello", 1));
    }

    @Test
    void scalingDownKillsTheLeastHealthyThenTheNewest() {
        want("hello", "r1", 2);
        has("old", "hello", "r1", TaskState.HEALTHY, 60);
        has("mid", "hello", "r1", TaskState.HEALTHY, 30);
        has("new", "hello", "r1", TaskState.HEALTHY, 1);
        has("sick", "hello", "r1", TaskState.RUNNING_UNHEALTHY, 90);
        has("booting", "hello", "r1", TaskState.STARTING, 2);

        assertThat(decide()).containsExactly(
                new Kill("sick", "scale down to 2 instances"),
                new Kill("booting", "scale down to 2 instances"),
                new Kill("new", "scale down to 2 instances"),
                new Suppress());
    }

    @Test
    void killingTasksAreNotKilledAgain() {
        want("hello", "r1", 1);
        has("a", "hello", "r1", TaskState.HEALTHY, 10);
        has("b", "hello", "r1", TaskState.KILLING, 5);
        suppressed = true;

        assertThat(decide()).isEmpty();
    }

    @Test
    void aServiceWaitsForItsDependencyToBeHealthy() {
        suppressed = true;
        want("fx", "f1", 2);
        want("payments", "p1", 2, "fx");
        has("fx-1", "fx", "f1", TaskState.STARTING, 1);

        assertThat(decide()).containsExactly(new Revive(), new Launch("fx", 1),
                new Wait("payments", "2 instances to launch, waiting for dependency fx (no healthy instance yet, 2 wanted)"));

        has("fx-1", "fx", "f1", TaskState.HEALTHY, 1);
        assertThat(decide()).containsExactly(new Revive(), new Launch("fx", 1), new Launch("payments", 2));
    }

    @Test
    void anUndefinedDependencyIsNamed() {
        want("payments", "p1", 1, "fx", "ghost");
        want("fx", "f1", 1);
        has("fx-1", "fx", "f1", TaskState.HEALTHY, 1);

        assertThat(decide()).containsExactly(
                new Wait("payments", "1 instance to launch, waiting for dependency ghost (not defined)"), new Suppress());
    }

    @Test
    void aCrashLoopingServiceWaitsOutItsBackoff() {
        want("flaky", "r1", 2);
        has("f1", "flaky", "r1", TaskState.HEALTHY, 10);
        has("f2", "flaky", "r1", TaskState.FAILED, 1);
        backoff.put("flaky", new BackoffStatus(5, Duration.ofSeconds(16), NOW.plusSeconds(16), true));

        assertThat(decide()).containsExactly(new Wait("flaky",
                "1 instance to launch, crash-looping after 5 failures: next launch in 16s (at 2026-11-27T12:00:16Z)"), new Suppress());
        assertThat(decideAt(NOW.plusSeconds(15))).first().isInstanceOf(Wait.class);
        assertThat(decideAt(NOW.plusSeconds(16))).containsExactly(new Launch("flaky", 1));
    }

    @Test
    void aFirstFailureIsABackoffNotACrashLoop() {
        want("a", "r1", 1);
        backoff.put("a", new BackoffStatus(1, Duration.ofSeconds(1), NOW.plusMillis(500), false));

        assertThat(decide()).containsExactly(new Wait("a",
                "1 instance to launch, restart backoff after 1 failure: next launch in 500ms (at 2026-11-27T12:00:00.500Z)"),
                new Suppress());
    }

    @Test
    void aRemovedServiceIsKilled() {
        has("g1", "gone", "r1", TaskState.HEALTHY, 10);
        has("g2", "gone", "r1", TaskState.KILLING, 10);
        has("g3", "gone", "r1", TaskState.FINISHED, 10);
        suppressed = true;

        assertThat(decide()).containsExactly(new Kill("g1", "service gone was removed"));
    }

    @Test
    void scalingToZeroDuringAnUpdateKillsEverything() {
        want("hello", "r2", 0);
        has("a", "hello", "r1", TaskState.HEALTHY, 10);
        has("b", "hello", "r2", TaskState.STARTING, 1);
        suppressed = true;

        assertThat(decide()).containsExactly(new Kill("a", "scale down to 0 instances"), new Kill("b", "scale down to 0 instances"));
    }

    @Test
    void aRollingUpdateReplacesOneAtATimeAndNeverLosesHealthyInstances() {
        want("payments", "r2", 3);
        has("old-1", "payments", "r1", TaskState.HEALTHY, 30);
        has("old-2", "payments", "r1", TaskState.HEALTHY, 20);
        has("old-3", "payments", "r1", TaskState.HEALTHY, 10);
        suppressed = true;
        List<String> story = new ArrayList<>();
        int launched = 0;

        for (int step = 0; step < 20; step++) {
            List<Action> actions = decide();
            long healthy = tasks.stream().filter(t -> t.state() == TaskState.HEALTHY).count();
            assertThat(healthy).as("healthy instances at step %d", step).isGreaterThanOrEqualTo(3);
            assertThat(tasks.stream().filter(t -> t.state().isActive()).count()).as("active at step %d", step).isLessThanOrEqualTo(4);
            if (actions.isEmpty()) {
                break;
            }
            for (Action a : actions) {
                if (a instanceof Launch l) {
                    assertThat(l.count()).isOne();
                    has("new-" + ++launched, "payments", "r2", TaskState.STARTING, 0);
                    story.add("launch");
                } else if (a instanceof Kill k) {
                    has(k.taskId(), "payments", "r1", TaskState.KILLED, 0);
                    story.add("kill " + k.taskId() + ": " + k.reason());
                } else if (a instanceof Wait) {
                    tasks.replaceAll(t -> t.state() == TaskState.STARTING
                            ? new TaskView(t.taskId(), t.serviceId(), t.revision(), TaskState.HEALTHY, t.launchedAt()) : t);
                    story.add("wait");
                } else if (a instanceof Revive) {
                    suppressed = false;
                } else if (a instanceof Suppress) {
                    suppressed = true;
                }
            }
        }

        assertThat(story).containsExactly(
                "launch", "wait", "kill old-3: replaced by revision r2",
                "launch", "wait", "kill old-2: replaced by revision r2",
                "launch", "wait", "kill old-1: replaced by revision r2");
        assertThat(tasks.stream().filter(t -> t.state() == TaskState.HEALTHY).map(TaskView::revision)).containsExactly("r2", "r2", "r2");
    }

    @Test
    void aRollingUpdateWaitsForTheNewInstanceAndSaysSo() {
        want("payments", "r2", 2);
        has("old-1", "payments", "r1", TaskState.HEALTHY, 30);
        has("old-2", "payments", "r1", TaskState.HEALTHY, 20);
        has("new-1", "payments", "r2", TaskState.RUNNING_UNHEALTHY, 1);
        suppressed = true;

        assertThat(decide()).containsExactly(new Wait("payments",
                "rolling update to revision r2: waiting for 1 new instance to become healthy before replacing the next of 2 old"));
    }

    @Test
    void aRollingUpdateFillsUpWhenAnOldInstanceDies() {
        want("payments", "r2", 3);
        has("old-1", "payments", "r1", TaskState.HEALTHY, 30);
        has("old-2", "payments", "r1", TaskState.FAILED, 20);
        has("new-1", "payments", "r2", TaskState.STARTING, 1);
        suppressed = false;

        assertThat(decide()).containsExactly(new Launch("payments", 1));
    }

    @Test
    void scalingDownDuringARollingUpdateKillsOldOnesFirst() {
        want("payments", "r2", 2);
        has("old-1", "payments", "r1", TaskState.HEALTHY, 30);
        has("old-2", "payments", "r1", TaskState.HEALTHY, 20);
        has("old-3", "payments", "r1", TaskState.HEALTHY, 10);
        has("new-1", "payments", "r2", TaskState.HEALTHY, 5);
        has("new-2", "payments", "r2", TaskState.STARTING, 1);
        suppressed = true;

        // five active, two wanted, one new still starting: keep the surge, kill two old ones now
        assertThat(decide()).containsExactly(
                new Kill("old-3", "scale down to 2 instances during a rolling update"),
                new Kill("old-2", "scale down to 2 instances during a rolling update"),
                new Wait("payments",
                        "rolling update to revision r2: waiting for 1 new instance to become healthy before replacing the next of 3 old"));
    }

    @Test
    void theSurgeWaitsBehindDependenciesToo() {
        want("payments", "r2", 1, "fx");
        want("fx", "f1", 0);
        has("old-1", "payments", "r1", TaskState.HEALTHY, 30);
        suppressed = true;

        assertThat(decide()).containsExactly(
                new Wait("payments", "1 instance to launch, waiting for dependency fx (no healthy instance yet, 0 wanted)"));
    }

    @Test
    void theSameInputGivesTheSameActions() {
        want("b", "r1", 3);
        want("a", "r2", 2);
        has("a1", "a", "r1", TaskState.HEALTHY, 3);
        has("a2", "a", "r1", TaskState.HEALTHY, 3);
        has("b1", "b", "r1", TaskState.HEALTHY, 3);
        has("b2", "b", "r1", TaskState.HEALTHY, 3);
        has("b3", "b", "r1", TaskState.HEALTHY, 3);
        has("b4", "b", "r1", TaskState.HEALTHY, 3);

        List<Action> first = decide();
        java.util.Collections.reverse(tasks);
        assertThat(decide()).isEqualTo(first).containsExactly(
                new Launch("a", 1), new Kill("b1", "scale down to 3 instances")); // equal launch times: task id decides
    }

    private void wantRollout(String service, String revision, int instances, Rollout rollout) {
        desired.put(service, new DesiredService(service, revision, instances, List.of(), rollout));
    }

    @Test
    void aCanaryStepRunsItsNewInstancesBesideAllTheOldOnes() {
        suppressed = true;
        has("old-1", "payments", "r1", TaskState.HEALTHY, 30);
        has("old-2", "payments", "r1", TaskState.HEALTHY, 20);
        wantRollout("payments", "r2", 2, new Rollout(List.of(new Rollout.Track("r1", 2), new Rollout.Track("r2", 1)), 0, 2,
                "canary step 1 of 2"));

        assertThat(decide()).containsExactly(new Revive(), new Launch("payments", 1));
        suppressed = false;
        has("new-1", "payments", "r2", TaskState.STARTING, 0);
        assertThat(decide()).as("the step's count is there: nothing more, no old one killed").containsExactly(new Suppress());
        suppressed = true;
        // An old instance dies during the step: it comes back as the old revision.
        has("old-2", "payments", "r1", TaskState.FAILED, 0);
        assertThat(decide()).containsExactly(new Revive(), new Launch("payments", 1, "r1"));
    }

    @Test
    void aRollbackBringsTheOldBackToFullCountBeforeRemovingTheNew() {
        has("old-1", "payments", "r1", TaskState.HEALTHY, 30);
        has("new-1", "payments", "r2", TaskState.HEALTHY, 5);
        has("new-2", "payments", "r2", TaskState.HEALTHY, 4);
        // The spec is back on r1; the rollback wants 3 of r1, launched all at once, and keeps 3 healthy.
        wantRollout("payments", "r1", 3, new Rollout(List.of(new Rollout.Track("r1", 3)), 3, 3, "rollback of deployment d1"));

        assertThat(decide()).containsExactly(new Launch("payments", 2));
        suppressed = true;
        has("old-2", "payments", "r1", TaskState.STARTING, 0);
        has("old-3", "payments", "r1", TaskState.HEALTHY, 0);
        assertThat(decide()).as("one old one still starting: only one new one may go").containsExactly(
                new Kill("new-2", "rollback of deployment d1"), new Wait("payments",
                        "rollback of deployment d1: waiting for 1 starting instance to become healthy before removing the next of 2 others"));
        has("new-2", "payments", "r2", TaskState.KILLED, 0);
        has("old-2", "payments", "r1", TaskState.HEALTHY, 0);
        assertThat(decide()).containsExactly(new Kill("new-1", "rollback of deployment d1"));
    }

    @Test
    void maxUnavailableKillsOldOnesBeforeTheNewAreUp() {
        has("old-1", "payments", "r1", TaskState.HEALTHY, 30);
        has("old-2", "payments", "r1", TaskState.HEALTHY, 20);
        has("old-3", "payments", "r1", TaskState.HEALTHY, 10);
        has("old-4", "payments", "r1", TaskState.HEALTHY, 5);
        // maxSurge 0, maxUnavailable 2: two old ones go at once, two new ones take their places.
        wantRollout("payments", "r2", 4, new Rollout(List.of(new Rollout.Track("r2", 4)), 0, 2, "rolling update to revision r2"));

        assertThat(decide()).containsExactly(
                new Kill("old-4", "replaced by revision r2"), new Kill("old-3", "replaced by revision r2"),
                new Launch("payments", 2));
    }
}
