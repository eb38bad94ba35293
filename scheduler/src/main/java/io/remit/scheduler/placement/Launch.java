package io.remit.scheduler.placement;

import java.util.Map;

/**
 * One instance to launch on an offer.
 *
 * @param serviceId the service
 * @param ports the concrete port number for each of the service's port names, taken from the
 *     offer's ranges; iteration order is the order of the names in the spec
 * @param executorPort the port taken from the offer for the instance's executor (its metrics),
 *     or null when its demand asked for none
 */
public record Launch(String serviceId, Map<String, Integer> ports, Integer executorPort) {

    /**
     * The name placement takes the executor's port under, beside the service's; no spec can name
     * a port so (port names are lowercase letters, digits and '-').
     */
    static final String EXECUTOR_PORT = "(executor)";

    public Launch {
        ports = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(ports));
    }

    /** An instance without a port of its executor's. */
    public Launch(String serviceId, Map<String, Integer> ports) {
        this(serviceId, ports, null);
    }
}
