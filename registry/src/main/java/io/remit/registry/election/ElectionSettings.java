package io.remit.registry.election;

import io.remit.registry.etcd.InvalidSettingsException;
import io.remit.registry.etcd.Keys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A candidate in a leader election.
 *
 * @param name        the election key; {@code null} means {@link Keys#SCHEDULER_LEADER}
 * @param candidateId this candidate's id, unique among candidates (e.g. {@code host:port}); it is
 *                    the value others read as {@link LeaderElection#leader()}
 * @param ttl         lease TTL in whole seconds: how long a dead leader keeps its leadership; {@code null}
 *                    means 10 s. etcd raises values below its minimum (about 2 s by default)
 */
public record ElectionSettings(String name, String candidateId, Duration ttl) {

    public static final Duration DEFAULT_TTL = Duration.ofSeconds(10);

    public ElectionSettings {
        name = name == null ? Keys.SCHEDULER_LEADER : name;
        ttl = ttl == null ? DEFAULT_TTL : ttl;
    }

    /** The scheduler's election with the default TTL. */
    public static ElectionSettings scheduler(String candidateId) {
        return new ElectionSettings(null, candidateId, null);
    }

    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (!name.startsWith("/") || name.endsWith("/")) {
            problems.add("name: must be an absolute key not ending in '/' (was '" + name + "')");
        }
        if (candidateId == null || candidateId.isBlank()) {
            problems.add("candidateId: required");
        }
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.toMillis() % 1000 != 0) {
            problems.add("ttl: must be whole seconds, at least 1 s (was " + ttl + ")");
        }
        return List.copyOf(problems);
    }

    public ElectionSettings validated() {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException("leader election", problems);
        }
        return this;
    }
}
