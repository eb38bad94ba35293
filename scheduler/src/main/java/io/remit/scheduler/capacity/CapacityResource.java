package io.remit.scheduler.capacity;

import io.remit.http.ApiException;
import io.remit.scheduler.api.StateView;
import io.remit.scheduler.engine.EngineSnapshot;
import io.remit.scheduler.spec.Resources;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.spec.Violation;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Capacity planning: {@code GET /v1/capacity} (JSON, or {@code ?format=text}),
 * {@code GET /v1/capacity/what-if} and {@code GET /v1/capacity/history}. All read-only: what-if
 * places on a copy and changes nothing, so viewers may ask too.
 */
@Path("/v1/capacity")
@Produces(MediaType.APPLICATION_JSON)
public final class CapacityResource {

    private final StateView state;
    private final MasterState master;
    private final CapacityHistory history;
    private final CapacityPlanner.Overhead overhead;
    private final Clock clock;

    public CapacityResource(StateView state, MasterState master, CapacityHistory history, CapacityPlanner.Overhead overhead,
                            Clock clock) {
        this.state = state;
        this.master = master;
        this.history = history;
        this.overhead = overhead;
        this.clock = clock;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    public Response report(@QueryParam("format") @DefaultValue("json") String format) {
        CapacityPlanner.Report report = CapacityPlanner.report(agents(), state.snapshot(), overhead);
        return switch (format) {
            case "json" -> Response.ok(report, MediaType.APPLICATION_JSON_TYPE).build();
            case "text" -> Response.ok(CapacityText.render(report, clock.instant()), MediaType.TEXT_PLAIN_TYPE).build();
            default -> throw new ApiException(422, "unknown format '" + format + "'",
                    List.of(problem("format", "must be json or text")));
        };
    }

    /**
     * {@code ?service=fx&count=3}: three more instances of fx, with its resources and constraints;
     * or {@code ?cpus=1&memMb=2048&diskMb=0&ports=2&count=5}: five instances of that shape.
     */
    @GET
    @Path("what-if")
    public CapacityPlanner.WhatIf whatIf(@QueryParam("service") String service, @QueryParam("count") Integer count,
                                         @QueryParam("cpus") Double cpus, @QueryParam("memMb") Integer memMb,
                                         @QueryParam("diskMb") Integer diskMb, @QueryParam("ports") Integer ports) {
        List<Violation> problems = new ArrayList<>();
        if (count == null) {
            problems.add(problem("count", "is required: how many instances to place"));
        } else if (count < 1 || count > 100_000) {
            problems.add(problem("count", "must be between 1 and 100000"));
        }
        boolean shape = cpus != null || memMb != null || diskMb != null || ports != null;
        EngineSnapshot snapshot = state.snapshot();
        ServiceSpec spec = null;
        if (service != null && shape) {
            problems.add(problem("service", "give either service or a shape (cpus, memMb, diskMb, ports), not both"));
        } else if (service != null) {
            spec = snapshot.specs().get(service);
            if (spec == null) {
                problems.add(problem("service", "no service '" + service + "'"));
            }
        } else if (!shape) {
            problems.add(problem("service", "give a service, or a shape (cpus, memMb, diskMb, ports)"));
        } else {
            if (cpus == null || cpus <= 0 || cpus > 1024) {
                problems.add(problem("cpus", "is required, more than 0 and at most 1024"));
            }
            if (memMb == null || memMb < 1 || memMb > 4_194_304) {
                problems.add(problem("memMb", "is required, at least 1"));
            }
            if (diskMb != null && diskMb < 0) {
                problems.add(problem("diskMb", "must not be negative"));
            }
            if (ports != null && (ports < 0 || ports > 100)) {
                problems.add(problem("ports", "must be between 0 and 100"));
            }
        }
        if (!problems.isEmpty()) {
            throw new ApiException(422, "invalid what-if: " + problems.size() + " problem(s)", problems);
        }
        List<AgentCapacity> agents = agents();
        if (spec != null) {
            return CapacityPlanner.whatIf(count + " more instances of " + spec.id(), spec.id(), spec.resources(),
                    spec.constraints(), count, agents, snapshot, overhead);
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < (ports == null ? 0 : ports); i++) {
            names.add("port" + i);
        }
        Resources r = new Resources(cpus, memMb, diskMb == null ? 0 : diskMb, names);
        return CapacityPlanner.whatIf(count + " instances of " + cpus + " cpus, " + memMb + " MB mem, "
                + (diskMb == null ? 0 : diskMb) + " MB disk, " + names.size() + " ports", "what-if", r, List.of(), count,
                agents, snapshot, overhead);
    }

    /** Allocation samples of the last {@code hours} hours, as JSON or CSV. */
    @GET
    @Path("history")
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    public Response history(@QueryParam("hours") @DefaultValue("24") int hours,
                            @QueryParam("format") @DefaultValue("json") String format) {
        if (hours < 1 || hours > 24 * 90) {
            throw new ApiException(422, "hours must be between 1 and 2160", List.of(problem("hours", "must be between 1 and 2160")));
        }
        List<CapacityHistory.Sample> samples = history.since(clock.instant().minus(Duration.ofHours(hours)));
        return switch (format) {
            case "json" -> Response.ok(samples, MediaType.APPLICATION_JSON_TYPE).build();
            case "csv" -> {
                StringBuilder b = new StringBuilder(CapacityHistory.CSV_HEADER).append('\n');
                samples.forEach(s -> b.append(s.exportCsv()).append('\n'));
                yield Response.ok(b.toString(), "text/csv").header("Content-Disposition",
                        "attachment; filename=\"remit-capacity.csv\"").build();
            }
            default -> throw new ApiException(422, "unknown format '" + format + "'",
                    List.of(problem("format", "must be json or csv")));
        };
    }

    private List<AgentCapacity> agents() {
        try {
            return master.agents();
        } catch (IOException e) {
            throw new ApiException(503, "the Mesos master did not answer: " + e.getMessage(),
                    List.of(problem("mesos", "GET /master/slaves failed")));
        }
    }

    private static Violation problem(String path, String message) {
        return new Violation(path, message);
    }
}
