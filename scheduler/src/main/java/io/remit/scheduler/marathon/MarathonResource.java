package io.remit.scheduler.marathon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.remit.scheduler.api.ApiException;
import io.remit.scheduler.api.ChangeRequest;
import io.remit.scheduler.api.ServiceStatus;
import io.remit.scheduler.api.StateView;
import io.remit.scheduler.engine.EngineSnapshot;
import io.remit.scheduler.engine.SchedulerEngine;
import io.remit.scheduler.spec.InvalidSpecException;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.spec.SpecParser;
import io.remit.scheduler.state.SpecStore;
import io.remit.scheduler.state.TaskRecord;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A Marathon-compatible API ({@code /v2}) over Remit's services, for teams and tools moving from
 * Marathon: an app is a service in command mode (see {@link AppReader} for the mapping, and
 * {@code configs/README.md}). Writes are translated whole: an app Remit cannot run as given is
 * answered 422 listing every field, and nothing is stored. Deployment ids are derived from the
 * target (service, revision, instances), so a client that polls {@code /v2/deployments} for the
 * id it got sees it until the service is deployed. Remit never locks an app during a deployment,
 * so {@code force} changes nothing. Access control is the scheduler's, as for {@code /v1}.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public final class MarathonResource {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final SpecStore specs;
    private final StateView state;
    private final Supplier<SchedulerEngine> engine;
    private final Clock clock;

    public MarathonResource(SpecStore specs, StateView state, Supplier<SchedulerEngine> engine, Clock clock) {
        this.specs = specs;
        this.state = state;
        this.engine = engine;
        this.clock = clock;
    }

    @GET
    @Path("ping")
    @Produces(MediaType.TEXT_PLAIN)
    public String ping() {
        return "pong";
    }

    @GET
    @Path("v2/info")
    public ObjectNode info() {
        ObjectNode o = F.objectNode().put("name", "remit").put("version", "1.0.0-remit").put("buildref", "remit")
                .put("elected", state.isLeader());
        Optional<String> leader = state.leaderUrl();
        o.put("leader", leader.map(u -> URI.create(u).getAuthority()).orElse(null));
        o.putObject("http_config").put("http_port", String.valueOf(URI.create(state.selfUrl()).getPort()));
        return o;
    }

    @GET
    @Path("v2/apps")
    public ObjectNode apps() {
        EngineSnapshot s = state.snapshot();
        ObjectNode o = F.objectNode();
        ArrayNode apps = o.putArray("apps");
        s.specs().values().forEach(spec -> apps.add(AppWriter.app(spec, s.tasks().values(), deploying(spec, s), false)));
        return o;
    }

    @GET
    @Path("v2/apps/{id}")
    public ObjectNode app(@PathParam("id") String id) {
        EngineSnapshot s = state.snapshot();
        ServiceSpec spec = existing(s, id);
        ObjectNode o = F.objectNode();
        o.set("app", AppWriter.app(spec, s.tasks().values(), deploying(spec, s), true));
        return o;
    }

    @POST
    @Path("v2/apps")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(String body, @Context HttpServletRequest request) {
        EngineSnapshot s = state.snapshot();
        AppTranslation.Result r = AppTranslation.toSpec(parse(body), null, null, s.specs().values(), clock.instant());
        ServiceSpec spec = valid(r);
        if (specs.create(spec, change(request)).outcome() == SpecStore.Outcome.CONFLICT) {
            throw new MarathonError(409, "An app with id [/" + spec.id() + "] already exists.");
        }
        awaitEngine(e -> spec.equals(e.specs().get(spec.id())));
        EngineSnapshot after = state.snapshot();
        return Response.created(URI.create("/v2/apps/" + spec.id()))
                .entity(AppWriter.app(spec, after.tasks().values(), true, false)).build();
    }

    @PUT
    @Path("v2/apps/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response update(@PathParam("id") String rawId, @QueryParam("force") boolean force, String body,
                           @Context HttpServletRequest request) {
        String id = remitId(rawId);
        Optional<SpecStore.Stored> current = specs.get(id);
        ServiceSpec base = current.map(SpecStore.Stored::spec).orElse(null);
        AppTranslation.Result r = AppTranslation.toSpec(parse(body), id, base,
                state.snapshot().specs().values().stream().filter(x -> !x.id().equals(id)).toList(), clock.instant());
        ServiceSpec spec = valid(r);
        SpecStore.Outcome outcome = specs.put(spec, current.map(SpecStore.Stored::modRevision).orElse(0L), change(request))
                .outcome();
        if (outcome == SpecStore.Outcome.CONFLICT) {
            throw new MarathonError(409, "App '/" + id + "' was changed by someone else meanwhile; try again");
        }
        awaitEngine(e -> spec.equals(e.specs().get(id)));
        return (outcome == SpecStore.Outcome.CREATED ? Response.created(URI.create("/v2/apps/" + id)) : Response.ok())
                .entity(result(AppWriter.deploymentId(spec), spec.version())).build();
    }

    @DELETE
    @Path("v2/apps/{id}")
    public Response delete(@PathParam("id") String rawId, @QueryParam("force") boolean force) {
        String id = remitId(rawId);
        if (!specs.delete(id)) {
            throw MarathonError.noSuchApp(id);
        }
        awaitEngine(e -> !e.specs().containsKey(id));
        String version = MarathonVersion.of(clock.instant());
        return Response.ok(result(id + "-deleted-" + version, version)).build();
    }

    @GET
    @Path("v2/apps/{id}/tasks")
    public ObjectNode appTasks(@PathParam("id") String rawId) {
        EngineSnapshot s = state.snapshot();
        ServiceSpec spec = existing(s, remitId(rawId));
        return tasks(s, t -> t.serviceId().equals(spec.id()));
    }

    /**
     * Kills one task; it is replaced, as Marathon does without {@code scale}. With
     * {@code scale=true} Marathon would also lower {@code instances}; Remit refuses that (scale
     * with a PUT of {@code instances}: Remit then picks which instance goes).
     */
    @DELETE
    @Path("v2/apps/{id}/tasks/{taskId}")
    public ObjectNode killTask(@PathParam("id") String rawId, @PathParam("taskId") String taskId,
                               @QueryParam("scale") boolean scale, @QueryParam("force") boolean force) {
        EngineSnapshot s = state.snapshot();
        ServiceSpec spec = existing(s, rawId);
        if (scale) {
            throw new MarathonError(422, "Object is not valid: Remit does not kill and scale down in one step",
                    List.of(new AppProblems.Detail("/scale", List.of("not supported by Remit: PUT the app with "
                            + (spec.instances() - 1) + " instances instead, and Remit picks the instance to stop"))));
        }
        TaskRecord task = s.tasks().get(taskId);
        SchedulerEngine e = engine.get();
        if (task == null || !task.serviceId().equals(spec.id()) || e == null || !e.kill(taskId)) {
            throw new MarathonError(404, "Task '" + taskId + "' of app '/" + spec.id() + "' does not exist or is not running");
        }
        ObjectNode o = F.objectNode();
        o.set("task", AppWriter.task(task, spec));
        return o;
    }

    @POST
    @Path("v2/apps/{id}/restart")
    public Response restart(@PathParam("id") String rawId, @QueryParam("force") boolean force) {
        String id = remitId(rawId);
        ServiceSpec spec = existing(state.snapshot(), id);
        SchedulerEngine e = engine.get();
        if (e == null || !e.restart(id)) {
            throw MarathonError.noSuchApp(id);
        }
        return Response.ok(result(AppWriter.deploymentId(spec), spec.version())).build();
    }

    @GET
    @Path("v2/tasks")
    public ObjectNode allTasks() {
        return tasks(state.snapshot(), t -> true);
    }

    @GET
    @Path("v2/deployments")
    public ArrayNode deployments() {
        EngineSnapshot s = state.snapshot();
        ArrayNode out = F.arrayNode();
        for (ServiceSpec spec : s.specs().values()) {
            if (deploying(spec, s)) {
                ObjectNode d = out.addObject().put("id", AppWriter.deploymentId(spec))
                        .put("version", MarathonVersion.shown(spec.version()));
                d.putArray("affectedApps").add("/" + spec.id());
                ObjectNode action = F.objectNode().put("action", "RestartApplication").put("app", "/" + spec.id());
                d.putArray("steps").addObject().putArray("actions").add(action);
                d.putArray("currentActions").add(action.deepCopy());
                d.put("currentStep", 1).put("totalSteps", 1);
            }
        }
        return out;
    }

    private ObjectNode tasks(EngineSnapshot s, Predicate<TaskRecord> which) {
        ObjectNode o = F.objectNode();
        ArrayNode list = o.putArray("tasks");
        for (TaskRecord t : s.tasks().values()) {
            if (t.state().isActive() && which.test(t)) {
                list.add(AppWriter.task(t, s.specs().get(t.serviceId())));
            }
        }
        return o;
    }

    private static boolean deploying(ServiceSpec spec, EngineSnapshot s) {
        String st = ServiceStatus.of(spec, s.tasks().values(), s).state();
        return !st.equals("running") && !st.equals("stopped");
    }

    private static ServiceSpec existing(EngineSnapshot s, String rawId) {
        String id = remitId(rawId);
        ServiceSpec spec = s.specs().get(id);
        if (spec == null) {
            throw MarathonError.noSuchApp(id);
        }
        return spec;
    }

    private static String remitId(String rawId) {
        return rawId.startsWith("/") ? rawId.substring(1) : rawId;
    }

    private static ServiceSpec valid(AppTranslation.Result r) {
        if (!r.ok()) {
            throw new MarathonError(422, "Object is not valid: Remit cannot run this app as given ("
                    + r.problems().size() + " problem(s)); nothing was changed", r.problems().details());
        }
        return r.spec();
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            throw new MarathonError(400, "Invalid JSON: the request body is empty; send an app definition");
        }
        try {
            return SpecParser.readJson(body);
        } catch (InvalidSpecException e) {
            throw new MarathonError(400, "Invalid JSON: " + e.violations().get(0).message());
        }
    }

    private static ObjectNode result(String deploymentId, String specVersion) {
        return F.objectNode().put("deploymentId", deploymentId).put("version", MarathonVersion.shown(specVersion));
    }

    /** Who changes the app, and the {@code X-Remit-Message} if the client sent one (Marathon's clients do not). */
    private static SpecStore.Change change(HttpServletRequest request) {
        try {
            return ChangeRequest.of(request, "");
        } catch (ApiException e) {
            throw new MarathonError(422, "Object is not valid: " + e.getMessage(), e.details().stream()
                    .map(v -> new AppProblems.Detail("/" + v.path(), List.of(v.message()))).toList());
        }
    }

    private void awaitEngine(Predicate<EngineSnapshot> applied) {
        state.awaitApplied(() -> engine.get() != null, applied);
    }

}
