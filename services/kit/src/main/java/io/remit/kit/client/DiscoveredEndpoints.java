package io.remit.kit.client;

import io.remit.registry.discovery.DiscoveryCache;
import io.remit.registry.discovery.Instance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@link Endpoints#discovered}: the lists are made once per change of the discovery cache, not at each call. */
final class DiscoveredEndpoints implements Endpoints {

    private record Lists(Map<String, Instance> snapshot, List<Endpoint> endpoints, List<String> urls) {
    }

    private final DiscoveryCache cache;
    private final String portName;
    private volatile Lists lists = new Lists(null, List.of(), List.of());

    DiscoveredEndpoints(DiscoveryCache cache, String portName) {
        this.cache = cache;
        this.portName = portName;
    }

    @Override
    public List<String> baseUrls() {
        return current().urls();
    }

    @Override
    public List<Endpoint> endpoints() {
        return current().endpoints();
    }

    private Lists current() {
        Map<String, Instance> snapshot = cache.snapshot();
        Lists l = lists;
        if (l.snapshot() != snapshot) {
            List<Endpoint> endpoints = new ArrayList<>(snapshot.size());
            for (Instance i : snapshot.values()) {
                i.port(portName).ifPresent(port -> endpoints.add(
                        new Endpoint("http://" + i.host() + ":" + port, i.version(), i.effectiveWeight())));
            }
            l = new Lists(snapshot, List.copyOf(endpoints), endpoints.stream().map(Endpoint::baseUrl).toList());
            lists = l;
        }
        return l;
    }
}
