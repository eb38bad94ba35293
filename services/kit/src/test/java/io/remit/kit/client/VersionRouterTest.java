package io.remit.kit.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.registry.discovery.Experiment;
import io.remit.registry.discovery.TrafficSplit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Routing by version: splits, experiments, weights and every fallback, without the network. */
class VersionRouterTest {

    static final Endpoint OLD_A = new Endpoint("http://old-a", "1.4.2", 100);
    static final Endpoint OLD_B = new Endpoint("http://old-b", "1.4.2", 100);
    static final Endpoint NEW_A = new Endpoint("http://new-a", "1.5.0", 100);
    static final List<Endpoint> BOTH = List.of(OLD_A, OLD_B, NEW_A);

    static final Experiment NEW_FEES = new Experiment("new-fees", 10, Experiment.Cohort.ofField("payerId"),
            Map.of("fx", new Experiment.Arms("1.4.2", "1.5.0"), "payments", new Experiment.Arms("2.2.0", "2.3.0")));

    static TrafficSplit split(Map<String, Integer> shares) {
        return new TrafficSplit("fx", shares);
    }

    /** How often each version is chosen over {@code calls} calls without a cohort key. */
    static Map<String, Integer> drawn(VersionRouter.Plan plan, int calls) {
        Map<String, Integer> out = new HashMap<>();
        for (int i = 0; i < calls; i++) {
            out.merge(String.valueOf(VersionRouter.version(plan, null, "fx", null)), 1, Integer::sum);
        }
        return out;
    }

    @Test
    void withoutASplitEveryInstanceIsACandidateAsBefore() {
        VersionRouter router = new VersionRouter();
        VersionRouter.Plan plan = router.plan(BOTH, null);
        assertThat(VersionRouter.version(plan, null, "fx", null)).isNull();
        VersionRouter.Group g = VersionRouter.candidates(plan, null, Set.of());
        assertThat(g.urls()).containsExactly("http://old-a", "http://old-b", "http://new-a");
        assertThat(g.weights()).as("equal weights: the balancer's unweighted path").isNull();
        // The same plan object while neither the instances nor the split change: nothing is rebuilt per call.
        assertThat(router.plan(BOTH, null)).isSameAs(plan);
        TrafficSplit s = split(Map.of("1.4.2", 90, "1.5.0", 10));
        VersionRouter.Plan withSplit = router.plan(BOTH, s);
        assertThat(withSplit).isNotSameAs(plan);
        assertThat(router.plan(BOTH, s)).isSameAs(withSplit);
    }

    @Test
    void aSplitSendsEachVersionItsShare() {
        VersionRouter.Plan plan = new VersionRouter().plan(BOTH, split(Map.of("1.4.2", 90, "1.5.0", 10)));
        Map<String, Integer> counts = drawn(plan, 20_000);
        assertThat(counts).containsOnlyKeys("1.4.2", "1.5.0");
        assertThat(counts.get("1.5.0")).as("calls of 20,000 to 1.5.0").isBetween(1_700, 2_300);
        assertThat(VersionRouter.candidates(plan, "1.5.0", Set.of()).urls()).containsExactly("http://new-a");
        assertThat(VersionRouter.candidates(plan, "1.4.2", Set.of()).urls()).containsExactly("http://old-a", "http://old-b");
        // A blue/green switch: everything to one version, whatever the other has.
        assertThat(drawn(new VersionRouter().plan(BOTH, split(Map.of("1.4.2", 0, "1.5.0", 100))), 1_000))
                .isEqualTo(Map.of("1.5.0", 1_000));
    }

    @Test
    void aListedVersionWithoutInstancesHasItsShareSpreadOverTheOthers() {
        Endpoint next = new Endpoint("http://next", "1.6.0", 100);
        List<Endpoint> threeVersions = List.of(OLD_A, NEW_A, next);
        // 1.9.9 is listed but nothing runs it: its 40 go to the others, in proportion (30:30 stays 1:1).
        Map<String, Integer> counts = drawn(new VersionRouter().plan(threeVersions,
                split(Map.of("1.4.2", 30, "1.5.0", 30, "1.9.9", 40))), 10_000);
        assertThat(counts).containsOnlyKeys("1.4.2", "1.5.0");
        assertThat(counts.get("1.5.0")).isBetween(4_500, 5_500);
        // Only the dead version had a share: the live listed ones share it alike.
        assertThat(drawn(new VersionRouter().plan(threeVersions, split(Map.of("1.4.2", 0, "1.5.0", 0, "1.9.9", 100))), 1_000))
                .containsOnlyKeys("1.4.2", "1.5.0");
        // No listed version runs: every instance, unlisted ones too. Routing never makes a call fail.
        VersionRouter.Plan none = new VersionRouter().plan(threeVersions, split(Map.of("1.9.9", 100)));
        assertThat(drawn(none, 100)).isEqualTo(Map.of("null", 100));
        assertThat(VersionRouter.candidates(none, null, Set.of()).urls()).hasSize(3);
        // Instances of unknown version (fixed URLs) with a split: every instance.
        VersionRouter.Plan fixed = new VersionRouter().plan(List.of(Endpoint.of("http://x"), Endpoint.of("http://y")),
                split(Map.of("1.4.2", 100)));
        assertThat(VersionRouter.version(fixed, null, "fx", null)).isNull();
        assertThat(VersionRouter.candidates(fixed, null, Set.of()).urls()).hasSize(2);
    }

    @Test
    void aThousandPayersSplitTenPercentAndEachStaysInItsArm() {
        VersionRouter router = new VersionRouter();
        VersionRouter.Plan plan = router.plan(BOTH, split(Map.of("1.4.2", 50, "1.5.0", 50)));
        int treated = 0;
        for (int i = 1; i <= 1_000; i++) {
            String payer = "payer-" + i;
            String version = VersionRouter.version(plan, NEW_FEES, "fx", payer);
            assertThat(version).isIn("1.4.2", "1.5.0");
            for (int again = 0; again < 5; again++) {
                assertThat(VersionRouter.version(plan, NEW_FEES, "fx", payer)).as(payer).isEqualTo(version);
            }
            // payments' client, in another process, puts the payer in the same arm.
            assertThat(NEW_FEES.versionFor("payments", payer)).isEqualTo(version.equals("1.5.0") ? "2.3.0" : "2.2.0");
            treated += version.equals("1.5.0") ? 1 : 0;
        }
        // The experiment, not the 50/50 split, decides for a payer.
        assertThat(treated).as("payers of 1,000 sent to the treatment").isBetween(70, 130);
        // A call without a cohort key follows the split.
        assertThat(drawn(plan, 10_000).get("1.5.0")).isBetween(4_500, 5_500);
    }

    @Test
    void anArmWithoutALiveInstanceFallsBackToTheSplitOrToAny() {
        String treatedPayer = null;
        for (int i = 0; treatedPayer == null; i++) {
            if (NEW_FEES.inTreatment("payer-" + i)) {
                treatedPayer = "payer-" + i;
            }
        }
        List<Endpoint> oldOnly = List.of(OLD_A, OLD_B);
        assertThat(VersionRouter.version(new VersionRouter().plan(oldOnly, null), NEW_FEES, "fx", treatedPayer)).isNull();
        assertThat(VersionRouter.version(new VersionRouter().plan(oldOnly, split(Map.of("1.4.2", 100))), NEW_FEES, "fx",
                treatedPayer)).isEqualTo("1.4.2");
        // A service the experiment does not name routes as without it.
        assertThat(VersionRouter.version(new VersionRouter().plan(BOTH, null), NEW_FEES, "schools", treatedPayer)).isNull();
    }

    @Test
    void anAttemptThatHasTriedEveryInstanceOfItsVersionMayGoToAnyOther() {
        VersionRouter.Plan plan = new VersionRouter().plan(BOTH, null);
        assertThat(VersionRouter.candidates(plan, "1.5.0", Set.of()).urls()).containsExactly("http://new-a");
        assertThat(VersionRouter.candidates(plan, "1.5.0", Set.of("http://new-a")).urls()).hasSize(3);
        assertThat(VersionRouter.candidates(plan, "1.4.2", Set.of("http://old-a")).urls())
                .containsExactly("http://old-a", "http://old-b");
        assertThat(plan.versionOf("http://new-a")).isEqualTo("1.5.0");
    }

    @Test
    void instancesAreWeightedWithinTheirVersion() {
        Endpoint light = new Endpoint("http://light", "1.4.2", 20);
        Endpoint drained = new Endpoint("http://drained", "1.4.2", 0);
        VersionRouter.Plan plan = new VersionRouter().plan(List.of(OLD_A, light, drained, NEW_A), split(Map.of("1.4.2", 100)));
        VersionRouter.Group g = VersionRouter.candidates(plan, "1.4.2", Set.of());
        assertThat(g.weights()).containsExactly(100, 20, 0);
        LoadBalancer balancer = new LoadBalancer();
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 12_000; i++) {
            counts.merge(balancer.choose(g.urls(), g.weights(), Set.of()), 1, Integer::sum);
        }
        assertThat(counts).containsOnlyKeys("http://old-a", "http://light");
        // Nothing in flight, so the first of the two draws wins: picks in proportion to weight, 20 of 120.
        assertThat(counts.get("http://light")).isBetween(1_700, 2_300);
        // Every candidate at weight 0: still answered, alike.
        Map<String, Integer> zeros = new HashMap<>();
        for (int i = 0; i < 1_000; i++) {
            zeros.merge(balancer.choose(List.of("http://z1", "http://z2"), new int[] {0, 0}, Set.of()), 1, Integer::sum);
        }
        assertThat(zeros).containsOnlyKeys("http://z1", "http://z2");
    }
}
