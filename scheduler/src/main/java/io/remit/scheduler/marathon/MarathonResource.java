package io.remit.scheduler.marathon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.remit.http.ApiException;
import io.remit.registry.etcd.RegistryException;
import io.remit.scheduler.api.ChangeRequest;
import io.remit.scheduler.api.RevisionsResource;
import io.remit.scheduler.api.ServiceStatus;
import io.remit.scheduler.api.StateView;
import io.remit.scheduler.engine.EngineSnapshot;
import io.remit.scheduler.engine.SchedulerEngine;
import io.remit.scheduler.release.Deployment;
import io.remit.scheduler.release.DeploymentsResource;
import io.remit.scheduler.release.RecordStore;
import io.remit.scheduler.spec.InvalidSpecException;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.spec.SpecParser;
import io.remit.scheduler.spec.Violation;
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
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A Marathon-compatible API ({@code /v2}) over Remit's services, for teams and tools moving from
 * Marathon: an app is a service in command mode (see {@link AppReader} for the mapping, and
 * {@code configs/README.md}). Writes are translated whole: an app Remit cannot run as given is
 * answered 422 listing every field, and nothing is stored. Deployments are Remit's
 * ({@link MarathonDeployments}): a write answers the id {@code /v2/deployments} lists while the
 * change goes out, and {@code DELETE /v2/deployments/{id}} rolls it back (or with {@code force}
 * stops it) through {@code /v1/deployments}. An app's versions are its revisions
 * ({@link AppVersions}); a {@code PUT} of {@code {"version": ...}} rolls the app back to one the
 * way {@code POST /v1/services/{id}/rollback} does. Remit never locks an app during a deployment,
 * so {@code force} on a write changes nothing. Access control is the scheduler's, as for {@code /v1}.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public final class MarathonResource {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final SpecStore specs;
    private final StateView state;
    private final Supplier<SchedulerEngine> engine;
    private final Clock clock;
    private final RecordStore<Deployment> deployments;
    private final RevisionsResource revisions;
    private final DeploymentsResource deploymentActions;

    /**
     * @param deployments Remit's persisted deployments
     * @param revisions the {@code /v1} revisions, whose rollback a {@code PUT} of a version is
     * @param deploymentActions the {@code /v1} deployments, whose rollback and abort a {@code DELETE} of one is
     */
    public MarathonResource(SpecStore specs, StateView state, Supplier<SchedulerEngine> engine, Clock clock,
                            RecordStore<Deployment> deployments, RevisionsResource revisions,
                            DeploymentsResource deploymentActions) {
        this.specs = specs;
        this.state = state;
        this.engine = engine;
        this.clock = clock;
        this.deployments = deployments;
        this.revisions = revisions;
        this.deploymentActions = deploymentActions;
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
        Map<String, ObjectNode> underWay = underWay(s, false);
        ObjectNode o = F.objectNode();
        ArrayNode apps = o.putArray("apps");
        s.specs().values().forEach(spec -> apps.add(AppWriter.app(spec, s.tasks().values(),
                idOf(underWay.get(spec.id())), false)));
        return o;
    }

    @GET
    @Path("v2/apps/{id}")
    public ObjectNode app(@PathParam("id") String id) {
        EngineSnapshot s = state.snapshot();
        ServiceSpec spec = existing(s, id);
        ObjectNode o = F.objectNode();
        o.set("app", AppWriter.app(spec, s.tasks().values(), idOf(underWay(s, false).get(spec.id())), true));
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
                .entity(AppWriter.app(spec, after.tasks().values(), deploymentAfter(spec), false)).build();
    }

    @PUT
    @Path("v2/apps/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response update(@PathParam("id") String rawId, @QueryParam("force") boolean force, String body,
                           @Context HttpServletRequest request) {
        String id = remitId(rawId);
        JsonNode app = parse(body);
        Optional<SpecStore.Stored> current = specs.get(id);
        ServiceSpec base = current.map(SpecStore.Stored::spec).orElse(null);
        Optional<String> version = RollbackRequest.read(app, id, base);
        if (version.isPresent()) {
            return rollback(id, version.get(), request);
        }
        AppTranslation.Result r = AppTranslation.toSpec(app, id, base,
                state.snapshot().specs().values().stream().filter(x -> !x.id().equals(id)).toList(), clock.instant());
        ServiceSpec spec = valid(r);
        SpecStore.Outcome outcome = specs.put(spec, current.map(SpecStore.Stored::modRevision).orElse(0L), change(request))
                .outcome();
        if (outcome == SpecStore.Outcome.CONFLICT) {
            throw new MarathonError(409, "App '/" + id + "' was changed by someone else meanwhile; try again");
        }
        awaitEngine(e -> spec.equals(e.specs().get(id)));
        return (outcome == SpecStore.Outcome.CREATED ? Response.created(URI.create("/v2/apps/" + id)) : Response.ok())
                .entity(result(deploymentAfter(spec), spec.version())).build();
    }

    /**
     * Marathon's rollback ({@code PUT} of {@code {"version": ...}}): the revision that version
     * names, rolled back to by {@code POST /v1/services/{id}/rollback}'s own code, so that it makes
     * the same revision (the old spec with today's instance count, "rollback to revision n"),
     * deployment and events. Answered as Marathon answers a change: the deployment and the version
     * the app now shows (its definition's).
     */
    private Response rollback(String id, String version, HttpServletRequest request) {
        AppVersions versions = versions(id);
        AppVersions.Version target = versions.find(version).orElseThrow(() -> new MarathonError(404,
                "App '/" + id + "' does not exist in version " + version, List.of(new AppProblems.Detail("/version",
                        List.of("no version " + version + " of /" + id + "; " + versions.describe())))));
        RevisionsResource.Rollback done;
        try {
            done = revisions.rollbackTo(id, target.revision().number(), request);
        } catch (ApiException e) {
            throw marathon(e, id);
        }
        return Response.ok(result(deploymentAfter(done.spec()), done.spec().version())).build();
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
        return Response.ok(result(deploymentAfter(spec), spec.version())).build();
    }

    /** The app's versions, newest first: one per revision ({@link AppVersions}). */
    @GET
    @Path("v2/apps/{id}/versions")
    public ObjectNode appVersions(@PathParam("id") String rawId) {
        ServiceSpec spec = existing(state.snapshot(), rawId);
        ObjectNode o = F.objectNode();
        ArrayNode list = o.putArray("versions");
        versions(spec.id()).names().forEach(list::add);
        return o;
    }

    /** The app's definition at one of its versions (secret env values masked, as everywhere). */
    @GET
    @Path("v2/apps/{id}/versions/{version}")
    public ObjectNode appVersion(@PathParam("id") String rawId, @PathParam("version") String version) {
        ServiceSpec spec = existing(state.snapshot(), rawId);
        AppVersions versions = versions(spec.id());
        AppVersions.Version v = versions.find(version).orElseThrow(() -> new MarathonError(404,
                "App '/" + spec.id() + "' does not exist in version " + version, List.of(new AppProblems.Detail("/version",
                        List.of("no version " + version + " of /" + spec.id() + "; " + versions.describe())))));
        return AppWriter.definition(v.revision().spec(), v.name());
    }

    @GET
    @Path("v2/tasks")
    public ObjectNode allTasks() {
        return tasks(state.snapshot(), t -> true);
    }

    /** The deployments in progress, in Marathon's shape ({@link MarathonDeployments}). */
    @GET
    @Path("v2/deployments")
    public ArrayNode deployments() {
        ArrayNode out = F.arrayNode();
        underWay(state.snapshot(), true).values().forEach(out::add);
        return out;
    }

    /**
     * Cancels a deployment in progress as Marathon does: by rolling it back (the old instances
     * brought back before the new go, the old spec put back: {@code POST /v1/deployments/{id}/rollback}),
     * answered with the rollback's id and version; with {@code force=true} by stopping it where it
     * is ({@code POST /v1/deployments/{id}/abort}), answered 202. What the engine does without a
     * persisted deployment (an app starting, scaling or restarting) has no earlier definition to go
     * back to: 409.
     */
    @DELETE
    @Path("v2/deployments/{id}")
    public Response cancelDeployment(@PathParam("id") String marathonId, @QueryParam("force") boolean force,
                                     @Context HttpServletRequest request) {
        EngineSnapshot s = state.snapshot();
        MarathonDeployments.Named named = MarathonDeployments.named(marathonId);
        Deployment d = etcd(() -> deployments.get(named.remitId())).map(RecordStore.Stored::value).orElse(null);
        ServiceSpec spec = d == null ? null : s.specs().get(d.service());
        if (d == null || spec == null || !MarathonDeployments.inProgress(d, spec.revision())
                || !MarathonDeployments.marathonId(d).equals(marathonId)) {
            ObjectNode engineOnly = underWay(s, true).values().stream()
                    .filter(x -> x.path("id").asText().equals(marathonId)).findFirst().orElse(null);
            if (engineOnly != null) {
                String what = switch (engineOnly.path("currentActions").path(0).path("action").asText()) {
                    case "StartApplication" -> "starts";
                    case "ScaleApplication" -> "scales";
                    default -> "restarts";
                };
                throw new MarathonError(409, "Deployment " + marathonId + " " + what + " "
                        + engineOnly.path("affectedApps").path(0).asText() + " without an earlier definition to go back "
                        + "to, so Remit cannot cancel it; PUT the app as it should be instead");
            }
            throw new MarathonError(404, "DeploymentPlan " + marathonId + " does not exist");
        }
        try {
            if (force) {
                deploymentActions.abort(d.id(), request);
                return Response.accepted().build();
            }
            if (named.rollback()) {
                throw new MarathonError(409, "Deployment " + marathonId + " is the rollback of " + d.id()
                        + "; DELETE it with force=true to stop it where it is");
            }
            if (d.from() == null || d.fromSpec() == null) {
                throw new MarathonError(409, "Deployment " + marathonId + " has no earlier definition of /" + d.service()
                        + " to go back to; DELETE it with force=true to stop it where it is");
            }
            deploymentActions.rollback(d.id(), request);
        } catch (ApiException e) {
            throw marathon(e, d.service());
        }
        Deployment after = etcd(() -> deployments.get(d.id())).map(RecordStore.Stored::value).orElse(d);
        if (after.state() == Deployment.State.ROLLING_BACK) {
            return Response.ok(F.objectNode().put("deploymentId", MarathonDeployments.marathonId(after))
                    .put("version", MarathonDeployments.version(after))).build();
        }
        // It went out just before: rolling it back put the old spec back, a change like any other.
        ServiceSpec now = specs.get(d.service()).map(SpecStore.Stored::spec).orElse(spec);
        return Response.ok(result(deploymentAfter(now), now.version())).build();
    }

    /**
     * The deployment Marathon clients see for each app now, by app id: Remit's newest deployment
     * of it while in progress, else what the engine is doing, if anything (nothing once Remit's
     * newest deployment of it was aborted: the engine then holds what runs).
     *
     * @param strict whether to fail (503) when etcd cannot be read; otherwise only what the engine
     *     does is known then, without ids, and nothing is listed
     */
    private Map<String, ObjectNode> underWay(EngineSnapshot s, boolean strict) {
        Map<String, ObjectNode> out = new TreeMap<>();
        Map<String, Deployment> newest;
        try {
            newest = newestByService(deployments.all());
        } catch (RegistryException e) {
            if (strict) {
                throw unavailable();
            }
            return out;
        }
        for (ServiceSpec spec : s.specs().values()) {
            Deployment d = newest.get(spec.id());
            if (d != null && MarathonDeployments.inProgress(d, spec.revision())) {
                out.put(spec.id(), MarathonDeployments.of(d));
            } else if (deploying(spec, s) && (d == null || d.state() != Deployment.State.ABORTED)) {
                // (After an abort the engine holds what runs, whatever the count: nothing is under way.)
                int active = 0;
                java.util.Set<String> running = new java.util.HashSet<>();
                boolean other = false;
                for (TaskRecord t : s.tasks().values()) {
                    if (t.serviceId().equals(spec.id()) && t.state().isActive()) {
                        active++;
                        running.add(String.valueOf(t.revision()));
                        other |= !spec.revision().equals(baseRevision(t.revision()));
                    }
                }
                boolean replacing = other || running.size() > 1;
                Optional<Long> at;
                try {
                    at = specs.get(spec.id()).map(SpecStore.Stored::modRevision);
                } catch (RegistryException e) {
                    if (strict) {
                        throw unavailable();
                    }
                    continue;
                }
                if (at.isPresent()) {
                    out.put(spec.id(), MarathonDeployments.engine(MarathonDeployments.id(spec.id(), at.get()), spec.id(),
                            MarathonVersion.shown(spec.version()), MarathonDeployments.engineAction(active, replacing)));
                }
            }
        }
        return out;
    }

    /**
     * The id of the deployment that carries out {@code spec}, just written (or restarted): Remit's
     * deployment in progress when the write joins it (a scale while it goes out), else the id of
     * the write ({@link MarathonDeployments#id}), which Remit's deployment of it will have too.
     */
    private String deploymentAfter(ServiceSpec spec) {
        try {
            Deployment d = newestByService(deployments.all()).get(spec.id());
            if (d != null && MarathonDeployments.inProgress(d, spec.revision())) {
                return MarathonDeployments.marathonId(d);
            }
            return specs.get(spec.id()).map(x -> MarathonDeployments.id(spec.id(), x.modRevision())).orElse(null);
        } catch (RegistryException e) {
            throw unavailable();
        }
    }

    private static Map<String, Deployment> newestByService(List<RecordStore.Stored<Deployment>> all) {
        Map<String, Deployment> out = new TreeMap<>();
        for (RecordStore.Stored<Deployment> st : all) {
            out.merge(st.value().service(), st.value(), (a, b) -> b.createdAt().isBefore(a.createdAt()) ? a : b);
        }
        return out;
    }

    /** A task's revision without the engine's restart mark ({@code +restart2}). */
    private static String baseRevision(String revision) {
        if (revision == null) {
            return "";
        }
        int plus = revision.indexOf("+restart");
        return plus < 0 ? revision : revision.substring(0, plus);
    }

    private static String idOf(ObjectNode deployment) {
        return deployment == null ? null : deployment.path("id").asText();
    }

    private AppVersions versions(String id) {
        return AppVersions.of(etcd(() -> specs.revisions(id)));
    }

    private static <T> T etcd(Supplier<T> read) {
        try {
            return read.get();
        } catch (RegistryException e) {
            throw unavailable();
        }
    }

    private static MarathonError unavailable() {
        return new MarathonError(503, "etcd did not answer; try again shortly");
    }

    /** A {@code /v1} refusal in Marathon's shape: the same status and message, each field as a detail. */
    private static MarathonError marathon(ApiException e, String service) {
        String prefix = "services[" + service + "].";
        return new MarathonError(e.status(), e.getMessage(), e.details().stream().map(Violation::of).map(v -> {
            String path = v.path().startsWith(prefix) ? AppTranslation.marathonPath(v.path().substring(prefix.length()), null, false)
                    : "/" + v.path();
            return new AppProblems.Detail(path, List.of(v.message()));
        }).toList());
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
