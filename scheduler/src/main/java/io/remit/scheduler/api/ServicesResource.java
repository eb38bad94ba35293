package io.remit.scheduler.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.remit.http.ApiException;
import io.remit.scheduler.engine.EngineSnapshot;
import io.remit.scheduler.engine.SchedulerEngine;
import io.remit.scheduler.spec.EnvValue;
import io.remit.scheduler.spec.InvalidSpecException;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.spec.SpecParser;
import io.remit.scheduler.spec.SpecValidator;
import io.remit.scheduler.spec.Violation;
import io.remit.scheduler.state.SpecStore;
import io.remit.scheduler.state.TaskRecord;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /v1/services}: the services Remit keeps running. Writes are validated whole (every
 * problem listed with its field path, 422) and stored in etcd; the leader's engine picks them up
 * from there. Nothing is half-applied: a rejected write changes nothing.
 *
 * <p>Reads answer at once even while etcd does not: from the last known state, with its age in
 * seconds in {@value StateView#STATE_AGE_HEADER}, or 503 with {@code Retry-After} when none is
 * known (see {@link LastKnownState}).
 */
@Path("/v1/services")
@Produces(MediaType.APPLICATION_JSON)
public final class ServicesResource {

    /** On a write that made a revision: its number. */
    public static final String REVISION_HEADER = "X-Remit-Revision";

    private final SpecStore specs;
    private final StateView state;
    private final Supplier<SchedulerEngine> engine;
    private final ObjectMapper mapper;

    public ServicesResource(SpecStore specs, StateView state, Supplier<SchedulerEngine> engine, ObjectMapper mapper) {
        this.specs = specs;
        this.state = state;
        this.engine = engine;
        this.mapper = mapper;
    }

    /**
     * Every service with its spec and status. {@code ?view=summary} leaves out the parts of each
     * spec a list does not show (config template, env, JVM options, artifacts, health check,
     * constraints): the dashboard's view, a fraction of the size with hundreds of services.
     */
    @GET
    public Response list(@QueryParam("view") @DefaultValue("full") String view) {
        if (!view.equals("full") && !view.equals("summary")) {
            throw new ApiException(422, "unknown view '" + view + "'",
                    List.of(new Violation("view", "must be full or summary")));
        }
        StateView.Reading reading = state.read();
        EngineSnapshot s = reading.snapshot();
        List<ObjectNode> out = new ArrayList<>();
        for (ServiceSpec spec : s.specs().values()) {
            ObjectNode node = view(spec, s);
            if (view.equals("summary")) {
                ((ObjectNode) node.get("spec")).remove(SUMMARY_OMITS);
            }
            out.add(node);
        }
        return reading.answer(out);
    }

    private static final List<String> SUMMARY_OMITS =
            List.of("config", "env", "jvmOptions", "artifacts", "healthCheck", "constraints");

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        StateView.Reading reading = state.read();
        EngineSnapshot s = reading.snapshot();
        ServiceSpec spec = s.specs().get(id);
        if (spec == null) {
            throw ApiException.notFound("service '" + id + "'");
        }
        return reading.answer(view(spec, s));
    }

    /**
     * Creates a service: its revision 1 (or the next, if one of that id was deleted before), by
     * the caller, with the message in {@value ChangeRequest#MESSAGE_HEADER}.
     */
    @POST
    @Consumes({MediaType.APPLICATION_JSON, "application/yaml", "text/yaml"})
    public Response create(String body, @Context HttpServletRequest request) {
        List<Violation> problems = new ArrayList<>();
        SpecStore.Change change = change(request, problems);
        ServiceSpec spec = parse(body, null, problems);
        SpecStore.Written w = specs.create(spec, change);
        if (w.outcome() == SpecStore.Outcome.CONFLICT) {
            throw new ApiException(409, "service '" + spec.id() + "' exists already; PUT /v1/services/" + spec.id()
                    + " to change it", List.of());
        }
        awaitEngine(s -> spec.equals(s.specs().get(spec.id())));
        return withRevision(Response.created(URI.create("/v1/services/" + spec.id())), w)
                .entity(SpecParser.toPublicTree(spec)).build();
    }

    /**
     * Creates or replaces a service's spec. A change of anything but {@code instances} is a new
     * revision (its number in {@value #REVISION_HEADER}), stored with the spec in one etcd write.
     */
    @PUT
    @Path("{id}")
    @Consumes({MediaType.APPLICATION_JSON, "application/yaml", "text/yaml"})
    public Response replace(@PathParam("id") String id, String body, @Context HttpServletRequest request) {
        List<Violation> problems = new ArrayList<>();
        SpecStore.Change change = change(request, problems);
        ServiceSpec spec = parse(body, id, problems);
        SpecStore.Written w = specs.put(spec, 0, change);
        if (w.outcome() == SpecStore.Outcome.CONFLICT) {
            throw new ApiException(409, "service '" + id + "' was changed by someone else meanwhile; try again", List.of());
        }
        awaitEngine(s -> spec.equals(s.specs().get(id)));
        return withRevision(w.outcome() == SpecStore.Outcome.REPLACED ? Response.ok()
                : Response.created(URI.create("/v1/services/" + id)), w).entity(SpecParser.toPublicTree(spec)).build();
    }

    /**
     * Sets the instance count, and nothing else, of the spec stored now: not a revision. Unlike a
     * GET then PUT of the whole spec, a change made meanwhile by someone else is never undone.
     */
    @POST
    @Path("{id}/scale")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    public Response scale(@PathParam("id") String id, String body) {
        int instances = instancesIn(body);
        for (int attempt = 0; attempt < 5; attempt++) {
            SpecStore.Stored current = specs.get(id).orElseThrow(() -> ApiException.notFound("service '" + id + "'"));
            ServiceSpec spec = current.spec().withInstances(instances);
            if (specs.put(spec, current.modRevision()) != SpecStore.Outcome.CONFLICT) {
                awaitEngine(s -> spec.equals(s.specs().get(id)));
                return Response.ok(mapper.createObjectNode().put("service", id).put("instances", instances)
                        .put("message", "scaling " + id + " from " + current.spec().instances() + " to " + instances
                                + " instances")).build();
            }
        }
        throw new ApiException(409, "service '" + id + "' kept being changed meanwhile; try again", List.of());
    }

    private static int instancesIn(String body) {
        JsonNode tree;
        try {
            tree = SpecParser.readJson(body == null || body.isBlank() ? "{}" : body);
        } catch (InvalidSpecException e) {
            throw new ApiException(400, "request body is not readable JSON", e.violations());
        }
        List<Violation> problems = new ArrayList<>();
        if (tree.isObject()) {
            tree.fieldNames().forEachRemaining(name -> {
                if (!name.equals("instances")) {
                    problems.add(new Violation(name, "unknown field; scaling takes only instances"));
                }
            });
        }
        JsonNode n = tree.path("instances");
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 0 || n.asInt() > ServiceSpec.MAX_INSTANCES) {
            problems.add(new Violation("instances", n.isMissingNode() ? "is required, e.g. {\"instances\": 3}"
                    : "must be a whole number from 0 to " + ServiceSpec.MAX_INSTANCES + ", got " + n));
        }
        if (!problems.isEmpty()) {
            throw new ApiException(422, "invalid scale: " + problems.size() + " problem(s)", problems);
        }
        return n.asInt();
    }

    private static Response.ResponseBuilder withRevision(Response.ResponseBuilder b, SpecStore.Written w) {
        return w.revision() == null ? b : b.header(REVISION_HEADER, w.revision().number());
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        if (!specs.delete(id)) {
            throw ApiException.notFound("service '" + id + "'");
        }
        awaitEngine(s -> !s.specs().containsKey(id));
        return Response.noContent().build();
    }

    private void awaitEngine(java.util.function.Predicate<EngineSnapshot> applied) {
        state.awaitApplied(() -> engine.get() != null, applied);
    }

    @GET
    @Path("{id}/instances")
    public Response instances(@PathParam("id") String id) {
        StateView.Reading reading = state.read();
        EngineSnapshot s = reading.snapshot();
        if (!s.specs().containsKey(id)) {
            throw ApiException.notFound("service '" + id + "'");
        }
        List<TaskRecord> instances = s.tasks().values().stream().filter(t -> t.serviceId().equals(id)).toList();
        return reading.answer(instances);
    }

    @POST
    @Path("{id}/restart")
    public Response restart(@PathParam("id") String id) {
        SchedulerEngine e = engine.get();
        if (e == null || !e.restart(id)) {
            throw ApiException.notFound("service '" + id + "'");
        }
        return Response.accepted(Map.of("message", "replacing every instance of " + id + ", one at a time")).build();
    }

    private ObjectNode view(ServiceSpec spec, EngineSnapshot s) {
        ObjectNode node = mapper.createObjectNode();
        node.put("id", spec.id());
        node.set("spec", SpecParser.toPublicTree(spec));
        node.set("status", mapper.valueToTree(ServiceStatus.of(spec, s.tasks().values(), s)));
        return node;
    }

    /** The change the request asks for; a bad message header is added to {@code problems} (and null returned). */
    private static SpecStore.Change change(HttpServletRequest request, List<Violation> problems) {
        try {
            return ChangeRequest.of(request, "");
        } catch (ApiException e) {
            e.details().stream().map(Violation::of).forEach(problems::add);
            return null;
        }
    }

    /**
     * Parses and validates a spec body (JSON or YAML); 400 for unreadable text, 422 listing every
     * problem, those already found in the request ({@code problems}) among them.
     */
    private ServiceSpec parse(String body, String pathId, List<Violation> problems) {
        JsonNode tree;
        try {
            String trimmed = body == null ? "" : body.strip();
            if (trimmed.isEmpty()) {
                throw new ApiException(400, "request body is empty: send a service spec as JSON or YAML", List.of());
            }
            tree = trimmed.startsWith("{") ? SpecParser.readJson(trimmed) : SpecParser.readYaml(trimmed);
        } catch (InvalidSpecException e) {
            throw new ApiException(400, "request body is not a readable spec", e.violations());
        }
        if (pathId != null && tree.isObject()) {
            JsonNode bodyId = tree.get("id");
            if (bodyId == null) {
                ((ObjectNode) tree).put("id", pathId);
            } else if (!bodyId.asText().equals(pathId)) {
                problems.add(new Violation("id", "must match the id in the path ('" + pathId + "'), got '"
                        + bodyId.asText() + "'"));
            }
        }
        int fromRequest = problems.size();
        keepMaskedSecrets(tree, problems);
        problems.addAll(SpecValidator.validate(tree));
        if (problems.size() == fromRequest) {
            try {
                ServiceSpec spec = SpecParser.bind(tree);
                Map<String, ServiceSpec> all = new HashMap<>(state.snapshot().specs());
                all.put(spec.id(), spec);
                for (Violation v : SpecValidator.validateAll(all.values())) {
                    problems.add(v);
                }
                if (problems.isEmpty()) {
                    return spec;
                }
            } catch (InvalidSpecException e) {
                problems.addAll(e.violations());
            }
        }
        throw new ApiException(422, "invalid service spec: " + problems.size() + " problem(s)", problems);
    }

    /**
     * A spec read with GET shows each secret env value as {@code ****}; sending it back unchanged
     * (the UI's editor, or a GET-edit-PUT script) keeps the stored secret rather than storing the
     * mask. A masked value with no stored secret to keep is refused.
     */
    private void keepMaskedSecrets(JsonNode tree, List<Violation> problems) {
        JsonNode env = tree.path("env");
        if (!env.isObject()) {
            return;
        }
        ServiceSpec existing = state.snapshot().specs().get(tree.path("id").asText(""));
        env.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            if (v.isObject() && v.path("secret").asBoolean(false) && EnvValue.MASK.equals(v.path("value").asText(null))) {
                EnvValue kept = existing == null ? null : existing.env().get(e.getKey());
                if (kept != null && kept.secret()) {
                    ((ObjectNode) v).put("value", kept.value());
                } else {
                    problems.add(new Violation("env." + e.getKey() + ".value", "is the mask '" + EnvValue.MASK
                            + "' the API shows in place of a secret; give the secret's value"));
                }
            }
        });
    }

    static String json(ObjectMapper mapper, Object o) {
        try {
            return mapper.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
