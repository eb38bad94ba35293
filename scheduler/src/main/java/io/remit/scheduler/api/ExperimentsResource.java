package io.remit.scheduler.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.remit.http.ApiException;
import io.remit.registry.discovery.Experiment;
import io.remit.registry.discovery.Instance;
import io.remit.registry.etcd.KeyValue;
import io.remit.registry.etcd.KeyValues;
import io.remit.registry.etcd.Keys;
import io.remit.scheduler.auth.Caller;
import io.remit.scheduler.events.SchedulerEvent;
import io.remit.scheduler.spec.InvalidSpecException;
import io.remit.scheduler.spec.SpecParser;
import io.remit.scheduler.spec.Violation;
import io.remit.scheduler.state.SpecStore;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * {@code /v1/experiments}: A/B experiments, kept in etcd at {@code /remit/experiments/<name>}
 * ({@link Experiment}), which every kit service reads live. A write is validated whole (422 naming
 * every problem: the document's fields, services that do not exist, a service already in another
 * experiment, a cohort unlike the other experiments' since a request carries one cohort key) and
 * stored before it is answered; a rejected write changes nothing. Each change is an
 * {@code experiment.changed} or {@code experiment.deleted} event on {@code /v1/events}.
 *
 * <p>Each experiment is answered with its document, its {@code name}, and per service the live
 * instances of each arm's version ({@code instances}), since an arm without any is routed as if
 * there were no experiment.
 */
@Path("/v1/experiments")
@Produces(MediaType.APPLICATION_JSON)
public final class ExperimentsResource {

    /**
     * Moved by every experiment write (its value: the experiment last written), so that a write
     * can be conditional on no other having been made since its checks read the experiments.
     * Outside {@link Keys#EXPERIMENTS}, which the kit reads.
     */
    static final String GUARD = "/remit/guard/experiments";

    private final KeyValues kv;
    private final SpecStore specs;
    private final Consumer<SchedulerEvent> events;

    /** @param events where each change is told ({@code EventJournal::record}) */
    public ExperimentsResource(KeyValues kv, SpecStore specs, Consumer<SchedulerEvent> events) {
        this.kv = kv;
        this.specs = specs;
        this.events = events;
    }

    /** Every experiment, by name. */
    @GET
    public List<Map<String, Object>> list() {
        List<Map<String, Object>> out = new ArrayList<>();
        all().values().forEach(e -> out.add(view(e, true)));
        return out;
    }

    @GET
    @Path("{name}")
    public Map<String, Object> get(@PathParam("name") String name) {
        return view(find(name).orElseThrow(() -> ApiException.notFound("experiment '" + name + "'")), true);
    }

    /** Creates (201) or replaces (200) the experiment {@code name}. */
    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response put(@PathParam("name") String name, String body, @Context HttpServletRequest request) {
        JsonNode tree;
        try {
            tree = body == null || body.isBlank() ? null : SpecParser.readJson(body);
        } catch (InvalidSpecException e) {
            throw new ApiException(400, "request body is not readable JSON", e.violations());
        }
        // The checks below hold across experiments (one experiment per service, one cohort), so
        // the write is conditional on what they read: every experiment write also moves GUARD, and
        // a write is made only if GUARD has not moved since the read. A request that loses a race
        // checks again against what the winner wrote.
        for (int attempt = 0; attempt < 5; attempt++) {
            long guard = kv.get(GUARD).map(KeyValue::modRevision).orElse(0L);
            List<Experiment.Problem> found = new ArrayList<>();
            Experiment parsed = Experiment.parse(name, tree, true, found);
            List<Violation> problems = new ArrayList<>();
            found.forEach(p -> problems.add(new Violation(p.path(), p.message())));
            Map<String, Experiment> others = all();
            Experiment before = others.remove(name);
            if (tree != null && tree.path("versions").isObject()) {
                tree.path("versions").fieldNames().forEachRemaining(service -> {
                    if (!Keys.isSegment(service) || specs.get(service).isEmpty()) {
                        problems.add(new Violation("versions." + service, "is not a service Remit runs"));
                    }
                    others.values().stream().filter(o -> o.versions().containsKey(service)).findFirst().ifPresent(o ->
                            problems.add(new Violation("versions." + service, "is already in experiment " + o.name()
                                    + "; a service is in one experiment at a time")));
                });
            }
            if (parsed != null) {
                others.values().stream().filter(o -> !o.cohort().equals(parsed.cohort())).findFirst().ifPresent(o ->
                        problems.add(new Violation("cohort", "must be " + describe(o.cohort()) + ", as in experiment "
                                + o.name() + ": a request carries one cohort key to every experiment")));
            }
            if (!problems.isEmpty()) {
                throw new ApiException(422, "invalid experiment '" + name + "': " + problems.size() + " problem(s)", problems);
            }
            if (!kv.txn().ifModRevision(GUARD, guard).put(Keys.experiment(name), parsed.toJson())
                    .put(GUARD, name).commit()) {
                continue;
            }
            Map<String, Object> view = view(parsed, false);
            events.accept(new SchedulerEvent.ExperimentChanged(name, who(request), view));
            return (before == null ? Response.created(URI.create("/v1/experiments/" + name)) : Response.ok())
                    .entity(view(parsed, true)).build();
        }
        throw new ApiException(409, "the experiments keep changing while '" + name + "' is written; send it again",
                List.of(new Violation("name", "other experiments changed during each of 5 attempts")));
    }

    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("name") String name, @Context HttpServletRequest request) {
        boolean deleted = false;
        while (!deleted) {
            Optional<KeyValue> stored = Experiment.validName(name) ? kv.get(Keys.experiment(name)) : Optional.empty();
            if (stored.isEmpty()) {
                throw ApiException.notFound("experiment '" + name + "'");
            }
            // Moves GUARD, as every experiment write does: a PUT that checked against this experiment writes no more.
            deleted = kv.txn().ifModRevision(Keys.experiment(name), stored.get().modRevision())
                    .delete(Keys.experiment(name)).put(GUARD, name).commit();
        }
        events.accept(new SchedulerEvent.ExperimentChanged(name, who(request), null));
        return Response.noContent().build();
    }

    private Optional<Experiment> find(String name) {
        if (!Experiment.validName(name)) {
            return Optional.empty();
        }
        return kv.get(Keys.experiment(name)).flatMap(ExperimentsResource::decode);
    }

    /** Every readable experiment in etcd, by name (one that does not read is left out, as the kit leaves it). */
    private Map<String, Experiment> all() {
        Map<String, Experiment> out = new TreeMap<>();
        for (KeyValue k : kv.list(Keys.EXPERIMENTS)) {
            decode(k).ifPresent(e -> out.put(e.name(), e));
        }
        return out;
    }

    private static Optional<Experiment> decode(KeyValue k) {
        try {
            return Optional.of(Experiment.fromJson(k.key().substring(Keys.EXPERIMENTS.length()), k.value()));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** The experiment as answered: name, its document, and with {@code live} each arm's live instances. */
    private Map<String, Object> view(Experiment e, boolean live) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", e.name());
        ObjectNode doc = e.toTree();
        out.put("split", e.split());
        out.put("cohort", doc.get("cohort"));
        out.put("versions", doc.get("versions"));
        if (live) {
            Map<String, Object> instances = new TreeMap<>();
            e.versions().forEach((service, arms) -> {
                int control = 0;
                int treatment = 0;
                for (KeyValue k : kv.list(Keys.discoveryPrefix(service))) {
                    try {
                        String version = Instance.fromJson(k.value()).version();
                        control += version.equals(arms.control()) ? 1 : 0;
                        treatment += version.equals(arms.treatment()) ? 1 : 0;
                    } catch (Exception ignored) {
                        // not an instance: the kit leaves it out too
                    }
                }
                instances.put(service, Map.of("control", control, "treatment", treatment));
            });
            out.put("instances", instances);
        }
        return out;
    }

    private static String describe(Experiment.Cohort c) {
        return c.header() != null ? "{\"header\": \"" + c.header() + "\"}" : "{\"field\": \"" + c.field() + "\"}";
    }

    private static String who(HttpServletRequest request) {
        Object c = request == null ? null : request.getAttribute(Caller.ATTRIBUTE);
        return c instanceof Caller caller ? caller.name() : "anonymous";
    }
}
