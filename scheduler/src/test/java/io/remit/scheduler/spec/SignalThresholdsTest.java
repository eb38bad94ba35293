package io.remit.scheduler.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SignalThresholdsTest {

    private static final String BASE = """
            {"id":"fx","version":"1","artifacts":["file:///srv/fx.jar"],"resources":{"cpus":1,"memMb":64,"ports":["admin"]}%s}""";

    @Test
    void aSpecCarriesItsThresholdsAndWritesThemBack() throws Exception {
        ServiceSpec s = SpecParser.parseJson(BASE.formatted(",\"signals\":{\"maxErrorRatio\":0.01,\"maxP99\":\"1500ms\"}"));

        assertThat(s.signals()).isEqualTo(new SignalThresholds(0.01, Duration.ofMillis(1500)));
        assertThat(SpecParser.parseJson(SpecParser.toJson(s))).isEqualTo(s);
        assertThat(SpecParser.toPublicTree(s).path("signals").path("maxP99").asText()).isEqualTo("PT1.5S");
    }

    @Test
    void withoutThemTheSchedulersDefaultsHoldAndNothingIsWritten() throws Exception {
        ServiceSpec s = SpecParser.parseJson(BASE.formatted(""));

        assertThat(s.signals().isNone()).isTrue();
        assertThat(SpecParser.toJson(s)).doesNotContain("signals");
    }

    @Test
    void changingThemDoesNotReplaceInstances() throws Exception {
        ServiceSpec plain = SpecParser.parseJson(BASE.formatted(""));
        ServiceSpec strict = plain.withSignals(new SignalThresholds(0.001, Duration.ofMillis(100)));

        assertThat(strict.revision()).isEqualTo(plain.revision());
        assertThat(strict).isNotEqualTo(plain);
        assertThat(plain.withVersion("2").revision()).isNotEqualTo(plain.revision());
    }

    @Test
    void everyBadThresholdIsNamed() {
        assertThatThrownBy(() -> SpecParser.parseJson(BASE.formatted(
                ",\"signals\":{\"maxErrorRatio\":5,\"maxP99\":\"0s\",\"p50\":1}")))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.violations())
                        .extracting(Violation::toString).containsExactlyInAnyOrder(
                                "signals.maxErrorRatio: must be a share from 0 to 1 (0.01 is 1%), got 5.0",
                                "signals.maxP99: must be greater than 0",
                                "signals.p50: unknown field (known: maxErrorRatio, maxP99)"));
        assertThatThrownBy(() -> SpecParser.parseJson(BASE.formatted(",\"signals\":{\"maxP99\":\"soon\"}")))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.violations())
                        .extracting(Violation::toString).containsExactly(
                                "signals.maxP99: must be a duration such as 500ms, 5s, 2m or PT5S, got string \"soon\""));
    }
}
