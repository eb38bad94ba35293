package io.remit.scheduler.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeploymentSpecTest {

    private static final String BASE = """
            {"id":"fx","version":"1","artifacts":["file:///srv/fx.jar"],"instances":4,
             "resources":{"cpus":1,"memMb":64,"ports":["admin"]}%s}""";

    @Test
    void aCanaryIsReadWithItsStepsAndWrittenBack() throws Exception {
        ServiceSpec s = SpecParser.parseJson(BASE.formatted("""
                ,"deployment":{"strategy":"canary","maxSurge":"25%","progressDeadline":"2m",
                  "steps":[{"instances":1,"pause":"30s"},{"weight":50,"pause":"manual"},{"weight":100}],
                  "analysis":{"errorRate":{"max":0.01}}}"""));

        DeploymentSpec d = s.deployment();
        assertThat(d.strategy()).isEqualTo(DeploymentSpec.Strategy.CANARY);
        assertThat(d.maxSurge()).isEqualTo(new DeploymentSpec.Amount(25, true));
        assertThat(d.maxUnavailable()).isEqualTo(DeploymentSpec.Amount.ZERO);
        assertThat(d.progressDeadline()).isEqualTo(Duration.ofMinutes(2));
        assertThat(d.steps()).containsExactly(
                new DeploymentSpec.CanaryStep(1, null, Duration.ofSeconds(30), false),
                new DeploymentSpec.CanaryStep(null, 50, null, true),
                new DeploymentSpec.CanaryStep(null, 100, null, false));
        assertThat(d.steps()).extracting(step -> step.instancesOf(4)).containsExactly(1, 2, 4);
        assertThat(d.maxSurge().of(4, true)).isEqualTo(1);
        assertThat(d.analysis().path("errorRate").path("max").asDouble()).isEqualTo(0.01);
        assertThat(SpecParser.parseJson(SpecParser.toJson(s))).isEqualTo(s);
    }

    @Test
    void withoutOneTodaysRollingHoldsAndChangingItRestartsNothing() throws Exception {
        ServiceSpec s = SpecParser.parseJson(BASE.formatted(""));

        assertThat(s.deployment()).isEqualTo(DeploymentSpec.DEFAULT);
        assertThat(SpecParser.toJson(s)).doesNotContain("deployment");
        ServiceSpec canary = s.withDeployment(new DeploymentSpec(DeploymentSpec.Strategy.CANARY, null, null, null,
                List.of(new DeploymentSpec.CanaryStep(1, null, null, true)), null));
        assertThat(canary.revision()).isEqualTo(s.revision());
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        assertThatThrownBy(() -> SpecParser.parseJson(BASE.formatted("""
                ,"deployment":{"strategy":"canary","maxSurge":0,"maxUnavailable":"0%","progressDeadline":"0s",
                  "steps":[{"pause":"1m"},{"weight":150},{"instances":9,"weight":10},{"instances":1,"pause":"soon"},
                           {"instances":1,"hold":true}]}""")))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.violations())
                        .extracting(Violation::toString).containsExactlyInAnyOrder(
                                "deployment.maxSurge: maxSurge and maxUnavailable cannot both be 0: nothing could be replaced",
                                "deployment.progressDeadline: must be greater than 0",
                                "deployment.steps[0]: needs instances (a count of new instances) or weight (a share of the count, 1-100)",
                                "deployment.steps[1].weight: must be a percentage from 1 to 100, got 150",
                                "deployment.steps[2]: give instances or weight, not both",
                                "deployment.steps[2].instances: must be from 1 to the service's instances (4)",
                                "deployment.steps[3].pause: must be a duration such as 500ms, 5s, 2m or PT5S, got string \"soon\"",
                                "deployment.steps[4].hold: unknown field (known: instances, weight, pause)"));
        assertThatThrownBy(() -> SpecParser.parseJson(BASE.formatted(",\"deployment\":{\"strategy\":\"blue\",\"maxSurge\":\"lots\"}")))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.violations())
                        .extracting(Violation::toString).containsExactlyInAnyOrder(
                                "deployment.strategy: unknown strategy 'blue' (known: rolling, canary, blueGreen)",
                                "deployment.maxSurge: must be a whole number or a percentage such as \"25%\", got string \"lots\""));
        assertThatThrownBy(() -> SpecParser.parseJson(BASE.formatted(",\"deployment\":{\"strategy\":\"canary\"}")))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.violations())
                        .extracting(Violation::toString).containsExactly(
                                "deployment.steps: a canary needs at least one step, e.g. [{instances: 1, pause: 1m}]"));
    }

    @Test
    void theAnalysisIsValidatedWithTheSpecAndOnlyForACanary() {
        assertThatThrownBy(() -> SpecParser.parseJson(BASE.formatted("""
                ,"deployment":{"strategy":"canary","steps":[{"weight":150}],
                  "analysis":{"errorRate":{"max":2},"latency":{"max":1}}}""")))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.violations())
                        .extracting(Violation::path).contains(
                                "deployment.steps[0].weight", "deployment.analysis.errorRate.max", "deployment.analysis.latency"));
        assertThatThrownBy(() -> SpecParser.parseJson(BASE.formatted(",\"deployment\":{\"analysis\":{\"errorRate\":{\"max\":0.01}}}")))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.violations())
                        .extracting(Violation::toString).containsExactly(
                                "deployment.analysis: the analysis runs between canary steps or after a blueGreen switch: give strategy canary or blueGreen"));
    }

    @Test
    void aBlueGreenIsReadWithItsPreviewPauseAndKeepOldAndWrittenBack() throws Exception {
        ServiceSpec s = SpecParser.parseJson(BASE.formatted("""
                ,"deployment":{"strategy":"blueGreen","previewPause":"manual","keepOld":"2m",
                  "analysis":{"errorRate":{"max":0.01}}}"""));

        DeploymentSpec d = s.deployment();
        assertThat(d.strategy()).isEqualTo(DeploymentSpec.Strategy.BLUE_GREEN);
        assertThat(d.previewManual()).isTrue();
        assertThat(d.keepOldOrDefault()).isEqualTo(java.time.Duration.ofMinutes(2));
        assertThat(SpecParser.parseJson(SpecParser.toJson(s))).isEqualTo(s);
        assertThat(SpecParser.toJson(s)).contains("\"strategy\":\"blueGreen\"");
        assertThat(SpecParser.parseJson(BASE.formatted(",\"deployment\":{\"strategy\":\"bluegreen\"}")).deployment()
                .keepOldOrDefault()).as("default keepOld").isEqualTo(DeploymentSpec.DEFAULT_KEEP_OLD);
    }

    @Test
    void blueGreenSettingsAreRefusedWhereTheyMeanNothing() {
        assertThatThrownBy(() -> SpecParser.parseJson(BASE.formatted("""
                ,"deployment":{"strategy":"canary","steps":[{"instances":1}],"previewPause":"1m","keepOld":"1m"}""")))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.violations())
                        .extracting(Violation::toString).containsExactlyInAnyOrder(
                                "deployment.previewPause: is for strategy blueGreen (a canary pauses in its steps)",
                                "deployment.keepOld: is for strategy blueGreen"));
        assertThatThrownBy(() -> SpecParser.parseJson(BASE.formatted("""
                ,"deployment":{"strategy":"blueGreen","steps":[{"instances":1}],"keepOld":"0s","previewPause":"0s",
                  "analysis":{"errorRate":{"max":0.01}}}""")))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.violations())
                        .extracting(Violation::toString).containsExactlyInAnyOrder(
                                "deployment.steps: steps are for strategy canary; blueGreen switches all at once (see previewPause, keepOld)",
                                "deployment.previewPause: must be greater than 0, or manual",
                                "deployment.keepOld: the analysis judges the new version while the old is kept: keepOld must be greater than 0"));
    }
}
