package io.remit.scheduler.release;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.http.ApiException;
import io.remit.scheduler.api.ChangeRequest;
import io.remit.scheduler.auth.Caller;
import io.remit.scheduler.spec.InvalidSpecException;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.spec.SpecParser;
import io.remit.scheduler.spec.SpecValidator;
import io.remit.scheduler.spec.Violation;
import io.remit.scheduler.state.SpecCodec;
import io.remit.scheduler.state.SpecStore;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /v1/releases}: changes of several services that go out together.
 *
 * <pre>
 * POST /v1/releases
 * {"message": "quote field v2", "services": [ {fx spec}, {payments spec} ]}
 * </pre>
 *
 * Every spec is checked (each problem with its path, e.g. {@code services[1].version}), together
 * with the specs in place (unknown dependencies, cycles); nothing starts unless all are right.
 * The changes go out in dependency order (a service after those it depends on), each one's
 * deployment passing before the next starts.
 */
@Path("/v1/releases")
@Produces(MediaType.APPLICATION_JSON)
public final class ReleasesResource {

    private final RecordStore<Release> releases;
    private final SpecStore specs;
    private final SpecCodec codec;
    private final Clock clock;

    public ReleasesResource(RecordStore<Release> releases, SpecStore specs, SpecCodec codec, Clock clock) {
        this.releases = releases;
        this.specs = specs;
        this.codec = codec;
        this.clock = clock;
    }

    @GET
    public List<Map<String, Object>> list() {
        List<Map<String, Object>> out = new ArrayList<>();
        List<RecordStore.Stored<Release>> all = new ArrayList<>(releases.all());
        java.util.Collections.reverse(all);
        all.forEach(s -> out.add(ReleaseView.of(s.value())));
        return out;
    }

    @GET
    @Path("{id}")
    public Map<String, Object> get(@PathParam("id") String id) {
        return ReleaseView.of(releases.get(id).orElseThrow(() -> ApiException.notFound("release '" + id + "'")).value());
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, "application/yaml", "text/yaml"})
    public Response create(String body, @HeaderParam("X-Remit-Message") String header, @Context HttpServletRequest request) {
        JsonNode tree;
        try {
            String text = body == null ? "" : body.strip();
            if (text.isEmpty()) {
                throw new ApiException(400, "request body is empty: send {message, services: [spec, ...]}",
                        List.of(new Violation("body", "is empty; a release is {message, services: [spec, ...]}")));
            }
            tree = text.startsWith("{") ? SpecParser.readJson(text) : SpecParser.readYaml(text);
        } catch (InvalidSpecException e) {
            throw new ApiException(400, "request body is not readable", e.violations());
        }
        // "Not in a release that has not ended" is checked against the releases read, so the release
        // is created only if none was created since (RecordStore#createIfUnchanged); a request that
        // loses that race checks again, and sees the winner.
        for (int attempt = 0; attempt < 5; attempt++) {
            long mark = releases.mark();
            List<Violation> problems = new ArrayList<>();
            if (!tree.isObject()) {
                throw new ApiException(422, "a release is an object: {message, services: [spec, ...]}",
                        List.of(new Violation("", "must be an object")));
            }
            tree.fieldNames().forEachRemaining(f -> {
                if (!f.equals("message") && !f.equals("services")) {
                    problems.add(new Violation(f, "unknown field (known: message, services)"));
                }
            });
            // The header is checked as every change's (one line, at most 1000 characters, RFC 8187).
            String headerMessage = null;
            try {
                headerMessage = header == null ? null : ChangeRequest.of(request, null).message();
            } catch (ApiException e) {
                e.details().forEach(d -> problems.add(new Violation(d.path(), d.message())));
            }
            JsonNode bodyMessage = tree.path("message");
            if (!bodyMessage.isMissingNode() && !bodyMessage.isNull()) {
                if (!bodyMessage.isTextual()) {
                    problems.add(new Violation("message", "must be a string, got " + bodyMessage.getNodeType()
                            .toString().toLowerCase(java.util.Locale.ROOT)));
                } else if (bodyMessage.asText().codePoints().anyMatch(c -> Character.isISOControl(c) && c != '\t')) {
                    problems.add(new Violation("message", "must be one line of text, without control characters"));
                } else if (bodyMessage.asText().strip().length() > ChangeRequest.MAX_MESSAGE) {
                    problems.add(new Violation("message", "is " + bodyMessage.asText().strip().length()
                            + " characters long; at most " + ChangeRequest.MAX_MESSAGE));
                }
            }
            JsonNode list = tree.path("services");
            if (!list.isArray() || list.isEmpty()) {
                problems.add(new Violation("services", "must be a list of one or more service specs"));
            }
            List<ServiceSpec> given = new ArrayList<>();
            // A spec with problems of its own still takes part in the dependency checks, through a stand-in.
            List<ServiceSpec> broken = new ArrayList<>();
            for (int i = 0; list.isArray() && i < list.size(); i++) {
                String base = "services[" + i + "]";
                List<Violation> own = SpecValidator.validate(list.get(i));
                own.forEach(v -> problems.add(new Violation(v.path().isEmpty() ? base : base + "." + v.path(), v.message())));
                if (own.isEmpty()) {
                    try {
                        given.add(SpecParser.bind(list.get(i)));
                    } catch (InvalidSpecException e) {
                        e.violations().forEach(v -> problems.add(new Violation(base + "." + v.path(), v.message())));
                    }
                } else {
                    stand(list.get(i)).ifPresent(broken::add);
                }
            }
            Set<String> ids = new LinkedHashSet<>();
            for (int i = 0; i < given.size(); i++) {
                if (!ids.add(given.get(i).id())) {
                    problems.add(new Violation("services[" + i + "].id", "'" + given.get(i).id() + "' is in the release twice"));
                }
            }
            Map<String, ServiceSpec> all = new HashMap<>();
            specs.all().forEach((id, s) -> all.put(id, s.spec()));
            given.forEach(s -> all.put(s.id(), s));
            broken.forEach(s -> all.put(s.id(), s));
            Set<String> checked = new LinkedHashSet<>(ids);
            broken.forEach(s -> checked.add(s.id()));
            for (Violation v : SpecValidator.validateAll(all.values())) {
                if (checked.stream().anyMatch(id -> v.path().startsWith("services[" + id + "]"))) {
                    problems.add(v);
                }
            }
            for (RecordStore.Stored<Release> s : releases.all()) {
                Release r = s.value();
                if (!r.state().ended()) {
                    for (Release.Change c : r.changes()) {
                        if (ids.contains(c.service())) {
                            problems.add(new Violation("services", c.service() + " is in release " + r.id()
                                    + ", which is " + r.state().text() + "; wait for it to end"));
                        }
                    }
                }
            }
            if (!problems.isEmpty()) {
                throw new ApiException(422, "the release is not valid (" + problems.size() + " problem"
                        + (problems.size() == 1 ? "" : "s") + "); nothing was started", problems);
            }
            Instant now = clock.instant();
            List<Release.Change> changes = new ArrayList<>();
            for (ServiceSpec s : inDependencyOrder(given)) {
                ServiceSpec before = all.containsKey(s.id()) && specs.get(s.id()).isPresent() ? specs.get(s.id()).get().spec() : null;
                changes.add(new Release.Change(s.id(), s.version(), codec.encode(s), s.revision(),
                        before == null ? null : before.version(), before == null ? null : codec.encode(before),
                        Release.Step.PENDING, null, null, null));
            }
            String message = bodyMessage.isTextual() ? bodyMessage.asText().strip() : headerMessage;
            String id = "rel-" + now.toEpochMilli() + "-" + Integer.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextInt(0x10000));
            Release r = new Release(id, message, who(request), now, now, null, Release.State.RUNNING,
                    "1 of " + changes.size() + ": " + changes.get(0).service() + " " + changes.get(0).version() + " first",
                    changes, 0);
            if (!releases.createIfUnchanged(r, mark)) {
                // Another release was created since the checks read them: check again against it.
                continue;
            }
            return Response.created(URI.create("/v1/releases/" + id)).entity(ReleaseView.of(r)).build();
        }
        throw new ApiException(409, "releases keep being created meanwhile; send it again",
                List.of(new Violation("services", "other releases were created during each of 5 attempts")));
    }

    /** A valid spec with only the id and dependencies of a spec that has problems, when those two are readable. */
    private static java.util.Optional<ServiceSpec> stand(JsonNode tree) {
        JsonNode id = tree.path("id");
        JsonNode deps = tree.path("dependencies");
        if (!id.isTextual() || !deps.isArray()) {
            return java.util.Optional.empty();
        }
        List<String> dependencies = new ArrayList<>();
        deps.forEach(d -> dependencies.add(d.asText()));
        return java.util.Optional.of(new ServiceSpec(id.asText(), "0", List.of("file:///stand-in.jar"), "", 0,
                new io.remit.scheduler.spec.Resources(0.1, 64, 0, List.of("admin")), List.of(), Map.of(), null, List.of(),
                dependencies, Map.of()));
    }

    /** The services so that each comes after those of the release it depends on; otherwise as given. */
    static List<ServiceSpec> inDependencyOrder(List<ServiceSpec> given) {
        Map<String, ServiceSpec> byId = new LinkedHashMap<>();
        given.forEach(s -> byId.put(s.id(), s));
        List<ServiceSpec> out = new ArrayList<>();
        Set<String> placed = new LinkedHashSet<>();
        while (out.size() < given.size()) {
            for (ServiceSpec s : given) {
                if (!placed.contains(s.id()) && s.dependencies().stream().allMatch(d -> !byId.containsKey(d) || placed.contains(d))) {
                    out.add(s);
                    placed.add(s.id());
                    break;
                }
            }
        }
        return out;
    }

    private static String who(HttpServletRequest request) {
        Object c = request == null ? null : request.getAttribute(Caller.ATTRIBUTE);
        return c instanceof Caller caller ? caller.name() : "anonymous";
    }
}
