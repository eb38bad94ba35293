package io.remit.scheduler.release.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.dropwizard.jackson.Jackson;
import io.remit.scheduler.release.analysis.Verdict.Outcome;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A verdict as a deployment stores it and the UI reads it. */
class VerdictJsonTest {

    /** As the scheduler's store maps its records (state/Json). */
    static final ObjectMapper STORE = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    static Verdict failedCanary() throws Exception {
        FakePrometheus prometheus = new FakePrometheus();
        for (String id : Set.of("payments.b1", "payments.b2")) {
            prometheus.serve("payments", id, CanaryJudgeTest.FROM, CanaryJudgeTest.TO, 1000, "GET", "/rates",
                    i -> i % 500 == 0 ? 500 : 200, CanaryJudgeTest::usual);
        }
        prometheus.serve("payments", "payments.c1", CanaryJudgeTest.FROM, CanaryJudgeTest.TO, 1000, "GET", "/rates",
                i -> i % 5 == 0 ? 500 : 200, i -> 2 * CanaryJudgeTest.usual(i));
        return new CanaryJudge(prometheus).judge(CanaryJudgeTest.spec("""
                errorRate: {max: 0.01}
                p99Ms: {max: 500, maxRatio: 1.2}
                """), CanaryJudgeTest.COHORTS, CanaryJudgeTest.FROM, CanaryJudgeTest.TO);
    }

    @Test
    void aVerdictIsPlainJsonWithEveryNumberItUsed() throws Exception {
        Verdict v = failedCanary();

        JsonNode json = STORE.readTree(STORE.writeValueAsString(v));

        assertThat(json.path("outcome").asText()).isEqualTo("FAIL");
        assertThat(json.path("reason").asText()).isEqualTo("errorRate failed: error rate 20% on the canary against 0.2% on "
                + "the baseline, above the maximum 1%; p99Ms failed: p99 243 ms on the canary against 97.5 ms on the baseline, "
                + "within the maximum 500 ms; per 10s interval the canary's median 242 ms is 2.49x the baseline's 97.3 ms, "
                + "above the allowed 1.2x, and significantly higher (Mann-Whitney p < 0.0001)");
        assertThat(json.path("from").asText()).isEqualTo("2024-05-01T12:00:00Z");
        assertThat(json.path("to").asText()).isEqualTo("2024-05-01T12:05:00Z");
        assertThat(json.path("source").asText()).isEqualTo("fake");
        assertThat(json.path("canaryRequests").asLong()).isEqualTo(1000);
        assertThat(json.path("baselineRequests").asLong()).isEqualTo(2000);
        JsonNode errors = json.path("checks").get(0);
        assertThat(fieldNames(errors)).containsExactly("name", "metric", "endpoint", "unit", "canary", "baseline", "threshold",
                "thresholdKind", "outcome", "test", "summary", "passed");
        assertThat(errors.path("name").asText()).isEqualTo("errorRate");
        assertThat(errors.path("endpoint").isNull()).isTrue();
        assertThat(errors.path("unit").asText()).isEqualTo("ratio");
        assertThat(errors.path("canary").asDouble()).isEqualTo(0.2);
        assertThat(errors.path("baseline").asDouble()).isEqualTo(0.002);
        assertThat(errors.path("threshold").asDouble()).isEqualTo(0.01);
        assertThat(errors.path("thresholdKind").asText()).isEqualTo("max");
        assertThat(errors.path("outcome").asText()).isEqualTo("FAIL");
        assertThat(errors.path("passed").asBoolean(true)).isFalse();
        assertThat(errors.path("test").isNull()).isTrue();
        JsonNode p99 = json.path("checks").get(1);
        assertThat(p99.path("name").asText()).isEqualTo("p99Ms");
        assertThat(fieldNames(p99.path("test"))).containsExactly("name", "canarySamples", "baselineSamples", "minSamples",
                "canaryMedian", "baselineMedian", "u", "pValue", "significant");
        assertThat(p99.path("test").path("significant").asBoolean()).isTrue();
        assertThat(p99.path("test").path("u").asDouble()).isEqualTo(900);
        assertThat(p99.path("threshold").asDouble()).isEqualTo(117); // the baseline's 97.5 ms times 1.2
        assertThat(json.path("checks").size()).isEqualTo(2);
        assertThat(json.path("notes").get(0).asText()).isEqualTo("every request was on GET /rates: the overall checks are its own");
    }

    @Test
    void whatIsStoredReadsBackTheSame() throws Exception {
        Verdict v = failedCanary();

        assertThat(STORE.readValue(STORE.writeValueAsString(v), Verdict.class)).isEqualTo(v);
        ObjectMapper dropwizard = Jackson.newObjectMapper();
        assertThat(dropwizard.readValue(dropwizard.writeValueAsString(v), Verdict.class)).isEqualTo(v);
    }

    @Test
    void aVerdictWithoutNumbersHasNullsNotNaN() throws Exception {
        Verdict v = Verdict.inconclusive("metrics unavailable: no Prometheus is configured", CanaryJudgeTest.FROM,
                CanaryJudgeTest.TO, "none");

        String json = STORE.writeValueAsString(v);

        assertThat(json).isEqualTo("{\"outcome\":\"INCONCLUSIVE\",\"reason\":\"metrics unavailable: no Prometheus is configured\","
                + "\"from\":\"2024-05-01T12:00:00Z\",\"to\":\"2024-05-01T12:05:00Z\",\"source\":\"none\",\"canaryRequests\":null,"
                + "\"baselineRequests\":null,\"checks\":[],\"notes\":[]}");
        assertThat(STORE.readValue(json, Verdict.class).outcome()).isEqualTo(Outcome.INCONCLUSIVE);
    }

    private static java.util.List<String> fieldNames(JsonNode n) {
        java.util.List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
