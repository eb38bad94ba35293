package io.remit.scheduler.capacity;

import io.remit.scheduler.engine.EngineSnapshot;
import io.remit.scheduler.placement.Demand;
import io.remit.scheduler.placement.Launch;
import io.remit.scheduler.placement.OfferView;
import io.remit.scheduler.placement.Placement;
import io.remit.scheduler.placement.PlacementResult;
import io.remit.scheduler.placement.RunningInstance;
import io.remit.scheduler.placement.Unplaced;
import io.remit.scheduler.spec.Constraint;
import io.remit.scheduler.spec.Resources;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.state.TaskRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the cluster holds, what it could still hold, and what-if questions, computed from the
 * master's view of the agents and the scheduler's specs and instances. Pure: no I/O; what-if uses
 * the scheduler's own {@link Placement} on a copy, so it answers exactly what the scheduler would
 * do, and changes nothing.
 */
public final class CapacityPlanner {

    /** What each instance's executor takes on top of the instance, besides the one port of its metrics. */
    public record Overhead(double cpus, int memMb) {
    }

    public record ResourceLine(double total, double allocated, double free) {
    }

    public record Usage(int instances, Amounts resources) {
    }

    public record AgentLine(String agentId, String hostname, Map<String, String> attributes, Amounts total, Amounts used,
                            Amounts free, Map<String, Usage> byService) {
    }

    /** A spec's shape and how many more instances of it the free capacity could take now. */
    public record ShapeFit(String service, Amounts shape, long moreInstances) {
    }

    /**
     * @param largestFree the free resources of the agent with the most free memory: the largest
     *     instance shape that can still be placed in one piece
     * @param stranded free resources on agents where not even the smallest spec's instance fits
     */
    public record Fragmentation(Amounts largestFree, Amounts stranded, List<String> strandedAgents, List<ShapeFit> fits) {
    }

    public record Report(Map<String, ResourceLine> resources, Map<String, Usage> byService, Map<String, Usage> byTeam,
                         Amounts otherFrameworks, Fragmentation fragmentation, List<AgentLine> agents) {
    }

    public record WhatIf(String question, int asked, int fits, Map<String, Integer> byAgent, String reason) {
    }

    private CapacityPlanner() {
    }

    /** The instance's footprint: its resources plus the executor's, and its number of ports, the executor's one included. */
    public static Amounts footprint(Resources r, Overhead o) {
        return new Amounts(Amounts.round(r.cpus() + o.cpus()), r.memMb() + (long) o.memMb(), r.diskMb(), r.ports().size() + 1);
    }

    public static Report report(List<AgentCapacity> agents, EngineSnapshot snapshot, Overhead overhead) {
        Amounts total = Amounts.ZERO;
        Amounts used = Amounts.ZERO;
        for (AgentCapacity a : agents) {
            total = total.plus(a.total());
            used = used.plus(a.used());
        }
        Map<String, Usage> byService = new TreeMap<>();
        Map<String, Usage> byTeam = new TreeMap<>();
        Map<String, Map<String, Usage>> byAgent = new LinkedHashMap<>();
        Amounts remit = Amounts.ZERO;
        for (TaskRecord t : snapshot.tasks().values()) {
            ServiceSpec spec = snapshot.specs().get(t.serviceId());
            if (spec == null || t.state().isTerminal() || t.agentId() == null) {
                continue;
            }
            Amounts f = footprint(spec.resources(), overhead);
            remit = remit.plus(f);
            add(byService, t.serviceId(), f);
            add(byTeam, spec.labels().getOrDefault("team", "(no team)"), f);
            add(byAgent.computeIfAbsent(t.agentId(), k -> new TreeMap<>()), t.serviceId(), f);
        }
        Map<String, ResourceLine> resources = new LinkedHashMap<>();
        Amounts free = total.minus(used);
        resources.put("cpus", new ResourceLine(total.cpus(), used.cpus(), free.cpus()));
        resources.put("memMb", new ResourceLine(total.memMb(), used.memMb(), free.memMb()));
        resources.put("diskMb", new ResourceLine(total.diskMb(), used.diskMb(), free.diskMb()));
        resources.put("ports", new ResourceLine(total.ports(), used.ports(), free.ports()));
        List<AgentLine> lines = new ArrayList<>();
        for (AgentCapacity a : agents) {
            lines.add(new AgentLine(a.agentId(), a.hostname(), a.attributes(), a.total(), a.used(), a.free(),
                    byAgent.getOrDefault(a.agentId(), Map.of())));
        }
        return new Report(resources, byService, byTeam, used.minus(remit), fragmentation(agents, snapshot, overhead), lines);
    }

    private static void add(Map<String, Usage> map, String key, Amounts f) {
        map.merge(key, new Usage(1, f), (a, b) -> new Usage(a.instances() + b.instances(), a.resources().plus(b.resources())));
    }

    static Fragmentation fragmentation(List<AgentCapacity> agents, EngineSnapshot snapshot, Overhead overhead) {
        Amounts largest = agents.stream().map(AgentCapacity::free)
                .max(Comparator.comparingLong(Amounts::memMb).thenComparingDouble(Amounts::cpus)).orElse(Amounts.ZERO);
        List<ShapeFit> fits = new ArrayList<>();
        for (ServiceSpec spec : snapshot.specs().values()) {
            Amounts shape = footprint(spec.resources(), overhead);
            long more = 0;
            for (AgentCapacity a : agents) {
                more += a.free().howMany(shape);
            }
            fits.add(new ShapeFit(spec.id(), shape, more));
        }
        Amounts stranded = Amounts.ZERO;
        List<String> strandedAgents = new ArrayList<>();
        if (!fits.isEmpty()) {
            for (AgentCapacity a : agents) {
                Amounts f = a.free();
                boolean anyFits = fits.stream().anyMatch(s -> f.fits(s.shape()));
                if (!anyFits && (f.cpus() > 0 || f.memMb() > 0)) {
                    stranded = stranded.plus(f);
                    strandedAgents.add(a.hostname());
                }
            }
        }
        return new Fragmentation(largest, stranded, strandedAgents, fits);
    }

    /**
     * How many of {@code count} more instances of {@code resources} (with {@code constraints}, as
     * service {@code serviceId}) the free capacity takes, and on which agents, by the scheduler's
     * own placement function on a copy of the state.
     */
    public static WhatIf whatIf(String question, String serviceId, Resources resources, List<Constraint> constraints,
                                int count, List<AgentCapacity> agents, EngineSnapshot snapshot, Overhead overhead) {
        List<OfferView> offers = new ArrayList<>();
        Map<String, String> hostOf = new LinkedHashMap<>();
        for (AgentCapacity a : agents) {
            Amounts f = a.free();
            offers.add(new OfferView("what-if-" + a.agentId(), a.agentId(), a.hostname(), a.attributes(), f.cpus(), f.memMb(),
                    f.diskMb(), a.freePorts()));
            hostOf.put("what-if-" + a.agentId(), a.hostname());
        }
        List<RunningInstance> running = new ArrayList<>();
        Map<String, AgentCapacity> byId = new LinkedHashMap<>();
        agents.forEach(a -> byId.put(a.agentId(), a));
        for (TaskRecord t : snapshot.tasks().values()) {
            if (t.state().isActive() && t.agentId() != null) {
                AgentCapacity a = byId.get(t.agentId());
                running.add(new RunningInstance(t.serviceId(), t.agentId(), t.hostname(),
                        a == null ? Map.of() : a.attributes()));
            }
        }
        Resources withOverhead = new Resources(resources.cpus() + overhead.cpus(), resources.memMb() + overhead.memMb(),
                resources.diskMb(), resources.ports());
        PlacementResult result = Placement.place(offers, List.of(new Demand(serviceId, withOverhead, constraints, count, 0, true)),
                running);
        Map<String, Integer> byAgent = new TreeMap<>();
        int fits = 0;
        for (Map.Entry<String, List<Launch>> e : result.launches().entrySet()) {
            byAgent.merge(hostOf.get(e.getKey()), e.getValue().size(), Integer::sum);
            fits += e.getValue().size();
        }
        String reason = result.unplaced().stream().map(Unplaced::reason).findFirst().orElse(null);
        return new WhatIf(question, count, fits, byAgent, reason);
    }
}
