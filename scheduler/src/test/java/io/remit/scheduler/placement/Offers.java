package io.remit.scheduler.placement;

import io.remit.scheduler.spec.Constraint;
import io.remit.scheduler.spec.Resources;
import java.util.List;
import java.util.Map;

/** Builders for placement tests. */
final class Offers {

    private Offers() {}

    static OfferView offer(String id, String host, double cpus, long memMb, Map<String, String> attributes) {
        return new OfferView(id, "agent-" + host, host, attributes, cpus, memMb, 10_000, List.of(new PortRange(31000, 31099)));
    }

    static OfferView offer(String id, String host, double cpus, long memMb) {
        return offer(id, host, cpus, memMb, Map.of());
    }

    static OfferView inZone(String id, String host, String zone) {
        return offer(id, host, 8, 8192, Map.of("zone", zone));
    }

    static Demand demand(String service, double cpus, int memMb, int count, Constraint... constraints) {
        return new Demand(service, new Resources(cpus, memMb, 0, List.of("http", "admin")), List.of(constraints), count, 0);
    }

    static RunningInstance runningOn(String service, OfferView offer) {
        return new RunningInstance(service, offer.agentId(), offer.hostname(), offer.attributes());
    }
}
