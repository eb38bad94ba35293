package io.remit.localcluster.master;

import io.remit.localcluster.resources.Ranges;
import io.remit.localcluster.resources.Resources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos;

/** The master's {@code /state} document, in the shape of a real Mesos master's. Master's lock held. */
final class StateJson {

    static final String VERSION = "1.11.0";

    private StateJson() {
    }

    static Map<String, Object> render(Master master) {
        Map<String, Object> m = new LinkedHashMap<>();
        Protos.MasterInfo info = master.masterInfo;
        m.put("version", VERSION);
        m.put("build_user", "remit-localcluster");
        m.put("start_time", seconds(master.startedAt));
        m.put("elected_time", seconds(master.startedAt));
        m.put("id", info.getId());
        m.put("pid", info.getPid());
        m.put("hostname", info.getHostname());
        m.put("capabilities", List.of("AGENT_UPDATE", "AGENT_DRAINING", "QUOTA_V2"));
        m.put("activated_slaves", master.agents.size());
        m.put("deactivated_slaves", 0);
        m.put("unreachable_slaves", 0);
        m.put("leader", info.getPid());
        m.put("leader_info", Map.of("id", info.getId(), "pid", info.getPid(), "hostname", info.getHostname(),
                "port", info.getPort(), "address", Map.of("hostname", info.getHostname(),
                        "ip", info.getAddress().getIp(), "port", info.getPort())));
        m.put("cluster", "localcluster");
        List<Object> slaves = new ArrayList<>();
        for (AgentState agent : master.agents.values()) {
            slaves.add(agent(master, agent));
        }
        m.put("slaves", slaves);
        m.put("recovered_slaves", List.of());
        List<Object> frameworks = new ArrayList<>();
        for (FrameworkState fw : master.frameworks.values()) {
            frameworks.add(framework(fw, true));
        }
        m.put("frameworks", frameworks);
        List<Object> completed = new ArrayList<>();
        for (FrameworkState fw : master.completedFrameworks.values()) {
            completed.add(framework(fw, false));
        }
        m.put("completed_frameworks", completed);
        m.put("orphan_tasks", List.of());
        m.put("unregistered_frameworks", List.of());
        return m;
    }

    /** {@code /slaves}: the agents alone, as in {@code /state}, without the frameworks and their tasks. */
    static Map<String, Object> renderAgents(Master master) {
        List<Object> slaves = new ArrayList<>();
        for (AgentState agent : master.agents.values()) {
            slaves.add(agent(master, agent));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("slaves", slaves);
        m.put("recovered_slaves", List.of());
        return m;
    }

    private static Map<String, Object> agent(Master master, AgentState agent) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", agent.id);
        s.put("hostname", agent.info.getHostname());
        s.put("port", agent.info.getPort());
        s.put("attributes", attributes(agent.info.getAttributesList()));
        s.put("pid", "slave(1)@" + agent.info.getHostname() + ":" + agent.info.getPort());
        s.put("registered_time", seconds(agent.registeredAt));
        s.put("resources", resources(agent.total));
        Resources offered = Resources.EMPTY;
        for (OfferState o : master.offers().values()) {
            if (o.agentId().equals(agent.id)) {
                offered = offered.plus(o.resources());
            }
        }
        Resources used = agent.allocated.minus(offered);
        s.put("used_resources", resources(used));
        s.put("offered_resources", resources(offered));
        s.put("reserved_resources", Map.of());
        s.put("unreserved_resources", resources(agent.total));
        s.put("active", true);
        s.put("deactivated", false);
        s.put("version", VERSION);
        s.put("capabilities", List.of("MULTI_ROLE", "HIERARCHICAL_ROLE", "RESERVATION_REFINEMENT"));
        return s;
    }

    private static Map<String, Object> framework(FrameworkState fw, boolean live) {
        Map<String, Object> f = new LinkedHashMap<>();
        Protos.FrameworkInfo info = fw.info;
        f.put("id", fw.id.getValue());
        f.put("name", info.getName());
        f.put("used_resources", resources(fw.usedResources()));
        f.put("offered_resources", resources(fw.offeredResources()));
        List<String> caps = new ArrayList<>();
        info.getCapabilitiesList().forEach(c -> caps.add(c.getType().name()));
        f.put("capabilities", caps);
        f.put("hostname", info.getHostname());
        f.put("webui_url", info.getWebuiUrl());
        // As in Mesos, suppressing offers does not make a framework inactive; only a lost connection does.
        f.put("active", live && fw.connected());
        f.put("connected", live && fw.connected());
        f.put("recovered", live && fw.recovered);
        f.put("user", info.getUser());
        f.put("failover_timeout", info.getFailoverTimeout());
        f.put("checkpoint", info.getCheckpoint());
        f.put("registered_time", seconds(fw.registeredAt));
        f.put("unregistered_time", fw.unregisteredAt == null ? java.math.BigDecimal.ZERO : seconds(fw.unregisteredAt));
        if (info.hasPrincipal()) {
            f.put("principal", info.getPrincipal());
        }
        f.put("resources", resources(fw.usedResources().plus(fw.offeredResources())));
        if (fw.reregisteredAt != null) {
            f.put("reregistered_time", seconds(fw.reregisteredAt));
        }
        if (info.getRolesCount() > 0) {
            f.put("roles", info.getRolesList());
        } else {
            f.put("role", fw.role());
        }
        List<Object> tasks = new ArrayList<>();
        for (TaskRecord t : fw.tasks.values()) {
            tasks.add(task(t));
        }
        f.put("tasks", tasks);
        f.put("unreachable_tasks", List.of());
        List<Object> completed = new ArrayList<>();
        for (TaskRecord t : fw.completedTasks) {
            completed.add(task(t));
        }
        f.put("completed_tasks", completed);
        List<Object> offers = new ArrayList<>();
        for (OfferState o : fw.offers.values()) {
            Map<String, Object> offer = new LinkedHashMap<>();
            offer.put("id", o.id());
            offer.put("framework_id", o.frameworkId());
            offer.put("allocation_info", Map.of("role", fw.role()));
            offer.put("slave_id", o.agentId());
            offer.put("resources", resources(o.resources()));
            offers.add(offer);
        }
        f.put("offers", offers);
        f.put("executors", List.of());
        return f;
    }

    private static Map<String, Object> task(TaskRecord t) {
        Map<String, Object> m = new LinkedHashMap<>();
        Protos.TaskInfo info = t.info;
        m.put("id", info.getTaskId().getValue());
        m.put("name", info.getName());
        m.put("framework_id", t.frameworkId);
        m.put("executor_id", info.hasExecutor() ? info.getExecutor().getExecutorId().getValue() : "");
        m.put("slave_id", t.agentId);
        m.put("state", t.state.name());
        m.put("resources", resources(t.resources));
        List<Object> statuses = new ArrayList<>();
        for (Protos.TaskStatus s : t.statuses) {
            Map<String, Object> st = new LinkedHashMap<>();
            st.put("state", s.getState().name());
            st.put("timestamp", new java.math.BigDecimal(Double.toString(s.getTimestamp())));
            if (s.hasHealthy()) {
                st.put("healthy", s.getHealthy());
            }
            statuses.add(st);
        }
        m.put("statuses", statuses);
        if (info.hasLabels()) {
            List<Object> labels = new ArrayList<>();
            info.getLabels().getLabelsList().forEach(l -> labels.add(Map.of("key", l.getKey(), "value", l.getValue())));
            m.put("labels", labels);
        }
        if (info.hasDiscovery()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("visibility", info.getDiscovery().getVisibility().name());
            d.put("name", info.getDiscovery().getName());
            m.put("discovery", d);
        }
        return m;
    }

    /** Mesos's flat resource object: cpus, gpus, mem and disk always, ranges as text. */
    static Map<String, Object> resources(Resources r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("disk", r.scalar("disk"));
        m.put("mem", r.scalar("mem"));
        m.put("gpus", r.scalar("gpus"));
        m.put("cpus", r.scalar("cpus"));
        r.scalars().forEach((k, v) -> m.putIfAbsent(k, v));
        for (Map.Entry<String, Ranges> e : r.allRanges().entrySet()) {
            m.put(e.getKey(), e.getValue().toString());
        }
        return m;
    }

    static Map<String, Object> attributes(List<Protos.Attribute> attributes) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Protos.Attribute a : attributes) {
            switch (a.getType()) {
                case SCALAR -> m.put(a.getName(), a.getScalar().getValue());
                case TEXT -> m.put(a.getName(), a.getText().getValue());
                case RANGES -> m.put(a.getName(), Ranges.fromProto(a.getRanges()).toString());
                case SET -> m.put(a.getName(), "{" + String.join(", ", a.getSet().getItemList()) + "}");
                default -> { }
            }
        }
        return m;
    }

    /** Seconds since the epoch with millisecond precision, written plainly as Mesos does. */
    private static java.math.BigDecimal seconds(Instant t) {
        return java.math.BigDecimal.valueOf(t.toEpochMilli(), 3);
    }
}
