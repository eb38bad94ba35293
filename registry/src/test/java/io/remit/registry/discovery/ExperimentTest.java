package io.remit.registry.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.registry.etcd.Json;
import io.remit.registry.etcd.Keys;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

public class ExperimentTest {

    public static final String DOC = """
            {"split": 10, "cohort": {"field": "payerId"},
             "versions": {"fx": {"control": "1.4.2", "treatment": "1.5.0"},
                          "payments": {"control": "2.2.0", "treatment": "2.3.0"}}}""";

    static Experiment read(String name, String json) throws Exception {
        return Experiment.fromJson(name, json.getBytes(StandardCharsets.UTF_8));
    }

    static List<Experiment.Problem> problems(String json) throws Exception {
        List<Experiment.Problem> problems = new ArrayList<>();
        assertThat(Experiment.parse("new-fees", Json.MAPPER.readTree(json), true, problems)).isNull();
        return problems;
    }

    /** The bucket as documented, from the bytes themselves: what another program would compute. */
    static int reference(String experiment, String key) {
        long h = 0xcbf29ce484222325L;
        for (byte b : (experiment + ":" + key).getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) Long.remainderUnsigned(h, 100);
    }

    @Test
    void readsTheDocumentedShapeAndWritesItBack() throws Exception {
        Experiment e = read("new-fees", DOC);
        assertThat(e.split()).isEqualTo(10);
        assertThat(e.cohort()).isEqualTo(Experiment.Cohort.ofField("payerId"));
        assertThat(e.versions()).containsOnlyKeys("fx", "payments");
        assertThat(e.versions().get("fx")).isEqualTo(new Experiment.Arms("1.4.2", "1.5.0"));
        assertThat(read("new-fees", new String(e.toJson(), StandardCharsets.UTF_8))).isEqualTo(e);
        Experiment byHeader = read("h", """
                {"split": 0, "cohort": {"header": "X-Remit-Cohort"}, "versions": {"fx": {"control": "1", "treatment": "2"}},
                 "note": "ignored when read from etcd"}""");
        assertThat(byHeader.cohort().header()).isEqualTo("X-Remit-Cohort");
    }

    @Test
    void aPayerIsInTheSameArmOfEveryServiceEveryTime() throws Exception {
        Experiment e = read("new-fees", DOC);
        for (int i = 0; i < 1_000; i++) {
            String payer = "payer-" + i;
            String fx = e.versionFor("fx", payer);
            String payments = e.versionFor("payments", payer);
            assertThat(fx.equals("1.5.0")).as(payer).isEqualTo(payments.equals("2.3.0"));
            assertThat(read("new-fees", DOC).versionFor("fx", payer)).isEqualTo(fx);
        }
        assertThat(e.versionFor("schools", "payer-1")).isNull();
    }

    @Test
    void aTenPercentSplitOverAThousandPayersIsWithinAFewPointsOfTenPercent() throws Exception {
        for (String name : List.of("new-fees", "fx-rounding", "x")) {
            Experiment e = read(name, DOC);
            int treated = 0;
            for (int i = 1; i <= 1_000; i++) {
                treated += e.inTreatment("payer-" + i) ? 1 : 0;
            }
            assertThat(treated).as("payers of 1,000 in the treatment of %s", name).isBetween(70, 130);
        }
        // And uniform enough over all buckets: 100,000 keys, each bucket 1,000 +- 15%.
        int[] buckets = new int[100];
        for (int i = 0; i < 100_000; i++) {
            buckets[Experiment.bucket("new-fees", "p" + i)]++;
        }
        assertThat(java.util.Arrays.stream(buckets).boxed().toList()).allSatisfy(n -> assertThat(n).isBetween(850, 1150));
    }

    @Test
    void theBucketIsTheDocumentedHashOfTheUtf8Bytes() {
        for (String key : List.of("", "payer-1", "Zoë", "東京", "\uD83D\uDE00 emoji", "lone \uD800 surrogate", "a:b")) {
            assertThat(Experiment.bucket("new-fees", key)).as(key).isEqualTo(reference("new-fees", key));
        }
        // Fixed values, so that a change of the function (which would move every payer) fails here.
        assertThat(List.of(Experiment.bucket("new-fees", "payer-1"), Experiment.bucket("new-fees", "payer-2"),
                Experiment.bucket("new-fees", "Zoë"), Experiment.bucket("a", "b"))).containsExactly(41, 85, 56, 3);
    }

    @Test
    void raisingTheSplitOnlyMovesPayersIntoTheTreatment() throws Exception {
        Experiment ten = read("new-fees", DOC);
        Experiment thirty = read("new-fees", DOC.replace("\"split\": 10", "\"split\": 30"));
        for (int i = 0; i < 1_000; i++) {
            if (ten.inTreatment("payer-" + i)) {
                assertThat(thirty.inTreatment("payer-" + i)).isTrue();
            }
        }
        assertThat(read("new-fees", DOC.replace("\"split\": 10", "\"split\": 0")).inTreatment("payer-1")).isFalse();
        assertThat(read("new-fees", DOC.replace("\"split\": 10", "\"split\": 100")).inTreatment("payer-1")).isTrue();
    }

    @Test
    void everyProblemIsNamedWithItsField() throws Exception {
        assertThat(problems("""
                {"split": 101, "cohort": {"header": "X-A", "field": "payerId"},
                 "versions": {"fx": {"control": "1.4.2", "treatment": "1.4.2"}, "payments": {"control": " "}},
                 "spilt": 3}""")).extracting(Experiment.Problem::path).containsExactlyInAnyOrder(
                "spilt", "split", "cohort", "versions.fx.treatment", "versions.payments.control", "versions.payments.treatment");
        assertThat(problems("{}")).extracting(Experiment.Problem::path).containsExactlyInAnyOrder("split", "cohort", "versions");
        assertThat(problems("""
                {"split": 5.5, "cohort": {"header": "not a header"}, "versions": {"fx": "1.5.0"}}"""))
                .extracting(Experiment.Problem::path).containsExactlyInAnyOrder("split", "cohort.header", "versions.fx");
        assertThat(problems("""
                {"split": "10", "cohort": {"field": ""}, "versions": {}}"""))
                .extracting(Experiment.Problem::path).containsExactlyInAnyOrder("split", "cohort.field", "versions");
        assertThat(problems("[1]")).extracting(Experiment.Problem::path).containsExactly("");
        List<Experiment.Problem> badName = new ArrayList<>();
        JsonNode ok = Json.MAPPER.readTree(DOC);
        assertThat(Experiment.parse("-no", ok, true, badName)).isNull();
        assertThat(badName).extracting(Experiment.Problem::path).containsExactly("name");
        assertThat(Experiment.parse("new-fees", ok, true, new ArrayList<>())).isNotNull();
        assertThatThrownBy(() -> read("x", "{\"split\": 10}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cohort");
    }

    @Test
    void trafficSplitsSumToAHundred() throws Exception {
        TrafficSplit split = TrafficSplit.fromJson("fx", "{\"versions\": {\"1.5.0\": 10, \"1.4.2\": 90}}".getBytes(StandardCharsets.UTF_8));
        assertThat(split.versions()).containsExactly(Map.entry("1.4.2", 90), Map.entry("1.5.0", 10));
        assertThat(new String(split.toJson(), StandardCharsets.UTF_8)).isEqualTo("{\"versions\":{\"1.4.2\":90,\"1.5.0\":10}}");
        assertThat(TrafficSplit.fromJson("fx", split.toJson())).isEqualTo(split);
        assertThat(TrafficSplit.problems(Map.of("1", 60, "2", 30))).containsExactly("the shares must sum to 100, not 90");
        assertThat(TrafficSplit.problems(Map.of("1", 120, " ", -20))).hasSize(3);
        assertThat(TrafficSplit.problems(Map.of())).hasSize(1);
        assertThatThrownBy(() -> TrafficSplit.fromJson("fx", "{\"versions\": {\"1\": \"100\"}}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TrafficSplit.fromJson("fx", "{\"1\": 100}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Keys.traffic("fx")).isEqualTo("/remit/traffic/fx");
        assertThat(Keys.experiment("new-fees")).isEqualTo("/remit/experiments/new-fees");
    }
}
