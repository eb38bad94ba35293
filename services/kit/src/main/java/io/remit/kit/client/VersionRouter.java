package io.remit.kit.client;

import io.remit.registry.discovery.Experiment;
import io.remit.registry.discovery.TrafficSplit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Which instances of a dependency a call may go to, by version. A call is routed to one version
 * (or to any), then each attempt to an instance of it by the {@link LoadBalancer}:
 *
 * <ol>
 *   <li>a call with a cohort key, to a service an {@link Experiment} names: the version of the
 *       key's arm, when it has a live instance;</li>
 *   <li>else, when the service has a {@link TrafficSplit}: a version drawn by the split's shares
 *       among the listed versions that have a live instance (a listed version without one has
 *       its share spread over the others in proportion to theirs);</li>
 *   <li>else, or when no listed version has a live instance: any instance, as without a split.
 *       Routing never makes a call fail that could be answered.</li>
 * </ol>
 *
 * Within a version (and for "any"), instances are weighted by their {@link Endpoint#weight()}.
 * An attempt that finds every instance of its version tried already goes to any instance.
 *
 * <p>The {@link Plan} derived from the instances and the split is kept until either changes
 * (by identity), so that routing a call allocates nothing when there is no split and no
 * experiment. Thread-safe.
 */
final class VersionRouter {

    /** The instances of one version, or of every version ({@code version} null). */
    record Group(String version, List<String> urls, int[] weights) {
    }

    /** Where calls may go for one set of instances and one split. Immutable. */
    static final class Plan {
        private final List<Endpoint> endpoints;
        private final TrafficSplit split;
        private final Group all;
        private final Map<String, Group> byVersion;
        private final Map<String, String> versionOf;
        private final String[] drawVersions;
        private final int[] drawCumulative;

        Plan(List<Endpoint> endpoints, TrafficSplit split) {
            this.endpoints = endpoints;
            this.split = split;
            List<String> urls = new ArrayList<>(endpoints.size());
            Map<String, List<Endpoint>> grouped = new LinkedHashMap<>();
            Map<String, String> versions = new HashMap<>();
            for (Endpoint e : endpoints) {
                urls.add(e.baseUrl());
                if (e.version() != null) {
                    grouped.computeIfAbsent(e.version(), v -> new ArrayList<>()).add(e);
                    versions.put(e.baseUrl(), e.version());
                }
            }
            this.all = new Group(null, List.copyOf(urls), weights(endpoints));
            Map<String, Group> groups = new HashMap<>();
            grouped.forEach((version, members) -> groups.put(version,
                    new Group(version, members.stream().map(Endpoint::baseUrl).toList(), weights(members))));
            this.byVersion = Collections.unmodifiableMap(groups);
            this.versionOf = Collections.unmodifiableMap(versions);
            List<String> live = new ArrayList<>();
            List<Integer> shares = new ArrayList<>();
            if (split != null) {
                split.versions().forEach((version, share) -> {
                    if (groups.containsKey(version)) {
                        live.add(version);
                        shares.add(share);
                    }
                });
            }
            int sum = shares.stream().mapToInt(Integer::intValue).sum();
            this.drawVersions = live.toArray(String[]::new);
            this.drawCumulative = new int[live.size()];
            int running = 0;
            for (int i = 0; i < live.size(); i++) {
                // When every live listed version has a 0% share, they share alike what the dead ones had.
                running += sum == 0 ? 1 : shares.get(i);
                drawCumulative[i] = running;
            }
        }

        /** Every instance, weighted. */
        Group all() {
            return all;
        }

        /** The instances of {@code version}; null when none is live (or {@code version} is null). */
        Group group(String version) {
            return version == null ? null : byVersion.get(version);
        }

        /** The version of the instance at {@code url}, when known. */
        String versionOf(String url) {
            return versionOf.get(url);
        }

        /** A version drawn by the split among its live versions; null without a split or when none of them is live. */
        String drawVersion() {
            int n = drawVersions.length;
            if (n == 0) {
                return null;
            }
            if (n == 1) {
                return drawVersions[0];
            }
            int r = ThreadLocalRandom.current().nextInt(drawCumulative[n - 1]);
            for (int i = 0; i < n; i++) {
                if (r < drawCumulative[i]) {
                    return drawVersions[i];
                }
            }
            return drawVersions[n - 1];
        }

        /** Null when every instance weighs the same (then the balancer picks as it always did). */
        private static int[] weights(List<Endpoint> members) {
            int[] w = new int[members.size()];
            boolean equal = true;
            for (int i = 0; i < w.length; i++) {
                w[i] = members.get(i).weight();
                equal &= w[i] == w[0];
            }
            return equal ? null : w;
        }
    }

    private volatile Plan plan = new Plan(List.of(), null);

    /** The plan for these instances and this split (null for none): the last one when neither changed. */
    Plan plan(List<Endpoint> endpoints, TrafficSplit split) {
        Plan p = plan;
        if (p.endpoints != endpoints || p.split != split) {
            p = new Plan(endpoints, split);
            plan = p;
        }
        return p;
    }

    /**
     * The version a call is to go to, or null for any: the arm of {@code cohortKey} in
     * {@code experiment} when that version has a live instance, else one drawn by the plan's split.
     */
    static String version(Plan plan, Experiment experiment, String service, String cohortKey) {
        if (experiment != null && cohortKey != null) {
            String arm = experiment.versionFor(service, cohortKey);
            if (plan.group(arm) != null) {
                return arm;
            }
        }
        return plan.drawVersion();
    }

    /**
     * The instances an attempt of a call routed to {@code version} may go to: that version's,
     * unless it has none left that the call has not tried (then every instance).
     */
    static Group candidates(Plan plan, String version, java.util.Set<String> tried) {
        Group g = plan.group(version);
        if (g == null) {
            return plan.all();
        }
        if (!tried.isEmpty()) {
            for (String url : g.urls()) {
                if (!tried.contains(url)) {
                    return g;
                }
            }
            return plan.all();
        }
        return g;
    }
}
