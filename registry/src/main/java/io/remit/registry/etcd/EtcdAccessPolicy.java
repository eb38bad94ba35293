package io.remit.registry.etcd;

import java.util.List;

/**
 * Who may do what in etcd when it runs with authentication: one role per component, each user
 * holding the role of its own name. Every grant is a key prefix ({@link Keys}).
 *
 * <table>
 * <caption>Roles</caption>
 * <tr><th>role (= user)</th><th>read</th><th>write</th></tr>
 * <tr><td>{@code remit-scheduler}</td><td>{@code /remit/}</td><td>{@code /remit/}</td></tr>
 * <tr><td>{@code remit-executor-<id>}</td><td>{@code /remit/discovery/<id>/}</td>
 *     <td>{@code /remit/discovery/<id>/}</td></tr>
 * <tr><td>{@code remit-service-<id>}</td><td>{@code /remit/config/<id>/}, {@code /remit/flags/},
 *     {@code /remit/discovery/}, {@code /remit/traffic/}, {@code /remit/experiments/},
 *     {@code /remit/data/<id>/}</td><td>{@code /remit/data/<id>/}</td></tr>
 * </table>
 *
 * <p>The scheduler is the control plane: specs, tasks, leader election, the framework id, the
 * capacity history, the sealed passwords under {@code /remit/access/}, and it deletes discovery
 * records of instances it stops. An executor writes, renews and deletes its instance's discovery
 * record (etcd checks read permission on the key a guarded delete compares, hence read too) and
 * needs nothing else: leases are granted to any authenticated user, and revoking one needs write
 * permission on the keys bound to it. A service reads its own runtime config, the feature flags
 * (global), every service's discovery records (its clients find their dependencies there), the
 * traffic splits and experiments (its clients route by version with them) and keeps its own data under {@code /remit/data/<id>/} (schools' catalogue). Nobody but the
 * scheduler (and etcd's {@code root}) reads specs, which hold sealed secrets, or another
 * service's config, which may hold its database password.
 */
public final class EtcdAccessPolicy {

    public static final String SCHEDULER = "remit-scheduler";
    public static final String EXECUTOR_PREFIX = "remit-executor-";
    public static final String SERVICE_PREFIX = "remit-service-";

    /** What a grant allows on its prefix. */
    public enum Access { READ, WRITE, READWRITE }

    /** {@code access} on every key starting with {@code prefix}. */
    public record Grant(String prefix, Access access) {
        public Grant {
            if (prefix == null || prefix.isEmpty()) {
                throw new IllegalArgumentException("a grant needs a prefix");
            }
        }
    }

    /** A role and its grants; the user of the same name holds it. */
    public record Role(String name, List<Grant> grants) {
        public Role {
            grants = List.copyOf(grants);
        }
    }

    private EtcdAccessPolicy() {
    }

    public static Role scheduler() {
        return new Role(SCHEDULER, List.of(new Grant(Keys.ROOT, Access.READWRITE)));
    }

    public static String executorUser(String service) {
        return EXECUTOR_PREFIX + Keys.segment("service", service);
    }

    public static String serviceUser(String service) {
        return SERVICE_PREFIX + Keys.segment("service", service);
    }

    /** The executors of {@code service}: their instances' discovery records, nothing more. */
    public static Role executor(String service) {
        return new Role(executorUser(service), List.of(new Grant(Keys.discoveryPrefix(service), Access.READWRITE)));
    }

    /** The instances of {@code service}, through the kit. */
    public static Role service(String service) {
        return new Role(serviceUser(service), List.of(
                new Grant(Keys.configPrefix(service), Access.READ),
                new Grant(Keys.FLAGS, Access.READ),
                new Grant(Keys.DISCOVERY, Access.READ),
                new Grant(Keys.TRAFFIC, Access.READ),
                new Grant(Keys.EXPERIMENTS, Access.READ),
                new Grant(Keys.dataPrefix(service), Access.READWRITE)));
    }
}
