package io.remit.scheduler.placement;

import static io.remit.scheduler.placement.Offers.demand;
import static io.remit.scheduler.placement.Offers.inZone;
import static io.remit.scheduler.placement.Offers.offer;
import static io.remit.scheduler.placement.Offers.runningOn;
import static org.assertj.core.api.Assertions.assertThat;

import io.remit.scheduler.spec.Constraint;
import io.remit.scheduler.spec.Constraint.Operator;
import io.remit.scheduler.spec.Resources;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PlacementTest {

    private static PlacementResult place(List<OfferView> offers, List<Demand> demands, List<RunningInstance> running) {
        return Placement.place(offers, demands, running);
    }

    private static List<String> messages(PlacementResult r) {
        return r.unplaced().stream().map(Unplaced::message).toList();
    }

    /** Instances placed per value of an attribute. */
    private static Map<String, Integer> perValue(PlacementResult r, List<OfferView> offers, String attribute) {
        Map<String, OfferView> byId = offers.stream().collect(Collectors.toMap(OfferView::offerId, o -> o));
        Map<String, Integer> counts = new HashMap<>();
        r.launches().forEach((id, launches) -> counts.merge(byId.get(id).attribute(attribute), launches.size(), Integer::sum));
        return counts;
    }

    @Test
    void fitsExactly() {
        OfferView o = offer("o1", "h1", 1.0, 512);
        PlacementResult r = place(List.of(o), List.of(demand("hello", 0.5, 256, 2)), List.of());

        assertThat(r.launches().get("o1")).hasSize(2);
        assertThat(r.unplaced()).isEmpty();
    }

    @Test
    void tenthsOfACpuAddUpExactly() {
        PlacementResult r = place(List.of(offer("o1", "h1", 1.0, 4096)), List.of(demand("a", 0.1, 32, 11)), List.of());

        assertThat(r.launchCount()).isEqualTo(10);
        assertThat(messages(r)).containsExactly("a: 1 instance waiting: needs cpus 0.1, largest offer 0");
    }

    @Test
    void doesNotFitSaysWhatIsMissing() {
        PlacementResult r = place(List.of(offer("o1", "h1", 8, 1024), offer("o2", "h2", 8, 512)),
                List.of(demand("payments", 1, 2048, 2)), List.of());

        assertThat(r.launches()).isEmpty();
        assertThat(messages(r)).containsExactly("payments: 2 instances waiting: needs mem 2048 MB, largest offer 1024 MB");
    }

    @Test
    void noOffersAtAll() {
        assertThat(messages(place(List.of(), List.of(demand("a", 1, 64, 1)), List.of())))
                .containsExactly("a: 1 instance waiting: no offers");
    }

    @Test
    void bestFitPacksTheFullestOfferFirst() {
        OfferView big = offer("big", "h1", 8, 8192);
        OfferView small = offer("small", "h2", 8, 1024);
        OfferView tiny = offer("tiny", "h3", 8, 256);
        PlacementResult r = place(List.of(big, small, tiny), List.of(demand("a", 0.1, 512, 3)), List.of());

        assertThat(r.launches().get("small")).hasSize(2);
        assertThat(r.launches().get("big")).hasSize(1);
        assertThat(r.launches()).doesNotContainKey("tiny");
    }

    @Test
    void bigInstancesStillFindTheBigOfferAfterSmallOnesPacked() {
        OfferView big = offer("big", "h1", 4, 4096);
        OfferView small = offer("small", "h2", 4, 1024);
        PlacementResult r = place(List.of(big, small),
                List.of(demand("small-svc", 0.1, 256, 4), demand("big-svc", 1, 4096, 1)), List.of());

        assertThat(r.launches().get("small")).extracting(Launch::serviceId).containsOnly("small-svc");
        assertThat(r.launches().get("big")).extracting(Launch::serviceId).containsExactly("big-svc");
    }

    @Test
    void portsComeFromTheRangesWithoutCollisions() {
        OfferView o = new OfferView("o1", "a1", "h1", Map.of(), 8, 8192, 0,
                List.of(new PortRange(31005, 31006), new PortRange(31000, 31002), new PortRange(31001, 31003)));
        PlacementResult r = place(List.of(o), List.of(demand("a", 0.1, 64, 3)), List.of());

        assertThat(r.launches().get("o1")).extracting(Launch::ports).containsExactly(
                Map.of("http", 31000, "admin", 31001),
                Map.of("http", 31002, "admin", 31003),
                Map.of("http", 31005, "admin", 31006));
        assertThat(r.launches().get("o1").get(0).ports().keySet()).containsExactly("http", "admin");
    }

    @Test
    void portsRunOut() {
        OfferView o = new OfferView("o1", "a1", "h1", Map.of(), 8, 8192, 0, List.of(new PortRange(31000, 31002)));
        PlacementResult r = place(List.of(o), List.of(demand("a", 0.1, 64, 3)), List.of());

        assertThat(r.launchCount()).isEqualTo(1);
        assertThat(messages(r)).containsExactly("a: 2 instances waiting: no ports left (needs 2, the most any offer has free is 1)");
    }

    @Test
    void serviceWithoutPortsNeedsNone() {
        OfferView o = new OfferView("o1", "a1", "h1", Map.of(), 8, 8192, 0, List.of());
        Demand d = new Demand("batch", new Resources(1, 64, 0, List.of()), List.of(), 2, 0);

        assertThat(place(List.of(o), List.of(d), List.of()).launches().get("o1"))
                .extracting(Launch::ports).containsExactly(Map.of(), Map.of());
    }

    @Test
    void uniqueHostnamePutsOnePerAgent() {
        List<OfferView> offers = List.of(offer("o1", "h1", 8, 8192), offer("o2", "h2", 8, 8192),
                offer("o3", "h3", 8, 8192), offer("o3b", "h3", 8, 8192));
        PlacementResult r = place(offers, List.of(demand("payments", 0.1, 64, 5, Constraint.unique("hostname"))), List.of());

        assertThat(r.launchCount()).isEqualTo(3);
        assertThat(perValue(r, offers, "hostname")).containsOnlyKeys("h1", "h2", "h3").allSatisfy((h, n) -> assertThat(n).isOne());
        assertThat(messages(r)).containsExactly("payments: 2 instances waiting: constraint hostname UNIQUE: all 3 agents already run one");
    }

    @Test
    void uniqueHostnameCountsRunningInstances() {
        List<OfferView> offers = List.of(offer("o1", "h1", 8, 8192), offer("o2", "h2", 8, 8192));
        PlacementResult r = place(offers, List.of(demand("a", 0.1, 64, 2, Constraint.unique("hostname"))),
                List.of(runningOn("a", offers.get(0)), runningOn("other", offers.get(1))));

        assertThat(r.launches()).containsOnlyKeys("o2");
        assertThat(messages(r)).containsExactly("a: 1 instance waiting: constraint hostname UNIQUE: all 2 agents already run one");
    }

    @Test
    void groupByZoneSpreadsEvenly() {
        List<OfferView> offers = List.of(inZone("a1", "h1", "a"), inZone("a2", "h2", "a"), inZone("b1", "h3", "b"),
                inZone("b2", "h4", "b"), inZone("c1", "h5", "c"), inZone("c2", "h6", "c"));
        PlacementResult r = place(offers, List.of(demand("a", 0.5, 256, 9, Constraint.groupBy("zone"))), List.of());

        assertThat(perValue(r, offers, "zone")).isEqualTo(Map.of("a", 3, "b", 3, "c", 3));
    }

    @Test
    void groupByZoneEvensOutRunningInstances() {
        List<OfferView> offers = List.of(inZone("a1", "h1", "a"), inZone("b1", "h2", "b"), inZone("c1", "h3", "c"));
        List<RunningInstance> running = List.of(runningOn("s", offers.get(0)), runningOn("s", offers.get(0)),
                runningOn("s", offers.get(0)), runningOn("s", offers.get(1)), runningOn("other", offers.get(2)));
        PlacementResult r = place(offers, List.of(demand("s", 0.5, 256, 5, Constraint.groupBy("zone"))), running);

        // running a=3, b=1, c=0: five more make it 3, 3, 3
        assertThat(perValue(r, offers, "zone")).isEqualTo(Map.of("b", 2, "c", 3));
        // a sixth breaks the three-way tie by best fit: c's offer is the fullest
        PlacementResult more = place(offers, List.of(demand("s", 0.5, 256, 6, Constraint.groupBy("zone"))), running);
        assertThat(perValue(more, offers, "zone")).isEqualTo(Map.of("b", 2, "c", 4));
    }

    @Test
    void groupByWaitsRatherThanUnbalance() {
        List<OfferView> offers = List.of(inZone("a1", "h1", "a"), inZone("b1", "h2", "b"), offer("c1", "h3", 0.1, 64, Map.of("zone", "c")));
        PlacementResult r = place(offers, List.of(demand("s", 0.5, 256, 4, Constraint.groupBy("zone"))), List.of());

        assertThat(perValue(r, offers, "zone")).isEqualTo(Map.of("a", 1, "b", 1));
        assertThat(messages(r)).containsExactly("s: 2 instances waiting: constraint zone GROUP_BY: no room left in zone=c, "
                + "which has 0 against 1 elsewhere; placing more elsewhere would unbalance the spread");
    }

    @Test
    void groupByWithAnExpectedCountWaitsForUnseenValues() {
        List<OfferView> offers = List.of(inZone("a1", "h1", "a"), inZone("b1", "h2", "b"));
        PlacementResult r = place(offers, List.of(demand("s", 0.5, 256, 4, Constraint.groupBy("zone", 3))), List.of());

        assertThat(perValue(r, offers, "zone")).isEqualTo(Map.of("a", 1, "b", 1));
        assertThat(messages(r)).containsExactly("s: 2 instances waiting: constraint zone GROUP_BY 3: 2 of 3 values of zone "
                + "seen [a, b]; waiting for the others to keep the spread even");
    }

    @Test
    void groupByNeedsTheAttribute() {
        PlacementResult r = place(List.of(offer("o1", "h1", 8, 8192)), List.of(demand("s", 1, 64, 1, Constraint.groupBy("zone"))),
                List.of());

        assertThat(messages(r)).containsExactly("s: 1 instance waiting: constraint zone GROUP_BY: no offer has the attribute 'zone'");
    }

    @Test
    void isAndLikeFilterOffers() {
        List<OfferView> offers = List.of(inZone("o1", "h1", "eu-1"), inZone("o2", "h2", "eu-2"), inZone("o3", "h3", "us-1"),
                offer("o4", "h4", 8, 8192));
        Constraint isEu1 = Constraint.of("zone", Operator.IS, "eu-1");
        Constraint likeEu = Constraint.of("zone", Operator.LIKE, "eu-.*");
        Constraint unlikeEu = Constraint.of("zone", Operator.UNLIKE, "eu-.*");
        Constraint isNotEu1 = Constraint.of("zone", Operator.IS_NOT, "eu-1");

        assertThat(place(offers, List.of(demand("s", 1, 64, 20, isEu1)), List.of()).launches()).containsOnlyKeys("o1");
        assertThat(place(offers, List.of(demand("s", 1, 64, 20, likeEu)), List.of()).launches()).containsOnlyKeys("o1", "o2");
        assertThat(place(offers, List.of(demand("s", 1, 64, 20, unlikeEu)), List.of()).launches()).containsOnlyKeys("o3", "o4");
        assertThat(place(offers, List.of(demand("s", 1, 64, 30, isNotEu1)), List.of()).launches()).containsOnlyKeys("o2", "o3", "o4");
        assertThat(place(offers, List.of(demand("s", 1, 64, 1, Constraint.of("hostname", Operator.IS, "h4"))), List.of())
                .launches()).containsOnlyKeys("o4");
    }

    @Test
    void noOfferMatchesAFilter() {
        PlacementResult r = place(List.of(inZone("o1", "h1", "eu-2"), inZone("o2", "h2", "eu-3")),
                List.of(demand("s", 1, 64, 1, Constraint.of("zone", Operator.IS, "eu-1"))), List.of());

        assertThat(messages(r)).containsExactly("s: 1 instance waiting: constraint zone IS eu-1: none of the 2 offers matches");
    }

    @Test
    void mixedReasonsAreCounted() {
        List<OfferView> offers = List.of(inZone("o1", "h1", "eu-1"), offer("o2", "h2", 0.5, 8192, Map.of("zone", "eu-1")),
                offer("o3", "h3", 8, 128, Map.of("zone", "eu-1")), offer("o4", "h4", 8, 128, Map.of("zone", "eu-1")),
                inZone("o5", "h5", "eu-2"));
        PlacementResult r = place(offers, List.of(demand("s", 1, 1024, 2, Constraint.of("zone", Operator.IS, "eu-1"),
                Constraint.unique("hostname"))), List.of());

        assertThat(r.launches()).containsOnlyKeys("o1");
        assertThat(messages(r)).containsExactly("s: 1 instance waiting: no offer fits: 1 offer excluded by constraint hostname UNIQUE, "
                + "1 offer has too little cpus (needs 1), 2 offers have too little mem (needs 1024 MB), "
                + "1 offer excluded by constraint zone IS eu-1");
    }

    @Test
    void higherPriorityGoesFirstThenTheIdBreaksExactTies() {
        OfferView o = offer("o1", "h1", 1, 1024);
        Demand low = new Demand("low", new Resources(1, 64, 0, List.of()), List.of(), 1, 0);
        Demand high = new Demand("high", new Resources(1, 64, 0, List.of()), List.of(), 1, 5);
        Demand alsoLow = new Demand("also-low", new Resources(1, 64, 0, List.of()), List.of(), 1, 0);

        PlacementResult r = place(List.of(o), List.of(low, high, alsoLow), List.of());
        assertThat(r.launches().get("o1")).extracting(Launch::serviceId).containsExactly("high");
        assertThat(messages(r)).containsExactly(
                "also-low: 1 instance waiting: needs cpus 1, largest offer 0",
                "low: 1 instance waiting: needs cpus 1, largest offer 0");
        for (List<Demand> order : List.of(List.of(low, alsoLow), List.of(alsoLow, low))) {
            assertThat(place(List.of(o), order, List.of()).launches().get("o1")).extracting(Launch::serviceId)
                    .as("same shapes and counts: the id decides, not the order given").containsExactly("also-low");
        }
    }

    @Test
    void withinAPriorityTheLargerShapeIsPlacedFirstWhateverTheNames() {
        // Two 8-CPU offers; two instances of 5 CPUs and two of 3 fill them exactly, but only if the
        // fives go first: threes placed first take 6 CPUs of one offer, and the second five fits nowhere.
        List<OfferView> offers = List.of(offer("o1", "h1", 8, 8192), offer("o2", "h2", 8, 8192));
        Demand small = demand("a-small", 3, 256, 2);
        Demand large = demand("z-large", 5, 256, 2);
        for (List<Demand> order : List.of(List.of(small, large), List.of(large, small))) {
            PlacementResult r = place(offers, order, List.of());
            assertThat(r.launchCount()).as("placed, demands given as " + order.stream().map(Demand::serviceId).toList())
                    .isEqualTo(4);
            assertThat(r.unplaced()).isEmpty();
        }
        // Of equal dominant shares, the demand with more instances goes first.
        Demand few = demand("a-few", 4, 256, 1);
        Demand many = demand("z-many", 4, 256, 3);
        assertThat(Placement.hardestFirst(List.of(few, many), new long[] {16_000, 16_384, 0}))
                .extracting(Demand::serviceId).containsExactly("z-many", "a-few");
    }

    @Test
    void servicesCompetingShareOffersWithoutOvercommit() {
        List<OfferView> offers = List.of(offer("o1", "h1", 2, 2048), offer("o2", "h2", 2, 2048));
        PlacementResult r = place(offers, List.of(demand("a", 1, 512, 3), demand("b", 0.5, 1024, 3)), List.of());

        assertThat(r.launchCount()).isEqualTo(4);
        assertThat(messages(r)).containsExactly("b: 2 instances waiting: no offer fits: 1 offer has too little cpus (needs 0.5), "
                + "1 offer has too little mem (needs 1024 MB)");
    }

    @Test
    void zeroCountDemandsAreIgnoredAndUnusedOffersAreAbsent() {
        PlacementResult r = place(List.of(offer("o1", "h1", 1, 512)), List.of(demand("a", 1, 64, 0)), List.of());
        assertThat(r.launches()).isEmpty();
        assertThat(r.unplaced()).isEmpty();
    }

    @Test
    void sameInputSameOutput() {
        var scenario = PlacementScenarios.large(7);
        PlacementResult first = scenario.place();
        PlacementResult second = scenario.place();

        assertThat(second).isEqualTo(first);
        assertThat(List.copyOf(second.launches().keySet())).isEqualTo(List.copyOf(first.launches().keySet()));
    }

    @Test
    void theLargeScenarioPlacesEverything() {
        var scenario = PlacementScenarios.large(42);
        assertThat(scenario.offers()).hasSize(1000);
        assertThat(scenario.waitingInstances()).isEqualTo(10_000);

        PlacementResult r = scenario.place();

        assertThat(r.unplaced()).isEmpty();
        assertThat(r.launchCount()).isEqualTo(10_000);
        PlacementInvariants.check(scenario.offers(), scenario.demands(), scenario.running(), r);
    }
}
