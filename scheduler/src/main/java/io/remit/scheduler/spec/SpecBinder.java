package io.remit.scheduler.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Binds a parsed JSON/YAML tree to a {@link ServiceSpec}, recording every shape and type error
 * (unknown field, missing required field, a string where a number belongs) instead of stopping
 * at the first. Where a value is wrong the spec gets a stand-in (a default, or the text of the
 * node for list elements so that indices stay aligned); {@link SpecValidator} drops value checks
 * on paths that already have a type error, so a single mistake is reported once.
 */
final class SpecBinder extends TreeBinder {

    record Bound(ServiceSpec spec, List<Violation> violations) {}

    static final List<String> TOP = List.of("id", "version", "artifacts", "config", "instances", "resources",
            "jvmOptions", "command", "args", "env", "healthCheck", "constraints", "dependencies", "labels", "signals", "deployment");
    static final List<String> RESOURCES = List.of("cpus", "memMb", "diskMb", "ports");
    static final List<String> HEALTH = List.of("path", "port", "interval", "timeout", "gracePeriod", "consecutiveFailures");
    static final List<String> DEPLOYMENT = List.of("strategy", "maxSurge", "maxUnavailable", "progressDeadline", "steps",
            "previewPause", "keepOld", "analysis");
    static final List<String> STEP = List.of("instances", "weight", "pause");
    static final List<String> SIGNALS = List.of("maxErrorRatio", "maxP99");
    static final List<String> ENV_OBJECT = List.of("value", "secret");

    private SpecBinder() {
        super("500ms, 5s, 2m or PT5S", true);
    }

    /** Binds the tree; the spec is null when the document is not an object at all. */
    static Bound bind(JsonNode root) {
        SpecBinder b = new SpecBinder();
        ServiceSpec spec = b.service(root);
        return new Bound(spec, b.violations());
    }

    private ServiceSpec service(JsonNode root) {
        if (root == null || root.isMissingNode() || root.isNull()) {
            add("", "the spec is empty");
            return null;
        }
        if (!root.isObject()) {
            add("", "a spec must be an object (a YAML mapping), got " + describe(root));
            return null;
        }
        knownFields(root, "", TOP);
        String id = required(root, "id", "", this::string);
        String version = required(root, "version", "", this::string);
        boolean commandMode = present(root, "command") || present(root, "args");
        List<String> artifacts = commandMode ? optional(root, "artifacts", "", this::strings)
                : required(root, "artifacts", "", this::strings);
        String config = optional(root, "config", "", this::string);
        Integer instances = optional(root, "instances", "", this::integer);
        Resources resources = required(root, "resources", "", this::resources);
        List<String> jvmOptions = optional(root, "jvmOptions", "", this::strings);
        String command = optional(root, "command", "", this::string);
        List<String> args = optional(root, "args", "", this::strings);
        Map<String, EnvValue> env = optional(root, "env", "", this::env);
        HealthCheck health = optional(root, "healthCheck", "", this::healthCheck);
        List<Constraint> constraints = optional(root, "constraints", "", this::constraints);
        List<String> dependencies = optional(root, "dependencies", "", this::strings);
        Map<String, String> labels = optional(root, "labels", "", this::labels);
        SignalThresholds signals = optional(root, "signals", "", this::signals);
        DeploymentSpec deployment = optional(root, "deployment", "", this::deployment);
        return new ServiceSpec(id, version, artifacts, config, instances == null ? 1 : instances, resources,
                jvmOptions, env, health, constraints, dependencies, labels, command, args, signals, deployment);
    }

    private Resources resources(JsonNode n, String path) {
        if (!object(n, path)) {
            return null;
        }
        knownFields(n, path, RESOURCES);
        Double cpus = required(n, "cpus", path, this::number);
        Integer mem = required(n, "memMb", path, this::integer);
        Integer disk = optional(n, "diskMb", path, this::integer);
        List<String> ports = optional(n, "ports", path, this::strings);
        return new Resources(cpus == null ? 0 : cpus, mem == null ? 0 : mem, disk == null ? 0 : disk, ports);
    }

    private HealthCheck healthCheck(JsonNode n, String path) {
        if (!object(n, path)) {
            return null;
        }
        knownFields(n, path, HEALTH);
        HealthCheck d = HealthCheck.DEFAULT;
        String p = optional(n, "path", path, this::string);
        String port = optional(n, "port", path, this::string);
        Duration interval = optional(n, "interval", path, this::duration);
        Duration timeout = optional(n, "timeout", path, this::duration);
        Duration grace = optional(n, "gracePeriod", path, this::duration);
        Integer failures = optional(n, "consecutiveFailures", path, this::integer);
        return new HealthCheck(p, interval, timeout, grace, failures == null ? d.consecutiveFailures() : failures,
                port);
    }

    private DeploymentSpec deployment(JsonNode n, String path) {
        if (!object(n, path)) {
            return null;
        }
        knownFields(n, path, DEPLOYMENT);
        String strategyText = optional(n, "strategy", path, this::string);
        DeploymentSpec.Strategy strategy = null;
        if (strategyText != null) {
            strategy = DeploymentSpec.Strategy.of(strategyText);
            if (strategy == null) {
                add(child(path, "strategy"), "unknown strategy '" + strategyText + "' (known: rolling, canary, blueGreen)");
            }
        }
        DeploymentSpec.Amount surge = optional(n, "maxSurge", path, this::amount);
        DeploymentSpec.Amount unavailable = optional(n, "maxUnavailable", path, this::amount);
        Duration deadline = optional(n, "progressDeadline", path, this::duration);
        List<DeploymentSpec.CanaryStep> steps = optional(n, "steps", path, this::steps);
        JsonNode analysis = n.get("analysis");
        if (analysis != null && !analysis.isNull() && !analysis.isObject()) {
            add(child(path, "analysis"), "must be an object (a mapping), got " + describe(analysis));
            analysis = null;
        }
        JsonNode preview = n.get("previewPause");
        Duration previewPause = null;
        boolean previewManual = false;
        if (preview != null && !preview.isNull()) {
            if (preview.isTextual() && preview.textValue().strip().equals("manual")) {
                previewManual = true;
            } else {
                previewPause = duration(preview, child(path, "previewPause"));
            }
        }
        Duration keepOld = optional(n, "keepOld", path, this::duration);
        return new DeploymentSpec(strategy, surge, unavailable, deadline, steps, analysis, previewPause, previewManual,
                keepOld);
    }

    /** A count ({@code 2}) or a percentage ({@code "25%"}). */
    private DeploymentSpec.Amount amount(JsonNode n, String path) {
        if (n.isIntegralNumber() && n.canConvertToInt()) {
            return new DeploymentSpec.Amount(n.intValue(), false);
        }
        if (n.isTextual() && n.textValue().strip().matches("\\d{1,3}%")) {
            String t = n.textValue().strip();
            return new DeploymentSpec.Amount(Integer.parseInt(t.substring(0, t.length() - 1)), true);
        }
        add(path, "must be a whole number or a percentage such as \"25%\", got " + describe(n));
        return null;
    }

    private List<DeploymentSpec.CanaryStep> steps(JsonNode n, String path) {
        if (!array(n, path)) {
            return null;
        }
        List<DeploymentSpec.CanaryStep> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            String p = index(path, i);
            JsonNode step = n.get(i);
            if (!object(step, p)) {
                out.add(new DeploymentSpec.CanaryStep(null, null, null, false));
                continue;
            }
            knownFields(step, p, STEP);
            Integer instances = optional(step, "instances", p, this::integer);
            Integer weight = optional(step, "weight", p, this::integer);
            JsonNode pause = step.get("pause");
            Duration wait = null;
            boolean manual = false;
            if (pause != null && !pause.isNull()) {
                if (pause.isTextual() && pause.textValue().strip().equals("manual")) {
                    manual = true;
                } else {
                    wait = duration(pause, child(p, "pause"));
                }
            }
            out.add(new DeploymentSpec.CanaryStep(instances, weight, wait, manual));
        }
        return out;
    }

    private SignalThresholds signals(JsonNode n, String path) {
        if (!object(n, path)) {
            return null;
        }
        knownFields(n, path, SIGNALS);
        return new SignalThresholds(optional(n, "maxErrorRatio", path, this::number),
                optional(n, "maxP99", path, this::duration));
    }

    private Map<String, EnvValue> env(JsonNode n, String path) {
        if (!object(n, path)) {
            return null;
        }
        Map<String, EnvValue> env = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            String p = child(path, e.getKey());
            JsonNode v = e.getValue();
            if (v.isObject()) {
                knownFields(v, p, ENV_OBJECT);
                String value = required(v, "value", p, this::string);
                Boolean secret = optional(v, "secret", p, this::bool);
                env.put(e.getKey(), new EnvValue(value == null ? "" : value, secret != null && secret));
            } else if (v.isTextual()) {
                env.put(e.getKey(), EnvValue.plain(v.textValue()));
            } else {
                add(p, "must be a string or {value: ..., secret: true}, got " + describe(v) + quoteHint(v));
                env.put(e.getKey(), EnvValue.plain(v.asText()));
            }
        }
        return env;
    }

    private Map<String, String> labels(JsonNode n, String path) {
        if (!object(n, path)) {
            return null;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            String s = string(e.getValue(), child(path, e.getKey()));
            labels.put(e.getKey(), s == null ? e.getValue().asText() : s);
        }
        return labels;
    }

    private List<Constraint> constraints(JsonNode n, String path) {
        if (!array(n, path)) {
            return null;
        }
        List<Constraint> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            out.add(constraint(n.get(i), index(path, i)));
        }
        return out;
    }

    private Constraint constraint(JsonNode n, String path) {
        Constraint broken = new Constraint(null, null, null);
        if (!n.isArray() || n.size() < 2 || n.size() > 3) {
            add(path, "must be [attribute, OPERATOR] or [attribute, OPERATOR, value], e.g. [hostname, UNIQUE], got "
                    + describe(n));
            return broken;
        }
        String attribute = string(n.get(0), index(path, 0));
        String op = string(n.get(1), index(path, 1));
        String value = null;
        if (n.size() == 3) {
            JsonNode v = n.get(2);
            if (v.isTextual() || v.isNumber() || v.isBoolean()) {
                value = v.asText();
            } else {
                add(index(path, 2), "must be a string or a number, got " + describe(v));
            }
        }
        if (op == null) {
            return broken;
        }
        Constraint.Operator operator;
        try {
            operator = Constraint.Operator.valueOf(op);
        } catch (IllegalArgumentException e) {
            String hint = Arrays.stream(Constraint.Operator.values()).anyMatch(o -> o.name().equals(op.toUpperCase(Locale.ROOT)))
                    ? " (operators are upper case)" : "";
            add(path, "unknown operator '" + op + "'" + hint + " (known: "
                    + String.join(", ", Arrays.stream(Constraint.Operator.values()).map(Enum::name).toList()) + ")");
            return broken;
        }
        return new Constraint(attribute, operator, value);
    }
}
