package io.remit.scheduler.marathon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.remit.scheduler.release.Deployment;
import io.remit.scheduler.release.Deployments;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.spec.SpecParser;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Remit's deployments in Marathon's shape, and which of them Marathon would list. */
class MarathonDeploymentsTest {

    static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    static ServiceSpec spec(String deployment) throws Exception {
        return SpecParser.parseJson("""
                {"id":"web","version":"2","command":"exec ./web","instances":4,
                 "resources":{"cpus":0.1,"memMb":64,"ports":["http"]},
                 "healthCheck":{"path":"/","port":"http"},"deployment":%s}""".formatted(deployment));
    }

    static final Deployments.Judge NO_ANALYSIS = (d, baseline, canary, from, to) -> {
        throw new AssertionError("no analysis is configured");
    };

    /** A canary of 1 then 2 new instances (no pause), then the promotion, from revision "old". */
    static Deployment canary() throws Exception {
        ServiceSpec s = spec("""
                {"strategy":"canary","steps":[{"instances":1},{"weight":50}]}""");
        return Deployments.create("web-41", s, "old", "1", "{the old spec}", T0, null, null, "remit");
    }

    /** What runs: all four old instances and {@code healthyNew} new ones, healthy. */
    static Deployments.View view(Deployment d, int healthyNew) {
        return new Deployments.View(4, Map.of("old", 4, d.to(), healthyNew), Map.of("old", 4, d.to(), healthyNew),
                Map.of(), Map.of());
    }

    @Test
    void aRunningCanaryIsOneMarathonStepPerRemitStepAtItsCurrentOne() throws Exception {
        Deployment d = canary();

        ObjectNode shown = MarathonDeployments.of(d);

        assertThat(shown.path("id").asText()).isEqualTo("web-41");
        assertThat(shown.path("version").asText()).isEqualTo("2026-12-07T10:00:00.000Z");
        assertThat(shown.path("affectedApps").toString()).isEqualTo("[\"/web\"]");
        assertThat(shown.path("affectedPods").toString()).isEqualTo("[]");
        assertThat(shown.path("steps").toString()).isEqualTo("[{\"actions\":[{\"action\":\"RestartApplication\",\"app\":\"/web\"}]},"
                + "{\"actions\":[{\"action\":\"RestartApplication\",\"app\":\"/web\"}]},"
                + "{\"actions\":[{\"action\":\"RestartApplication\",\"app\":\"/web\"}]}]");
        assertThat(shown.path("currentActions").toString())
                .isEqualTo("[{\"action\":\"RestartApplication\",\"app\":\"/web\",\"readinessCheckResults\":[]}]");
        assertThat(shown.path("currentStep").asInt()).isEqualTo(1);
        assertThat(shown.path("totalSteps").asInt()).isEqualTo(3);

        Deployment reached = Deployments.advance(d, view(d, 1), T0.plusSeconds(5), NO_ANALYSIS);
        Deployment second = Deployments.advance(reached, view(reached, 1), T0.plusSeconds(6), NO_ANALYSIS);
        assertThat(MarathonDeployments.of(second).path("currentStep").asInt()).isEqualTo(2);
        assertThat(MarathonDeployments.of(second).path("id").asText()).as("the id stays").isEqualTo("web-41");
    }

    @Test
    void listedWhileRunningOrPausedTowardsTheAppsDefinitionOrRollingBackNeverOnceOver() throws Exception {
        Deployment d = canary();
        String to = d.to();

        assertThat(MarathonDeployments.inProgress(d, to)).isTrue();
        assertThat(MarathonDeployments.inProgress(Deployments.pause(d, "ops", T0.plusSeconds(1)), to)).isTrue();
        assertThat(MarathonDeployments.inProgress(d, "a-newer-definition")).as("superseded by a newer change").isFalse();
        Deployment rollingBack = Deployments.rollback(d, "rolled back by ops", T0.plusSeconds(2));
        assertThat(MarathonDeployments.inProgress(rollingBack, to)).isTrue();
        assertThat(MarathonDeployments.inProgress(rollingBack, "old")).as("the old spec is back, the old instances not yet").isTrue();
        assertThat(MarathonDeployments.inProgress(Deployments.abort(d, Map.of("old", 4), "aborted", T0.plusSeconds(3)), to))
                .isFalse();
        ServiceSpec rolling = spec("{}");
        Deployment promoted = Deployments.create("web-42", rolling, "old", "1", "{the old spec}", T0, null, null, "remit");
        Deployment healthy = Deployments.advance(promoted, new Deployments.View(4, Map.of(promoted.to(), 4),
                Map.of(promoted.to(), 4), Map.of(), Map.of()), T0.plusSeconds(1), NO_ANALYSIS);
        Deployment succeeded = Deployments.advance(healthy, new Deployments.View(4, Map.of(promoted.to(), 4),
                Map.of(promoted.to(), 4), Map.of(), Map.of()), T0.plusSeconds(2), NO_ANALYSIS);
        assertThat(succeeded.state()).isEqualTo(Deployment.State.SUCCEEDED);
        assertThat(MarathonDeployments.inProgress(succeeded, promoted.to())).isFalse();
    }

    @Test
    void aRollbackIsListedAsTheNewDeploymentThatRevertsItFromWhenItBegan() throws Exception {
        Deployment d = Deployments.rollback(canary(), "rolled back by ops", T0.plusSeconds(90));

        ObjectNode shown = MarathonDeployments.of(d);

        assertThat(shown.path("id").asText()).isEqualTo("web-41-rollback");
        assertThat(shown.path("version").asText()).isEqualTo("2026-12-07T10:01:30.000Z");
        assertThat(shown.path("steps").size()).isEqualTo(1);
        assertThat(shown.path("currentStep").asInt()).isEqualTo(1);
        assertThat(shown.path("totalSteps").asInt()).isEqualTo(1);
        assertThat(MarathonDeployments.named("web-41-rollback")).isEqualTo(new MarathonDeployments.Named("web-41", true));
        assertThat(MarathonDeployments.named("web-41")).isEqualTo(new MarathonDeployments.Named("web-41", false));
        assertThat(MarathonDeployments.named("-rollback")).isEqualTo(new MarathonDeployments.Named("-rollback", false));
    }

    @Test
    void whatTheEngineDoesAloneIsOneStepNamedByWhatItDoes() {
        assertThat(MarathonDeployments.engineAction(0, false)).isEqualTo("StartApplication");
        assertThat(MarathonDeployments.engineAction(3, false)).isEqualTo("ScaleApplication");
        assertThat(MarathonDeployments.engineAction(3, true)).isEqualTo("RestartApplication");

        ObjectNode shown = MarathonDeployments.engine(MarathonDeployments.id("web", 1234), "web", "2026-12-07T10:00:00.000Z",
                "ScaleApplication");
        assertThat(shown.path("id").asText()).isEqualTo("web-1234");
        assertThat(shown.path("steps").toString()).isEqualTo("[{\"actions\":[{\"action\":\"ScaleApplication\",\"app\":\"/web\"}]}]");
        assertThat(shown.path("currentStep").asInt()).isEqualTo(1);
        assertThat(shown.path("totalSteps").asInt()).isEqualTo(1);
        assertThat(List.of("id", "version", "affectedApps", "affectedPods", "steps", "currentActions", "currentStep",
                "totalSteps")).allMatch(shown::has);
    }
}
