package io.remit.scheduler.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.scheduler.spec.InvalidSpecException;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.spec.SpecParser;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The offer decider on its own: offers and demand in, actions out, no Mesos and no etcd. */
class OfferDeciderTest {

    static final Duration LONG = Duration.ofSeconds(30);
    static final Duration SHORT = Duration.ofSeconds(5);
    final OfferDecider decider = new OfferDecider(new OfferDecider.Settings(LONG, SHORT, 0.05, 128));

    /** 0.5 cpus and 256 MB per instance (plus the executor's 0.05 and 128), ports http and admin. */
    static ServiceSpec spec(String id, String constraints) {
        try {
            return SpecParser.parseJson("""
                    {"id":"%s","version":"1","artifacts":["{{artifacts}}/svc.jar"],"instances":3,
                     "resources":{"cpus":0.5,"memMb":256,"diskMb":0,"ports":["http","admin"]},
                     "constraints":%s}""".formatted(id, constraints));
        } catch (InvalidSpecException e) {
            throw new AssertionError(e);
        }
    }

    static final ServiceSpec FX = spec("fx", "[]");
    static final ServiceSpec ONE_PER_HOST = spec("pay", "[[\"hostname\",\"UNIQUE\"]]");

    static OfferDecider.Round round(List<OfferView> offers, Map<String, Integer> demand, boolean suppressed,
                                    boolean withheld, RunningInstance... running) {
        return new OfferDecider.Round(offers, demand, Map.of("fx", FX, "pay", ONE_PER_HOST), List.of(running), true,
                suppressed, withheld);
    }

    @Test
    void nothingWantedSuppressesOffersAndDeclinesTheOnesInFlightWithTheLongFilter() {
        OfferView a = Offers.offer("o1", "a", 4, 4096);
        OfferView b = Offers.offer("o2", "b", 4, 4096);

        OfferDecider.Decision d = decider.decide(round(List.of(a, b), Map.of(), false, false));

        assertThat(d.actions()).containsExactly(new OfferAction.Suppress(),
                new OfferAction.Decline(List.of("o1", "o2"), LONG, true));
        assertThat(d.unplaced()).isEmpty();
    }

    @Test
    void alreadySuppressedOffersAreNotSuppressedAgain() {
        assertThat(decider.decide(round(List.of(), Map.of(), true, false)).actions()).isEmpty();
        assertThat(decider.decide(round(List.of(Offers.offer("o1", "a", 4, 4096)), Map.of(), true, true)).actions())
                .containsExactly(new OfferAction.Decline(List.of("o1"), LONG, true));
    }

    @Test
    void demandRevivesSuppressedOrWithheldOffersAndNothingElse() {
        assertThat(decider.decide(round(List.of(), Map.of("fx", 1), true, false)).actions())
                .containsExactly(new OfferAction.Revive());
        assertThat(decider.decide(round(List.of(), Map.of("fx", 1), false, true)).actions())
                .as("offers declined with the long filter stay withheld unless revived")
                .containsExactly(new OfferAction.Revive());
        assertThat(decider.decide(round(List.of(), Map.of("fx", 1), false, false)).actions()).isEmpty();
    }

    @Test
    void withoutASubscriptionNothingIsRevivedOrLaunchedAndOffersAreDeclined() {
        OfferView a = Offers.offer("o1", "a", 4, 4096);
        OfferDecider.Round r = new OfferDecider.Round(List.of(a), Map.of("fx", 1), Map.of("fx", FX), List.of(), false,
                true, true);

        assertThat(decider.decide(r).actions()).containsExactly(new OfferAction.Decline(List.of("o1"), LONG, true));
    }

    @Test
    void launchesWhatFitsCountingTheExecutorAndDeclinesTheSpareOfferWithTheLongFilter() {
        // 0.55 cpus and 384 MB per instance with the executor: two fit on a, none on the tiny b.
        OfferView a = Offers.offer("o1", "a", 1.2, 800);
        OfferView tiny = Offers.offer("o2", "b", 0.5, 4096);

        OfferDecider.Decision d = decider.decide(round(List.of(a, tiny), Map.of("fx", 2), false, false));

        assertThat(d.actions()).hasSize(2);
        OfferAction.Launch launch = (OfferAction.Launch) d.actions().get(0);
        assertThat(launch.offer()).isEqualTo(a);
        assertThat(launch.instances()).extracting(Launch::serviceId).containsExactly("fx", "fx");
        assertThat(launch.instances()).extracting(l -> l.ports().keySet()).allSatisfy(
                names -> assertThat(names).containsExactly("http", "admin"));
        assertThat(launch.instances().get(0).ports().values()).as("each port is given once")
                .doesNotContainAnyElementsOf(launch.instances().get(1).ports().values());
        List<Integer> all = new java.util.ArrayList<>();
        for (Launch l : launch.instances()) {
            assertThat(l.executorPort()).as("the executor's metrics port, taken from the offer too").isNotNull();
            all.addAll(l.ports().values());
            all.add(l.executorPort());
        }
        assertThat(all).as("no port twice, executors' included").doesNotHaveDuplicates().hasSize(6);
        assertThat(d.actions().get(1)).isEqualTo(new OfferAction.Decline(List.of("o2"), LONG, true));
        assertThat(d.unplaced()).isEmpty();
    }

    @Test
    void whenNothingFitsOffersAreDeclinedWithTheShortFilterAndTheReasonIsKept() {
        // 1.2 cpus fit two instances only (0.55 each): one of three waits.
        OfferView a = Offers.offer("o1", "a", 1.2, 4096);
        OfferView small = Offers.offer("o2", "b", 0.3, 4096);

        OfferDecider.Decision d = decider.decide(round(List.of(a, small), Map.of("fx", 3), false, false));

        assertThat(d.actions()).hasSize(2);
        assertThat(((OfferAction.Launch) d.actions().get(0)).instances()).hasSize(2);
        assertThat(d.actions().get(1)).as("the cluster may change soon: offers come back quickly")
                .isEqualTo(new OfferAction.Decline(List.of("o2"), SHORT, false));
        assertThat(d.unplaced()).containsOnlyKeys("fx");
        assertThat(d.unplaced().get("fx")).startsWith("fx: 1 instance waiting: ").contains("cpus");
    }

    @Test
    void constraintsCountWhatAlreadyRuns() {
        OfferView a = Offers.offer("o1", "a", 4, 4096);
        OfferView b = Offers.offer("o2", "b", 4, 4096);

        OfferDecider.Decision d = decider.decide(round(List.of(a, b), Map.of("pay", 2), false, false,
                Offers.runningOn("pay", a)));

        assertThat(d.actions()).containsExactly(
                new OfferAction.Launch(b, ((OfferAction.Launch) d.actions().get(0)).instances()),
                new OfferAction.Decline(List.of("o1"), SHORT, false));
        assertThat(((OfferAction.Launch) d.actions().get(0)).instances()).hasSize(1);
        assertThat(d.unplaced()).containsOnlyKeys("pay");
    }

    @Test
    void servicesArePlacedInIdOrderWhateverOrderTheDemandCameIn() {
        OfferView one = Offers.offer("o1", "a", 0.6, 4096); // room for one instance
        Map<String, Integer> demand = new java.util.LinkedHashMap<>();
        demand.put("pay", 1);
        demand.put("fx", 1);

        OfferDecider.Decision d = decider.decide(round(List.of(one), demand, false, false));

        assertThat(((OfferAction.Launch) d.actions().get(0)).instances()).extracting(Launch::serviceId)
                .containsExactly("fx");
        assertThat(d.unplaced()).containsOnlyKeys("pay");
    }

    @Test
    void anOfferWithPortsForTheServiceButNoneLeftForItsExecutorIsNotUsed() {
        OfferView twoPorts = new OfferView("o1", "agent-a", "a", Map.of(), 4, 4096, 10_000, List.of(new PortRange(31000, 31001)));
        OfferView threePorts = new OfferView("o2", "agent-b", "b", Map.of(), 4, 4096, 10_000, List.of(new PortRange(31000, 31002)));

        OfferDecider.Decision short1 = decider.decide(round(List.of(twoPorts), Map.of("fx", 1), false, false));
        assertThat(short1.actions()).containsExactly(new OfferAction.Decline(List.of("o1"), SHORT, false));
        assertThat(short1.unplaced().get("fx")).isEqualTo("fx: 1 instance waiting: no ports left (needs 3, one of them for its executor, the most any offer has free is 2)");

        OfferDecider.Decision fits = decider.decide(round(List.of(threePorts), Map.of("fx", 1), false, false));
        Launch launched = ((OfferAction.Launch) fits.actions().get(0)).instances().get(0);
        assertThat(launched.ports()).isEqualTo(Map.of("http", 31000, "admin", 31001));
        assertThat(launched.executorPort()).isEqualTo(31002);
    }
}
