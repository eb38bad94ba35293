package io.remit.scheduler.placement;

import io.remit.scheduler.spec.Resources;
import io.remit.scheduler.spec.ServiceSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What to do with offers: which to accept with which instances, which to decline and for how
 * long, and when to stop or resume offers. Pure: no I/O, no clock, no state between calls; the
 * engine carries out the {@link OfferAction}s it returns, in order.
 *
 * <p>Rules:
 *
 * <ul>
 *   <li><b>Flow.</b> Instances wait and offers are suppressed, or were declined with the long
 *       filter: {@link OfferAction.Revive}. Nothing waits and offers are not suppressed:
 *       {@link OfferAction.Suppress}. Without a Mesos subscription neither is sent.
 *   <li><b>Nothing wanted</b> (or not subscribed): every offer is declined with
 *       {@code declineRefuse}, the long filter.
 *   <li><b>Placement.</b> Otherwise {@link Placement} decides; each instance needs its spec's
 *       resources plus what its executor takes: CPUs, memory and one port, where the executor
 *       serves its metrics. Offers that got instances are accepted.
 *   <li><b>Unused offers</b> are declined: with the short {@code waitingRefuse} when some
 *       instances found no room (the cluster may change soon and they should see offers again),
 *       with {@code declineRefuse} when everything wanted was placed.
 * </ul>
 */
public final class OfferDecider {

    /**
     * @param declineRefuse how long offers nobody needs are refused
     * @param waitingRefuse how long unused offers are refused while instances still wait for room
     * @param executorCpus what each instance's executor takes on top of the instance
     * @param executorMemMb likewise, in MB
     */
    public record Settings(Duration declineRefuse, Duration waitingRefuse, double executorCpus, int executorMemMb) {
        public Settings {
            Objects.requireNonNull(declineRefuse, "declineRefuse");
            Objects.requireNonNull(waitingRefuse, "waitingRefuse");
        }
    }

    /**
     * One round.
     *
     * @param offers the offers to decide on (none: only the flow is decided)
     * @param demand how many instances of each service wait for offers, as the planner decided
     * @param specs the services' specs; every service in {@code demand} must have one
     * @param running where the services' instances run now, for constraints
     * @param subscribed whether the framework is subscribed to Mesos
     * @param suppressed whether offers are suppressed now
     * @param withheld whether offers were declined with the long filter since the last REVIVE
     */
    public record Round(List<OfferView> offers, Map<String, Integer> demand, Map<String, ServiceSpec> specs,
                        List<RunningInstance> running, boolean subscribed, boolean suppressed, boolean withheld) {
        public Round {
            offers = List.copyOf(offers);
            demand = Map.copyOf(demand);
            specs = Map.copyOf(specs);
            running = List.copyOf(running);
        }
    }

    /**
     * @param actions what to do, in order
     * @param unplaced why instances of a service found no room, by service id; empty when
     *     placement did not run or placed everything
     */
    public record Decision(List<OfferAction> actions, Map<String, String> unplaced) {
        public Decision {
            actions = List.copyOf(actions);
            unplaced = Map.copyOf(unplaced);
        }
    }

    private final Settings settings;

    public OfferDecider(Settings settings) {
        this.settings = settings;
    }

    /** REVIVE, SUPPRESS or nothing, for the demand and the state of offers. */
    public static Optional<OfferAction> flow(boolean wantsOffers, boolean suppressed, boolean withheld) {
        if (wantsOffers && (suppressed || withheld)) {
            return Optional.of(new OfferAction.Revive());
        }
        if (!wantsOffers && !suppressed) {
            return Optional.of(new OfferAction.Suppress());
        }
        return Optional.empty();
    }

    public Decision decide(Round round) {
        List<OfferAction> out = new ArrayList<>();
        boolean wanted = !round.demand().isEmpty();
        if (round.subscribed()) {
            flow(wanted, round.suppressed(), round.withheld()).ifPresent(out::add);
        }
        if (round.offers().isEmpty()) {
            return new Decision(out, Map.of());
        }
        if (!round.subscribed() || !wanted) {
            out.add(new OfferAction.Decline(round.offers().stream().map(OfferView::offerId).toList(),
                    settings.declineRefuse(), true));
            return new Decision(out, Map.of());
        }
        PlacementResult result = Placement.place(round.offers(), demands(round), round.running());
        List<String> unused = new ArrayList<>();
        for (OfferView offer : round.offers()) {
            List<Launch> launches = result.launches().getOrDefault(offer.offerId(), List.of());
            if (launches.isEmpty()) {
                unused.add(offer.offerId());
            } else {
                out.add(new OfferAction.Launch(offer, launches));
            }
        }
        Map<String, String> unplaced = new LinkedHashMap<>();
        for (Unplaced u : result.unplaced()) {
            unplaced.put(u.serviceId(), u.message());
        }
        if (!unused.isEmpty()) {
            boolean allPlaced = unplaced.isEmpty();
            out.add(new OfferAction.Decline(unused, allPlaced ? settings.declineRefuse() : settings.waitingRefuse(),
                    allPlaced));
        }
        return new Decision(out, unplaced);
    }

    private List<Demand> demands(Round round) {
        List<Demand> demands = new ArrayList<>();
        new java.util.TreeMap<>(round.demand()).forEach((id, n) -> {
            ServiceSpec spec = round.specs().get(id);
            if (spec == null) {
                throw new IllegalArgumentException("demand for " + id + " without a spec");
            }
            Resources r = spec.resources();
            Resources withExecutor = new Resources(r.cpus() + settings.executorCpus(),
                    r.memMb() + settings.executorMemMb(), r.diskMb(), r.ports());
            demands.add(new Demand(id, withExecutor, spec.constraints(), n, 0, true));
        });
        return demands;
    }
}
