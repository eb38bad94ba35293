package io.remit.scheduler.marathon;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.scheduler.spec.Constraint;
import io.remit.scheduler.spec.EnvValue;
import io.remit.scheduler.spec.HealthCheck;
import io.remit.scheduler.spec.Resources;
import io.remit.scheduler.spec.ServiceSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a Marathon app definition (the JSON of {@code POST /v2/apps} or {@code PUT /v2/apps/{id}})
 * into a Remit {@link ServiceSpec}, listing every field Remit cannot honour instead of ignoring
 * it. As in Marathon, a PUT changes only the fields it gives: the others keep the current spec's
 * values ({@code base}). The result is not yet checked by Remit's own rules; {@link AppTranslation}
 * does that and maps the paths back. Pure; thread-safe.
 *
 * <p>What maps: {@code id} (one level: {@code /web}), {@code cmd} or {@code args}, {@code instances},
 * {@code cpus}, {@code mem}, {@code disk}, {@code portDefinitions} or {@code ports} (port number 0
 * only: Remit takes ports from the offer; names kept, unnamed ones called {@code port<i>}),
 * {@code env}, {@code labels}, {@code constraints} (UNIQUE, GROUP_BY, LIKE, UNLIKE, IS and
 * CLUSTER with a value as IS), one {@code healthChecks} entry of protocol HTTP or MESOS_HTTP,
 * {@code upgradeStrategy} within what Remit does, {@code uris} or {@code fetch}, {@code dependencies}.
 * Fields a GET answers but a client cannot set (tasks, counts, deployments) are ignored.
 */
final class AppReader extends FieldReader {

    /** Marathon's defaults for a new app. */
    static final double DEFAULT_CPUS = 1.0;
    static final int DEFAULT_MEM_MB = 128;

    static final Set<String> READ_ONLY = Set.of("tasks", "tasksStaged", "tasksRunning", "tasksHealthy",
            "tasksUnhealthy", "deployments", "versionInfo", "lastTaskFailure", "taskStats");
    private static final Set<String> KNOWN = Set.of("id", "cmd", "args", "instances", "cpus", "mem", "disk", "gpus",
            "ports", "portDefinitions", "requirePorts", "env", "labels", "constraints", "healthChecks",
            "upgradeStrategy", "uris", "fetch", "version", "dependencies", "user", "container", "residency",
            "acceptedResourceRoles", "ipAddress", "networks", "secrets", "executor", "readinessChecks", "storeUrls",
            "backoffSeconds", "backoffFactor", "maxLaunchDelaySeconds");

    private final ServiceSpec base;

    private AppReader(AppProblems problems, ServiceSpec base) {
        super(problems);
        this.base = base;
    }

    /**
     * @param app the app JSON
     * @param pathId the id in the URL (PUT), or null (POST)
     * @param base the current spec (PUT of an existing app), or null
     * @param problems where every problem goes
     * @return the spec, meaningful only when no problem was added; its version is the base's
     */
    static ServiceSpec read(JsonNode app, String pathId, ServiceSpec base, AppProblems problems) {
        return new AppReader(problems, base).app(app, pathId);
    }

    /** {@code /web} or {@code web} as {@code web}; null (with a problem) for a nested or empty id. */
    static String remitId(String marathonId, String path, AppProblems problems) {
        String id = marathonId.startsWith("/") ? marathonId.substring(1) : marathonId;
        if (id.endsWith("/")) {
            id = id.substring(0, id.length() - 1);
        }
        if (id.isEmpty()) {
            problems.add(path, "required: an app id such as /web");
            return null;
        }
        if (id.contains("/")) {
            problems.add(path, "Remit has no app groups: use a one-level id such as /" + id.substring(id.lastIndexOf('/') + 1));
            return null;
        }
        return id;
    }

    private ServiceSpec app(JsonNode app, String pathId) {
        if (app == null || !app.isObject()) {
            problems.add("/", "an app definition must be a JSON object");
            return null;
        }
        app.fieldNames().forEachRemaining(f -> {
            if (!KNOWN.contains(f) && !READ_ONLY.contains(f)) {
                problems.add("/" + f, "not supported by Remit");
            }
        });
        String id = id(app, pathId);
        String command = base == null ? null : base.command();
        List<String> args = base == null ? null : base.args();
        if (has(app, "cmd") && has(app, "args")) {
            problems.add("/cmd", "give cmd or args, not both");
        } else if (has(app, "cmd")) {
            command = text(app.get("cmd"), "/cmd");
            args = null;
        } else if (has(app, "args")) {
            args = strings(app.get("args"), "/args");
            command = null;
        } else if (base == null) {
            problems.add("/cmd", "required: Remit runs an app's cmd or args (containers are not supported)");
        }
        int instances = has(app, "instances") ? integer(app.get("instances"), "/instances", 0)
                : base == null ? 1 : base.instances();
        Resources r = resources(app);
        List<String> artifacts = artifacts(app, command != null || args != null);
        Map<String, EnvValue> env = has(app, "env") ? env(app.get("env")) : base == null ? Map.of() : base.env();
        Map<String, String> labels = has(app, "labels") ? stringMap(app.get("labels"), "/labels")
                : base == null ? Map.of() : base.labels();
        List<Constraint> constraints = has(app, "constraints") ? constraints(app.get("constraints"))
                : base == null ? List.of() : base.constraints();
        HealthCheck health = HealthCheckReader.read(app, r.ports(), base, problems);
        List<String> dependencies = base == null ? List.of() : base.dependencies();
        if (has(app, "dependencies")) {
            dependencies = new ArrayList<>();
            List<String> given = strings(app.get("dependencies"), "/dependencies");
            for (int i = 0; i < given.size(); i++) {
                String d = remitId(given.get(i), "/dependencies/" + i, problems);
                dependencies.add(d == null ? given.get(i) : d);
            }
        }
        RefusedFields.check(app, base, problems);
        return new ServiceSpec(id, base == null ? null : base.version(), artifacts, base == null ? "" : base.config(),
                instances, r, base == null ? List.of() : base.jvmOptions(), env, health, constraints, dependencies,
                labels, command, args, base == null ? null : base.signals(),
                base == null ? null : base.deployment());
    }

    private String id(JsonNode app, String pathId) {
        String bodyId = has(app, "id") ? text(app.get("id"), "/id") : null;
        String id = bodyId == null ? null : remitId(bodyId, "/id", problems);
        if (pathId != null && id != null && !id.equals(pathId)) {
            problems.add("/id", "must match the id in the path (/" + pathId + "), got " + bodyId);
        }
        if (pathId == null && bodyId == null && !has(app, "id")) {
            problems.add("/id", "required: an app id such as /web");
        }
        return pathId != null ? pathId : id;
    }

    private Resources resources(JsonNode app) {
        Resources b = base == null ? new Resources(DEFAULT_CPUS, DEFAULT_MEM_MB, 0, List.of("port0")) : base.resources();
        double cpus = has(app, "cpus") ? number(app.get("cpus"), "/cpus") : b.cpus();
        int mem = has(app, "mem") ? (int) Math.ceil(number(app.get("mem"), "/mem")) : b.memMb();
        int disk = has(app, "disk") ? (int) Math.ceil(number(app.get("disk"), "/disk")) : b.diskMb();
        if (has(app, "gpus") && number(app.get("gpus"), "/gpus") != 0) {
            problems.add("/gpus", "Remit does not offer GPUs");
        }
        if (has(app, "requirePorts") && app.get("requirePorts").asBoolean()) {
            problems.add("/requirePorts", "Remit takes every port from the agent's offer; fixed host ports are not supported");
        }
        List<String> ports = b.ports();
        if (has(app, "ports") && has(app, "portDefinitions")) {
            problems.add("/ports", "give ports or portDefinitions, not both");
        } else if (has(app, "ports")) {
            ports = new ArrayList<>();
            JsonNode list = app.get("ports");
            if (!list.isArray()) {
                problems.add("/ports", "must be a list of port numbers");
            } else {
                for (int i = 0; i < list.size(); i++) {
                    fixedPort(list.get(i), "/ports/" + i);
                    ports.add("port" + i);
                }
            }
        } else if (has(app, "portDefinitions")) {
            ports = portDefinitions(app.get("portDefinitions"));
        }
        return new Resources(cpus, mem, disk, ports);
    }

    private List<String> portDefinitions(JsonNode list) {
        List<String> names = new ArrayList<>();
        if (!list.isArray()) {
            problems.add("/portDefinitions", "must be a list");
            return names;
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode d = list.get(i);
            String p = "/portDefinitions/" + i;
            if (!d.isObject()) {
                problems.add(p, "must be an object such as {\"port\": 0, \"name\": \"http\"}");
                names.add("port" + i);
                continue;
            }
            d.fieldNames().forEachRemaining(f -> {
                if (!Set.of("port", "protocol", "name", "labels").contains(f)) {
                    problems.add(p + "/" + f, "not supported by Remit");
                }
            });
            if (has(d, "port")) {
                fixedPort(d.get("port"), p + "/port");
            }
            if (has(d, "protocol") && !"tcp".equals(d.get("protocol").asText())) {
                problems.add(p + "/protocol", "only tcp is supported");
            }
            if (has(d, "labels") && d.get("labels").size() > 0) {
                problems.add(p + "/labels", "port labels are not supported by Remit");
            }
            names.add(has(d, "name") ? text(d.get("name"), p + "/name") : "port" + i);
        }
        return names;
    }

    private void fixedPort(JsonNode n, String path) {
        if (!n.isIntegralNumber() || n.intValue() != 0) {
            problems.add(path, "must be 0: Remit takes every port from the agent's offer (fixed ports are not supported)");
        }
    }

    private List<String> artifacts(JsonNode app, boolean commandMode) {
        if (has(app, "uris") && has(app, "fetch")) {
            problems.add("/uris", "give uris or fetch, not both");
            return List.of();
        }
        if (has(app, "uris")) {
            return strings(app.get("uris"), "/uris");
        }
        if (!has(app, "fetch")) {
            return base == null ? List.of() : base.artifacts();
        }
        JsonNode list = app.get("fetch");
        List<String> out = new ArrayList<>();
        if (!list.isArray()) {
            problems.add("/fetch", "must be a list");
            return out;
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode f = list.get(i);
            String p = "/fetch/" + i;
            if (!f.isObject() || !has(f, "uri")) {
                problems.add(p, "must be an object with a uri");
                continue;
            }
            f.fieldNames().forEachRemaining(k -> {
                if (!Set.of("uri", "extract", "executable", "cache").contains(k)) {
                    problems.add(p + "/" + k, "not supported by Remit (files go into the sandbox under their own name)");
                }
            });
            if (has(f, "extract") && f.get("extract").asBoolean() != commandMode) {
                problems.add(p + "/extract", commandMode ? "Remit unpacks archives for a cmd/args app; extract: false is not supported"
                        : "Remit does not unpack a service jar's artifacts");
            }
            if (has(f, "executable") && f.get("executable").asBoolean()) {
                problems.add(p + "/executable", "not supported by Remit: run it with sh or chmod it in cmd");
            }
            if (has(f, "cache") && f.get("cache").asBoolean()) {
                problems.add(p + "/cache", "not supported by Remit: an app's files are fetched at every launch");
            }
            out.add(text(f.get("uri"), p + "/uri"));
        }
        return out;
    }

    private Map<String, EnvValue> env(JsonNode n) {
        Map<String, EnvValue> env = new LinkedHashMap<>();
        if (!n.isObject()) {
            problems.add("/env", "must be an object of names to strings");
            return env;
        }
        n.fields().forEachRemaining(e -> {
            String p = "/env/" + e.getKey();
            EnvValue old = base == null ? null : base.env().get(e.getKey());
            if (e.getValue().isTextual()) {
                String v = e.getValue().textValue();
                // A GET shows a secret as ****; sending that back keeps the secret.
                env.put(e.getKey(), old != null && old.secret() && v.equals(old.display()) ? old : EnvValue.plain(v));
            } else if (e.getValue().isObject() && e.getValue().has("secret")) {
                problems.add(p, "secret references are not supported by Remit; give the value (Remit's /v1 API can mark it secret)");
            } else {
                problems.add(p, "must be a string");
            }
        });
        return env;
    }

    private List<Constraint> constraints(JsonNode n) {
        List<Constraint> out = new ArrayList<>();
        if (!n.isArray()) {
            problems.add("/constraints", "must be a list of [field, OPERATOR, value] lists");
            return out;
        }
        for (int i = 0; i < n.size(); i++) {
            JsonNode c = n.get(i);
            String p = "/constraints/" + i;
            if (!c.isArray() || c.size() < 2 || c.size() > 3) {
                problems.add(p, "must be [field, OPERATOR] or [field, OPERATOR, value]");
                continue;
            }
            String field = c.get(0).asText();
            String op = c.get(1).asText();
            String value = c.size() == 3 ? c.get(2).asText() : null;
            switch (op) {
                case "UNIQUE", "GROUP_BY", "LIKE", "UNLIKE", "IS" ->
                        out.add(new Constraint(field, Constraint.Operator.valueOf(op), value));
                case "CLUSTER" -> {
                    if (value == null) {
                        problems.add(p, "CLUSTER without a value (all on whichever agent comes first) is not supported "
                                + "by Remit; name the value: [" + field + ", CLUSTER, value]");
                    } else {
                        out.add(new Constraint(field, Constraint.Operator.IS, value));
                    }
                }
                default -> problems.add(p, "operator " + op + " is not supported by Remit (supported: UNIQUE, CLUSTER with "
                        + "a value, GROUP_BY, LIKE, UNLIKE, IS)");
            }
        }
        return out;
    }
}
