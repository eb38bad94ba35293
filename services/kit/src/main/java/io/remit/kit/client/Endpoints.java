package io.remit.kit.client;

import io.remit.registry.DiscoveryCache;
import io.remit.registry.Instance;
import java.util.ArrayList;
import java.util.List;

/** Where a dependency's instances are now: base URLs such as {@code http://10.0.0.5:31001}. */
@FunctionalInterface
public interface Endpoints {

    List<String> baseUrls();

    /** A fixed list, from config. */
    static Endpoints fixed(List<String> urls) {
        List<String> copy = urls.stream().map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u).toList();
        return () -> copy;
    }

    /** The instances a watch of {@code /remit/discovery/<service>/} knows, on their port {@code portName}. */
    static Endpoints discovered(DiscoveryCache cache, String portName) {
        return () -> {
            List<String> urls = new ArrayList<>();
            for (Instance i : cache.instances()) {
                i.port(portName).ifPresent(port -> urls.add("http://" + i.host() + ":" + port));
            }
            return urls;
        };
    }
}
