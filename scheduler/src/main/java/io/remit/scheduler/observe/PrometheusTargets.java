package io.remit.scheduler.observe;

import io.remit.registry.Instance;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What Prometheus should scrape, in the format of its HTTP service discovery ({@code http_sd_config}):
 * a list of target groups, each {@code {"targets":["host:port"], "labels":{...}}}.
 *
 * <p>Every live instance with an {@code admin} port is one group: its admin address, the metrics
 * path {@code /prometheus} (as {@code __metrics_path__}), and the labels {@code service},
 * {@code version}, {@code instance} (the task id), {@code agent}, {@code zone} and {@code team}
 * (the spec's {@code team} label). A label without a value is left out rather than sent empty.
 * The source is the discovery records in etcd, so a target goes as soon as its record does (a
 * killed instance's record is deleted when the scheduler learns of the end), and schedulers,
 * which announce themselves there under {@code remit-scheduler} ({@link io.remit.scheduler.state.SchedulerAnnouncement}), are listed the
 * same way.
 */
public final class PrometheusTargets {

    /** The path every Remit process serves its metrics on, on its admin port. */
    public static final String METRICS_PATH = "/prometheus";

    private final java.util.function.Supplier<Collection<Instance>> live;
    private final Function<String, Map<String, String>> specLabels;

    /**
     * @param live       the live instances (all services)
     * @param specLabels the labels of a service's spec, empty when it has none or no spec
     */
    public PrometheusTargets(java.util.function.Supplier<Collection<Instance>> live,
                             Function<String, Map<String, String>> specLabels) {
        this.live = live;
        this.specLabels = specLabels;
    }

    /** The target groups, ordered by service, then task id. */
    public List<Map<String, Object>> groups() {
        List<Instance> instances = new ArrayList<>(live.get());
        instances.sort(Comparator.comparing(Instance::service).thenComparing(Instance::taskId));
        List<Map<String, Object>> groups = new ArrayList<>(instances.size());
        for (Instance i : instances) {
            Integer admin = i.ports().get("admin");
            if (admin == null) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("__metrics_path__", METRICS_PATH);
            labels.put("service", i.service());
            labels.put("version", i.version());
            labels.put("instance", i.taskId());
            put(labels, "agent", i.agentId());
            put(labels, "zone", i.zone());
            put(labels, "team", specLabels.apply(i.service()).get("team"));
            Map<String, Object> group = new LinkedHashMap<>();
            group.put("targets", List.of(hostPort(i.host(), admin)));
            group.put("labels", labels);
            groups.add(group);
        }
        return groups;
    }

    private static void put(Map<String, String> labels, String name, String value) {
        if (value != null && !value.isBlank()) {
            labels.put(name, value);
        }
    }

    /** {@code host:port}, with an IPv6 literal in brackets. */
    static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }
}
