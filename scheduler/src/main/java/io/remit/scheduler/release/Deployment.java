package io.remit.scheduler.release;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One change of a service going out, as a plan persisted in etcd ({@code /remit/deployments/<id>})
 * so that whichever scheduler leads carries it on from the step it was at. Immutable: each move
 * is a new record written before anything acts on it.
 *
 * @param id {@code <service>-<etcd revision of the spec change>}: the same change always gets the
 *     same id, so a leader that dies while creating it cannot create it twice
 * @param from the revision the old instances run (the stable one), null for none
 * @param to the revision of the new spec
 * @param fromSpec the old spec as stored (secrets sealed), to relaunch old instances and to roll back
 * @param steps what the deployment goes through: canary steps, then the promotion
 * @param currentStep index into {@code steps}
 * @param stepReachedAt when the current step's new instances were all healthy; null before
 * @param progressAt the last time the deployment moved forward (for {@code progressDeadline})
 * @param held when aborted: the instances per revision left running, kept as they are
 * @param verdicts each analysis's verdict, in order, as the judge gave it
 * @param seen how many new instances were healthy at the last look (progress is a rise)
 * @param resumed the step an operator resumed (a manual pause is over), -1 for none
 * @param specRestored during a rollback: whether the old spec is back in place
 */
public record Deployment(
        String id, String service, String strategy, String from, String to, String fromVersion, String toVersion,
        String fromSpec, List<Step> steps, int currentStep, State state, String reason, Instant createdAt,
        Instant updatedAt, Instant stepStartedAt, Instant stepReachedAt, Instant progressAt, Instant finishedAt,
        Duration progressDeadline, int maxSurge, int maxUnavailable, Map<String, Integer> held, List<JsonNode> verdicts,
        String releaseId, String message, int seen, int resumed, boolean specRestored, String createdBy) {

    /** Where a deployment is. */
    public enum State {
        RUNNING, PAUSED, ROLLING_BACK, SUCCEEDED, FAILED, ROLLED_BACK, ABORTED;

        /** As written in the API: {@code rolling-back}. */
        public String text() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public boolean ended() {
            return this == SUCCEEDED || this == FAILED || this == ROLLED_BACK || this == ABORTED;
        }
    }

    /**
     * What a step does: {@code CANARY} runs some new instances beside every old one;
     * {@code PREVIEW} (blue/green) the whole new version beside the old, with no traffic to it;
     * {@code SWITCH} sends every request to the new version while the old is kept;
     * {@code PROMOTE} ends with only the new version.
     */
    public enum Kind { CANARY, PROMOTE, PREVIEW, SWITCH }

    /**
     * One step: for a canary, {@code instances} new ones beside every old one (with {@code weight}
     * percent of the traffic when the step names a weight), then {@code pause} (or until resumed
     * when {@code manual}), then the analysis when {@code analysis}; the promotion replaces the rest
     * with {@code maxSurge} and {@code maxUnavailable}.
     */
    public record Step(Kind kind, int instances, Duration pause, boolean manual, boolean analysis, Integer weight) {
        public Step {
            Objects.requireNonNull(kind, "kind");
        }

        public Step(Kind kind, int instances, Duration pause, boolean manual, boolean analysis) {
            this(kind, instances, pause, manual, analysis, null);
        }

        public String describe(int count) {
            return switch (kind) {
                case PROMOTE -> "promote: replace the rest, " + count + " new instances in all";
                case PREVIEW -> count + " new instances beside the old, no traffic to them yet";
                case SWITCH -> "every request to the new version; the old kept"
                        + (pause == null ? "" : " for " + io.remit.scheduler.spec.Durations.format(pause));
                case CANARY -> instances + " new " + (instances == 1 ? "instance" : "instances") + " beside the old"
                        + (weight == null ? "" : ", " + weight + "% of the traffic");
            };
        }
    }

    public Deployment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(state, "state");
        steps = List.copyOf(steps);
        held = held == null ? Map.of() : Map.copyOf(held);
        verdicts = verdicts == null ? List.of() : List.copyOf(verdicts);
    }

    public Step step() {
        return steps.get(Math.min(currentStep, steps.size() - 1));
    }

    public boolean lastStep() {
        return currentStep >= steps.size() - 1;
    }

    /** A copy to change: {@code d.edit().state(...).done()}. */
    Edit edit() {
        return new Edit(this);
    }

    /** The fields a move changes; everything else is copied. */
    static final class Edit {
        private final Deployment d;
        int currentStep;
        State state;
        String reason;
        Instant updatedAt;
        Instant stepStartedAt;
        Instant stepReachedAt;
        Instant progressAt;
        Instant finishedAt;
        int seen;
        int resumed;
        boolean specRestored;
        Map<String, Integer> held;
        List<JsonNode> verdicts;

        private Edit(Deployment d) {
            this.d = d;
            currentStep = d.currentStep;
            state = d.state;
            reason = d.reason;
            updatedAt = d.updatedAt;
            stepStartedAt = d.stepStartedAt;
            stepReachedAt = d.stepReachedAt;
            progressAt = d.progressAt;
            finishedAt = d.finishedAt;
            seen = d.seen;
            resumed = d.resumed;
            specRestored = d.specRestored;
            held = d.held;
            verdicts = new java.util.ArrayList<>(d.verdicts);
        }

        Edit state(State s, String why, Instant now) {
            state = s;
            reason = why;
            if (s.ended()) {
                finishedAt = now;
            }
            return this;
        }

        Deployment done(Instant now) {
            return new Deployment(d.id, d.service, d.strategy, d.from, d.to, d.fromVersion, d.toVersion, d.fromSpec,
                    d.steps, currentStep, state, reason, d.createdAt, now, stepStartedAt, stepReachedAt, progressAt,
                    finishedAt, d.progressDeadline, d.maxSurge, d.maxUnavailable, held, verdicts, d.releaseId, d.message,
                    seen, resumed, specRestored, d.createdBy);
        }
    }
}
