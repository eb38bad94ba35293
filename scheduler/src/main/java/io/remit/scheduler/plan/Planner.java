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
        List<TaskView> current = new ArrayList<>();
        List<TaskView> old = new ArrayList<>();
        for (TaskView t : active) {
            (t.revision().equals(s.revision()) ? current : old).add(t);
        }
        current.sort(KILL_FIRST);
        old.sort(KILL_FIRST);
        if (old.isEmpty() || target == 0) {
            int diff = target - active.size();
            if (diff > 0) {
                launch(out, s, diff, gate);
            } else if (diff < 0) {
                List<TaskView> victims = new ArrayList<>(old);
                victims.addAll(current);
                kill(out, victims, -diff, "scale down to " + target + (target == 1 ? " instance" : " instances"));
            }
            return;
        }
        List<TaskView> oldFirst = new ArrayList<>(old);
        oldFirst.addAll(current);
        int total = active.size();
        long inFlight = current.stream().filter(t -> t.state() != TaskState.HEALTHY).count();
        String replaced = "replaced by revision " + s.revision();
        if (total < target) {
            launch(out, s, target - total, gate);
        } else if (inFlight > 0) {
            kill(out, oldFirst, total - target - 1, "scale down to " + target + " instances during a rolling update");
            out.add(new Action.Wait(s.id(), "rolling update to revision " + s.revision() + ": waiting for " + inFlight
                    + " new " + (inFlight == 1 ? "instance" : "instances") + " to become healthy before replacing the next of "
                    + old.size() + " old"));
        } else if (total > target) {
            kill(out, oldFirst, total - target, replaced);
        } else {
            launch(out, s, 1, gate);
        }
    }

    private static void launch(List<Action> out, DesiredService s, int count, String gate) {
        if (gate == null) {
            out.add(new Action.Launch(s.id(), count));
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
