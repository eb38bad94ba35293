package io.remit.scheduler.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.scheduler.spec.Constraint;
import io.remit.scheduler.spec.Constraint.Operator;
import io.remit.scheduler.spec.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Random inputs (seeded, so failures reproduce): never over-commit, constraints hold, deterministic. */
class PlacementPropertyTest {

    private static final String[] ZONES = {"a", "b", "c", "d"};

    @Test
    void fiveHundredRandomRounds() {
        Random seeds = new Random(20261127);
        for (int i = 0; i < 500; i++) {
            long seed = seeds.nextLong();
            checkRound(seed);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 1234567})
    void largeScenariosHoldTheInvariants(long seed) {
        var s = PlacementScenarios.large(seed);
        PlacementResult r = s.place();
        PlacementInvariants.check(s.offers(), s.demands(), s.running(), r);
        assertThat(r.launchCount()).isEqualTo(10_000);
    }

    private static void checkRound(long seed) {
        Random random = new Random(seed);
        List<OfferView> offers = new ArrayList<>();
        int agents = 1 + random.nextInt(12);
        int offerCount = random.nextInt(25);
        for (int i = 0; i < offerCount; i++) {
            int agent = random.nextInt(agents);
            List<PortRange> ports = new ArrayList<>();
            for (int k = random.nextInt(3); k > 0; k--) {
                int begin = 31000 + random.nextInt(20);
                ports.add(new PortRange(begin, begin + random.nextInt(6)));
            }
            offers.add(new OfferView("o" + i, "agent" + agent, "host" + agent,
                    Map.of("zone", ZONES[agent % ZONES.length], "rack", "r" + (agent % 3)),
                    random.nextInt(40) / 10.0, random.nextInt(4096), random.nextInt(2048), ports));
        }
        List<Demand> demands = new ArrayList<>();
        List<RunningInstance> running = new ArrayList<>();
        int services = 1 + random.nextInt(6);
        for (int s = 0; s < services; s++) {
            List<String> portNames = List.of("http", "admin", "metrics").subList(0, random.nextInt(4));
            Resources res = new Resources((1 + random.nextInt(15)) / 10.0, 32 + random.nextInt(1024), random.nextInt(300), portNames);
            demands.add(new Demand("s" + s, res, randomConstraints(random), random.nextInt(12), random.nextInt(3)));
            for (int k = random.nextInt(4); k > 0; k--) {
                int agent = random.nextInt(agents);
                running.add(new RunningInstance("s" + s, "agent" + agent, "host" + agent,
                        Map.of("zone", ZONES[agent % ZONES.length], "rack", "r" + (agent % 3))));
            }
        }
        PlacementResult r = Placement.place(offers, demands, running);
        try {
            PlacementInvariants.check(offers, demands, running, r);
            assertThat(Placement.place(offers, demands, running)).isEqualTo(r);
            r.unplaced().forEach(u -> assertThat(u.reason()).isNotBlank().doesNotContain("placement stopped"));
        } catch (AssertionError e) {
            throw new AssertionError("round with seed " + seed + ": " + e.getMessage(), e);
        }
    }

    private static List<Constraint> randomConstraints(Random random) {
        List<Constraint> out = new ArrayList<>();
        if (random.nextInt(3) == 0) {
            out.add(Constraint.unique(random.nextBoolean() ? "hostname" : "rack"));
        }
        if (random.nextInt(3) == 0) {
            out.add(random.nextInt(3) == 0 ? Constraint.groupBy("zone", 1 + random.nextInt(5)) : Constraint.groupBy("zone"));
        }
        switch (random.nextInt(6)) {
            case 0 -> out.add(Constraint.of("zone", Operator.IS, ZONES[random.nextInt(ZONES.length)]));
            case 1 -> out.add(Constraint.of("zone", Operator.IS_NOT, ZONES[random.nextInt(ZONES.length)]));
            case 2 -> out.add(Constraint.of("rack", Operator.LIKE, "r[01]"));
            case 3 -> out.add(Constraint.of("rack", Operator.UNLIKE, "r1"));
            default -> { }
        }
        return out;
    }
}
