package io.remit.kit.routing;

import io.remit.registry.discovery.Experiment;
import io.remit.registry.discovery.TrafficRules;
import io.remit.registry.discovery.TrafficSplit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The routing records a service's kit reads live: each dependency's {@link TrafficSplit} and the
 * {@link Experiment}s, from etcd ({@link TrafficRules}). What is derived from the experiments
 * (which one names a service, which headers and body fields give cohort keys) is kept until they
 * change, so the lookups on a call's path allocate nothing. Thread-safe.
 */
public final class RoutingRules {

    private static final RoutingRules NONE = new RoutingRules(Map::of, Map::of);

    /** What the current experiments say, derived once per change. */
    private record Index(Map<String, Experiment> experiments, Map<String, Experiment> byService, List<String> headers,
                         List<String> fields) {
        static Index of(Map<String, Experiment> experiments) {
            Map<String, Experiment> byService = new HashMap<>();
            List<String> headers = new ArrayList<>();
            List<String> fields = new ArrayList<>();
            // In name order: when two experiments name one service, the first name wins.
            new java.util.TreeMap<>(experiments).values().forEach(e -> {
                e.versions().keySet().forEach(service -> byService.putIfAbsent(service, e));
                String header = e.cohort().header();
                if (header != null && !header.equalsIgnoreCase(Cohort.HEADER) && !headers.contains(header)) {
                    headers.add(header);
                }
                if (e.cohort().field() != null && !fields.contains(e.cohort().field())) {
                    fields.add(e.cohort().field());
                }
            });
            return new Index(experiments, Collections.unmodifiableMap(byService), List.copyOf(headers), List.copyOf(fields));
        }
    }

    private final Supplier<Map<String, TrafficSplit>> splits;
    private final Supplier<Map<String, Experiment>> experiments;
    private volatile Index index = Index.of(Map.of());

    /**
     * @param splits      each service's split now, by service; should return the same map until it changes
     * @param experiments the experiments now, by name; should return the same map until they change
     */
    public RoutingRules(Supplier<Map<String, TrafficSplit>> splits, Supplier<Map<String, Experiment>> experiments) {
        this.splits = splits;
        this.experiments = experiments;
    }

    /** The records watched in etcd. */
    public static RoutingRules of(TrafficRules rules) {
        return new RoutingRules(rules::splits, rules::experiments);
    }

    /** No split, no experiment: every call routed as without them (a service without etcd). */
    public static RoutingRules none() {
        return NONE;
    }

    /** The traffic split of {@code service}, or null. */
    public TrafficSplit split(String service) {
        return splits.get().get(service);
    }

    /** The experiment that names {@code service} (the first by name, if several do), or null. */
    public Experiment experimentFor(String service) {
        return index().byService().get(service);
    }

    /** Every experiment now, by name. */
    public Map<String, Experiment> experiments() {
        return index().experiments();
    }

    /** The request headers, other than {@value Cohort#HEADER}, that experiments take cohort keys from. */
    public List<String> cohortHeaders() {
        return index().headers();
    }

    /** The JSON body fields that experiments take cohort keys from, in experiment name order. */
    public List<String> cohortFields() {
        return index().fields();
    }

    private Index index() {
        Map<String, Experiment> now = experiments.get();
        Index i = index;
        if (i.experiments() != now) {
            i = Index.of(now);
            index = i;
        }
        return i;
    }
}
