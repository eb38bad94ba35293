package io.remit.scheduler.state;

import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.spec.SpecRevision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Which revisions a write of a spec makes: the one rule both {@link SpecStore}s follow. Pure. */
final class RevisionRule {

    /** The message of the revision recorded for a spec found stored without any (written before revisions were kept). */
    static final String BASELINE = "as stored before revisions were kept";

    private RevisionRule() {
    }

    /**
     * The revisions to store with one write.
     *
     * @param baseline the spec stored now as revision 1, when it has no revision yet; else null
     * @param made     the revision of this change; null when it makes none
     */
    record Plan(Revision baseline, Revision made) {

        /** Every revision to store, oldest first. */
        List<Revision> all() {
            List<Revision> out = new ArrayList<>(2);
            if (baseline != null) {
                out.add(baseline);
            }
            if (made != null) {
                out.add(made);
            }
            return out;
        }
    }

    /**
     * What a write of {@code next} stores besides the spec.
     *
     * @param old               the spec stored now; null when the service does not exist (the write creates it)
     * @param newestNumber      the number of the service's newest revision; 0 when it has none
     * @param newestFingerprint that revision's {@link Revision#settings()}; null when it has none or it is unreadable
     * @return a creation always makes the next revision; a replacement makes one when anything but
     *     {@code instances} differs from the newest revision's (scaling alone makes none); a
     *     replacement of a spec that has no revision yet first records that spec as revision 1
     */
    static Plan of(String service, ServiceSpec old, long newestNumber, String newestFingerprint, ServiceSpec next,
                   SpecStore.Change change, Instant at) {
        Revision baseline = null;
        long number = newestNumber;
        String fingerprint = newestFingerprint;
        if (old != null && newestNumber == 0) {
            baseline = new Revision(service, 1, old, SpecStore.Change.REMIT, at, BASELINE);
            number = 1;
            fingerprint = baseline.settings();
        }
        Revision made = null;
        if (old == null || fingerprint == null || !fingerprint.equals(SpecRevision.ofSettings(next))) {
            made = new Revision(service, number + 1, next, change.who(), at, change.message());
        }
        return new Plan(baseline, made);
    }
}
