package io.remit.scheduler.marathon;

import io.remit.scheduler.state.Revision;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * An app's versions as Marathon names them ({@code GET /v2/apps/{id}/versions}): one per Remit
 * {@link Revision}, named by the time Remit recorded it, in milliseconds, ISO form
 * ({@code 2026-11-28T06:52:00.125Z}). Revisions are never changed or removed, so a version names
 * the same revision for good. Two revisions recorded in the same millisecond, or a clock that
 * went back between two schedulers, would share or reverse names: each version is therefore at
 * least a millisecond after the one before it (by revision number), which keeps every name unique
 * and in the revisions' order. Pure; thread-safe.
 */
public final class AppVersions {

    /** One version: its name and the revision it is. */
    public record Version(String name, Instant at, Revision revision) {
    }

    private final List<Version> newestFirst;

    private AppVersions(List<Version> newestFirst) {
        this.newestFirst = List.copyOf(newestFirst);
    }

    /** The versions of one service's revisions, given in any order. */
    public static AppVersions of(List<Revision> revisions) {
        List<Revision> oldestFirst = new ArrayList<>(revisions);
        oldestFirst.sort(Comparator.comparingLong(Revision::number));
        List<Version> out = new ArrayList<>(oldestFirst.size());
        Instant previous = null;
        for (Revision r : oldestFirst) {
            Instant at = r.at().truncatedTo(ChronoUnit.MILLIS);
            if (previous != null && !at.isAfter(previous)) {
                at = previous.plusMillis(1);
            }
            out.add(new Version(MarathonVersion.iso(at), at, r));
            previous = at;
        }
        java.util.Collections.reverse(out);
        return new AppVersions(out);
    }

    /** Newest first, as Marathon lists them. */
    public List<Version> all() {
        return newestFirst;
    }

    public List<String> names() {
        return newestFirst.stream().map(Version::name).toList();
    }

    /** The version a client names: the same instant (so {@code ...00.100Z} and {@code ...00.1Z} are one). */
    public Optional<Version> find(String name) {
        Optional<Instant> at = instant(name);
        return at.flatMap(i -> newestFirst.stream().filter(v -> v.at().equals(i)).findFirst());
    }

    /** The version of revision {@code number}. */
    public Optional<Version> ofRevision(long number) {
        return newestFirst.stream().filter(v -> v.revision().number() == number).findFirst();
    }

    /** {@code name} as an instant when it is an ISO-8601 UTC time such as Marathon's versions. */
    public static Optional<Instant> instant(String name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(name.strip()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** A short list of the names for an error message: the newest few and how many there are. */
    public String describe() {
        if (newestFirst.isEmpty()) {
            return "it has no versions yet";
        }
        int shown = Math.min(5, newestFirst.size());
        String names = String.join(", ", names().subList(0, shown));
        return newestFirst.size() == 1 ? "its only version is " + names
                : "its versions, newest first: " + names + (shown < newestFirst.size()
                        ? " and " + (newestFirst.size() - shown) + " older" : "");
    }
}
