package io.remit.scheduler.placement;

import java.util.Map;

/**
 * One instance to launch on an offer.
 *
 * @param serviceId the service
 * @param ports the concrete port number for each of the service's port names, taken from the
 *     offer's ranges; iteration order is the order of the names in the spec
 */
public record Launch(String serviceId, Map<String, Integer> ports) {

    public Launch {
        ports = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(ports));
    }
}
