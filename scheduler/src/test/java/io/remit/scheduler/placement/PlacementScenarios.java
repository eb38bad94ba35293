package io.remit.scheduler.placement;

import io.remit.scheduler.spec.Constraint;
import io.remit.scheduler.spec.Constraint.Operator;
import io.remit.scheduler.spec.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Ready-made placement inputs, shared by tests and the JMH benchmark in {@code bench}.
 * Deterministic for a given seed.
 */
public final class PlacementScenarios {

    /** One call's input. */
    public record Scenario(List<OfferView> offers, List<Demand> demands, List<RunningInstance> running) {

        public int waitingInstances() {
            return demands.stream().mapToInt(Demand::count).sum();
        }

        public PlacementResult place() {
            return Placement.place(offers, demands, running);
        }
    }

    public static final int LARGE_OFFERS = 1_000;
    public static final int LARGE_SERVICES = 100;
    public static final int LARGE_INSTANCES_PER_SERVICE = 100;
    public static final int LARGE_RUNNING = 2_000;

    private PlacementScenarios() {}

    /**
     * 10,000 waiting instances (100 services of 100) on 1,000 offers from 1,000 agents in 10
     * zones, with 2,000 instances already running. Agents: 16 CPUs, 64 GB, 200 GB disk, 200 ports,
     * attributes {@code zone} (z0..z9), {@code rack} (r00..r49) and {@code disk} (ssd or hdd).
     * Services need 0.1-1.0 CPUs, 128-2048 MB, 0-1024 MB disk and 2 ports; constraints by service
     * number: a quarter {@code [hostname, UNIQUE]}, a quarter {@code [zone, GROUP_BY]}, an eighth
     * {@code [zone, LIKE, "z[0-6]"]}, an eighth {@code [disk, IS, ssd]} plus
     * {@code [rack, UNLIKE, "r4."]}, the rest none. Everything fits with room to spare, so the
     * result places all 10,000.
     */
    public static Scenario large(long seed) {
        Random random = new Random(seed);
        List<OfferView> offers = new ArrayList<>(LARGE_OFFERS);
        List<Map<String, String>> attributes = new ArrayList<>(LARGE_OFFERS);
        for (int i = 0; i < LARGE_OFFERS; i++) {
            Map<String, String> attrs = Map.of(
                    "zone", "z" + (i % 10),
                    "rack", String.format("r%02d", i % 50),
                    "disk", random.nextInt(4) == 0 ? "hdd" : "ssd");
            attributes.add(attrs);
            String host = String.format("agent-%04d", i);
            offers.add(new OfferView("offer-" + i, "agent-id-" + i, host, attrs, 16.0, 65_536, 204_800,
                    List.of(new PortRange(31_000, 31_099), new PortRange(32_000, 32_099))));
        }
        List<Demand> demands = new ArrayList<>(LARGE_SERVICES);
        for (int s = 0; s < LARGE_SERVICES; s++) {
            Resources resources = new Resources(
                    (1 + random.nextInt(10)) / 10.0, 128 * (1 + random.nextInt(16)), random.nextInt(5) * 256,
                    List.of("http", "admin"));
            demands.add(new Demand(serviceId(s), resources, constraintsOf(s), LARGE_INSTANCES_PER_SERVICE, random.nextInt(3)));
        }
        List<RunningInstance> running = new ArrayList<>(LARGE_RUNNING);
        for (int r = 0; r < LARGE_RUNNING; r++) {
            int agent = random.nextInt(LARGE_OFFERS);
            running.add(new RunningInstance(serviceId(random.nextInt(LARGE_SERVICES)), "agent-id-" + agent,
                    String.format("agent-%04d", agent), attributes.get(agent)));
        }
        return new Scenario(List.copyOf(offers), List.copyOf(demands), List.copyOf(running));
    }

    private static String serviceId(int s) {
        return String.format("svc-%03d", s);
    }

    private static List<Constraint> constraintsOf(int s) {
        return switch (s % 8) {
            case 0, 1 -> List.of(Constraint.unique(Constraint.HOSTNAME));
            case 2, 3 -> List.of(Constraint.groupBy("zone"));
            case 4 -> List.of(Constraint.of("zone", Operator.LIKE, "z[0-6]"));
            case 5 -> List.of(Constraint.of("disk", Operator.IS, "ssd"), Constraint.of("rack", Operator.UNLIKE, "r4."));
            default -> List.of();
        };
    }
}
