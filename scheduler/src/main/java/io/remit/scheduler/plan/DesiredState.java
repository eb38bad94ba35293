package io.remit.scheduler.plan;

import io.remit.scheduler.spec.ServiceSpec;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** Every service that should exist, by id. A service not in here is removed (its tasks killed). */
public record DesiredState(Map<String, DesiredService> services) {

    public DesiredState {
        services = Collections.unmodifiableMap(new TreeMap<>(services));
    }

    public static DesiredState of(Collection<DesiredService> services) {
        Map<String, DesiredService> byId = new TreeMap<>();
        services.forEach(s -> byId.put(s.id(), s));
        return new DesiredState(byId);
    }

    public static DesiredState ofSpecs(Collection<ServiceSpec> specs) {
        return of(specs.stream().map(DesiredService::of).toList());
    }
}
