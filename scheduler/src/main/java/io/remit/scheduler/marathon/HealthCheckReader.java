package io.remit.scheduler.marathon;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.scheduler.spec.HealthCheck;
import io.remit.scheduler.spec.ServiceSpec;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * An app's {@code healthChecks} as Remit's one HTTP health check: exactly one entry, protocol
 * HTTP or MESOS_HTTP, on the port at {@code portIndex}; with Marathon's defaults (path {@code /},
 * grace 300 s, interval 60 s, timeout 20 s, 3 failures). Everything else in it is refused.
 */
final class HealthCheckReader extends FieldReader {

    private static final Set<String> HEALTH_FIELDS = Set.of("protocol", "path", "portIndex", "port",
            "gracePeriodSeconds", "intervalSeconds", "timeoutSeconds", "maxConsecutiveFailures", "ignoreHttp1xx",
            "ipProtocol", "delaySeconds", "command");

    private final ServiceSpec base;

    private HealthCheckReader(AppProblems problems, ServiceSpec base) {
        super(problems);
        this.base = base;
    }

    /**
     * @param ports the app's port names, in order
     * @param base the current spec (its check stays when the app gives none), or null
     */
    static HealthCheck read(JsonNode app, List<String> ports, ServiceSpec base, AppProblems problems) {
        return new HealthCheckReader(problems, base).healthCheck(app, ports);
    }

    private HealthCheck healthCheck(JsonNode app, List<String> ports) {
        if (!has(app, "healthChecks")) {
            if (base == null) {
                problems.add("/healthChecks", "required: Remit needs one HTTP health check (protocol HTTP or MESOS_HTTP) "
                        + "to know when an instance is healthy and may be discovered");
            }
            return base == null ? HealthCheck.DEFAULT : base.healthCheck();
        }
        JsonNode list = app.get("healthChecks");
        if (!list.isArray() || list.size() != 1) {
            problems.add("/healthChecks", "Remit runs exactly one health check per app (HTTP or MESOS_HTTP); got "
                    + (list.isArray() ? list.size() : "no list"));
            return HealthCheck.DEFAULT;
        }
        JsonNode h = list.get(0);
        String p = "/healthChecks/0";
        h.fieldNames().forEachRemaining(f -> {
            if (!HEALTH_FIELDS.contains(f)) {
                problems.add(p + "/" + f, "not supported by Remit");
            }
        });
        String protocol = has(h, "protocol") ? h.get("protocol").asText() : "HTTP";
        if (!protocol.equals("HTTP") && !protocol.equals("MESOS_HTTP")) {
            problems.add(p + "/protocol", "Remit checks health over HTTP only (HTTP or MESOS_HTTP), not " + protocol);
        }
        if (has(h, "command")) {
            problems.add(p + "/command", "command health checks are not supported by Remit");
        }
        if (has(h, "port")) {
            problems.add(p + "/port", "a fixed port is not supported by Remit; use portIndex");
        }
        if (has(h, "ignoreHttp1xx") && h.get("ignoreHttp1xx").asBoolean()) {
            problems.add(p + "/ignoreHttp1xx", "not supported by Remit: only 2xx answers are healthy");
        }
        if (has(h, "ipProtocol") && !"IPv4".equals(h.get("ipProtocol").asText())) {
            problems.add(p + "/ipProtocol", "only IPv4 is supported");
        }
        if (has(h, "delaySeconds")) {
            problems.add(p + "/delaySeconds", "not supported by Remit: checks start with the process, within gracePeriodSeconds");
        }
        int portIndex = has(h, "portIndex") ? integer(h.get("portIndex"), p + "/portIndex", 0) : 0;
        String port = null;
        if (portIndex >= ports.size()) {
            problems.add(p + "/portIndex", "names port " + portIndex + " but the app has " + ports.size() + " port(s)");
        } else {
            port = ports.get(portIndex);
        }
        String path = has(h, "path") ? text(h.get("path"), p + "/path") : "/";
        int grace = has(h, "gracePeriodSeconds") ? integer(h.get("gracePeriodSeconds"), p + "/gracePeriodSeconds", 0) : 300;
        int interval = has(h, "intervalSeconds") ? integer(h.get("intervalSeconds"), p + "/intervalSeconds", 1) : 60;
        int timeout = has(h, "timeoutSeconds") ? integer(h.get("timeoutSeconds"), p + "/timeoutSeconds", 1) : 20;
        int failures = has(h, "maxConsecutiveFailures")
                ? integer(h.get("maxConsecutiveFailures"), p + "/maxConsecutiveFailures", 1) : 3;
        return new HealthCheck(path, Duration.ofSeconds(interval), Duration.ofSeconds(timeout), Duration.ofSeconds(grace),
                failures, port);
    }
}
