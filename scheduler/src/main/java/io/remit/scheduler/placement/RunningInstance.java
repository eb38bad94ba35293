package io.remit.scheduler.placement;

import java.util.Map;
import java.util.Objects;

/**
 * An instance that already runs (or has been launched), as far as constraints care: where it is.
 * UNIQUE and GROUP_BY count these.
 */
public record RunningInstance(String serviceId, String agentId, String hostname, Map<String, String> attributes) {

    public RunningInstance {
        Objects.requireNonNull(serviceId, "serviceId");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /** The value of a constraint attribute: the host name for {@code hostname}, else an attribute. */
    public String attribute(String name) {
        return "hostname".equals(name) ? hostname : attributes.get(name);
    }
}
