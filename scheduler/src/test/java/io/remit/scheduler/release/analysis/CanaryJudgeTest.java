package io.remit.scheduler.release.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import io.remit.scheduler.observe.MetricQuery;
import io.remit.scheduler.observe.PrometheusQuery;
import io.remit.scheduler.release.analysis.Verdict.Check;
import io.remit.scheduler.release.analysis.Verdict.Outcome;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Verdicts on traffic served by fake instances, read through {@link FakePrometheus}. */
class CanaryJudgeTest {

    static final Instant FROM = Instant.parse("2024-05-01T12:00:00Z");
    static final Instant TO = FROM.plusSeconds(300);
    static final Cohorts COHORTS = new Cohorts("payments", Set.of("payments.b1", "payments.b2"), Set.of("payments.c1"));

    final FakePrometheus prometheus = new FakePrometheus();
    final CanaryJudge judge = new CanaryJudge(prometheus);

    /** Latencies from 20 to 56 ms, each tenth request of the ten. */
    static double usual(int i) {
        return 0.020 + (i % 10) * 0.004;
    }

    /** 1000 requests on each baseline instance, one in 500 answered 500. */
    void baseline(String path) {
        for (String id : COHORTS.baseline()) {
            prometheus.serve("payments", id, FROM, TO, 1000, "GET", path, i -> i % 500 == 0 ? 500 : 200, CanaryJudgeTest::usual);
        }
    }

    static AnalysisSpec spec(String yaml) throws Exception {
        AnalysisValidator.Result r = AnalysisValidator.bind(io.remit.scheduler.spec.SpecParser.readYaml(yaml), "analysis");
        assertThat(r.violations()).isEmpty();
        return r.spec();
    }

    static Check check(Verdict v, String name) {
        return v.checks().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + name + " in " + v.checks()));
    }

    @Test
    void aCanaryAnsweringAFifthOfItsRequestsWith500FailsTheErrorRateWithBothNumbers() {
        baseline("/rates");
        prometheus.serve("payments", "payments.c1", FROM, TO, 500, "GET", "/rates", i -> i % 5 == 0 ? 500 : 200,
                CanaryJudgeTest::usual);

        Verdict v = judge.judge(AnalysisSpec.errorRateOnly(0.01, null), COHORTS, FROM, TO);

        assertThat(v.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(v.canaryRequests()).isEqualTo(500);
        assertThat(v.baselineRequests()).isEqualTo(2000);
        Check errors = check(v, "errorRate");
        assertThat(errors.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(errors.passed()).isFalse();
        assertThat(errors.canary()).isCloseTo(0.2, offset(1e-9));
        assertThat(errors.baseline()).isCloseTo(0.002, offset(1e-9));
        assertThat(errors.threshold()).isEqualTo(0.01);
        assertThat(errors.thresholdKind()).isEqualTo("max");
        assertThat(errors.summary()).isEqualTo("error rate 20% on the canary against 0.2% on the baseline, above the maximum 1%");
        assertThat(v.reason()).startsWith("errorRate failed: error rate 20% on the canary against 0.2% on the baseline, "
                + "above the maximum 1%");
        assertThat(v.failed()).extracting(Check::name).containsExactly("errorRate");
        assertThat(v.notes()).containsExactly("every request was on GET /rates: the overall checks are its own");
    }

    @Test
    void theAllowedIncreaseOverTheBaselineIsTheTighterLimitWhenTheBaselineIsClean() {
        baseline("/rates");
        // 9 in 1000: below the 1% maximum, but above the baseline's 0.2% plus 0.5%
        prometheus.serve("payments", "payments.c1", FROM, TO, 1000, "GET", "/rates", i -> i % 112 == 0 ? 503 : 200,
                CanaryJudgeTest::usual);

        Verdict v = judge.judge(AnalysisSpec.errorRateOnly(0.01, 0.005), COHORTS, FROM, TO);

        Check errors = check(v, "errorRate");
        assertThat(v.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(errors.thresholdKind()).isEqualTo("maxIncrease");
        assertThat(errors.threshold()).isCloseTo(0.007, offset(1e-12));
        assertThat(errors.summary()).isEqualTo("error rate 0.9% on the canary against 0.2% on the baseline, above the "
                + "baseline's plus the allowed increase of 0.5% (0.7%)");
    }

    @Test
    void aGoodCanaryPassesEveryCheckAndTheLatencyTestFindsNoDifference() throws Exception {
        baseline("/rates");
        prometheus.serve("payments", "payments.c1", FROM, TO, 1000, "GET", "/rates", i -> i % 500 == 0 ? 500 : 200,
                CanaryJudgeTest::usual);

        Verdict v = judge.judge(spec("""
                errorRate: {max: 0.01, maxIncrease: 0.005}
                p50Ms: {max: 200, maxRatio: 1.2}
                p99Ms: {max: 500, maxRatio: 1.2}
                """), COHORTS, FROM, TO);

        assertThat(v.outcome()).as(v.reason()).isEqualTo(Outcome.PASS);
        assertThat(v.checks()).extracting(Check::name).containsExactly("errorRate", "p50Ms", "p99Ms");
        assertThat(v.checks()).allMatch(Check::passed);
        assertThat(v.reason()).isEqualTo("all 3 checks passed, over 1000 requests on the canary and 2000 on the baseline");
        Check p99 = check(v, "p99Ms");
        assertThat(p99.unit()).isEqualTo("ms");
        // a fifth of the requests take 52 or 56 ms: the 99th falls in the 50-100 ms bucket, 0.95 of the way
        assertThat(p99.canary()).isCloseTo(97.5, offset(1e-6));
        assertThat(p99.test().canarySamples()).isEqualTo(30);
        assertThat(p99.test().baselineSamples()).isEqualTo(30);
        assertThat(p99.test().pValue()).isGreaterThan(0.05);
        assertThat(p99.test().significant()).isFalse();
        assertThat(p99.summary()).contains("within the maximum 500 ms; per 10s interval the canary's median")
                .contains("(Mann-Whitney p ");
    }

    @Test
    void aCanaryTwiceAsSlowFailsThePercentileByTheMannWhitneyTest() throws Exception {
        baseline("/rates");
        prometheus.serve("payments", "payments.c1", FROM, TO, 1000, "GET", "/rates", i -> 200, i -> 2 * usual(i));

        Verdict v = judge.judge(spec("p99Ms: {maxRatio: 1.2}"), COHORTS, FROM, TO);

        assertThat(v.outcome()).isEqualTo(Outcome.FAIL);
        Check p99 = check(v, "p99Ms");
        assertThat(p99.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(p99.thresholdKind()).isEqualTo("maxRatio");
        assertThat(p99.threshold()).isCloseTo(p99.baseline() * 1.2, offset(1e-9));
        assertThat(p99.canary()).isGreaterThan(p99.baseline() * 1.2);
        assertThat(p99.test().significant()).isTrue();
        assertThat(p99.test().pValue()).isLessThan(0.001);
        assertThat(p99.test().u()).isEqualTo(900.0); // every canary interval slower than every baseline one
        assertThat(p99.test().canaryMedian()).isGreaterThan(p99.test().baselineMedian() * 1.2);
        assertThat(p99.summary()).contains("above the allowed 1.2x, and significantly higher (Mann-Whitney p < 0.0001)");
    }

    @Test
    void withTooFewIntervalsForTheTestTheRatioOfTheWindowDecidesAndTheCheckSaysSo() throws Exception {
        Instant to = FROM.plusSeconds(60);
        for (String id : COHORTS.baseline()) {
            prometheus.serve("payments", id, FROM, to, 300, "GET", "/rates", i -> 200, CanaryJudgeTest::usual);
        }
        prometheus.serve("payments", "payments.c1", FROM, to, 300, "GET", "/rates", i -> 200, i -> 2 * usual(i));

        Verdict v = judge.judge(spec("p99Ms: {maxRatio: 1.2}"), COHORTS, FROM, to);

        Check p99 = check(v, "p99Ms");
        assertThat(p99.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(p99.test().u()).isNull();
        assertThat(p99.test().pValue()).isNull();
        assertThat(p99.test().canarySamples()).isEqualTo(6);
        assertThat(p99.summary()).contains("above the allowed 1.2x (too few 10s intervals for the Mann-Whitney test: "
                + "6 on the canary, 6 on the baseline, 8 needed on each)");
    }

    @Test
    void tooFewRequestsOnEitherSideIsInconclusive() {
        baseline("/rates");
        prometheus.serve("payments", "payments.c1", FROM, TO, 30, "GET", "/rates", i -> 500, CanaryJudgeTest::usual);

        Verdict v = judge.judge(AnalysisSpec.errorRateOnly(0.01, null), COHORTS, FROM, TO);

        assertThat(v.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(v.reason()).isEqualTo("too few requests to judge: the canary served 30 in the window and the baseline "
                + "2000; minRequests asks 50 of each");
        assertThat(v.checks()).isEmpty();
        assertThat(v.canaryRequests()).isEqualTo(30);
    }

    @Test
    void withoutPrometheusThereIsNoVerdictAndTheReasonSaysWhy() throws Exception {
        prometheus.down("Prometheus at http://127.0.0.1:9 is not reachable: ConnectException");

        Verdict v = judge.judge(AnalysisSpec.errorRateOnly(0.01, null), COHORTS, FROM, TO);

        assertThat(v.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(v.reason()).isEqualTo("metrics unavailable: Prometheus at http://127.0.0.1:9 is not reachable: ConnectException");
        assertThat(new CanaryJudge(MetricQuery.NONE).judge(AnalysisSpec.errorRateOnly(0.01, null), COHORTS, FROM, TO).reason())
                .isEqualTo("metrics unavailable: no Prometheus is configured (prometheus.url in the scheduler's configuration)");
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Verdict refused = new CanaryJudge(new PrometheusQuery(URI.create("http://127.0.0.1:" + closed), Duration.ofSeconds(2)))
                .judge(AnalysisSpec.errorRateOnly(0.01, null), COHORTS, FROM, TO);
        assertThat(refused.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(refused.reason()).startsWith("metrics unavailable: Prometheus at http://127.0.0.1:" + closed + " is not reachable");
        assertThat(refused.source()).isEqualTo("http://127.0.0.1:" + closed);
    }

    @Test
    void cohortsAreToldApartByTheirInstancesWhateverTheirIdsContain() {
        // Same version on both sides; ids with regular expression characters: unescaped, the
        // canary's "payments.1+a" would also match the baseline's "payments.1a" and "payments.11a".
        Cohorts cohorts = new Cohorts("payments", Set.of("payments.1a", "payments.11a"), Set.of("payments.1+a"));
        for (String id : cohorts.baseline()) {
            prometheus.serve("payments", id, FROM, TO, 1000, "GET", "/rates", i -> 200, CanaryJudgeTest::usual);
        }
        prometheus.serve("payments", "payments.1+a", FROM, TO, 500, "GET", "/rates", i -> i % 5 == 0 ? 500 : 200,
                CanaryJudgeTest::usual);
        // Another service's instance with a matching id is not counted either.
        prometheus.serve("fx", "payments.1+a", FROM, TO, 500, "GET", "/rates", i -> 200, CanaryJudgeTest::usual);

        Verdict v = judge.judge(AnalysisSpec.errorRateOnly(0.01, null), cohorts, FROM, TO);

        assertThat(v.canaryRequests()).isEqualTo(500);
        assertThat(v.baselineRequests()).isEqualTo(2000);
        assertThat(check(v, "errorRate").canary()).isCloseTo(0.2, offset(1e-9));
        assertThat(check(v, "errorRate").baseline()).isZero();
        assertThat(prometheus.asked).anyMatch(q -> q.contains("{service=\"payments\",instance=~\"payments\\\\.1\\\\+a\"}"));
    }

    @Test
    void eachEndpointWithEnoughTrafficIsJudgedOnItsOwn() {
        for (String id : COHORTS.baseline()) {
            prometheus.serve("payments", id, FROM, TO, 2000, "GET", "/rates", i -> 200, CanaryJudgeTest::usual)
                    .serve("payments", id, FROM, TO, 100, "POST", "/payments", i -> i == 0 ? 500 : 200, CanaryJudgeTest::usual)
                    .serve("payments", id, FROM, TO, 10, "GET", "/health", i -> 200, CanaryJudgeTest::usual);
        }
        prometheus.serve("payments", "payments.c1", FROM, TO, 2000, "GET", "/rates", i -> 200, CanaryJudgeTest::usual)
                .serve("payments", "payments.c1", FROM, TO, 100, "POST", "/payments", i -> i % 10 < 3 ? 502 : 201,
                        CanaryJudgeTest::usual)
                .serve("payments", "payments.c1", FROM, TO, 10, "GET", "/health", i -> 200, CanaryJudgeTest::usual)
                .serve("payments", "payments.c1", FROM, TO, 60, "POST", "/quotes", i -> 200, CanaryJudgeTest::usual);

        Verdict v = judge.judge(AnalysisSpec.errorRateOnly(0.05, null), COHORTS, FROM, TO);

        assertThat(check(v, "errorRate").outcome()).as("30 in 2170 overall").isEqualTo(Outcome.PASS);
        assertThat(v.outcome()).isEqualTo(Outcome.FAIL);
        Check payments = check(v, "errorRate POST /payments");
        assertThat(payments.endpoint()).isEqualTo("POST /payments");
        assertThat(payments.summary()).isEqualTo("error rate of POST /payments 30% on the canary against 1% on the "
                + "baseline, above the maximum 5%");
        assertThat(v.failed()).containsExactly(payments);
        assertThat(check(v, "errorRate POST /quotes").baseline()).isNull();
        assertThat(v.checks()).extracting(Check::name).doesNotContain("errorRate GET /health");
        assertThat(v.notes()).containsExactly(
                "POST /quotes: the baseline served 0 requests on it, too few to compare with; only the maximums hold there",
                "judged only with all endpoints together, the canary having served fewer than 50 requests on each: GET /health (10)");
    }

    @Test
    void anExtraMetricAboveItsRatioFailsOnlyWhenSignificantlyHigher() throws Exception {
        baseline("/rates");
        prometheus.serve("payments", "payments.c1", FROM, TO, 1000, "GET", "/rates", i -> 200, CanaryJudgeTest::usual);
        // The canary's queue alternates between 1 and 10 (median 5.5, 1.375x the baseline's 4) but is
        // as often below the baseline as above: not significant. Its heap is steadily 1.5x: significant
        // and above. Its threads are steadily 1.1x: significant, but within the ratio.
        for (String id : COHORTS.baseline()) {
            prometheus.gauge("queue_depth", "payments", id, (i, t) -> 4.0).gauge("heap_bytes", "payments", id, (i, t) -> 100.0)
                    .gauge("threads", "payments", id, (i, t) -> 100.0);
        }
        prometheus.gauge("queue_depth", "payments", "payments.c1", (i, t) -> t.getEpochSecond() / 10 % 2 == 0 ? 1.0 : 10.0)
                .gauge("heap_bytes", "payments", "payments.c1", (i, t) -> 150.0)
                .gauge("threads", "payments", "payments.c1", (i, t) -> 110.0);

        Verdict v = judge.judge(spec("""
                metrics:
                  - {name: queueDepth, query: "avg(queue_depth{{selector}})", maxRatio: 1.2}
                  - {name: heap, query: "avg(heap_bytes{{selector}})", max: 1000, maxRatio: 1.2}
                  - {name: threads, query: "avg(threads{{selector}})", maxRatio: 1.2}
                """), COHORTS, FROM, TO);

        Check queue = check(v, "queueDepth");
        assertThat(queue.outcome()).isEqualTo(Outcome.PASS);
        assertThat(queue.canary()).isCloseTo(5.5, offset(1e-9));
        assertThat(queue.baseline()).isCloseTo(4, offset(1e-9));
        assertThat(queue.unit()).isNull();
        assertThat(queue.test().pValue()).isEqualTo(1);
        assertThat(queue.summary()).isEqualTo("queueDepth 5.5 on the canary against 4 on the baseline; per 10s interval the "
                + "canary's median 5.5 is 1.38x the baseline's 4, above the allowed 1.2x, but not significantly higher "
                + "(Mann-Whitney p = 1)");
        Check heap = check(v, "heap");
        assertThat(heap.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(heap.canary()).isEqualTo(150);
        assertThat(heap.baseline()).isEqualTo(100);
        assertThat(heap.threshold()).isCloseTo(120, offset(1e-9));
        assertThat(heap.thresholdKind()).isEqualTo("maxRatio");
        assertThat(heap.summary()).isEqualTo("heap 150 on the canary against 100 on the baseline, within the maximum 1000; "
                + "per 10s interval the canary's median 150 is 1.5x the baseline's 100, above the allowed 1.2x, and "
                + "significantly higher (Mann-Whitney p < 0.0001)");
        Check threads = check(v, "threads");
        assertThat(threads.outcome()).isEqualTo(Outcome.PASS);
        assertThat(threads.test().significant()).isTrue();
        assertThat(threads.summary()).endsWith("is 1.1x the baseline's 100, within the allowed 1.2x, though significantly "
                + "higher (Mann-Whitney p < 0.0001)");
        assertThat(v.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(v.failed()).containsExactly(heap);
    }

    @Test
    void anExtraMetricThatCannotBeReadLeavesTheVerdictOpen() throws Exception {
        baseline("/rates");
        prometheus.serve("payments", "payments.c1", FROM, TO, 1000, "GET", "/rates", i -> 200, CanaryJudgeTest::usual);
        for (String id : COHORTS.baseline()) {
            prometheus.gauge("queue_depth", "payments", id, (i, t) -> 4.0).gauge("heap_bytes", "payments", id, (i, t) -> 100.0);
        }
        prometheus.gauge("queue_depth", "payments", "payments.c1", (i, t) -> 4.0);

        Verdict v = judge.judge(spec("""
                errorRate: {max: 0.01}
                metrics:
                  - {name: perInstance, query: "queue_depth{{selector}}", maxRatio: 1.5}
                  - {name: queueDepth, query: "avg(queue_depth{{selector}})", max: 10}
                  - {name: heap, query: "avg(heap_bytes{{selector}})", max: 1000}
                """), COHORTS, FROM, TO);

        assertThat(v.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(check(v, "errorRate").passed()).isTrue();
        assertThat(check(v, "queueDepth").passed()).isTrue();
        assertThat(check(v, "perInstance").summary()).isEqualTo("no value for the baseline: its query gives 2 series; "
                + "it must give one (aggregate it, e.g. with sum or avg)");
        assertThat(check(v, "heap").summary()).isEqualTo("no value for the canary: its query selects no series");
        assertThat(v.reason()).isEqualTo("no verdict yet: perInstance could not be judged: no value for the baseline: its "
                + "query gives 2 series; it must give one (aggregate it, e.g. with sum or avg); heap could not be judged: "
                + "no value for the canary: its query selects no series");
    }

    @Test
    void anInvalidAnalysisOrAnEmptyWindowIsTheCallersMistake() {
        AnalysisSpec nothing = new AnalysisSpec(null, 50, null, null, null, List.of());

        assertThatThrownBy(() -> judge.judge(nothing, COHORTS, FROM, TO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("analysis: names no check");
        assertThatThrownBy(() -> judge.judge(AnalysisSpec.errorRateOnly(0.01, null), COHORTS, TO, TO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must end after it starts");
        assertThatThrownBy(() -> new Cohorts("payments", Set.of(), Set.of("c"))).hasMessageContaining("the baseline has no instances");
        assertThatThrownBy(() -> new Cohorts("payments", Set.of("a", "b"), Set.of("b")))
                .hasMessageContaining("instance b is in both");
    }
}
