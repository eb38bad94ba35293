package io.remit.scheduler.engine;

import io.remit.scheduler.events.SchedulerEvent;
import io.remit.scheduler.plan.DesiredService;
import io.remit.scheduler.plan.DesiredState;
import io.remit.scheduler.plan.Rollout;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.state.TaskRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the engine is asked for: the services' specs, the deployments under way with the counts
 * they want per revision, and restarts (a restart marks the revision, {@code +restartN}, so that
 * the planner replaces every instance as for a new version). Turns them into the planner's
 * {@link DesiredState}. Threading: the engine's loop thread only.
 */
final class Intent {

    private final Map<String, ServiceSpec> specs = new TreeMap<>();
    private final Map<String, RolloutPlan> rollouts = new TreeMap<>();
    /** Bumped by a restart request; part of the revision the planner compares. */
    private final Map<String, Integer> restarts = new HashMap<>();
    /** Whether deployments drive replacements (the scheduler app); engines in tests without them replace on their own. */
    private boolean deploymentsRun;

    void start(Map<String, ServiceSpec> initialSpecs, Map<String, RolloutPlan> initialRollouts) {
        deploymentsRun = true;
        specs.putAll(initialSpecs);
        rollouts.putAll(initialRollouts);
    }

    Map<String, ServiceSpec> specs() {
        return specs;
    }

    /** The new full set of specs; returns what changed. A new revision ends a service's restart mark. */
    List<SchedulerEvent.SpecChanged> specsChanged(Map<String, ServiceSpec> all) {
        List<SchedulerEvent.SpecChanged> changes = SchedulerEvent.SpecChanged.from(specs, all);
        specs.clear();
        specs.putAll(all);
        restarts.keySet().retainAll(all.keySet());
        changes.stream().filter(c -> c.before() != null && c.after() != null
                        && !c.before().revision().equals(c.after().revision()))
                .forEach(c -> restarts.remove(c.serviceId()));
        return changes;
    }

    /** The new full set of deployments' plans; false when it is what was known. */
    boolean rolloutsChanged(Map<String, RolloutPlan> all) {
        if (rollouts.equals(all)) {
            return false;
        }
        rollouts.clear();
        rollouts.putAll(all);
        return true;
    }

    /** Marks the service for replacement of every instance; false for an unknown service. */
    boolean restart(String serviceId) {
        if (!specs.containsKey(serviceId)) {
            return false;
        }
        restarts.merge(serviceId, 1, Integer::sum);
        return true;
    }

    /** The spec of {@code revision} of a service under a deployment, or null if the deployment does not know it. */
    ServiceSpec deploymentSpec(String serviceId, String revision) {
        RolloutPlan plan = rollouts.get(serviceId);
        return plan == null ? null : plan.specs().get(revision);
    }

    DesiredState desired(Collection<TaskRecord> live) {
        List<DesiredService> list = new ArrayList<>();
        for (ServiceSpec spec : specs.values()) {
            RolloutPlan plan = rollouts.get(spec.id());
            list.add(new DesiredService(spec.id(), revision(spec), spec.instances(), spec.dependencies(),
                    plan != null ? plan.rollout() : holdForDeployment(spec, live)));
        }
        return DesiredState.of(list);
    }

    /**
     * A spec changed but its deployment has not told its counts yet (it does within a second):
     * hold what runs rather than start replacing meanwhile, so that every replacement is a
     * deployment (tracked, with its deadline and rollback). A restart is not held. Null when
     * nothing is to be held.
     */
    private Rollout holdForDeployment(ServiceSpec spec, Collection<TaskRecord> live) {
        if (!deploymentsRun) {
            return null;
        }
        Map<String, Integer> counts = new TreeMap<>();
        boolean changed = false;
        for (TaskRecord t : live) {
            if (t.serviceId().equals(spec.id()) && t.state().isActive()) {
                counts.merge(t.revision(), 1, Integer::sum);
                int plus = t.revision().indexOf("+restart");
                changed |= !(plus < 0 ? t.revision() : t.revision().substring(0, plus)).equals(spec.revision());
            }
        }
        if (!changed) {
            return null;
        }
        List<Rollout.Track> tracks = new ArrayList<>();
        counts.forEach((rev, n) -> tracks.add(new Rollout.Track(rev, n)));
        return new Rollout(tracks, 0, 0, "waiting for the deployment to start");
    }

    /** The spec each service's demand launches: its own, or the revision a deployment asked for. */
    Map<String, ServiceSpec> launchSpecs(Map<String, String> demandRevision) {
        if (demandRevision.isEmpty()) {
            return specs;
        }
        Map<String, ServiceSpec> out = new TreeMap<>(specs);
        demandRevision.forEach((id, rev) -> out.put(id, rollouts.get(id).specs().get(rev)));
        return out;
    }

    /** The revision a service's instances run: its spec's, marked by restarts; a deployment's own while one runs. */
    String revision(ServiceSpec spec) {
        if (rollouts.containsKey(spec.id())) {
            return spec.revision();
        }
        int n = restarts.getOrDefault(spec.id(), 0);
        return n == 0 ? spec.revision() : spec.revision() + "+restart" + n;
    }
}
