package io.remit.scheduler.mesos;

import io.remit.scheduler.placement.OfferView;
import io.remit.scheduler.placement.PortRange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos;

/** Mesos offers in Remit's own terms: unreserved scalars and port ranges, attributes as text. */
final class Offers {

    private Offers() {
    }

    static OfferView view(Protos.Offer offer) {
        double cpus = 0;
        double mem = 0;
        double disk = 0;
        List<PortRange> ports = new ArrayList<>();
        for (Protos.Resource r : offer.getResourcesList()) {
            if (r.hasReservation() || r.getReservationsCount() > 0) {
                continue;
            }
            switch (r.getName()) {
                case "cpus" -> cpus += r.getScalar().getValue();
                case "mem" -> mem += r.getScalar().getValue();
                case "disk" -> disk += r.getScalar().getValue();
                case "ports" -> r.getRanges().getRangeList()
                        .forEach(range -> ports.add(new PortRange((int) range.getBegin(), (int) range.getEnd())));
                default -> { }
            }
        }
        return new OfferView(offer.getId().getValue(), offer.getAgentId().getValue(), offer.getHostname(),
                attributes(offer.getAttributesList()), cpus, (long) mem, (long) disk, ports);
    }

    static Map<String, String> attributes(List<Protos.Attribute> attributes) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Protos.Attribute a : attributes) {
            switch (a.getType()) {
                case TEXT -> out.put(a.getName(), a.getText().getValue());
                case SCALAR -> out.put(a.getName(), Double.toString(a.getScalar().getValue()));
                case SET -> out.put(a.getName(), String.join(",", a.getSet().getItemList()));
                default -> { }
            }
        }
        return out;
    }
}
