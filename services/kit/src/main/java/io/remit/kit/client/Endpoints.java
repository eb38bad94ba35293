package io.remit.kit.client;

import io.remit.registry.discovery.DiscoveryCache;
import java.util.List;

/** Where a dependency's instances are now: base URLs such as {@code http://10.0.0.5:31001}. */
@FunctionalInterface
public interface Endpoints {

    List<String> baseUrls();

    /**
     * The instances now, with their versions and weights, in the order of {@link #baseUrls()}.
     * An implementation whose instances change rarely returns the same list object until they
     * change: the client keeps what it derives from it (its routing plan) keyed by that identity.
     * This default knows no versions and makes a new list at each call.
     */
    default List<Endpoint> endpoints() {
        return baseUrls().stream().map(Endpoint::of).toList();
    }

    /** A fixed list, from config. */
    static Endpoints fixed(List<String> urls) {
        List<String> copy = urls.stream().map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u).toList();
        List<Endpoint> endpoints = copy.stream().map(Endpoint::of).toList();
        return new Endpoints() {
            @Override
            public List<String> baseUrls() {
                return copy;
            }

            @Override
            public List<Endpoint> endpoints() {
                return endpoints;
            }
        };
    }

    /**
     * The instances a watch of {@code /remit/discovery/<service>/} knows, on their port
     * {@code portName}, with their versions and weights. The lists are made once per change of
     * the discovery cache, not at each call.
     */
    static Endpoints discovered(DiscoveryCache cache, String portName) {
        return new DiscoveredEndpoints(cache, portName);
    }
}
