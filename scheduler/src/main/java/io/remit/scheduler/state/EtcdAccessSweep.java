package io.remit.scheduler.state;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the etcd users of deleted services away ({@link EtcdAccess#revoke}): a service whose
 * passwords are stored under {@code /remit/access/} but that has no spec and no instance left.
 * The leader runs {@link #sweep} when it is elected and then every few seconds, so a deletion is
 * finished even when the scheduler that accepted it died before its instances were gone.
 *
 * <p>What the engine knows only picks the candidates; {@link EtcdAccess#revoke} checks etcd
 * itself (the spec key, then the task records) before removing anything, so an engine that has
 * not read every spec yet, just after an election, removes nothing it should not. Not
 * thread-safe: one caller (the leader's chore thread).
 */
public final class EtcdAccessSweep {

    private static final Logger LOG = LoggerFactory.getLogger(EtcdAccessSweep.class);

    private final EtcdAccess access;
    private final TaskStore tasks;

    public EtcdAccessSweep(EtcdAccess access, TaskStore tasks) {
        this.access = access;
        this.tasks = tasks;
    }

    /**
     * The services that look deleted: provisioned, without a spec the engine knows and without a
     * task it knows that has not ended. Pure.
     */
    static Set<String> candidates(Set<String> provisioned, Set<String> specs, Collection<TaskRecord> knownTasks) {
        Set<String> out = new TreeSet<>(provisioned);
        out.removeAll(specs);
        knownTasks.stream().filter(t -> !t.state().isTerminal()).forEach(t -> out.remove(t.serviceId()));
        return out;
    }

    /**
     * One pass, given the specs and tasks the engine knows now.
     *
     * @return the services whose users were removed (each is logged); a service that fails is
     *     logged and tried again at the next pass
     */
    public List<String> sweep(Set<String> specs, Collection<TaskRecord> knownTasks) {
        List<String> removed = new ArrayList<>();
        for (String service : candidates(access.provisionedServices(), specs, knownTasks)) {
            try {
                if (access.revoke(service, () -> tasks.all().stream()
                        .noneMatch(t -> t.serviceId().equals(service) && !t.state().isTerminal()))) {
                    removed.add(service);
                }
            } catch (RuntimeException e) {
                LOG.warn("Could not remove the etcd users of deleted service {} (tried again at the next pass): {}",
                        service, e.getMessage());
            }
        }
        return removed;
    }
}
