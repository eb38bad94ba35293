package io.remit.scheduler.release.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.scheduler.spec.SpecParser;
import io.remit.scheduler.spec.Violation;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnalysisValidatorTest {

    static final String BASE = "deployment.analysis";

    static final String FULL = """
            interval: 15s
            minRequests: 100
            errorRate: {max: 0.01, maxIncrease: 0.005}
            p50Ms: {maxRatio: 1.3}
            p99Ms: {max: 500, maxRatio: 1.2}
            metrics:
              - name: gcPauseShare
                query: sum(rate(jvm_gc_collection_seconds_sum{{selector}}[1m]))
                max: 0.05
                maxRatio: 2
            """;

    private static List<String> problemsOf(String yaml) throws Exception {
        return AnalysisValidator.validate(SpecParser.readYaml(yaml), BASE).stream().map(Violation::toString).toList();
    }

    @Test
    void aFullAnalysisBindsToItsRecord() throws Exception {
        AnalysisValidator.Result r = AnalysisValidator.bind(SpecParser.readYaml(FULL), BASE);

        assertThat(r.violations()).isEmpty();
        assertThat(r.spec()).isEqualTo(new AnalysisSpec(Duration.ofSeconds(15), 100,
                new AnalysisSpec.ErrorRate(0.01, 0.005), new AnalysisSpec.Latency(null, 1.3),
                new AnalysisSpec.Latency(500.0, 1.2),
                List.of(new AnalysisSpec.Metric("gcPauseShare", "sum(rate(jvm_gc_collection_seconds_sum{{selector}}[1m]))",
                        0.05, 2.0))));
        assertThat(r.spec().metricNames()).containsExactly("errorRate", "p50Ms", "p99Ms", "gcPauseShare");
        assertThat(r.spec().knows("gcPauseShare")).isTrue();
        assertThat(r.spec().knows("p95Ms")).isFalse();
    }

    @Test
    void leftOutFieldsTakeTheirDefaults() throws Exception {
        AnalysisSpec a = AnalysisValidator.bind(SpecParser.readYaml("errorRate: {max: 0.02}"), BASE).spec();

        assertThat(a).isEqualTo(AnalysisSpec.errorRateOnly(0.02, null));
        assertThat(a.interval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(a.minRequests()).isEqualTo(50);
        assertThat(a.p99Ms()).isNull();
    }

    @Test
    void writtenAndReadBackItIsTheSame() throws Exception {
        AnalysisSpec a = AnalysisValidator.bind(SpecParser.readYaml(FULL), BASE).spec();

        assertThat(AnalysisValidator.bind(AnalysisJson.tree(a), BASE).spec()).isEqualTo(a);
    }

    @Test
    void listsEveryValueProblemAtOnceWithItsPath() throws Exception {
        List<String> problems = problemsOf("""
                interval: 500ms
                minRequests: -5
                errorRate: {max: 5, maxIncrease: -0.1}
                p50Ms: {}
                p99Ms: {max: -1, maxRatio: 0.8}
                metrics:
                  - {name: gcPauseShare, query: "sum(rate(jvm_gc_collection_seconds_sum[1m]))", max: 0.05}
                  - {name: errorRate, query: "x{{selector}}", max: 1}
                  - {name: "9lives", query: "x{{selector}}", maxRatio: 1.5}
                  - {name: gcPauseShare, query: "  ", max: -3}
                  - {name: queue, query: "max(q{{selector}})"}
                """);

        assertThat(problems).containsExactly(
                "deployment.analysis.interval: must be at least 1s, got 500ms",
                "deployment.analysis.minRequests: must be at least 1 (requests each cohort must have served before a verdict), got -5",
                "deployment.analysis.errorRate.max: must be a share from 0 to 1 (0.01 is 1%), got 5",
                "deployment.analysis.errorRate.maxIncrease: must be a share from 0 to 1 (0.01 is 1%), got -0.1",
                "deployment.analysis.p50Ms: needs a threshold: max, maxRatio or both, e.g. {max: 500, maxRatio: 1.2}",
                "deployment.analysis.p99Ms.max: must not be negative, got -1",
                "deployment.analysis.p99Ms.maxRatio: must be at least 1 (1.2 allows the canary 20% above the baseline), got 0.8",
                "deployment.analysis.metrics[0].query: must contain {{selector}}, where each cohort's series selector goes, "
                        + "e.g. sum(rate(jvm_gc_collection_seconds_sum{{selector}}[1m]))",
                "deployment.analysis.metrics[1].name: 'errorRate' is built in: set its thresholds under errorRate, "
                        + "or give your metric another name",
                "deployment.analysis.metrics[2].name: a metric name is 1-63 letters, digits or '_', starting with a letter",
                "deployment.analysis.metrics[3].name: duplicate metric name 'gcPauseShare'",
                "deployment.analysis.metrics[3].query: must not be empty",
                "deployment.analysis.metrics[3].max: must not be negative, got -3",
                "deployment.analysis.metrics[4]: needs a threshold: max, maxRatio or both, e.g. {max: 0.05} or {maxRatio: 1.5}");
    }

    @Test
    void unknownFieldsAndMetricsAreNamedWithWhatIsKnown() throws Exception {
        List<String> problems = problemsOf("""
                minRequest: 50
                errorRate: {max: 0.01, maxRatio: 2}
                p95Ms: {max: 300}
                queueDepth: {max: 10}
                metrics:
                  - {name: queueDepth, query: "max(q{{selector}})", maxRatio: 1.5, min: 0}
                """);

        assertThat(problems).containsExactly(
                "deployment.analysis.errorRate.maxRatio: unknown field (known: max, maxIncrease)",
                "deployment.analysis.metrics[0].min: unknown field (known: name, query, max, maxRatio)",
                "deployment.analysis.minRequest: unknown field (did you mean 'minRequests'? known: interval, minRequests, "
                        + "errorRate, p50Ms, p99Ms, metrics)",
                "deployment.analysis.p95Ms: unknown metric (known: errorRate, p50Ms, p99Ms, and under metrics: queueDepth); "
                        + "declare your own under metrics, with a PromQL query",
                "deployment.analysis.queueDepth: unknown metric (known: errorRate, p50Ms, p99Ms, and under metrics: queueDepth); "
                        + "'queueDepth' is declared under metrics: give its max and maxRatio there");
    }

    @Test
    void typeErrorsAreReportedOnceEach() throws Exception {
        List<String> problems = problemsOf("""
                interval: 10
                minRequests: 2.5
                errorRate: {max: "1%"}
                p99Ms: 500
                metrics:
                  - {query: "x{{selector}}", max: 1}
                  - "gc"
                  - {name: gc, query: 12, max: lots}
                """);

        assertThat(problems).containsExactly(
                "deployment.analysis.interval: must be a duration such as 10s, 1m or PT10S, got number 10",
                "deployment.analysis.minRequests: must be a whole number, got 2.5",
                "deployment.analysis.errorRate.max: must be a number, got string \"1%\"",
                "deployment.analysis.p99Ms: must be an object (a mapping), got number 500",
                "deployment.analysis.metrics[0].name: required",
                "deployment.analysis.metrics[1]: must be an object (a mapping), got string \"gc\"",
                "deployment.analysis.metrics[2].query: must be a string, got number 12",
                "deployment.analysis.metrics[2].max: must be a number, got string \"lots\"");
    }

    @Test
    void anAnalysisThatChecksNothingIsAProblem() throws Exception {
        assertThat(problemsOf("interval: 10s")).containsExactly(
                "deployment.analysis: names no check: give at least one of errorRate, p50Ms, p99Ms or metrics");
        assertThat(problemsOf("[errorRate]")).containsExactly(
                "deployment.analysis: must be an object (a mapping), got a list");
        assertThat(AnalysisValidator.validate((JsonNode) null, BASE)).extracting(Violation::toString).containsExactly(
                "deployment.analysis: must be an object (a mapping) of checks, e.g. {errorRate: {max: 0.01}}, got nothing");
    }

    @Test
    void anIntervalMustBeWholeSeconds() throws Exception {
        assertThat(problemsOf("{interval: 1500ms, errorRate: {max: 0.01}}"))
                .containsExactly("deployment.analysis.interval: must be whole seconds, got 1500ms");
    }

    @Test
    void aRecordBuiltInCodeIsCheckedByTheSameRules() {
        AnalysisSpec a = new AnalysisSpec(Duration.ofSeconds(10), 0, new AnalysisSpec.ErrorRate(null, null), null,
                new AnalysisSpec.Latency(0.0, null), List.of());

        assertThat(AnalysisValidator.validate(a, "analysis")).extracting(Violation::toString).containsExactly(
                "analysis.minRequests: must be at least 1 (requests each cohort must have served before a verdict), got 0",
                "analysis.errorRate: needs a threshold: max, maxIncrease or both, e.g. {max: 0.01, maxIncrease: 0.005}",
                "analysis.p99Ms.max: must be greater than 0 (milliseconds)");
        assertThat(AnalysisValidator.validate(AnalysisSpec.errorRateOnly(0.01, 0.005), "")).isEmpty();
        assertThat(AnalysisValidator.validate((AnalysisSpec) null, "deployment.analysis"))
                .extracting(Violation::toString).containsExactly("deployment.analysis: required");
    }
}
