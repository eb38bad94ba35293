package io.remit.scheduler.plan;

import java.util.List;
import java.util.Objects;

/**
 * How many instances of each revision a service should run while a deployment is under way, and
 * how fast the planner may get there. Without one, a service runs {@code instances} of its spec's
 * revision, replacing any other one extra instance at a time.
 *
 * @param tracks the revisions wanted and their counts, in the order their launches go first;
 *     every active revision not named here is wanted at 0
 * @param maxSurge how many instances may be active beyond the sum of the counts
 * @param minHealthy how many instances (of any revision) must stay healthy: a healthy instance
 *     that is not wanted is killed only while more than this many are healthy
 * @param purpose what is going on, for operators: the start of every Wait and Kill reason
 */
public record Rollout(List<Track> tracks, int maxSurge, int minHealthy, String purpose) {

    /** {@code count} instances of {@code revision}. */
    public record Track(String revision, int count) {
        public Track {
            Objects.requireNonNull(revision, "revision");
            if (count < 0) {
                throw new IllegalArgumentException("count must not be negative: " + count);
            }
        }
    }

    public Rollout {
        tracks = List.copyOf(tracks);
        Objects.requireNonNull(purpose, "purpose");
        if (maxSurge < 0 || minHealthy < 0) {
            throw new IllegalArgumentException("maxSurge and minHealthy must not be negative");
        }
    }

    /** The count wanted of {@code revision}: 0 when it is not a track. */
    public int countOf(String revision) {
        return tracks.stream().filter(t -> t.revision().equals(revision)).mapToInt(Track::count).sum();
    }

    public int total() {
        return tracks.stream().mapToInt(Track::count).sum();
    }
}
