package io.remit.scheduler.placement;

import io.remit.scheduler.spec.Constraint;
import io.remit.scheduler.spec.Constraint.Operator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Places the instances of one {@link Demand}: best fit by the demand's dominant resource (the
 * fullest offer that still fits), within the constraints.
 *
 * <p>How it stays fast: candidate offers are sorted once per demand by what is left of the
 * dominant resource, and split into groups (one per GROUP_BY value, or a single group). Within a
 * demand an offer that stops fitting never fits again (resources only shrink, UNIQUE counts only
 * grow), so each group walks its sorted offers with a cursor that only moves forward. Groups sit
 * in a priority queue ordered by (instances in the group, dominant resource left on the group's
 * current offer, offer index), so GROUP_BY spreading and best fit cost O(log groups) per
 * instance. Constraint counts live in hash maps keyed by attribute value. One demand costs
 * O(offers log offers + instances log groups).
 */
final class DemandPlacer {

    final Demand demand;
    final long[] need = new long[Dim.values().length];
    final int needPorts;
    /** The port names to take from an offer: the service's, then its executor's if it has one. */
    private final List<String> portNames;
    final Dim dominant;
    private final List<Constraint> filters = new ArrayList<>();
    private final List<Pattern> patterns = new ArrayList<>();
    final List<Constraint> uniques = new ArrayList<>();
    private final List<Map<String, Integer>> uniqueCounts = new ArrayList<>();
    final Constraint groupBy;
    private final Map<String, Integer> groupCounts = new HashMap<>();
    /** Set when GROUP_BY stopped placement: why. */
    String blockedReason;
    /** The fewest instances in a GROUP_BY value that can take no more; nothing may exceed it. */
    private long deadMin = Long.MAX_VALUE;
    private String deadValue;
    private static final long INDEX_MASK = (1L << Placement.INDEX_BITS) - 1;

    DemandPlacer(Demand demand, long[] totals, List<RunningInstance> runningOfService) {
        this.demand = demand;
        need[Dim.CPUS.ordinal()] = Dim.milliCpusNeeded(demand.resources().cpus());
        need[Dim.MEM.ordinal()] = demand.resources().memMb();
        need[Dim.DISK.ordinal()] = demand.resources().diskMb();
        List<String> names = new ArrayList<>(demand.resources().ports());
        if (demand.executorPort()) {
            names.add(Launch.EXECUTOR_PORT);
        }
        portNames = List.copyOf(names);
        needPorts = portNames.size();
        dominant = dominant(need, totals);
        Constraint grouping = null;
        for (Constraint c : demand.constraints()) {
            switch (c.operator()) {
                case UNIQUE -> {
                    uniques.add(c);
                    Map<String, Integer> counts = new HashMap<>();
                    for (RunningInstance r : runningOfService) {
                        String v = r.attribute(c.attribute());
                        if (v != null) {
                            counts.merge(v, 1, Integer::sum);
                        }
                    }
                    uniqueCounts.add(counts);
                }
                case GROUP_BY -> {
                    if (grouping == null) {
                        grouping = c;
                        for (RunningInstance r : runningOfService) {
                            String v = r.attribute(c.attribute());
                            if (v != null) {
                                groupCounts.merge(v, 1, Integer::sum);
                            }
                        }
                    }
                }
                default -> {
                    filters.add(c);
                    patterns.add(c.operator() == Operator.LIKE || c.operator() == Operator.UNLIKE
                            ? Pattern.compile(c.value()) : null);
                }
            }
        }
        groupBy = grouping;
    }

    private static Dim dominant(long[] need, long[] totals) {
        Dim best = Dim.CPUS;
        double bestShare = -1;
        for (Dim d : Dim.values()) {
            long n = need[d.ordinal()];
            double share = n == 0 ? 0 : totals[d.ordinal()] == 0 ? Double.POSITIVE_INFINITY : (double) n / totals[d.ordinal()];
            if (share > bestShare) {
                best = d;
                bestShare = share;
            }
        }
        return best;
    }

    /** The first IS/IS_NOT/LIKE/UNLIKE constraint the offer fails, or null. */
    Constraint failedFilter(OfferView o) {
        for (int i = 0; i < filters.size(); i++) {
            Constraint c = filters.get(i);
            String v = o.attribute(c.attribute());
            boolean ok = switch (c.operator()) {
                case IS -> c.value().equals(v);
                case IS_NOT -> !c.value().equals(v);
                case LIKE -> v != null && patterns.get(i).matcher(v).matches();
                case UNLIKE -> v == null || !patterns.get(i).matcher(v).matches();
                default -> true;
            };
            if (!ok) {
                return c;
            }
        }
        return null;
    }

    /** The first UNIQUE or GROUP_BY constraint whose attribute the offer lacks, or null. */
    Constraint missingAttribute(OfferView o) {
        for (Constraint c : uniques) {
            if (o.attribute(c.attribute()) == null) {
                return c;
            }
        }
        return groupBy != null && o.attribute(groupBy.attribute()) == null ? groupBy : null;
    }

    /** The first UNIQUE constraint whose value on this offer is taken already, or null. */
    Constraint takenUnique(OfferView o) {
        for (int i = 0; i < uniques.size(); i++) {
            if (uniqueCounts.get(i).getOrDefault(o.attribute(uniques.get(i).attribute()), 0) > 0) {
                return uniques.get(i);
            }
        }
        return null;
    }

    private boolean fits(OfferState s) {
        return s.fits(need, needPorts) && (uniques.isEmpty() || takenUnique(s.offer) == null);
    }

    /** One GROUP_BY value's offers (or all offers), best fit first, and a forward-only cursor. */
    private final class Group {
        final String value;
        final int[] offers;
        int cursor;
        int count;

        Group(String value, int[] offers, int count) {
            this.value = value;
            this.offers = offers;
            this.count = count;
        }

        boolean advance(OfferState[] all) {
            while (cursor < offers.length && !fits(all[offers[cursor]])) {
                cursor++;
            }
            return cursor < offers.length;
        }
    }

    /**
     * Places up to {@code demand.count()} instances, taking resources from the offers and adding a
     * {@link Launch} to each offer used, and a {@link RunningInstance} to {@code placed} for each.
     *
     * @return how many were placed
     */
    int place(OfferState[] all, List<RunningInstance> placed) {
        Dim d = dominant;
        long needD = need[d.ordinal()];
        Map<String, List<Long>> keysByValue = new TreeMap<>();
        for (OfferState s : all) {
            if (failedFilter(s.offer) != null || missingAttribute(s.offer) != null) {
                continue;
            }
            String value = groupBy == null ? "" : s.offer.attribute(groupBy.attribute());
            List<Long> keys = keysByValue.computeIfAbsent(value, k -> new ArrayList<>());
            long left = s.remaining(d);
            if (left >= needD) {
                keys.add((left << Placement.INDEX_BITS) | s.index);
            }
        }
        PriorityQueue<Group> queue = new PriorityQueue<>((a, b) -> {
            int c = Integer.compare(a.count, b.count);
            if (c != 0) {
                return c;
            }
            OfferState x = all[a.offers[a.cursor]];
            OfferState y = all[b.offers[b.cursor]];
            c = Long.compare(x.remaining(d), y.remaining(d));
            return c != 0 ? c : Integer.compare(x.index, y.index);
        });
        for (Map.Entry<String, List<Long>> e : keysByValue.entrySet()) {
            long[] keys = e.getValue().stream().mapToLong(Long::longValue).toArray();
            Arrays.sort(keys);
            int[] offers = new int[keys.length];
            for (int i = 0; i < keys.length; i++) {
                offers[i] = (int) (keys[i] & INDEX_MASK);
            }
            Group g = new Group(e.getKey(), offers, groupCounts.getOrDefault(e.getKey(), 0));
            if (g.advance(all)) {
                queue.add(g);
            } else {
                markDead(g.value, g.count);
            }
        }
        TreeSet<String> known = new TreeSet<>(keysByValue.keySet());
        if (groupBy != null) {
            for (Map.Entry<String, Integer> e : new TreeMap<>(groupCounts).entrySet()) {
                if (known.add(e.getKey())) {
                    markDead(e.getKey(), e.getValue());
                }
            }
            if (known.size() < groupBy.groups().orElse(0)) {
                deadMin = 0; // the values not seen yet have no instances
                deadValue = null;
            }
        }
        int done = 0;
        while (done < demand.count()) {
            Group g = queue.poll();
            if (g == null) {
                break;
            }
            OfferState s = all[g.offers[g.cursor]];
            if (!fits(s)) { // a UNIQUE count changed by a launch in another group
                if (g.advance(all)) {
                    queue.add(g);
                } else {
                    markDead(g.value, g.count);
                }
                continue;
            }
            if (g.count > deadMin) {
                blockedReason = "constraint " + groupBy + ": " + (deadValue == null
                        ? known.size() + " of " + groupBy.groups().orElse(0) + " values of " + groupBy.attribute() + " seen "
                                + known + "; waiting for the others to keep the spread even"
                        : "no room left in " + groupBy.attribute() + "=" + deadValue + ", which has " + deadMin
                                + " against " + g.count + " elsewhere; placing more elsewhere would unbalance the spread");
                break;
            }
            launch(s, placed);
            done++;
            g.count++;
            if (g.advance(all)) {
                queue.add(g);
            } else {
                markDead(g.value, g.count);
            }
        }
        return done;
    }

    /** A GROUP_BY value that can take no more instances this round. */
    private void markDead(String value, int count) {
        if (groupBy != null && count < deadMin) {
            deadMin = count;
            deadValue = value;
        }
    }

    private void launch(OfferState s, List<RunningInstance> placed) {
        Map<String, Integer> ports = s.take(need, portNames);
        Integer executorPort = ports.remove(Launch.EXECUTOR_PORT);
        s.launches.add(new Launch(demand.serviceId(), ports, executorPort));
        for (int i = 0; i < uniques.size(); i++) {
            uniqueCounts.get(i).merge(s.offer.attribute(uniques.get(i).attribute()), 1, Integer::sum);
        }
        placed.add(new RunningInstance(demand.serviceId(), s.offer.agentId(), s.offer.hostname(), s.offer.attributes()));
    }
}
