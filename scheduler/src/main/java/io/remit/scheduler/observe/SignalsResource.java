package io.remit.scheduler.observe;

import io.remit.http.ApiException;
import io.remit.scheduler.api.StateView;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.spec.SignalThresholds;
import io.remit.scheduler.spec.Violation;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The golden signals, read from Prometheus: {@code GET /v1/signals} (every service now, marked
 * when above a threshold: the dashboard) and {@code GET /v1/signals/{service}?minutes=60} (per
 * version over time: the service page's charts). When Prometheus does not answer: 503 saying so,
 * at once (the query's timeout), and the rest of the API and UI carry on.
 */
@Path("/v1/signals")
@Produces(MediaType.APPLICATION_JSON)
public final class SignalsResource {

    static final int MAX_MINUTES = 7 * 24 * 60;

    private final GoldenSignals signals;
    private final StateView state;
    private final Clock clock;

    public SignalsResource(GoldenSignals signals, StateView state, Clock clock) {
        this.signals = signals;
        this.state = state;
        this.clock = clock;
    }

    @GET
    public Map<String, Object> all() {
        try {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("source", signals.source());
            out.put("thresholds", signals.thresholds());
            Map<String, SignalThresholds> limits = new TreeMap<>();
            state.snapshot().specs().forEach((id, spec) -> limits.put(id, spec.signals()));
            out.put("services", signals.now(clock.instant(), limits));
            return out;
        } catch (MetricQuery.Unavailable e) {
            throw unavailable(e);
        }
    }

    @GET
    @Path("{service}")
    public Map<String, Object> one(@PathParam("service") String service, @QueryParam("minutes") String minutes) {
        int window = minutes(minutes);
        ServiceSpec spec = state.snapshot().specs().get(service);
        if (spec == null) {
            throw ApiException.notFound("service '" + service + "'");
        }
        try {
            return signals.history(service, spec.signals(), Duration.ofMinutes(window), clock.instant());
        } catch (MetricQuery.Unavailable e) {
            throw unavailable(e);
        }
    }

    /**
     * The {@code minutes} query parameter of a look back: 60 when absent, else a whole number from
     * 1 to a week, or a 400 naming it.
     */
    static int minutes(String minutes) {
        if (minutes == null) {
            return 60;
        }
        int window;
        try {
            window = Integer.parseInt(minutes.strip());
        } catch (NumberFormatException e) {
            window = -1;
        }
        if (window < 1 || window > MAX_MINUTES) {
            throw new ApiException(400, "minutes must be a whole number from 1 to " + MAX_MINUTES,
                    List.of(new Violation("minutes", "'" + minutes + "' is not a whole number from 1 to " + MAX_MINUTES)));
        }
        return window;
    }

    private static ApiException unavailable(MetricQuery.Unavailable e) {
        return new ApiException(503, e.getMessage(), List.of(new Violation("prometheus", e.getMessage())));
    }
}
