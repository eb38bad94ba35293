package io.remit.scheduler.placement;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Remit's own view of a Mesos resource offer: the unreserved resources of one agent offered to
 * this framework. The Mesos adapter builds it from the protobuf offer.
 *
 * @param offerId the Mesos offer id
 * @param agentId the Mesos agent id
 * @param hostname the agent's host name (the {@code hostname} constraint attribute)
 * @param attributes the agent's attributes as text (e.g. {@code zone -> eu-1})
 * @param cpus offered CPUs; placement uses whole thousandths, rounding down
 * @param memMb offered memory in MB
 * @param diskMb offered disk in MB
 * @param ports offered port ranges; overlapping ranges are merged
 */
public record OfferView(
        String offerId,
        String agentId,
        String hostname,
        Map<String, String> attributes,
        double cpus,
        long memMb,
        long diskMb,
        List<PortRange> ports) {

    public OfferView {
        Objects.requireNonNull(offerId, "offerId");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(hostname, "hostname");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        ports = ports == null ? List.of() : List.copyOf(ports);
    }

    /** The value of a constraint attribute: the host name for {@code hostname}, else an attribute. */
    public String attribute(String name) {
        return "hostname".equals(name) ? hostname : attributes.get(name);
    }
}
