package io.remit.scheduler.release;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.remit.scheduler.plan.Rollout;
import io.remit.scheduler.release.Deployment.State;
import io.remit.scheduler.spec.DeploymentSpec;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.spec.SpecParser;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A deployment's moves, from its record and what runs, without I/O. */
class DeploymentsTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    private final List<String> judged = new ArrayList<>();
    private Deployments.Judgement verdict = new Deployments.Judgement(Deployments.Judgement.Outcome.PASS, "all good",
            JsonNodeFactory.instance.objectNode().put("verdict", "PASS"));
    private final Deployments.Judge judge = new Deployments.Judge() {
        @Override
        public Deployments.Judgement judge(Deployment d, List<String> baseline, List<String> canary, Instant from, Instant to) {
            judged.add(baseline + " vs " + canary + " from " + from + " to " + to);
            return verdict;
        }

        @Override
        public Deployments.Judgement judgeSwitch(Deployment d, List<String> old, List<String> current, Instant switchedAt,
                                                 Instant to) {
            judged.add("switch: " + old + " vs " + current + " from " + switchedAt + " to " + to);
            return verdict;
        }
    };

    private static ServiceSpec spec(String deployment) throws Exception {
        return SpecParser.parseJson("""
                {"id":"payments","version":"2.0","artifacts":["file:///p.jar"],"instances":4,
                 "resources":{"cpus":1,"memMb":64,"ports":["admin"]},"deployment":%s}""".formatted(deployment));
    }

    private static Deployments.View running(int oldHealthy, int newHealthy, int newActive) {
        return new Deployments.View(4, Map.of("r1", oldHealthy, "r2", newActive), Map.of("r1", oldHealthy, "r2", newHealthy),
                Map.of("r1", List.of("old-1"), "r2", List.of("new-1")), Map.of());
    }

    private Deployment canary() throws Exception {
        ServiceSpec s = spec("""
                {"strategy":"canary","progressDeadline":"1m","steps":[{"instances":1,"pause":"30s"},{"weight":50}],
                 "analysis":{"errorRate":{"max":0.01}}}""");
        Deployment d = Deployments.create("payments-7", s, "r1", "1.0", "{old spec}", T0, null, "m", "alice");
        // the spec's own revision is a hash; the test names it r2
        return new Deployment(d.id(), d.service(), d.strategy(), d.from(), "r2", d.fromVersion(), d.toVersion(), d.fromSpec(),
                d.steps(), 0, State.RUNNING, d.reason(), T0, T0, T0, null, T0, null, d.progressDeadline(), d.maxSurge(),
                d.maxUnavailable(), Map.of(), List.of(), null, "m", 0, -1, false, "alice");
    }

    @Test
    void aCanaryStepWantsItsCountBesideTheWholeOldVersion() throws Exception {
        Deployment d = canary();

        assertThat(d.steps()).extracting(Deployment.Step::instances).containsExactly(1, 2, 4);
        Rollout r = Deployments.rollout(d, 4);
        assertThat(r.tracks()).containsExactly(new Rollout.Track("r1", 4), new Rollout.Track("r2", 1));
        assertThat(r.minHealthy()).isEqualTo(4);
        assertThat(r.maxSurge()).isZero();
    }

    @Test
    void aStepIsReachedPausedJudgedAndLeft() throws Exception {
        Deployment d = canary();
        Deployment reached = Deployments.advance(d, running(4, 1, 1), T0.plusSeconds(5), judge);
        assertThat(reached.stepReachedAt()).isEqualTo(T0.plusSeconds(5));

        assertThat(Deployments.advance(reached, running(4, 1, 1), T0.plusSeconds(20), judge)).as("pausing 30 s").isEqualTo(reached);
        assertThat(judged).isEmpty();

        Deployment next = Deployments.advance(reached, running(4, 1, 1), T0.plusSeconds(40), judge);
        assertThat(judged).containsExactly("[old-1] vs [new-1] from " + T0.plusSeconds(5) + " to " + T0.plusSeconds(40));
        assertThat(next.currentStep()).isEqualTo(1);
        assertThat(next.verdicts()).hasSize(1);
        assertThat(next.reason()).isEqualTo("step 2 of 3: 2 new instances beside the old, 50% of the traffic");
        assertThat(Deployments.rollout(next, 4).tracks()).containsExactly(new Rollout.Track("r1", 4), new Rollout.Track("r2", 2));
    }

    @Test
    void aFailedAnalysisRollsBackWithTheVerdictAndTheOldComesBackFirst() throws Exception {
        verdict = new Deployments.Judgement(Deployments.Judgement.Outcome.FAIL,
                "errorRate: 20.0% on the canary against 0.1% on the baseline, above the maximum 1.0%",
                JsonNodeFactory.instance.objectNode().put("verdict", "FAIL"));
        Deployment reached = Deployments.advance(canary(), running(4, 1, 1), T0.plusSeconds(5), judge);

        Deployment failed = Deployments.advance(reached, running(4, 1, 1), T0.plusSeconds(40), judge);

        assertThat(failed.state()).isEqualTo(State.ROLLING_BACK);
        assertThat(failed.reason()).isEqualTo("analysis failed at step 1 of 3: errorRate: 20.0% on the canary against 0.1% "
                + "on the baseline, above the maximum 1.0%");
        assertThat(failed.verdicts()).extracting(v -> v.path("verdict").asText()).containsExactly("FAIL");
        Rollout back = Deployments.rollout(failed, 4);
        assertThat(back.tracks()).containsExactly(new Rollout.Track("r1", 4));
        assertThat(back.minHealthy()).as("no old one goes; the new ones go once the old are all healthy").isEqualTo(4);
        // Done once the old spec is back, the old version at full count and the new gone.
        assertThat(Deployments.advance(failed, running(4, 0, 0), T0.plusSeconds(50), judge).state()).isEqualTo(State.ROLLING_BACK);
        Deployment.Edit e = failed.edit();
        e.specRestored = true;
        Deployment back2 = Deployments.advance(e.done(T0.plusSeconds(45)), new Deployments.View(4, Map.of("r1", 4),
                Map.of("r1", 4), Map.of(), Map.of()), T0.plusSeconds(50), judge);
        assertThat(back2.state()).isEqualTo(State.ROLLED_BACK);
        assertThat(back2.finishedAt()).isEqualTo(T0.plusSeconds(50));
    }

    @Test
    void anInconclusiveAnalysisWaitsThenRollsBackAtTheDeadline() throws Exception {
        verdict = new Deployments.Judgement(Deployments.Judgement.Outcome.INCONCLUSIVE, "12 requests on the canary, 50 needed",
                JsonNodeFactory.instance.objectNode().put("verdict", "INCONCLUSIVE"));
        Deployment reached = Deployments.advance(canary(), running(4, 1, 1), T0.plusSeconds(5), judge);

        Deployment waiting = Deployments.advance(reached, running(4, 1, 1), T0.plusSeconds(40), judge);
        assertThat(waiting.state()).isEqualTo(State.RUNNING);
        assertThat(waiting.reason()).isEqualTo("step 1 of 3: analysis inconclusive, 12 requests on the canary, 50 needed");

        Deployment late = Deployments.advance(waiting, running(4, 1, 1), T0.plusSeconds(35 + 61), judge);
        assertThat(late.state()).isEqualTo(State.ROLLING_BACK);
        assertThat(late.reason()).startsWith("analysis still inconclusive after 1m at step 1 of 3");
    }

    @Test
    void newInstancesThatKeepFailingRollBack() throws Exception {
        Deployments.View failing = new Deployments.View(4, Map.of("r1", 4), Map.of("r1", 4), Map.of(), Map.of("r2", 3));

        Deployment d = Deployments.advance(canary(), failing, T0.plusSeconds(10), judge);

        assertThat(d.state()).isEqualTo(State.ROLLING_BACK);
        assertThat(d.reason()).isEqualTo("the new instances crash-loop: 3 of them failed");
    }

    @Test
    void aManualPauseHoldsUntilResumed() throws Exception {
        ServiceSpec s = spec("{\"strategy\":\"canary\",\"steps\":[{\"instances\":1,\"pause\":\"manual\"}]}");
        Deployment d = Deployments.create("payments-8", s, "r1", "1.0", "{}", T0, null, null, "bob");
        Deployments.View v = new Deployments.View(4, Map.of("r1", 4, d.to(), 1), Map.of("r1", 4, d.to(), 1), Map.of(), Map.of());
        Deployment reached = Deployments.advance(d, v, T0.plusSeconds(1), judge);
        Deployment paused = Deployments.advance(reached, v, T0.plusSeconds(2), judge);
        assertThat(paused.state()).isEqualTo(State.PAUSED);
        assertThat(Deployments.advance(paused, v, T0.plusSeconds(3600), judge)).as("no deadline while paused").isEqualTo(paused);

        Deployment resumed = Deployments.resume(paused, "carol", T0.plusSeconds(3601));
        Deployment promoting = Deployments.advance(resumed, v, T0.plusSeconds(3602), judge);
        assertThat(promoting.currentStep()).isEqualTo(1);
        assertThat(Deployments.rollout(promoting, 4).tracks()).containsExactly(new Rollout.Track(d.to(), 4));
    }

    @Test
    void aRollingDeploymentIsOnePromotionAndSucceedsWhenOnlyTheNewRun() throws Exception {
        ServiceSpec s = spec("{\"maxSurge\":\"50%\",\"maxUnavailable\":1}");
        Deployment d = Deployments.create("payments-9", s, "r1", "1.0", "{}", T0, null, null, "bob");
        assertThat(d.strategy()).isEqualTo("rolling");
        assertThat(d.steps()).hasSize(1);
        Rollout r = Deployments.rollout(d, 4);
        assertThat(r.maxSurge()).isEqualTo(2);
        assertThat(r.minHealthy()).isEqualTo(3);
        Deployments.View mixed = new Deployments.View(4, Map.of("r1", 1, d.to(), 4), Map.of("r1", 1, d.to(), 4), Map.of(), Map.of());
        Deployments.View done = new Deployments.View(4, Map.of(d.to(), 4), Map.of(d.to(), 4), Map.of(), Map.of());
        Deployment reached = Deployments.advance(Deployments.advance(d, done, T0.plusSeconds(5), judge), done, T0.plusSeconds(6), judge);
        assertThat(Deployments.advance(d, mixed, T0.plusSeconds(5), judge).state()).isEqualTo(State.RUNNING);
        assertThat(reached.state()).isEqualTo(State.SUCCEEDED);
        assertThat(DeploymentSpec.DEFAULT.maxSurge().of(4, true)).isEqualTo(1);
    }

    @Test
    void aWeightedStepNamesTheShareOfEachVersionAndACountedOneNone() throws Exception {
        Deployment d = canary();
        assertThat(Deployments.traffic(d)).as("step 1 is a count: requests spread over every instance").isNull();
        Deployment.Edit e = d.edit();
        e.currentStep = 1;
        Deployment second = e.done(T0);
        assertThat(Deployments.traffic(second)).containsExactly(Map.entry("1.0", 50), Map.entry("2.0", 50));
        assertThat(Deployments.traffic(Deployments.rollback(second, "bad", T0))).as("a rollback sends everything back at once")
                .containsExactly(Map.entry("1.0", 100), Map.entry("2.0", 0));
    }

    private Deployment blueGreen(String settings) throws Exception {
        ServiceSpec s = spec("{\"strategy\":\"blueGreen\",\"progressDeadline\":\"1m\"" + settings + "}");
        Deployment d = Deployments.create("payments-8", s, "r1", "1.0", "{old spec}", T0, null, "m", "alice");
        return new Deployment(d.id(), d.service(), d.strategy(), d.from(), "r2", d.fromVersion(), d.toVersion(), d.fromSpec(),
                d.steps(), 0, State.RUNNING, d.reason(), T0, T0, T0, null, T0, null, d.progressDeadline(), d.maxSurge(),
                d.maxUnavailable(), Map.of(), List.of(), null, "m", 0, -1, false, "alice");
    }

    private static Deployments.View both(int oldHealthy, int newHealthy) {
        return new Deployments.View(4, Map.of("r1", oldHealthy, "r2", newHealthy), Map.of("r1", oldHealthy, "r2", newHealthy),
                Map.of("r1", List.of("old-1"), "r2", List.of("new-1")), Map.of());
    }

    @Test
    void aBlueGreenPreviewsTheWholeNewVersionWithoutTrafficSwitchesAtOnceKeepsTheOldThenRemovesIt() throws Exception {
        Deployment d = blueGreen(",\"keepOld\":\"2m\",\"analysis\":{\"errorRate\":{\"max\":0.01}}");
        assertThat(d.steps()).extracting(Deployment.Step::kind)
                .containsExactly(Deployment.Kind.PREVIEW, Deployment.Kind.SWITCH, Deployment.Kind.PROMOTE);
        assertThat(Deployments.rollout(d, 4).tracks()).containsExactly(new Rollout.Track("r1", 4), new Rollout.Track("r2", 4));
        assertThat(Deployments.traffic(d)).containsExactly(Map.entry("1.0", 100), Map.entry("2.0", 0));

        Deployment previewing = Deployments.advance(d, both(4, 3), T0.plusSeconds(10), judge);
        assertThat(previewing.currentStep()).as("3 of 4 new healthy: still previewing").isZero();
        Deployment reached = Deployments.advance(previewing, both(4, 4), T0.plusSeconds(20), judge);
        Deployment switched = Deployments.advance(reached, both(4, 4), T0.plusSeconds(21), judge);
        assertThat(switched.step().kind()).isEqualTo(Deployment.Kind.SWITCH);
        assertThat(Deployments.traffic(switched)).containsExactly(Map.entry("1.0", 0), Map.entry("2.0", 100));
        assertThat(Deployments.rollout(switched, 4).tracks()).as("the old kept beside")
                .containsExactly(new Rollout.Track("r1", 4), new Rollout.Track("r2", 4));

        Deployment keeping = Deployments.advance(switched, both(4, 4), T0.plusSeconds(22), judge);
        assertThat(Deployments.advance(keeping, both(4, 4), T0.plusSeconds(100), judge)).as("keeping the old 2m").isEqualTo(keeping);
        assertThat(judged).isEmpty();
        Deployment promoting = Deployments.advance(keeping, both(4, 4), T0.plusSeconds(143), judge);
        assertThat(judged).containsExactly("switch: [old-1] vs [new-1] from " + T0.plusSeconds(22) + " to " + T0.plusSeconds(143));
        assertThat(promoting.step().kind()).isEqualTo(Deployment.Kind.PROMOTE);
        assertThat(Deployments.rollout(promoting, 4).tracks()).containsExactly(new Rollout.Track("r2", 4));
        assertThat(Deployments.traffic(promoting)).containsExactly(Map.entry("1.0", 0), Map.entry("2.0", 100));

        Deployments.View onlyNew = new Deployments.View(4, Map.of("r2", 4), Map.of("r2", 4), Map.of(), Map.of());
        Deployment done = Deployments.advance(Deployments.advance(promoting, onlyNew, T0.plusSeconds(150), judge), onlyNew,
                T0.plusSeconds(151), judge);
        assertThat(done.state()).isEqualTo(State.SUCCEEDED);
        assertThat(Deployments.traffic(done)).as("the record goes once only the new run").isNull();
    }

    @Test
    void aNewInstanceLostAfterTheSwitchSendsEverythingBackToTheOldAtOnce() throws Exception {
        Deployment d = blueGreen("");
        Deployment switched = Deployments.advance(Deployments.advance(d, both(4, 4), T0.plusSeconds(20), judge), both(4, 4),
                T0.plusSeconds(21), judge);
        assertThat(switched.step().kind()).isEqualTo(Deployment.Kind.SWITCH);

        Deployment back = Deployments.advance(switched, both(4, 3), T0.plusSeconds(30), judge);

        assertThat(back.state()).isEqualTo(State.ROLLING_BACK);
        assertThat(back.reason()).isEqualTo("step 2 of 3: 3 of 4 new instances healthy after the switch");
        assertThat(Deployments.traffic(back)).containsExactly(Map.entry("1.0", 100), Map.entry("2.0", 0));
        assertThat(Deployments.rollout(back, 4).tracks()).containsExactly(new Rollout.Track("r1", 4));
    }

    @Test
    void aManualPreviewWaitsForAnOperatorBeforeTheSwitch() throws Exception {
        Deployment d = blueGreen(",\"previewPause\":\"manual\"");
        Deployment reached = Deployments.advance(d, both(4, 4), T0.plusSeconds(20), judge);
        Deployment paused = Deployments.advance(reached, both(4, 4), T0.plusSeconds(21), judge);
        assertThat(paused.state()).isEqualTo(State.PAUSED);
        assertThat(Deployments.traffic(paused)).as("still all to the old").containsExactly(Map.entry("1.0", 100), Map.entry("2.0", 0));

        Deployment resumed = Deployments.resume(paused, "alice", T0.plusSeconds(60));
        Deployment switched = Deployments.advance(resumed, both(4, 4), T0.plusSeconds(61), judge);
        assertThat(switched.step().kind()).isEqualTo(Deployment.Kind.SWITCH);
    }

    @Test
    void aRolledBackDeploymentShowsWhereItEndedAndWhatItSkipped() throws Exception {
        Deployment d = Deployments.rollback(canary(), "bad", T0);
        Deployment.Edit e = d.edit();
        e.specRestored = true;
        Deployment ended = Deployments.advance(e.done(T0), new Deployments.View(4, Map.of("r1", 4), Map.of("r1", 4), Map.of(),
                Map.of()), T0.plusSeconds(5), judge);
        assertThat(ended.state()).isEqualTo(State.ROLLED_BACK);

        assertThat(DeploymentView.status(ended, 0)).isEqualTo("rolled-back");
        assertThat(DeploymentView.status(ended, 1)).isEqualTo("skipped");
        assertThat(DeploymentView.status(d, 0)).isEqualTo("rolling-back");
        assertThat(DeploymentView.status(canary(), 1)).isEqualTo("pending");
    }

    @Test
    void theRecordTheRunnerWritesIsTheOneTheKitReads() throws Exception {
        Map<String, Integer> wanted = Map.of("1.0", 90, "2.0", 10);
        io.remit.registry.discovery.TrafficSplit read = io.remit.registry.discovery.TrafficSplit.fromJson("payments",
                TrafficRecords.json(wanted).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(read.versions()).isEqualTo(wanted);
        // Blue/green's preview names the new version at 0: still a valid split.
        assertThat(io.remit.registry.discovery.TrafficSplit.fromJson("payments", TrafficRecords.json(Map.of("1.0", 100, "2.0", 0))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).versions()).containsEntry("2.0", 0);
    }
}
