package io.remit.scheduler.release;

import io.remit.scheduler.engine.EngineSnapshot;
import io.remit.scheduler.events.SchedulerEvent;
import io.remit.scheduler.plan.TaskState;
import io.remit.scheduler.release.Release.Step;
import io.remit.scheduler.spec.InvalidSpecException;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.state.SpecCodec;
import io.remit.scheduler.state.SpecStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the releases on, one round at a time on the deployments' thread: writes the next change's
 * spec, waits for its deployment to succeed, and when one fails puts those already out back in
 * reverse order. Each move is written to etcd (compare-and-set) before the next is made, so a new
 * leader carries a release on from where it was.
 */
final class ReleaseRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseRunner.class);

    /** A change with no instances to replace counts as out once its service is healthy, or fails after this. */
    static final Duration SETTLE = Duration.ofMinutes(10);

    private final RecordStore<Release> releases;
    private final SpecStore specs;
    private final SpecCodec codec;
    private final Consumer<SchedulerEvent> events;

    ReleaseRunner(RecordStore<Release> releases, SpecStore specs, SpecCodec codec, Consumer<SchedulerEvent> events) {
        this.releases = releases;
        this.specs = specs;
        this.codec = codec;
        this.events = events;
    }

    /** The release (running) whose current change is {@code service} going to {@code revision}, if any. */
    Optional<String> releaseOf(String service, String revision) {
        for (RecordStore.Stored<Release> s : releases.all()) {
            Release r = s.value();
            if (r.state() == Release.State.RUNNING && r.current() < r.changes().size()) {
                Release.Change c = r.changes().get(r.current());
                if (c.service().equals(service) && revision.equals(c.to())) {
                    return Optional.of(r.id());
                }
            }
        }
        return Optional.empty();
    }

    void round(EngineSnapshot snap, List<RecordStore.Stored<Deployment>> deployments, Instant now) {
        for (RecordStore.Stored<Release> s : releases.all()) {
            Release r = s.value();
            if (r.state().ended()) {
                continue;
            }
            Release next = r.state() == Release.State.RUNNING ? forward(r, snap, deployments, now) : back(r, snap, deployments, now);
            if (!next.equals(r)) {
                if (releases.update(next, s.modRevision())) {
                    LOG.info("Release {}: {} ({})", next.id(), next.state().text(), next.reason());
                    events.accept(new SchedulerEvent.ReleaseChanged(next.id(), next.state().text(), ReleaseView.of(next)));
                }
            }
        }
    }

    private Release forward(Release r, EngineSnapshot snap, List<RecordStore.Stored<Deployment>> deployments, Instant now) {
        int i = r.current();
        if (i >= r.changes().size()) {
            return r.with(Release.State.SUCCEEDED, "every change is out", i, r.changes(), now);
        }
        Release.Change c = r.changes().get(i);
        switch (c.step()) {
            case PENDING -> {
                ServiceSpec spec = decode(c.spec());
                ServiceSpec current = specs.get(c.service()).map(SpecStore.Stored::spec).orElse(null);
                if (spec == null) {
                    return r.with(Release.State.FAILED, c.service() + ": its spec cannot be read back", i, r.changes(), now);
                }
                if (!spec.equals(current) && specs.put(spec, 0) == SpecStore.Outcome.CONFLICT) {
                    return r;
                }
                return r.withChange(i, c.with(Step.DEPLOYING, now, null, "spec written"), now)
                        .with(Release.State.RUNNING, (i + 1) + " of " + r.changes().size() + ": " + c.service() + " "
                                + c.version() + " going out", i, null, now);
            }
            case DEPLOYING -> {
                Deployment d = deploymentOf(deployments, c.service(), c.to(), r.createdAt());
                if (d == null) {
                    if (replacing(snap, c.service(), c.to())) {
                        return r;
                    }
                    if (settled(snap, c.service(), c.to())) {
                        return done(r, i, c.with(Step.DONE, c.startedAt(), null, "no instances to replace"), now);
                    }
                    if (Duration.between(c.startedAt(), now).compareTo(SETTLE) > 0) {
                        return failed(r, i, c, c.service() + " did not become healthy within " + SETTLE.toMinutes() + " minutes", now);
                    }
                    return r;
                }
                return switch (d.state()) {
                    case SUCCEEDED -> done(r, i, c.with(Step.DONE, c.startedAt(), d.id(), d.reason()), now);
                    case ROLLED_BACK, FAILED, ABORTED, ROLLING_BACK ->
                            failed(r, i, c.with(c.step(), c.startedAt(), d.id(), d.reason()), c.service() + " " + c.version()
                                    + " did not go out (deployment " + d.id() + " " + d.state().text() + ": " + d.reason() + ")", now);
                    default -> d.id().equals(c.deploymentId()) ? r
                            : r.withChange(i, c.with(Step.DEPLOYING, c.startedAt(), d.id(), c.note()), now);
                };
            }
            default -> {
                return r;
            }
        }
    }

    private static Release done(Release r, int i, Release.Change c, Instant now) {
        Release next = r.withChange(i, c, now);
        int n = i + 1;
        if (n >= next.changes().size()) {
            return next.with(Release.State.SUCCEEDED, "all " + next.changes().size() + " changes are out", n, null, now);
        }
        Release.Change up = next.changes().get(n);
        return next.with(Release.State.RUNNING, (n + 1) + " of " + next.changes().size() + ": " + up.service() + " "
                + up.version() + " next", n, null, now);
    }

    private static Release failed(Release r, int i, Release.Change c, String why, Instant now) {
        Release next = r.withChange(i, c.with(Step.FAILED, c.startedAt(), c.deploymentId(), c.note()), now);
        return next.with(Release.State.ROLLING_BACK, why + "; putting back what went out before, in reverse order", i - 1,
                null, now);
    }

    private Release back(Release r, EngineSnapshot snap, List<RecordStore.Stored<Deployment>> deployments, Instant now) {
        int j = r.current();
        while (j >= 0 && r.changes().get(j).step() != Step.DONE && r.changes().get(j).step() != Step.REVERTING) {
            j--;
        }
        if (j < 0) {
            return r.with(Release.State.ROLLED_BACK, r.reason().replace("; putting back what went out before, in reverse order",
                    "; everything is back on its previous spec"), -1, null, now);
        }
        if (j != r.current()) {
            return r.with(Release.State.ROLLING_BACK, r.reason(), j, null, now);
        }
        Release.Change c = r.changes().get(j);
        if (c.step() == Step.DONE) {
            if (c.fromSpec() == null) {
                specs.delete(c.service());
            } else {
                ServiceSpec old = decode(c.fromSpec());
                ServiceSpec current = specs.get(c.service()).map(SpecStore.Stored::spec).orElse(null);
                if (old == null) {
                    return r.with(Release.State.FAILED, c.service() + ": its previous spec cannot be read back", j, null, now);
                }
                ServiceSpec restored = current == null ? old : old.withInstances(current.instances());
                if (!restored.equals(current) && specs.put(restored, 0) == SpecStore.Outcome.CONFLICT) {
                    return r;
                }
            }
            return r.withChange(j, c.with(Step.REVERTING, now, c.deploymentId(), "previous spec put back"), now);
        }
        // REVERTING
        if (c.fromSpec() == null) {
            return snap.specs().containsKey(c.service()) ? r
                    : r.withChange(j, c.with(Step.REVERTED, c.startedAt(), c.deploymentId(), "removed"), now);
        }
        ServiceSpec old = decode(c.fromSpec());
        String back = old == null ? null : old.revision();
        Deployment d = deploymentOf(deployments, c.service(), back, c.startedAt());
        boolean out = d == null ? !replacing(snap, c.service(), back) && settled(snap, c.service(), back)
                : d.state() == Deployment.State.SUCCEEDED;
        if (d != null && d.state().ended() && d.state() != Deployment.State.SUCCEEDED) {
            return r.with(Release.State.FAILED, r.reason() + "; " + c.service() + " could not be put back (deployment "
                    + d.id() + " " + d.state().text() + ": " + d.reason() + ")", j, null, now);
        }
        return out ? r.withChange(j, c.with(Step.REVERTED, c.startedAt(), c.deploymentId(), "back on " + c.fromVersion()), now) : r;
    }

    /** The newest deployment of the service to {@code revision} created at or after {@code since}. */
    static Deployment deploymentOf(List<RecordStore.Stored<Deployment>> all, String service, String revision, Instant since) {
        Deployment found = null;
        for (RecordStore.Stored<Deployment> s : all) {
            Deployment d = s.value();
            if (d.service().equals(service) && d.to().equals(revision) && !d.createdAt().isBefore(since.minusSeconds(1))
                    && (found == null || d.createdAt().isAfter(found.createdAt()))) {
                found = d;
            }
        }
        return found;
    }

    /** Whether instances of another revision than {@code revision} run: a deployment will (or does) replace them. */
    private static boolean replacing(EngineSnapshot snap, String service, String revision) {
        return snap.tasks().values().stream().anyMatch(t -> t.serviceId().equals(service) && t.state().isActive()
                && !t.revision().startsWith(revision));
    }

    /** Whether the service runs its count of healthy instances of {@code revision}. */
    private static boolean settled(EngineSnapshot snap, String service, String revision) {
        ServiceSpec spec = snap.specs().get(service);
        if (spec == null || !spec.revision().equals(revision)) {
            return false;
        }
        long healthy = snap.tasks().values().stream().filter(t -> t.serviceId().equals(service)
                && t.state() == TaskState.HEALTHY && t.revision().startsWith(revision)).count();
        return healthy >= spec.instances();
    }

    private ServiceSpec decode(String stored) {
        try {
            return stored == null ? null : codec.decode(stored);
        } catch (InvalidSpecException e) {
            LOG.error("A stored spec cannot be read back: {}", e.getMessage());
            return null;
        }
    }

}
