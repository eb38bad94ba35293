package io.remit.scheduler.release;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.scheduler.plan.Rollout;
import io.remit.scheduler.release.Deployment.Kind;
import io.remit.scheduler.release.Deployment.State;
import io.remit.scheduler.release.Deployment.Step;
import io.remit.scheduler.spec.DeploymentSpec;
import io.remit.scheduler.spec.Durations;
import io.remit.scheduler.spec.ServiceSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a deployment does next, decided from its record and what runs: pure, no I/O, no clock but
 * the {@code now} given. {@link DeploymentRunner} persists each move before the engine acts on
 * it, so a new leader carries on from the same step.
 */
public final class Deployments {

    private Deployments() {}

    /** What runs of one service, as the deployment needs to see it. */
    public record View(int instances, Map<String, Integer> active, Map<String, Integer> healthy,
                       Map<String, List<String>> instanceIds, Map<String, Integer> failed) {

        /** New instances that failed (ended other than by a kill) before the deployment gives up on them. */
        static final int CRASH_LOOP = 3;

        int active(String revision) {
            return active.getOrDefault(revision, 0);
        }

        int healthy(String revision) {
            return healthy.getOrDefault(revision, 0);
        }

        int activeOtherThan(String revision) {
            return active.entrySet().stream().filter(e -> !e.getKey().equals(revision)).mapToInt(Map.Entry::getValue).sum();
        }
    }

    /** The canary's judge: compares the new instances with the old over a window. */
    public interface Judge {
        Judgement judge(Deployment d, List<String> baseline, List<String> canary, Instant from, Instant to);

        /**
         * After a blue/green switch: the new instances from {@code switchedAt} to {@code to}, against
         * the old ones over as long a window just before the switch (when they had the traffic).
         */
        default Judgement judgeSwitch(Deployment d, List<String> old, List<String> current, Instant switchedAt, Instant to) {
            return judge(d, old, current, switchedAt, to);
        }
    }

    /** A verdict: PASS moves on, FAIL rolls back, INCONCLUSIVE waits (within the deadline). */
    public record Judgement(Outcome outcome, String summary, JsonNode detail) {
        public enum Outcome { PASS, FAIL, INCONCLUSIVE }
    }

    /** The steps a spec's deployment settings make: each canary step, then the promotion. */
    public static List<Step> steps(DeploymentSpec spec, int instances) {
        List<Step> steps = new ArrayList<>();
        boolean analysis = spec.analysis() != null;
        if (spec.strategy() == DeploymentSpec.Strategy.CANARY) {
            for (DeploymentSpec.CanaryStep s : spec.steps()) {
                steps.add(new Step(Kind.CANARY, s.instancesOf(instances), s.pause(), s.manual(), analysis, s.weight()));
            }
        }
        if (spec.strategy() == DeploymentSpec.Strategy.BLUE_GREEN) {
            steps.add(new Step(Kind.PREVIEW, instances, spec.previewPause(), spec.previewManual(), false));
            steps.add(new Step(Kind.SWITCH, instances, spec.keepOldOrDefault(), false, analysis));
        }
        steps.add(new Step(Kind.PROMOTE, instances, null, false, false));
        return steps;
    }

    /** A new deployment from the old revision (what most old instances run) to the spec's. */
    public static Deployment create(String id, ServiceSpec spec, String from, String fromVersion, String fromSpec,
                                    Instant now, String releaseId, String message, String createdBy) {
        DeploymentSpec ds = spec.deployment();
        int n = spec.instances();
        return new Deployment(id, spec.id(), ds.strategy().text(), from, spec.revision(), fromVersion, spec.version(),
                fromSpec, steps(ds, n), 0, State.RUNNING, "step 1: " + steps(ds, n).get(0).describe(n), now, now, now,
                null, now, null, ds.progressDeadline(), ds.maxSurge().of(n, true), ds.maxUnavailable().of(n, false),
                Map.of(), List.of(), releaseId, message, 0, -1, false, createdBy);
    }

    /** What the planner should run of the service now, or null when the deployment wants nothing of it. */
    public static Rollout rollout(Deployment d, int instances) {
        int n = instances;
        String label = "deployment " + d.id();
        switch (d.state()) {
            case RUNNING, PAUSED -> {
                Step step = d.step();
                if (step.kind() == Kind.CANARY && d.from() != null) {
                    return new Rollout(List.of(new Rollout.Track(d.from(), n), new Rollout.Track(d.to(), Math.min(step.instances(), Math.max(n, 1)))),
                            0, Math.max(0, n - d.maxUnavailable()), "canary step " + (d.currentStep() + 1) + " of " + label);
                }
                if ((step.kind() == Kind.PREVIEW || step.kind() == Kind.SWITCH) && d.from() != null) {
                    return new Rollout(List.of(new Rollout.Track(d.from(), n), new Rollout.Track(d.to(), n)), 0, n,
                            (step.kind() == Kind.PREVIEW ? "blue/green preview of " : "blue/green switch of ") + label);
                }
                return new Rollout(List.of(new Rollout.Track(d.to(), n)), d.maxSurge(), Math.max(0, n - d.maxUnavailable()),
                        "rolling update to revision " + d.to());
            }
            case ROLLING_BACK -> {
                if (d.from() == null) {
                    return null;
                }
                return new Rollout(List.of(new Rollout.Track(d.from(), n)), Math.max(1, n), n, "rollback of " + label);
            }
            case ABORTED -> {
                List<Rollout.Track> tracks = new ArrayList<>();
                d.held().forEach((rev, count) -> tracks.add(new Rollout.Track(rev, count)));
                return tracks.isEmpty() ? null : new Rollout(tracks, 0, 0, label + " was aborted: holding what runs");
            }
            default -> {
                return null;
            }
        }
    }

    /** The deployment's next move: the same record when nothing changed. */
    public static Deployment advance(Deployment d, View v, Instant now, Judge judge) {
        return switch (d.state()) {
            case RUNNING -> running(d, v, now, judge);
            case ROLLING_BACK -> rollingBack(d, v, now);
            default -> d;
        };
    }

    private static Deployment running(Deployment d, View v, Instant now, Judge judge) {
        int n = v.instances();
        Step step = d.step();
        String where = "step " + (d.currentStep() + 1) + " of " + d.steps().size();
        int failed = v.failed().getOrDefault(d.to(), 0);
        if (failed >= View.CRASH_LOOP) {
            return rollback(d, "the new instances crash-loop: " + failed + " of them failed", now);
        }
        int healthyNew = v.healthy(d.to());
        boolean reached = step.kind() == Kind.PROMOTE
                ? healthyNew >= n && v.activeOtherThan(d.to()) == 0
                : healthyNew >= wanted(d, step, n);
        if (step.kind() == Kind.SWITCH && healthyNew < n) {
            // The new version serves everything now: one of its instances going is a failure of
            // the release, and the old one is still there to switch back to at once.
            return rollback(d, where + ": " + healthyNew + " of " + n + " new instances healthy after the switch", now);
        }
        Deployment.Edit e = d.edit();
        boolean changed = false;
        if (healthyNew > d.seen()) {
            e.seen = healthyNew;
            e.progressAt = now;
            changed = true;
        }
        if (!reached) {
            Instant since = changed ? now : d.progressAt();
            if (Duration.between(since, now).compareTo(d.progressDeadline()) > 0) {
                return rollback(d, where + " (" + step.describe(n) + ") made no progress for "
                        + Durations.format(d.progressDeadline()) + ": " + healthyNew + " of " + wanted(d, step, n)
                        + " new instances healthy", now);
            }
            return changed ? e.done(now) : d;
        }
        if (d.stepReachedAt() == null) {
            e.stepReachedAt = now;
            e.progressAt = now;
            e.reason = where + ": " + healthyNew + " new instances healthy";
            return e.done(now);
        }
        if (step.kind() == Kind.PROMOTE) {
            return e.state(State.SUCCEEDED, n + " instances of version " + d.toVersion() + " healthy; the old ones are gone", now)
                    .done(now);
        }
        if (step.manual() && d.resumed() != d.currentStep()) {
            return e.state(State.PAUSED, where + " done: waiting to be resumed", now).done(now);
        }
        Instant pauseEnds = step.pause() == null ? d.stepReachedAt() : d.stepReachedAt().plus(step.pause());
        if (now.isBefore(pauseEnds)) {
            return changed ? e.done(now) : d;
        }
        if (step.analysis()) {
            List<String> baseline = v.instanceIds().getOrDefault(d.from(), List.of());
            List<String> canary = v.instanceIds().getOrDefault(d.to(), List.of());
            Judgement j = step.kind() == Kind.SWITCH
                    ? judge.judgeSwitch(d, baseline, canary, d.stepReachedAt(), now)
                    : judge.judge(d, baseline, canary, d.stepReachedAt(), now);
            switch (j.outcome()) {
                case FAIL -> {
                    Deployment judged = e.done(now);
                    Deployment.Edit f = judged.edit();
                    f.verdicts.add(j.detail());
                    return rollback(f.done(now), "analysis failed at " + where + ": " + j.summary(), now);
                }
                case INCONCLUSIVE -> {
                    if (Duration.between(pauseEnds, now).compareTo(d.progressDeadline()) > 0) {
                        Deployment.Edit f = d.edit();
                        f.verdicts.add(j.detail());
                        return rollback(f.done(now), "analysis still inconclusive after "
                                + Durations.format(d.progressDeadline()) + " at " + where + ": " + j.summary(), now);
                    }
                    String why = where + ": analysis inconclusive, " + j.summary();
                    if (!why.equals(d.reason())) {
                        e.reason = why;
                        return e.done(now);
                    }
                    return changed ? e.done(now) : d;
                }
                default -> e.verdicts.add(j.detail());
            }
        }
        Step next = d.steps().get(d.currentStep() + 1);
        e.currentStep = d.currentStep() + 1;
        e.state = State.RUNNING;
        e.reason = "step " + (d.currentStep() + 2) + " of " + d.steps().size() + ": " + next.describe(n);
        e.stepStartedAt = now;
        e.stepReachedAt = null;
        e.progressAt = now;
        return e.done(now);
    }

    private static int wanted(Deployment d, Step step, int n) {
        return step.kind() == Kind.CANARY ? Math.min(step.instances(), Math.max(n, 1)) : n;
    }

    /**
     * The share of requests each version should get while {@code d} runs, as the discovery
     * traffic record carries it (version to percent); null when requests should simply spread
     * over every instance. Only where the two versions differ: the record routes by version.
     */
    public static Map<String, Integer> traffic(Deployment d) {
        String from = d.fromVersion();
        String to = d.toVersion();
        if (from == null || to == null || from.equals(to) || d.from() == null) {
            return null;
        }
        return switch (d.state()) {
            case RUNNING, PAUSED -> {
                Step step = d.step();
                yield switch (step.kind()) {
                    case CANARY -> step.weight() == null ? null : split(from, 100 - step.weight(), to, step.weight());
                    case PREVIEW -> split(from, 100, to, 0);
                    case SWITCH -> split(from, 0, to, 100);
                    case PROMOTE -> "blueGreen".equals(d.strategy()) ? split(from, 0, to, 100) : null;
                };
            }
            // Back to the old version at once; aborted: the stable version keeps the requests,
            // unless the old ones were already going.
            case ROLLING_BACK -> split(from, 100, to, 0);
            case ABORTED -> d.step().kind() != Kind.PROMOTE ? split(from, 100, to, 0)
                    : "blueGreen".equals(d.strategy()) ? split(from, 0, to, 100) : null;
            default -> null;
        };
    }

    private static Map<String, Integer> split(String from, int fromShare, String to, int toShare) {
        Map<String, Integer> m = new java.util.LinkedHashMap<>();
        m.put(from, fromShare);
        m.put(to, toShare);
        return m;
    }

    private static Deployment rollingBack(Deployment d, View v, Instant now) {
        int n = v.instances();
        if (d.specRestored() && v.healthy(d.from()) >= n && v.activeOtherThan(d.from()) == 0) {
            return d.edit().state(State.ROLLED_BACK, d.reason(), now).done(now);
        }
        return d;
    }

    /** Starts rolling back: the old instances back to full count, then the new ones removed. */
    public static Deployment rollback(Deployment d, String why, Instant now) {
        if (d.from() == null || d.fromSpec() == null) {
            return d.edit().state(State.FAILED, why + "; nothing to roll back to", now).done(now);
        }
        Deployment.Edit e = d.edit().state(State.ROLLING_BACK, why, now);
        e.progressAt = now;
        return e.done(now);
    }

    /** An operator pauses: the deployment holds where it is. */
    public static Deployment pause(Deployment d, String who, Instant now) {
        return d.edit().state(State.PAUSED, "paused by " + who + " at step " + (d.currentStep() + 1), now).done(now);
    }

    /** An operator resumes: a manual pause of the current step is over; the deadline starts again. */
    public static Deployment resume(Deployment d, String who, Instant now) {
        Deployment.Edit e = d.edit().state(State.RUNNING, "resumed by " + who + " at step " + (d.currentStep() + 1), now);
        e.resumed = d.currentStep();
        e.progressAt = now;
        return e.done(now);
    }

    /** An operator aborts: the deployment stops and what runs now stays as it is. */
    public static Deployment abort(Deployment d, Map<String, Integer> running, String why, Instant now) {
        Deployment.Edit e = d.edit().state(State.ABORTED, why, now);
        e.held = running;
        return e.done(now);
    }
}
