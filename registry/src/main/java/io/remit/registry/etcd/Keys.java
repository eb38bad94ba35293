package io.remit.registry.etcd;

import io.remit.registry.config.ConfigOverlay;
import io.remit.registry.discovery.DiscoveryCache;
import io.remit.registry.discovery.Experiment;
import io.remit.registry.discovery.TrafficSplit;

/**
 * Remit's etcd key layout, in one place. Names ({@code service}, {@code taskId}, {@code flag})
 * are single path segments: non-empty, without {@code /}.
 *
 * <pre>
 * /remit/scheduler/leader                  leader election (lease)
 * /remit/scheduler/framework-id            Mesos FrameworkID
 * /remit/services/&lt;service&gt;/spec           ServiceSpec JSON
 * /remit/revisions/&lt;service&gt;/&lt;n&gt;          the service's revisions 1, 2, 3...: spec, who, when, why (immutable)
 * /remit/tasks/&lt;task-id&gt;                   task records
 * /remit/discovery/&lt;service&gt;/&lt;task-id&gt;     live instance (leased by the executor)
 * /remit/config/&lt;service&gt;/...              runtime config overlay (watched)
 * /remit/flags/&lt;flag&gt;                      feature flags (watched)
 * /remit/traffic/&lt;service&gt;                 the service's traffic split by version (watched by the kit's clients)
 * /remit/experiments/&lt;name&gt;                A/B experiments (watched by the kit)
 * /remit/data/&lt;service&gt;/...                a service's own shared data (schools' catalogue)
 * /remit/access/&lt;service&gt;                   the service's etcd passwords, sealed ({@link EtcdAccessPolicy})
 * /remit/capacity/history/&lt;day&gt;             allocation samples (the scheduler)
 * </pre>
 */
public final class Keys {

    public static final String ROOT = "/remit/";
    public static final String SCHEDULER_LEADER = "/remit/scheduler/leader";
    public static final String FRAMEWORK_ID = "/remit/scheduler/framework-id";
    public static final String SERVICES = "/remit/services/";
    public static final String REVISIONS = "/remit/revisions/";
    public static final String TASKS = "/remit/tasks/";
    public static final String DISCOVERY = "/remit/discovery/";
    public static final String CONFIG = "/remit/config/";
    public static final String FLAGS = "/remit/flags/";
    public static final String DATA = "/remit/data/";
    public static final String ACCESS = "/remit/access/";
    /** The prefix of every service's traffic split ({@link TrafficSplit}). */
    public static final String TRAFFIC = "/remit/traffic/";
    /** The prefix of every experiment ({@link Experiment}). */
    public static final String EXPERIMENTS = "/remit/experiments/";

    private Keys() {
    }

    public static String serviceSpec(String service) {
        return SERVICES + segment("service", service) + "/spec";
    }

    /** {@code /remit/revisions/<service>/}: every revision of the service. */
    public static String revisionsPrefix(String service) {
        return REVISIONS + segment("service", service) + "/";
    }

    /** {@code /remit/revisions/<service>/<n>}, n from 1. */
    public static String revision(String service, long n) {
        if (n < 1) {
            throw new IllegalArgumentException("a revision number starts at 1: " + n);
        }
        return revisionsPrefix(service) + n;
    }

    public static String task(String taskId) {
        return TASKS + segment("taskId", taskId);
    }

    /** {@code /remit/discovery/<service>/}, the prefix a {@link DiscoveryCache} watches. */
    public static String discoveryPrefix(String service) {
        return DISCOVERY + segment("service", service) + "/";
    }

    public static String discovery(String service, String taskId) {
        return discoveryPrefix(service) + segment("taskId", taskId);
    }

    /** {@code /remit/config/<service>/}, the prefix a {@link ConfigOverlay} watches. */
    public static String configPrefix(String service) {
        return CONFIG + segment("service", service) + "/";
    }

    /** {@code /remit/data/<service>/}: what the service itself keeps in etcd. */
    public static String dataPrefix(String service) {
        return DATA + segment("service", service) + "/";
    }

    /** {@code /remit/access/<service>}: the service's etcd passwords, sealed; only the scheduler reads it. */
    public static String access(String service) {
        return ACCESS + segment("service", service);
    }

    /** {@code /remit/traffic/<service>}: how the service's traffic is split over its versions ({@link TrafficSplit}). */
    public static String traffic(String service) {
        return TRAFFIC + segment("service", service);
    }

    /** {@code /remit/experiments/<name>}: an A/B experiment ({@link Experiment}). */
    public static String experiment(String name) {
        return EXPERIMENTS + segment("experiment", name);
    }

    public static String flag(String name) {
        return FLAGS + segment("flag", name);
    }

    /** Whether {@code value} is a usable single key segment (see {@link #segment}). */
    public static boolean isSegment(String value) {
        return value != null && !value.isEmpty() && !value.contains("/") && value.strip().equals(value);
    }

    /** {@code value} when it is a usable single key segment, else an {@link IllegalArgumentException}. */
    public static String segment(String what, String value) {
        if (!isSegment(value)) {
            throw new IllegalArgumentException(what + " must be non-empty, without '/' or surrounding spaces: '"
                    + value + "'");
        }
        return value;
    }
}
