package io.remit.scheduler.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The placement function: which waiting instances go on which offers. Pure: no I/O, no clock,
 * no state kept between calls; the same input gives the same output. Thread-safe.
 *
 * <p>Rules:
 *
 * <ul>
 *   <li>Demands are placed one after the other, higher {@link Demand#priority()} first; within
 *       a priority the hardest to fit first: the largest dominant share of one instance (its
 *       largest need relative to everything offered in this round), then the most instances,
 *       then by service id only to break exact ties, so that what is placed does not depend on
 *       the services' names or the order they are given in. An earlier demand may take what a
 *       later one needed; placing large shapes before small ones leaves less stranded.
 *   <li>Best fit by the dominant resource: for each demand, the resource it needs the largest
 *       share of (relative to everything offered in this round) decides; each instance goes to
 *       the offer with the least of that resource left that still fits it entirely (ties: the
 *       earlier offer in the list). This packs offers full and keeps large offers free for
 *       large instances.
 *   <li>Constraints ({@link io.remit.scheduler.spec.Constraint}) count the service's running
 *       instances as well as those placed in this call.
 *   <li>An offer is never over-committed: CPUs (in thousandths), memory, disk and ports placed on
 *       it never exceed what it offers. Ports are numbers from its ranges, lowest first, each
 *       used once.
 * </ul>
 *
 * <p>Cost: O(offers log offers) per demand plus O(log groups) per instance (see
 * {@link DemandPlacer}); 10,000 instances of 100 services on 1,000 offers take a few
 * milliseconds (the test fixture {@code PlacementScenarios.large}).
 */
public final class Placement {

    /** Offers are addressed by index in 21 bits inside sort keys. */
    static final int INDEX_BITS = 21;

    private Placement() {}

    /**
     * @param offers the offers of this round
     * @param demands what waits to be placed; constraints must be valid (see
     *     {@link io.remit.scheduler.spec.SpecValidator})
     * @param running where the services' instances run now, for constraints
     * @throws IllegalArgumentException with more than 2^21 offers
     */
    public static PlacementResult place(List<OfferView> offers, List<Demand> demands, List<RunningInstance> running) {
        if (offers.size() >= 1 << INDEX_BITS) {
            throw new IllegalArgumentException("too many offers in one round: " + offers.size());
        }
        OfferState[] states = new OfferState[offers.size()];
        long[] totals = new long[Dim.values().length];
        for (int i = 0; i < states.length; i++) {
            states[i] = new OfferState(i, offers.get(i));
            for (Dim d : Dim.values()) {
                totals[d.ordinal()] += states[i].remaining(d);
            }
        }
        Map<String, List<RunningInstance>> byService = new HashMap<>();
        for (RunningInstance r : running) {
            byService.computeIfAbsent(r.serviceId(), k -> new ArrayList<>()).add(r);
        }
        List<Demand> ordered = hardestFirst(demands, totals);
        List<Unplaced> unplaced = new ArrayList<>();
        for (Demand demand : ordered) {
            if (demand.count() == 0) {
                continue;
            }
            List<RunningInstance> ofService = byService.computeIfAbsent(demand.serviceId(), k -> new ArrayList<>());
            DemandPlacer placer = new DemandPlacer(demand, totals, ofService);
            int placed = placer.place(states, ofService);
            if (placed < demand.count()) {
                unplaced.add(new Unplaced(demand.serviceId(), demand.count() - placed, WhyNot.explain(placer, states)));
            }
        }
        Map<String, List<Launch>> launches = new LinkedHashMap<>();
        for (OfferState s : states) {
            if (!s.launches.isEmpty()) {
                launches.merge(s.offer.offerId(), List.copyOf(s.launches), (a, b) -> {
                    List<Launch> both = new ArrayList<>(a);
                    both.addAll(b);
                    return List.copyOf(both);
                });
            }
        }
        return new PlacementResult(launches, unplaced);
    }

    /** The demands in placement order: priority, then dominant share of one instance, then count, then id. */
    static List<Demand> hardestFirst(List<Demand> demands, long[] totals) {
        Map<Demand, Double> share = new HashMap<>();
        for (Demand d : demands) {
            share.put(d, dominantShare(d, totals));
        }
        List<Demand> ordered = new ArrayList<>(demands);
        ordered.sort(Comparator.comparingInt(Demand::priority).reversed()
                .thenComparing(Comparator.comparingDouble((Demand d) -> share.get(d)).reversed())
                .thenComparing(Comparator.comparingInt(Demand::count).reversed())
                .thenComparing(Demand::serviceId));
        return ordered;
    }

    /** One instance's largest need relative to what is offered in total (infinite if nothing of it is offered). */
    static double dominantShare(Demand d, long[] totals) {
        long[] need = {Dim.milliCpusNeeded(d.resources().cpus()), d.resources().memMb(), d.resources().diskMb()};
        double best = 0;
        for (Dim dim : Dim.values()) {
            long n = need[dim.ordinal()];
            if (n > 0) {
                long total = totals[dim.ordinal()];
                best = Math.max(best, total == 0 ? Double.POSITIVE_INFINITY : (double) n / total);
            }
        }
        return best;
    }
}
