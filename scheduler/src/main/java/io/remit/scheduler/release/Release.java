package io.remit.scheduler.release;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Changes of several services that go out together ({@code POST /v1/releases}), persisted at
 * {@code /remit/releases/<id>}: applied one at a time in dependency order, each one's deployment
 * (and its analysis) passing before the next starts; when one fails, those already out are put
 * back on their previous specs in reverse order.
 *
 * @param current index of the change being applied (RUNNING) or put back (ROLLING_BACK)
 */
public record Release(String id, String message, String createdBy, Instant createdAt, Instant updatedAt,
                      Instant finishedAt, State state, String reason, List<Change> changes, int current) {

    public enum State {
        RUNNING, ROLLING_BACK, SUCCEEDED, ROLLED_BACK, FAILED;

        public String text() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public boolean ended() {
            return this == SUCCEEDED || this == ROLLED_BACK || this == FAILED;
        }
    }

    public enum Step {
        PENDING, DEPLOYING, DONE, FAILED, REVERTING, REVERTED;

        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One service's change.
     *
     * @param spec the new spec as stored (secrets sealed)
     * @param to the revision it makes instances start from
     * @param fromSpec the spec before, as stored; null for a service the release creates
     * @param startedAt when its spec was written (its deployment is the first after)
     */
    public record Change(String service, String version, String spec, String to, String fromVersion, String fromSpec,
                         Step step, Instant startedAt, String deploymentId, String note) {
        public Change {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(step, "step");
        }

        Change with(Step s, Instant started, String deployment, String why) {
            return new Change(service, version, spec, to, fromVersion, fromSpec, s, started, deployment, why);
        }
    }

    public Release {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        changes = List.copyOf(changes);
    }

    /** The release in state {@code s} at change {@code index}; {@code all} the changes, null for the same. */
    Release with(State s, String why, int index, List<Change> all, Instant now) {
        return new Release(id, message, createdBy, createdAt, now, s.ended() ? now : finishedAt, s, why,
                all == null ? changes : all, index);
    }

    Release withChange(int i, Change c, Instant now) {
        List<Change> all = new java.util.ArrayList<>(changes);
        all.set(i, c);
        return new Release(id, message, createdBy, createdAt, now, finishedAt, state, reason, all, current);
    }
}
