package io.remit.scheduler.state;

import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.spec.SpecRevision;
import java.time.Instant;
import java.util.Objects;

/**
 * One accepted change of a service's spec, kept for good ({@code /remit/revisions/<service>/<n>}):
 * the spec as it was accepted (with the instance count of that moment), who changed it, when and
 * why. Numbered 1, 2, 3... per service; a service's current revision is its newest while it
 * exists. Only a change of what an instance is started from makes a revision: scaling alone does
 * not (see {@link SpecRevision}).
 *
 * @param number  from 1, per service
 * @param who     the authenticated caller's name; {@value SpecStore.Change#REMIT} for Remit itself
 * @param message the change message ({@code X-Remit-Message}, {@code ./remit deploy -m}); "" when none
 */
public record Revision(String service, long number, ServiceSpec spec, String who, Instant at, String message) {

    public Revision {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(at, "at");
        who = who == null ? SpecStore.Change.REMIT : who;
        message = message == null ? "" : message;
        if (number < 1) {
            throw new IllegalArgumentException("revision numbers start at 1: " + number);
        }
    }

    /** The fingerprint of what instances start from ({@link SpecRevision}): a task record's {@code revision}. */
    public String settings() {
        return io.remit.scheduler.spec.SpecRevision.ofSettings(spec);
    }

    public String fingerprint() {
        return SpecRevision.of(spec);
    }
}
