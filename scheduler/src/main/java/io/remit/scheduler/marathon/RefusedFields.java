package io.remit.scheduler.marathon;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.scheduler.spec.ServiceSpec;

/**
 * The parts of a Marathon app Remit cannot honour, each refused with its path and the reason:
 * containers, residency, IP-per-task, Marathon secrets, readiness checks, another user or
 * executor, roles other than {@code *}, non-host networks, a backoff other than Remit's, an
 * upgrade strategy Remit cannot keep, a version for a new app (a rollback to a version is
 * {@link RollbackRequest}'s). Their default (empty) values are
 * accepted, so that a client sending them unset is not refused.
 */
final class RefusedFields extends FieldReader {

    /** Remit's fixed relaunch backoff, which an app may restate but not change. */
    static final int BACKOFF_SECONDS = 1;
    static final double BACKOFF_FACTOR = 2.0;
    static final int MAX_LAUNCH_DELAY_SECONDS = 300;

    private final ServiceSpec base;

    private RefusedFields(AppProblems problems, ServiceSpec base) {
        super(problems);
        this.base = base;
    }

    /** Adds a problem for each such field of {@code app}; {@code base} is the current spec, or null. */
    static void check(JsonNode app, ServiceSpec base, AppProblems problems) {
        RefusedFields r = new RefusedFields(problems, base);
        r.upgradeStrategy(app.get("upgradeStrategy"));
        r.unsupported(app);
        r.version(app.get("version"));
    }

    /** Remit starts each new instance before it stops an old one, one at a time. */
    private void upgradeStrategy(JsonNode u) {
        if (u == null || u.isNull()) {
            return;
        }
        if (has(u, "minimumHealthCapacity")) {
            double min = u.get("minimumHealthCapacity").asDouble();
            if (min < 0 || min > 1) {
                problems.add("/upgradeStrategy/minimumHealthCapacity", "must be between 0 and 1");
            }
        }
        if (has(u, "maximumOverCapacity")) {
            double over = u.get("maximumOverCapacity").asDouble();
            if (over <= 0 || over > 1) {
                problems.add("/upgradeStrategy/maximumOverCapacity", "must be above 0 and at most 1: Remit starts each "
                        + "new instance before it stops an old one (one at a time, never below full health capacity)");
            }
        }
        u.fieldNames().forEachRemaining(f -> {
            if (!f.equals("minimumHealthCapacity") && !f.equals("maximumOverCapacity")) {
                problems.add("/upgradeStrategy/" + f, "not supported by Remit");
            }
        });
    }

    /** Fields Marathon has and Remit cannot honour: accepted only with their default (empty) values. */
    private void unsupported(JsonNode app) {
        notEmpty(app, "container", "containers (Docker, Mesos) are not supported: Remit runs cmd or args on the agent");
        notEmpty(app, "residency", "resident (stateful) apps are not supported by Remit");
        notEmpty(app, "ipAddress", "IP-per-task networking is not supported by Remit");
        notEmpty(app, "secrets", "Marathon secrets are not supported by Remit; give env values (Remit's /v1 API can mark them secret)");
        notEmpty(app, "readinessChecks", "readiness checks are not supported by Remit; the health check decides");
        notEmpty(app, "storeUrls", "storeUrls are not supported by Remit");
        if (has(app, "user") && !app.get("user").asText().isEmpty()) {
            problems.add("/user", "Remit runs every instance as the executor's user; another user is not supported");
        }
        if (has(app, "executor") && !app.get("executor").asText().isEmpty()) {
            problems.add("/executor", "Remit runs every app with its own executor; a custom executor is not supported");
        }
        JsonNode roles = app.get("acceptedResourceRoles");
        if (roles != null && !roles.isNull() && !(roles.isArray() && (roles.size() == 0
                || (roles.size() == 1 && "*".equals(roles.get(0).asText()))))) {
            problems.add("/acceptedResourceRoles", "Remit uses its framework role's resources; only [\"*\"] is supported");
        }
        JsonNode networks = app.get("networks");
        if (networks != null && !networks.isNull() && !(networks.isArray() && (networks.size() == 0
                || (networks.size() == 1 && "host".equals(networks.get(0).path("mode").asText()))))) {
            problems.add("/networks", "only host networking is supported by Remit");
        }
        fixed(app, "backoffSeconds", BACKOFF_SECONDS);
        fixed(app, "backoffFactor", BACKOFF_FACTOR);
        fixed(app, "maxLaunchDelaySeconds", MAX_LAUNCH_DELAY_SECONDS);
    }

    private void fixed(JsonNode app, String field, double remit) {
        if (has(app, field) && app.get(field).asDouble() != remit) {
            problems.add("/" + field, "Remit's relaunch backoff is fixed (1 s, doubling, at most 300 s); " + field
                    + " must be " + (remit == Math.rint(remit) && field.endsWith("Seconds") ? String.valueOf((int) remit) : String.valueOf(remit)));
        }
    }

    private void notEmpty(JsonNode app, String field, String why) {
        JsonNode n = app.get(field);
        if (n != null && !n.isNull() && !(n.isContainerNode() && n.size() == 0)) {
            problems.add("/" + field, why);
        }
    }

    private void version(JsonNode v) {
        if (v == null || v.isNull()) {
            return;
        }
        if (base == null) {
            problems.add("/version", "a new app has no earlier version to go back to; leave version out");
        } else if (!v.asText().equals(MarathonVersion.shown(base.version()))) {
            problems.add("/version", "a rollback to a version takes the version alone ({\"version\": \"...\"}); "
                    + "leave version out to change fields");
        }
    }
}
