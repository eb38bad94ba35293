package io.remit.scheduler.api;

import io.remit.http.ApiException;
import io.remit.scheduler.engine.AgentView;
import io.remit.scheduler.engine.EngineSnapshot;
import io.remit.scheduler.engine.SchedulerEngine;
import io.remit.scheduler.state.TaskRecord;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** {@code /v1/instances}, {@code /v1/agents} and {@code /v1/leader}. */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public final class ClusterResource {

    private final StateView state;
    private final Supplier<SchedulerEngine> engine;

    public ClusterResource(StateView state, Supplier<SchedulerEngine> engine) {
        this.state = state;
        this.engine = engine;
    }

    /** Kills one instance; the scheduler replaces it. */
    @DELETE
    @Path("instances/{taskId}")
    public Response kill(@PathParam("taskId") String taskId) {
        SchedulerEngine e = engine.get();
        if (e == null || !e.kill(taskId)) {
            throw ApiException.notFound("running instance '" + taskId + "'");
        }
        return Response.accepted(Map.of("message", "killing " + taskId + "; it will be replaced")).build();
    }

    /** Agents seen in offers, with the instances Remit runs on each. */
    @GET
    @Path("agents")
    public List<Map<String, Object>> agents() {
        EngineSnapshot s = state.snapshot();
        List<Map<String, Object>> out = new ArrayList<>();
        for (AgentView agent : s.agents().values()) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("id", agent.agentId());
            a.put("hostname", agent.hostname());
            a.put("attributes", agent.attributes());
            a.put("lastOffer", Map.of("cpus", agent.offeredCpus(), "memMb", agent.offeredMemMb(), "at",
                    agent.lastOffer().toString()));
            List<String> instances = new ArrayList<>();
            for (TaskRecord t : s.tasks().values()) {
                if (agent.agentId().equals(t.agentId()) && t.state().isActive()) {
                    instances.add(t.taskId());
                }
            }
            a.put("instances", instances);
            out.add(a);
        }
        return out;
    }

    @GET
    @Path("leader")
    public Map<String, Object> leader() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("leader", state.leaderUrl().orElse(null));
        m.put("self", state.selfUrl());
        m.put("isLeader", state.isLeader());
        EngineSnapshot s = state.snapshot();
        m.put("subscribed", s.subscribed());
        m.put("reconciling", s.reconciling());
        return m;
    }
}
