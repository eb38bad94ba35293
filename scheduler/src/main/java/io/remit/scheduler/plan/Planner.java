package io.remit.scheduler.plan;

import io.remit.scheduler.placement.OfferAction;
import io.remit.scheduler.placement.OfferDecider;
import io.remit.scheduler.spec.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The scheduler's brain: from a snapshot of the cluster and the desired state to the actions that
 * move one towards the other. Pure: no state, no I/O, no clock but the {@code now} given; the
 * same input gives the same actions in the same order. Calling it again before the actions took
 * effect is harmless ({@link Action.Launch} is absolute, killing tasks are not killed again).
 *
 * <p>Per service, in id order, only tasks that are active (not ended, not being killed) count:
 *
 * <ul>
 *   <li><b>Scaling.</b> Fewer than {@code instances}: launch the difference. More: kill the
 *       surplus, least healthy first (RUNNING_UNHEALTHY, then PENDING, LAUNCHED, STARTING, then
 *       HEALTHY), newest first among equals.
 *   <li><b>Rolling replacement</b> when some tasks run another revision (version, config or
 *       anything but {@code instances} changed), one instance at a time, surge first:
 *       (1) if fewer than {@code instances} are active, launch new ones to make up the number;
 *       (2) else, while a new-revision instance is not yet HEALTHY, wait (and kill only what is
 *       beyond {@code instances + 1}, a scale-down); (3) else, if more than {@code instances}
 *       are active, kill the surplus, old revision first; (4) else launch one extra
 *       new-revision instance. So: start one extra new instance, wait until it is healthy, kill
 *       one old one, repeat. An old instance is killed only after its replacement is healthy,
 *       so the number of healthy instances never drops below what it was (at most
 *       {@code instances}) as long as the cluster has room for one extra instance; without
 *       room, the update waits and nothing is killed.
 *   <li><b>Dependencies.</b> A service is not launched (nor surged) until every service it
 *       depends on has at least one HEALTHY instance.
 *   <li><b>Backoff.</b> Nothing is launched before the service's
 *       {@link BackoffStatus#nextAllowedLaunch()}; crash-looping services wait it out.
 *   <li>A gated launch becomes an {@link Action.Wait} saying why.
 *   <li>Tasks of services no longer desired are killed.
 * </ul>
 *
 * <p>Offers: {@link Action.Revive} first when something is to be launched and offers are
 * suppressed, or were declined with a long refuse filter (the agents would stay withheld until it
 * runs out); {@link Action.Suppress} last when nothing is to be launched and they are not (the
 * rule is {@link OfferDecider#flow}).
 */
public final class Planner {

    /** Kill order: least healthy first, then newest, then task id. */
    static final Comparator<TaskView> KILL_FIRST = Comparator
            .comparingInt((TaskView t) -> killRank(t.state()))
            .thenComparing(TaskView::launchedAt, Comparator.reverseOrder())
            .thenComparing(TaskView::taskId);

    private Planner() {}

    private static int killRank(TaskState s) {
        return switch (s) {
            case RUNNING_UNHEALTHY -> 0;
            case PENDING -> 1;
            case LAUNCHED -> 2;
            case STARTING -> 3;
            default -> 4;
        };
    }

    public static List<Action> decide(ClusterView view, DesiredState desired, Instant now) {
        Map<String, List<TaskView>> active = new TreeMap<>();
        Map<String, Integer> healthy = new HashMap<>();
        for (TaskView t : view.tasks()) {
            if (t.state().isActive()) {
                active.computeIfAbsent(t.serviceId(), k -> new ArrayList<>()).add(t);
            }
            if (t.state() == TaskState.HEALTHY) {
                healthy.merge(t.serviceId(), 1, Integer::sum);
            }
        }
        TreeSet<String> ids = new TreeSet<>(active.keySet());
        ids.addAll(desired.services().keySet());
        List<Action> body = new ArrayList<>();
        for (String id : ids) {
            List<TaskView> tasks = active.getOrDefault(id, List.of());
            DesiredService service = desired.services().get(id);
            if (service == null) {
                kill(body, tasks, tasks.size(), "service " + id + " was removed");
            } else {
                String gate = gate(service, desired, healthy, view.backoff().get(id), now);
                decideService(body, service, tasks, gate);
            }
        }
        boolean wantsOffers = body.stream().anyMatch(Action.Launch.class::isInstance);
        List<Action> out = new ArrayList<>(body.size() + 1);
        // The offer decider owns the rule; the planner says it in its own words.
        Optional<OfferAction> flow = OfferDecider.flow(wantsOffers, view.offersSuppressed(), view.offersRefused());
        if (flow.isPresent() && flow.get() instanceof OfferAction.Revive) {
            out.add(new Action.Revive());
        }
        out.addAll(body);
        if (flow.isPresent() && flow.get() instanceof OfferAction.Suppress) {
            out.add(new Action.Suppress());
        }
        return List.copyOf(out);
    }

    private static void decideService(List<Action> out, DesiredService s, List<TaskView> active, String gate) {
        int target = s.instances();
        Rollout rollout = s.rollout();
        if (rollout == null) {
            boolean others = active.stream().anyMatch(t -> !t.revision().equals(s.revision()));
            if (!others || target == 0) {
                scale(out, s, active, gate);
                return;
            }
            rollout = new Rollout(List.of(new Rollout.Track(s.revision(), target)), 1, target,
                    "rolling update to revision " + s.revision());
        }
        roll(out, s, rollout, active, gate);
    }

    /** Only the spec's revision runs (or none is wanted): launch the difference, or kill the surplus. */
    private static void scale(List<Action> out, DesiredService s, List<TaskView> active, String gate) {
        int target = s.instances();
        List<TaskView> victims = new ArrayList<>(active);
        victims.sort(Comparator.comparing((TaskView t) -> t.revision().equals(s.revision()))
                .thenComparing(KILL_FIRST));
        int diff = target - active.size();
        if (diff > 0) {
            launch(out, s, diff, null, gate);
        } else if (diff < 0) {
            kill(out, victims, -diff, "scale down to " + target + (target == 1 ? " instance" : " instances"));
        }
    }

    /**
     * Several revisions run, or a deployment wants them: towards each track's count, with at most
     * {@code total + maxSurge} active and never fewer than {@code minHealthy} healthy because of a
     * kill. In order: (1) what is active beyond {@code total + maxSurge} (a scale-down) goes,
     * unwanted revisions first; (2) unwanted instances that are not healthy go; (3) unwanted
     * healthy ones go while more than {@code minHealthy} are healthy; (4) the first track short of
     * its count launches: what the counts are short of, plus the surge not taken by new instances
     * still on their way to healthy. One revision launches per decision.
     */
    private static void roll(List<Action> out, DesiredService s, Rollout r, List<TaskView> active, String gate) {
        Map<String, List<TaskView>> byRevision = new TreeMap<>();
        for (TaskView t : active) {
            byRevision.computeIfAbsent(t.revision(), k -> new ArrayList<>()).add(t);
        }
        // Unwanted: each revision's instances beyond its count, least healthy and newest first.
        List<TaskView> unwanted = new ArrayList<>();
        for (Map.Entry<String, List<TaskView>> e : byRevision.entrySet()) {
            List<TaskView> tasks = new ArrayList<>(e.getValue());
            tasks.sort(KILL_FIRST);
            int surplus = tasks.size() - r.countOf(e.getKey());
            unwanted.addAll(tasks.subList(0, Math.max(0, surplus)));
        }
        // Revisions that are not tracks go before the surplus of a track.
        unwanted.sort(Comparator.comparing((TaskView t) -> r.countOf(t.revision()) > 0).thenComparing(KILL_FIRST));
        int oldCount = (int) active.stream().filter(t -> r.countOf(t.revision()) == 0).count();
        int total = active.size();
        int healthy = (int) active.stream().filter(t -> t.state() == TaskState.HEALTHY).count();
        int cap = r.total() + r.maxSurge();
        List<TaskView> killed = new ArrayList<>();
        if (total > cap) {
            int n = total - cap;
            String reason = "scale down to " + s.instances() + " instances during a rolling update";
            for (int i = 0; i < n && i < unwanted.size(); i++) {
                killed.add(unwanted.get(i));
                out.add(new Action.Kill(unwanted.get(i).taskId(), reason));
            }
        }
        String replaced = r.purpose().startsWith("rolling update to revision ")
                ? "replaced by revision " + s.revision() : r.purpose();
        for (TaskView t : unwanted) {
            if (killed.contains(t)) {
                continue;
            }
            if (t.state() != TaskState.HEALTHY) {
                killed.add(t);
                out.add(new Action.Kill(t.taskId(), replaced));
            }
        }
        int healthyLeft = healthy - (int) killed.stream().filter(t -> t.state() == TaskState.HEALTHY).count();
        for (TaskView t : unwanted) {
            if (!killed.contains(t) && healthyLeft > r.minHealthy()) {
                killed.add(t);
                healthyLeft--;
                out.add(new Action.Kill(t.taskId(), replaced));
            }
        }
        int left = total - killed.size();
        int onTheirWay = (int) active.stream()
                .filter(t -> !killed.contains(t) && r.countOf(t.revision()) > 0 && t.state() != TaskState.HEALTHY).count();
        int allowed = Math.max(0, r.total() - left) + Math.max(0, r.maxSurge() - onTheirWay);
        allowed = Math.min(allowed, cap - left);
        for (Rollout.Track track : r.tracks()) {
            int running = byRevision.getOrDefault(track.revision(), List.of()).size()
                    - (int) killed.stream().filter(t -> t.revision().equals(track.revision())).count();
            int short_ = track.count() - running;
            if (short_ <= 0) {
                continue;
            }
            if (allowed > 0) {
                launch(out, s, Math.min(short_, allowed), track.revision().equals(s.revision()) ? null : track.revision(), gate);
            } else {
                out.add(new Action.Wait(s.id(), waiting(r, onTheirWay, oldCount)));
            }
            return;
        }
        if (killed.size() < unwanted.size() && onTheirWay > 0) {
            out.add(new Action.Wait(s.id(), waiting(r, onTheirWay, oldCount)));
        }
    }

    private static String waiting(Rollout r, int onTheirWay, int others) {
        boolean rolling = r.purpose().startsWith("rolling update to revision ");
        return r.purpose() + ": waiting for " + onTheirWay + (rolling ? " new " : " starting ")
                + (onTheirWay == 1 ? "instance" : "instances") + " to become healthy before "
                + (rolling ? "replacing the next of " + others + " old" : "removing the next of " + others + " others");
    }

    private static void launch(List<Action> out, DesiredService s, int count, String revision, String gate) {
        if (gate == null) {
            out.add(new Action.Launch(s.id(), count, revision));
        } else {
            out.add(new Action.Wait(s.id(), count + (count == 1 ? " instance" : " instances") + " to launch, " + gate));
        }
    }

    private static void kill(List<Action> out, List<TaskView> ordered, int count, String reason) {
        for (int i = 0; i < count && i < ordered.size(); i++) {
            out.add(new Action.Kill(ordered.get(i).taskId(), reason));
        }
    }

    /** Why the service may not launch now, or null if it may. */
    private static String gate(DesiredService s, DesiredState desired, Map<String, Integer> healthy,
            BackoffStatus backoff, Instant now) {
        List<String> reasons = new ArrayList<>();
        List<String> deps = new ArrayList<>();
        for (String dep : s.dependencies()) {
            DesiredService d = desired.services().get(dep);
            if (d == null) {
                deps.add(dep + " (not defined)");
            } else if (healthy.getOrDefault(dep, 0) == 0) {
                deps.add(dep + " (no healthy instance yet, " + d.instances() + " wanted)");
            }
        }
        if (!deps.isEmpty()) {
            reasons.add("waiting for " + (deps.size() == 1 ? "dependency " : "dependencies ") + String.join(", ", deps));
        }
        if (backoff != null && now.isBefore(backoff.nextAllowedLaunch())) {
            Duration left = Duration.between(now, backoff.nextAllowedLaunch());
            reasons.add((backoff.crashLooping() ? "crash-looping" : "restart backoff") + " after " + backoff.failures()
                    + (backoff.failures() == 1 ? " failure" : " failures") + ": next launch in " + Durations.format(left)
                    + " (at " + backoff.nextAllowedLaunch() + ")");
        }
        return reasons.isEmpty() ? null : String.join("; ", reasons);
    }
}
