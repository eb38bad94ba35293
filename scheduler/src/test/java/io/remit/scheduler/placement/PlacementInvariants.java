package io.remit.scheduler.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.scheduler.spec.Constraint;
import io.remit.scheduler.spec.Constraint.Operator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** What must hold for any placement, checked from the outside (independently of the algorithm). */
final class PlacementInvariants {

    private PlacementInvariants() {}

    static void check(List<OfferView> offers, List<Demand> demands, List<RunningInstance> running, PlacementResult r) {
        Map<String, OfferView> byId = new HashMap<>();
        offers.forEach(o -> byId.put(o.offerId(), o));
        Map<String, Demand> demandOf = new HashMap<>();
        demands.forEach(d -> demandOf.put(d.serviceId(), d));
        Map<String, List<OfferView>> placedOn = new HashMap<>();

        r.launches().forEach((offerId, launches) -> {
            OfferView o = byId.get(offerId);
            assertThat(o).as("launch on unknown offer %s", offerId).isNotNull();
            assertThat(launches).isNotEmpty();
            long milliCpus = 0;
            long mem = 0;
            long disk = 0;
            Set<Integer> ports = new HashSet<>();
            for (Launch l : launches) {
                Demand d = demandOf.get(l.serviceId());
                milliCpus += Math.round(d.resources().cpus() * 1000);
                mem += d.resources().memMb();
                disk += d.resources().diskMb();
                assertThat(l.ports().keySet()).containsExactlyElementsOf(d.resources().ports());
                for (int port : l.ports().values()) {
                    assertThat(ports.add(port)).as("port %d used twice on %s", port, offerId).isTrue();
                    assertThat(o.ports()).as("port %d outside the ranges of %s", port, offerId)
                            .anyMatch(range -> range.begin() <= port && port <= range.end());
                }
                for (Constraint c : d.constraints()) {
                    assertThat(filterHolds(c, o)).as("%s on %s", c, offerId).isTrue();
                }
                placedOn.computeIfAbsent(l.serviceId(), k -> new ArrayList<>()).add(o);
            }
            assertThat(milliCpus).as("cpus over-committed on %s", offerId).isLessThanOrEqualTo(Math.round(o.cpus() * 1000));
            assertThat(mem).as("mem over-committed on %s", offerId).isLessThanOrEqualTo(o.memMb());
            assertThat(disk).as("disk over-committed on %s", offerId).isLessThanOrEqualTo(o.diskMb());
        });

        Map<String, Integer> waiting = new HashMap<>();
        r.unplaced().forEach(u -> waiting.merge(u.serviceId(), u.waiting(), Integer::sum));
        for (Demand d : demands) {
            int placed = placedOn.getOrDefault(d.serviceId(), List.of()).size();
            assertThat(placed + waiting.getOrDefault(d.serviceId(), 0)).as("instances of %s", d.serviceId()).isEqualTo(d.count());
            for (Constraint c : d.constraints()) {
                if (c.operator() == Operator.UNIQUE) {
                    checkUnique(d.serviceId(), c, running, placedOn.getOrDefault(d.serviceId(), List.of()));
                } else if (c.operator() == Operator.GROUP_BY) {
                    checkGroupBy(d, c, offers, running, placedOn.getOrDefault(d.serviceId(), List.of()));
                }
            }
        }
    }

    private static boolean filterHolds(Constraint c, OfferView o) {
        String v = o.attribute(c.attribute());
        return switch (c.operator()) {
            case IS -> c.value().equals(v);
            case IS_NOT -> !c.value().equals(v);
            case LIKE -> v != null && Pattern.matches(c.value(), v);
            case UNLIKE -> v == null || !Pattern.matches(c.value(), v);
            case UNIQUE, GROUP_BY -> v != null;
        };
    }

    /** Each new instance went to a value with no instance of the service, and no value got two. */
    private static void checkUnique(String service, Constraint c, List<RunningInstance> running, List<OfferView> placed) {
        Set<String> taken = new HashSet<>();
        running.stream().filter(r -> r.serviceId().equals(service)).forEach(r -> taken.add(r.attribute(c.attribute())));
        for (OfferView o : placed) {
            assertThat(taken.add(o.attribute(c.attribute()))).as("%s: %s twice on %s", service, c, o.attribute(c.attribute())).isTrue();
        }
    }

    /**
     * Every value that got new instances ends with at most one more than the emptiest value known
     * (offered to the service or running it); with an expected count not reached, at most one.
     */
    private static void checkGroupBy(Demand d, Constraint c, List<OfferView> offers, List<RunningInstance> running,
            List<OfferView> placed) {
        Map<String, Integer> counts = new HashMap<>();
        for (OfferView o : offers) {
            boolean eligible = d.constraints().stream()
                    .filter(x -> x.operator() != Operator.GROUP_BY)
                    .allMatch(x -> filterHolds(x, o));
            if (eligible && o.attribute(c.attribute()) != null) {
                counts.putIfAbsent(o.attribute(c.attribute()), 0);
            }
        }
        running.stream().filter(r -> r.serviceId().equals(d.serviceId()) && r.attribute(c.attribute()) != null)
                .forEach(r -> counts.merge(r.attribute(c.attribute()), 1, Integer::sum));
        Set<String> receiving = new HashSet<>();
        for (OfferView o : placed) {
            counts.merge(o.attribute(c.attribute()), 1, Integer::sum);
            receiving.add(o.attribute(c.attribute()));
        }
        int min = counts.size() < c.groups().orElse(0) ? 0 : counts.values().stream().min(Integer::compare).orElse(0);
        for (String v : receiving) {
            assertThat(counts.get(v)).as("%s: %s=%s against a minimum of %d", d.serviceId(), c.attribute(), v, min)
                    .isLessThanOrEqualTo(min + 1);
        }
    }
}
