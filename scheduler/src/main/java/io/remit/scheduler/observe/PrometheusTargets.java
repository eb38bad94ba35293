package io.remit.scheduler.observe;

import io.remit.executor.api.ExecutorEnv;
import io.remit.registry.discovery.Instance;
import io.remit.scheduler.engine.AgentView;
import io.remit.scheduler.engine.EngineSnapshot;
import io.remit.scheduler.plan.TaskState;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.state.TaskRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

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
 *
 * <p>Every instance's executor is one group too, from the scheduler's task records: from the
 * LAUNCH until the task ends, whether or not the service is healthy (that is when its executor's
 * health-check metrics matter), at the agent's host and the port reserved for the executor, path
 * {@value ExecutorEnv#METRICS_PATH}, with the instance's labels plus {@code job="remit-executor"}
 * and {@code component="executor"}. Instances launched without an executor port have none.
 */
public final class PrometheusTargets {

    /** The path every Remit process serves its metrics on, on its admin port. */
    public static final String METRICS_PATH = "/prometheus";
    /** The {@code job} label of the executors' targets (the services' and schedulers' have the scrape config's). */
    public static final String EXECUTOR_JOB = "remit-executor";

    private final Supplier<Collection<Instance>> live;
    private final Supplier<EngineSnapshot> state;

    /**
     * @param live  the live instances (all services)
     * @param state what the scheduler knows: the specs (for their labels), the tasks (for their
     *              executors) and the agents (for their zones)
     */
    public PrometheusTargets(Supplier<Collection<Instance>> live, Supplier<EngineSnapshot> state) {
        this.live = live;
        this.state = state;
    }

    /** The target groups, ordered by service, then task id, an instance before its executor. */
    public List<Map<String, Object>> groups() {
        EngineSnapshot s = state.get();
        List<Instance> instances = new ArrayList<>(live.get());
        Map<String, String> zoneOfTask = new HashMap<>();
        List<Group> groups = new ArrayList<>(instances.size() * 2);
        for (Instance i : instances) {
            if (i.zone() != null) {
                zoneOfTask.put(i.taskId(), i.zone());
            }
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
            put(labels, "team", team(s, i.service()));
            groups.add(new Group(i.service(), i.taskId(), 0, hostPort(i.host(), admin), labels));
        }
        for (TaskRecord t : s.tasks().values()) {
            if (t.executorPort() == null || t.hostname() == null || t.state() == TaskState.PENDING || t.state().isTerminal()) {
                continue;
            }
            AgentView agent = t.agentId() == null ? null : s.agents().get(t.agentId());
            String zone = agent != null && agent.attributes().get("zone") != null ? agent.attributes().get("zone")
                    : zoneOfTask.get(t.taskId());
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("__metrics_path__", ExecutorEnv.METRICS_PATH);
            labels.put("job", EXECUTOR_JOB);
            labels.put("component", "executor");
            labels.put("service", t.serviceId());
            put(labels, "version", t.version());
            labels.put("instance", t.taskId());
            put(labels, "agent", t.agentId());
            put(labels, "zone", zone);
            put(labels, "team", team(s, t.serviceId()));
            groups.add(new Group(t.serviceId(), t.taskId(), 1, hostPort(t.hostname(), t.executorPort()), labels));
        }
        groups.sort(ORDER);
        List<Map<String, Object>> out = new ArrayList<>(groups.size());
        for (Group g : groups) {
            Map<String, Object> group = new LinkedHashMap<>();
            group.put("targets", List.of(g.target()));
            group.put("labels", g.labels());
            out.add(group);
        }
        return out;
    }

    private record Group(String service, String taskId, int rank, String target, Map<String, String> labels) {
    }

    private static final Comparator<Group> ORDER = Comparator.comparing(Group::service).thenComparing(Group::taskId)
            .thenComparingInt(Group::rank);

    private static String team(EngineSnapshot s, String service) {
        ServiceSpec spec = s.specs().get(service);
        return spec == null || spec.labels() == null ? null : spec.labels().get("team");
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
