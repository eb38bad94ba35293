package io.remit.scheduler.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Binds a parsed JSON/YAML tree to a {@link ServiceSpec}, recording every shape and type error
 * (unknown field, missing required field, a string where a number belongs) instead of stopping
 * at the first. Where a value is wrong the spec gets a stand-in (a default, or the text of the
 * node for list elements so that indices stay aligned); {@link SpecValidator} drops value checks
 * on paths that already have a type error, so a single mistake is reported once.
 */
final class SpecBinder {

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

    private final List<Violation> violations = new ArrayList<>();

    private SpecBinder() {}

    /** Binds the tree; the spec is null when the document is not an object at all. */
    static Bound bind(JsonNode root) {
        SpecBinder b = new SpecBinder();
        ServiceSpec spec = b.service(root);
        return new Bound(spec, List.copyOf(b.violations));
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

    // --- scalars ------------------------------------------------------------------------------

    private String string(JsonNode n, String path) {
        if (n.isTextual()) {
            return n.textValue();
        }
        add(path, "must be a string, got " + describe(n) + quoteHint(n));
        return null;
    }

    private Integer integer(JsonNode n, String path) {
        if (n.isIntegralNumber() && n.canConvertToInt()) {
            return n.intValue();
        }
        if (n.isIntegralNumber()) {
            add(path, "is too large: " + n.asText());
        } else if (n.isNumber()) {
            add(path, "must be a whole number, got " + n.asText());
        } else {
            add(path, "must be a number, got " + describe(n));
        }
        return null;
    }

    private Double number(JsonNode n, String path) {
        if (n.isNumber()) {
            return n.doubleValue();
        }
        add(path, "must be a number, got " + describe(n));
        return null;
    }

    private Boolean bool(JsonNode n, String path) {
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        add(path, "must be true or false, got " + describe(n));
        return null;
    }

    private Duration duration(JsonNode n, String path) {
        if (n.isTextual()) {
            var d = Durations.parse(n.textValue());
            if (d.isPresent()) {
                return d.get();
            }
        }
        add(path, "must be a duration such as 500ms, 5s, 2m or PT5S, got " + describe(n));
        return null;
    }

    private List<String> strings(JsonNode n, String path) {
        if (!array(n, path)) {
            return null;
        }
        List<String> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            String s = string(n.get(i), index(path, i));
            out.add(s == null ? n.get(i).asText() : s);
        }
        return out;
    }

    // --- structure ----------------------------------------------------------------------------

    private <T> T required(JsonNode parent, String field, String path, BiFunction<JsonNode, String, T> read) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            add(child(path, field), "required");
            return null;
        }
        return read.apply(n, child(path, field));
    }

    private <T> T optional(JsonNode parent, String field, String path, BiFunction<JsonNode, String, T> read) {
        JsonNode n = parent.get(field);
        return n == null || n.isNull() ? null : read.apply(n, child(path, field));
    }

    private static boolean present(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        return n != null && !n.isNull();
    }

    private boolean object(JsonNode n, String path) {
        if (n.isObject()) {
            return true;
        }
        add(path, "must be an object (a mapping), got " + describe(n));
        return false;
    }

    private boolean array(JsonNode n, String path) {
        if (n.isArray()) {
            return true;
        }
        add(path, "must be a list, got " + describe(n));
        return false;
    }

    private void knownFields(JsonNode n, String path, List<String> known) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                String similar = known.stream()
                        .filter(k -> k.equalsIgnoreCase(name) || k.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT)))
                        .findFirst().map(k -> "did you mean '" + k + "'? ").orElse("");
                add(child(path, name), "unknown field (" + similar + "known: " + String.join(", ", known) + ")");
            }
        }
    }

    private void add(String path, String message) {
        violations.add(new Violation(path, message));
    }

    static String child(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    static String index(String path, int i) {
        return path + "[" + i + "]";
    }

    private static String quoteHint(JsonNode n) {
        return n.isNumber() || n.isBoolean() ? " (quote it in YAML: \"" + n.asText() + "\")" : "";
    }

    static String describe(JsonNode n) {
        if (n.isTextual()) {
            String t = n.textValue();
            return "string \"" + (t.length() > 40 ? t.substring(0, 40) + "..." : t) + "\"";
        }
        if (n.isNumber()) {
            return "number " + n.asText();
        }
        if (n.isBoolean()) {
            return "boolean " + n.asText();
        }
        if (n.isArray()) {
            return "a list";
        }
        if (n.isObject()) {
            return "an object";
        }
        return "null";
    }
}
