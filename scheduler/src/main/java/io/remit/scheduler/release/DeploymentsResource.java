package io.remit.scheduler.release;

import io.remit.http.ApiException;
import io.remit.scheduler.api.ChangeRequest;
import io.remit.scheduler.api.ServicesResource;
import io.remit.scheduler.api.StateView;
import io.remit.scheduler.auth.Caller;
import io.remit.scheduler.spec.InvalidSpecException;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.spec.Violation;
import io.remit.scheduler.state.SpecCodec;
import io.remit.scheduler.state.SpecStore;
import io.remit.scheduler.state.TaskRecord;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * {@code /v1/deployments}: every deployment, newest first ({@code ?service=}, {@code ?state=}),
 * one by id, and an operator's {@code pause}, {@code resume}, {@code abort} and {@code rollback}.
 * Each action is a compare-and-set on the record in etcd; the leader's runner acts on it within a
 * second.
 */
@Path("/v1/deployments")
@Produces(MediaType.APPLICATION_JSON)
public final class DeploymentsResource {

    private final RecordStore<Deployment> store;
    private final SpecStore specs;
    private final SpecCodec codec;
    private final StateView state;
    private final Clock clock;

    public DeploymentsResource(RecordStore<Deployment> store, SpecStore specs, SpecCodec codec, StateView state, Clock clock) {
        this.store = store;
        this.specs = specs;
        this.codec = codec;
        this.state = state;
        this.clock = clock;
    }

    @GET
    public List<Map<String, Object>> list(@QueryParam("service") String service, @QueryParam("state") String wanted) {
        List<Violation> problems = new ArrayList<>();
        if (wanted != null && java.util.Arrays.stream(Deployment.State.values()).noneMatch(s -> s.text().equals(wanted))) {
            problems.add(new Violation("state", "unknown state '" + wanted + "' (known: running, paused, rolling-back, "
                    + "succeeded, failed, rolled-back, aborted)"));
        }
        if (!problems.isEmpty()) {
            throw new ApiException(400, "bad query", problems);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        List<RecordStore.Stored<Deployment>> all = new ArrayList<>(store.all());
        java.util.Collections.reverse(all);
        for (RecordStore.Stored<Deployment> s : all) {
            Deployment d = s.value();
            if ((service == null || service.equals(d.service())) && (wanted == null || wanted.equals(d.state().text()))) {
                out.add(DeploymentView.of(d));
            }
        }
        return out;
    }

    @GET
    @Path("{id}")
    public Map<String, Object> get(@PathParam("id") String id) {
        return DeploymentView.of(find(id).value());
    }

    @POST
    @Path("{id}/pause")
    public Map<String, Object> pause(@PathParam("id") String id, @Context HttpServletRequest request) {
        return change(id, "pause", d -> {
            requireState(d, "pause", Deployment.State.RUNNING);
            return Deployments.pause(d, who(request), clock.instant());
        });
    }

    @POST
    @Path("{id}/resume")
    public Map<String, Object> resume(@PathParam("id") String id, @Context HttpServletRequest request) {
        return change(id, "resume", d -> {
            requireState(d, "resume", Deployment.State.PAUSED, Deployment.State.RUNNING);
            return Deployments.resume(d, who(request), clock.instant());
        });
    }

    @POST
    @Path("{id}/abort")
    public Map<String, Object> abort(@PathParam("id") String id, @Context HttpServletRequest request) {
        return change(id, "abort", d -> {
            requireState(d, "abort", Deployment.State.RUNNING, Deployment.State.PAUSED, Deployment.State.ROLLING_BACK);
            Map<String, Integer> running = new TreeMap<>();
            for (TaskRecord t : state.snapshot().tasks().values()) {
                if (t.serviceId().equals(d.service()) && t.state().isActive()) {
                    running.merge(t.revision(), 1, Integer::sum);
                }
            }
            return Deployments.abort(d, running, "aborted by " + who(request) + ": what runs stays as it is", clock.instant());
        });
    }

    /**
     * Rolls deployment {@code id} back. One under way (running, paused, aborted) brings its old
     * instances back (200, the deployment, now rolling back); 409 when the service had no
     * revision before it, since there is nothing to go back to (abort it to stop it, or delete
     * the service). One that succeeded is undone as {@code POST /v1/services/{id}/rollback} does:
     * its old spec, with today's instance count, becomes a new revision recorded as the caller's
     * change (with {@code X-Remit-Message}), written only if the service is still at the revision
     * checked (409 otherwise), and deployed as any change: 201 with {@code X-Remit-Revision}.
     */
    @POST
    @Path("{id}/rollback")
    public Response rollback(@PathParam("id") String id, @Context HttpServletRequest request) {
        RecordStore.Stored<Deployment> s = find(id);
        Deployment d = s.value();
        if (d.state() == Deployment.State.SUCCEEDED) {
            return rollbackFinished(d, request);
        }
        return Response.ok(change(id, "rollback", x -> {
            requireState(x, "roll back", Deployment.State.RUNNING, Deployment.State.PAUSED, Deployment.State.ABORTED);
            if (x.from() == null || x.fromSpec() == null) {
                // Deployments.rollback would fail it: an operator asking is told instead, and nothing changes.
                throw new ApiException(409, "deployment " + x.id() + " has nothing to roll back to: " + x.service()
                        + " had no revision before it; abort it to stop it where it is, or delete the service",
                        List.of(new Violation("from", "none: this deployment created " + x.service())));
            }
            return Deployments.rollback(x, "rolled back by " + who(request), clock.instant());
        })).build();
    }

    /** A deployment that went out is undone by putting its old spec back: a new change, deployed as any. */
    private Response rollbackFinished(Deployment d, HttpServletRequest request) {
        if (d.fromSpec() == null) {
            throw new ApiException(409, "deployment " + d.id() + " has no earlier spec to go back to",
                    List.of(new Violation("fromSpec", "unknown: the old instances' spec was not found when it started")));
        }
        SpecStore.Stored current = specs.get(d.service())
                .orElseThrow(() -> ApiException.notFound("service '" + d.service() + "'"));
        if (!current.spec().revision().equals(d.to())) {
            throw new ApiException(409, "service " + d.service() + " has changed since deployment " + d.id(),
                    List.of(new Violation("service", "runs revision " + current.spec().revision() + ", not " + d.to())));
        }
        ServiceSpec old;
        try {
            old = codec.decode(d.fromSpec());
        } catch (InvalidSpecException e) {
            throw new ApiException(409, "the old spec cannot be read back", e.violations());
        }
        ServiceSpec spec = old.withInstances(current.spec().instances());
        SpecStore.Change change = ChangeRequest.of(request, "rollback of deployment " + d.id());
        // Only if the service is still as checked above: a change made in between is not overwritten.
        SpecStore.Written w = specs.put(spec, current.modRevision(), change);
        if (w.outcome() == SpecStore.Outcome.CONFLICT) {
            throw new ApiException(409, "service " + d.service() + " changed meanwhile; try again",
                    List.of(new Violation("service", "changed while rolling back")));
        }
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("service", d.service());
        out.put("deployment", d.id());
        out.put("version", d.fromVersion());
        out.put("instances", spec.instances());
        if (w.revision() == null) {
            out.put("changed", false);
            out.put("message", d.service() + " already runs the spec deployment " + d.id() + " started from; nothing changed");
            return Response.ok(out).build();
        }
        state.awaitApplied(state::isLeader, snap -> spec.equals(snap.specs().get(d.service())));
        long n = w.revision().number();
        out.put("changed", true);
        out.put("revision", n);
        out.put("message", "rolling " + d.service() + " back to version " + d.fromVersion() + " as revision " + n
                + " (by " + change.who() + "); a deployment replaces the instances (GET /v1/deployments?service="
                + d.service() + ")");
        return Response.created(URI.create("/v1/services/" + d.service() + "/revisions/" + n))
                .header(ServicesResource.REVISION_HEADER, n).entity(out).build();
    }

    private Map<String, Object> change(String id, String action, UnaryOperator<Deployment> move) {
        for (int attempt = 0; attempt < 5; attempt++) {
            RecordStore.Stored<Deployment> s = find(id);
            Deployment next = move.apply(s.value());
            if (store.update(next, s.modRevision())) {
                return DeploymentView.of(next);
            }
        }
        throw new ApiException(409, "deployment " + id + " keeps changing; " + action + " again",
                List.of(new Violation("id", "changed while " + action + " was applied")));
    }

    private RecordStore.Stored<Deployment> find(String id) {
        return store.get(id).orElseThrow(() -> ApiException.notFound("deployment '" + id + "'"));
    }

    private static void requireState(Deployment d, String action, Deployment.State... allowed) {
        for (Deployment.State s : allowed) {
            if (d.state() == s) {
                return;
            }
        }
        List<String> names = java.util.Arrays.stream(allowed).map(Deployment.State::text).toList();
        throw new ApiException(409, "deployment " + d.id() + " is " + d.state().text() + "; only a deployment that is "
                + String.join(" or ", names) + " can " + action,
                List.of(new Violation("state", d.state().text())));
    }

    private static String who(HttpServletRequest request) {
        Object c = request == null ? null : request.getAttribute(Caller.ATTRIBUTE);
        return c instanceof Caller caller ? caller.name() : "anonymous";
    }

}
