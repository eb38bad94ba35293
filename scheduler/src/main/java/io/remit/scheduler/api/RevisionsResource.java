package io.remit.scheduler.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.remit.http.ApiException;
import io.remit.scheduler.engine.EngineSnapshot;
import io.remit.scheduler.engine.SchedulerEngine;
import io.remit.scheduler.spec.InvalidSpecException;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.spec.SpecDiff;
import io.remit.scheduler.spec.SpecParser;
import io.remit.scheduler.spec.SpecValidator;
import io.remit.scheduler.spec.Violation;
import io.remit.scheduler.state.Revision;
import io.remit.scheduler.state.SpecStore;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A service's revisions ({@code /v1/services/{id}/revisions}): the list, one revision's spec, the
 * difference between two, and rollback to one. Secret env values are masked in all of them.
 * Revisions are read from etcd, not from the engine's state: they are not part of it. A rollback
 * is a change like any other: the old revision's spec with today's instance count, stored as a
 * new revision and deployed by the engine as any change is.
 */
@Path("/v1/services")
@Produces(MediaType.APPLICATION_JSON)
public final class RevisionsResource {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final SpecStore specs;
    private final StateView state;
    private final Supplier<SchedulerEngine> engine;

    public RevisionsResource(SpecStore specs, StateView state, Supplier<SchedulerEngine> engine) {
        this.specs = specs;
        this.state = state;
        this.engine = engine;
    }

    /** Newest first; {@code current} is the newest while the service exists (none once it is deleted). */
    @GET
    @Path("{id}/revisions")
    public ObjectNode list(@PathParam("id") String id) {
        List<Revision> all = revisions(id);
        Long current = current(id, all);
        ObjectNode out = F.objectNode().put("service", id);
        if (current == null) {
            out.putNull("current");
        } else {
            out.put("current", current);
        }
        ArrayNode list = out.putArray("revisions");
        all.forEach(r -> list.add(summary(r, current)));
        return out;
    }

    @GET
    @Path("{id}/revisions/{n}")
    public ObjectNode get(@PathParam("id") String id, @PathParam("n") String n) {
        List<Revision> all = revisions(id);
        Revision r = find(all, n).orElseThrow(() -> ApiException.notFound("revision '" + n + "' of service '" + id + "'"));
        ObjectNode out = summary(r, current(id, all));
        out.set("spec", SpecParser.toPublicTree(r.spec()));
        return out;
    }

    /**
     * The changes from revision {@code from} to revision {@code to}: as JSON, a list of changed
     * fields; as text ({@code Accept: text/plain} or {@code format=text}), a unified diff of the
     * two specs as YAML. {@code to} defaults to the current revision (else the newest), {@code from}
     * to the one before {@code to}.
     */
    @GET
    @Path("{id}/revisions/diff")
    @Produces({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    public Response diff(@PathParam("id") String id, @QueryParam("from") String from, @QueryParam("to") String to,
                         @QueryParam("format") String format, @Context HttpHeaders headers) {
        List<Revision> all = revisions(id);
        List<Violation> problems = new ArrayList<>();
        Revision picked = from == null ? null : pick(all, "from", from, problems);
        Revision b = to == null ? all.get(0) : pick(all, "to", to, problems);
        boolean text = wantsText(format, headers, problems);
        Revision a = from != null ? picked
                : b == null ? null : all.stream().filter(r -> r.number() < b.number()).findFirst().orElse(b);
        if (!problems.isEmpty()) {
            throw new ApiException(422, "invalid diff of " + id + ": " + problems.size() + " problem(s)", problems);
        }
        String fromLabel = id + " revision " + a.number();
        String toLabel = id + " revision " + b.number();
        if (text) {
            return Response.ok(SpecDiff.text(a.spec(), fromLabel, b.spec(), toLabel), MediaType.TEXT_PLAIN_TYPE).build();
        }
        ObjectNode out = F.objectNode().put("service", id).put("from", a.number()).put("to", b.number());
        ArrayNode changes = out.putArray("changes");
        for (SpecDiff.Change c : SpecDiff.changes(a.spec(), b.spec())) {
            ObjectNode o = changes.addObject().put("path", c.path());
            o.set("old", c.before());
            o.set("new", c.after());
            if (c.secret()) {
                o.put("secret", true);
            }
        }
        return Response.ok(out, MediaType.APPLICATION_JSON_TYPE).build();
    }

    /**
     * Rolls the service back to revision {@code revision} of the body (none or no body: the one
     * before the current): that revision's spec with the current instance count becomes a new
     * revision, deployed as any change. When that is what runs already, nothing changes (200,
     * {@code changed: false}).
     */
    @POST
    @Path("{id}/rollback")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    public Response rollback(@PathParam("id") String id, String body, @Context HttpServletRequest request) {
        Rollback r = rollbackTo(id, requestedRevision(body), request);
        ObjectNode out = F.objectNode().put("service", id).put("rolledBackTo", r.target().number())
                .put("instances", r.spec().instances());
        if (r.made() == null) {
            out.put("changed", false).put("revision", r.current()).put("message", id + " already runs the spec of revision "
                    + r.target().number() + " (its revision " + r.current() + "); nothing changed");
            return Response.ok(out).build();
        }
        out.put("changed", true).put("revision", r.made().number()).put("message", "rolling " + id
                + " back to revision " + r.target().number() + " as revision " + r.made().number()
                + ", " + r.spec().instances() + " instances; a deployment replaces them (GET /v1/deployments?service=" + id + ")");
        return Response.created(URI.create("/v1/services/" + id + "/revisions/" + r.made().number()))
                .header(ServicesResource.REVISION_HEADER, r.made().number()).entity(out).build();
    }

    /**
     * What a rollback did.
     *
     * @param target  the revision rolled back to
     * @param spec    its spec with the instance count of the moment, now the service's spec
     * @param made    the revision the rollback made; null when that spec ran already (nothing changed)
     * @param current the service's newest revision number now
     */
    public record Rollback(Revision target, ServiceSpec spec, Revision made, long current) {
    }

    /**
     * Rolls service {@code id} back to revision {@code wanted} (null: the one before the current),
     * as {@code POST /v1/services/{id}/rollback} does; the Marathon API's {@code PUT /v2/apps/{id}}
     * with a {@code version} comes this way too, so that both make the same revision, deployment
     * and events. Waits until the engine has the spec.
     *
     * @throws ApiException 404 for an unknown service, 422 for an unknown revision or one that
     *     cannot run with today's services, 409 when the service changed meanwhile, 503 without etcd
     */
    public Rollback rollbackTo(String id, Long wanted, HttpServletRequest request) {
        SpecStore.Stored current = specs.get(id).orElseThrow(() -> ApiException.notFound("service '" + id + "'"));
        List<Revision> all = revisions(id);
        Revision target;
        if (wanted == null) {
            if (all.size() < 2) {
                throw new ApiException(422, "service '" + id + "' has no revision before its current one", List.of(
                        new Violation("revision", "name the revision to roll back to; " + id + " has "
                                + (all.isEmpty() ? "no revisions" : "only revision " + all.get(0).number()))));
            }
            target = all.get(1);
        } else {
            target = all.stream().filter(r -> r.number() == wanted).findFirst().orElseThrow(() -> new ApiException(422,
                    "service '" + id + "' has no revision " + wanted, List.of(new Violation("revision", unknown(id, wanted, all)))));
        }
        ServiceSpec spec = target.spec().withInstances(current.spec().instances());
        Map<String, ServiceSpec> everything = new HashMap<>(state.snapshot().specs());
        everything.put(id, spec);
        List<Violation> problems = SpecValidator.validateAll(everything.values());
        if (!problems.isEmpty()) {
            throw new ApiException(422, "revision " + target.number() + " of " + id + " cannot run with today's services: "
                    + problems.size() + " problem(s); nothing was changed", problems);
        }
        SpecStore.Change change = ChangeRequest.of(request, "rollback to revision " + target.number());
        SpecStore.Written w = specs.put(spec, current.modRevision(), change);
        if (w.outcome() == SpecStore.Outcome.CONFLICT) {
            throw new ApiException(409, "service '" + id + "' was changed by someone else meanwhile; try again", List.of());
        }
        if (w.revision() == null) {
            return new Rollback(target, spec, null, all.isEmpty() ? target.number() : all.get(0).number());
        }
        state.awaitApplied(() -> engine.get() != null, s -> spec.equals(s.specs().get(id)));
        return new Rollback(target, spec, w.revision(), w.revision().number());
    }

    /** The body's {@code revision}: null when there is no body or it names none. */
    private static Long requestedRevision(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        JsonNode tree;
        try {
            tree = SpecParser.readJson(body);
        } catch (InvalidSpecException e) {
            throw new ApiException(400, "request body is not readable JSON", e.violations());
        }
        List<Violation> problems = new ArrayList<>();
        if (!tree.isObject()) {
            throw new ApiException(422, "invalid rollback", List.of(new Violation("", "must be an object such as {\"revision\": 3}")));
        }
        tree.fieldNames().forEachRemaining(name -> {
            if (!name.equals("revision")) {
                problems.add(new Violation(name, "unknown field; a rollback takes only revision"));
            }
        });
        JsonNode n = tree.get("revision");
        Long out = null;
        if (n != null && !n.isNull()) {
            if (n.canConvertToLong() && n.isIntegralNumber() && n.asLong() >= 1) {
                out = n.asLong();
            } else {
                problems.add(new Violation("revision", "must be a revision number (1, 2, ...), got " + n));
            }
        }
        if (!problems.isEmpty()) {
            throw new ApiException(422, "invalid rollback: " + problems.size() + " problem(s)", problems);
        }
        return out;
    }

    private static boolean wantsText(String format, HttpHeaders headers, List<Violation> problems) {
        if (format != null) {
            if (!format.equals("json") && !format.equals("text")) {
                problems.add(new Violation("format", "must be json or text"));
            }
            return format.equals("text");
        }
        for (MediaType m : headers.getAcceptableMediaTypes()) {
            if (m.isCompatible(MediaType.APPLICATION_JSON_TYPE) && !m.isWildcardType()) {
                return false;
            }
            if (m.getType().equals("text") && (m.getSubtype().equals("plain") || m.isWildcardSubtype())) {
                return true;
            }
        }
        return false;
    }

    /** The service's revisions, newest first; 404 when it has none. */
    private List<Revision> revisions(String id) {
        // An etcd failure is answered 503 with Retry-After by ErrorBodies.EtcdUnavailableMapper.
        List<Revision> all = specs.revisions(id);
        if (all.isEmpty()) {
            throw ApiException.notFound(state.snapshot().specs().containsKey(id)
                    ? "revisions of service '" + id + "' (it was stored before revisions were kept; its next change makes them)"
                    : "service '" + id + "'");
        }
        return all;
    }

    /** The current revision: the newest, while the service exists. */
    private Long current(String id, List<Revision> all) {
        EngineSnapshot s = state.snapshot();
        return s.specs().containsKey(id) ? all.get(0).number() : null;
    }

    private static Optional<Revision> find(List<Revision> all, String n) {
        long number;
        try {
            number = Long.parseLong(n);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return all.stream().filter(r -> r.number() == number).findFirst();
    }

    private static Revision pick(List<Revision> all, String param, String n, List<Violation> problems) {
        long number;
        try {
            number = Long.parseLong(n.strip());
        } catch (NumberFormatException e) {
            problems.add(new Violation(param, "must be a revision number (1, 2, ...), got '" + n + "'"));
            return null;
        }
        Optional<Revision> r = all.stream().filter(x -> x.number() == number).findFirst();
        if (r.isEmpty()) {
            problems.add(new Violation(param, unknown(all.get(0).service(), number, all)));
        }
        return r.orElse(null);
    }

    private static String unknown(String id, long number, List<Revision> all) {
        return "no revision " + number + " of " + id + "; it has " + (all.isEmpty() ? "none"
                : all.size() == 1 ? "revision " + all.get(0).number()
                : "revisions " + all.get(all.size() - 1).number() + " to " + all.get(0).number());
    }

    private static ObjectNode summary(Revision r, Long current) {
        return F.objectNode().put("revision", r.number()).put("who", r.who()).put("at", r.at().toString())
                .put("message", r.message()).put("fingerprint", r.fingerprint()).put("version", r.spec().version())
                .put("instances", r.spec().instances()).put("current", current != null && current == r.number());
    }
}
