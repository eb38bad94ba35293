package io.remit.scheduler.observe;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/prometheus/targets}: every live instance's, executor's and scheduler's metrics
 * endpoint, for a Prometheus {@code http_sd_configs} entry (see docs/observability.md). Served by
 * every scheduler, leader or standby, from its own watch on the discovery records and the task
 * records it reads.
 */
@Path("/v1/prometheus")
@Produces(MediaType.APPLICATION_JSON)
public final class PrometheusResource {

    private final PrometheusTargets targets;

    public PrometheusResource(PrometheusTargets targets) {
        this.targets = targets;
    }

    @GET
    @Path("targets")
    public List<Map<String, Object>> targets() {
        return targets.groups();
    }
}
