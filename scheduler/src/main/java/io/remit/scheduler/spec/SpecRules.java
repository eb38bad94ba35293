package io.remit.scheduler.spec;

import static io.remit.scheduler.spec.SpecBinder.child;
import static io.remit.scheduler.spec.SpecBinder.index;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The value rules of one spec, checked on the typed record. Pure; see {@link SpecValidator}. */
final class SpecRules {

    static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,127}");
    private static final Pattern PORT_NAME = Pattern.compile("[a-z][a-z0-9-]{0,30}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._/-]{0,62})");
    private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    static final String ADMIN_PORT = "admin";
    static final int MIN_MEM_MB = 32;

    private final List<Violation> out = new ArrayList<>();
    private final Predicate<String> broken;

    private SpecRules(Predicate<String> broken) {
        this.broken = broken;
    }

    /**
     * @param broken paths that already have a type error; cross-field checks that read them are
     *     skipped
     */
    static List<Violation> check(ServiceSpec s, Predicate<String> broken) {
        SpecRules r = new SpecRules(broken);
        r.spec(s);
        return r.out;
    }

    private void spec(ServiceSpec s) {
        if (s.id() == null) {
            add("id", "required");
        } else if (!DNS_LABEL.matcher(s.id()).matches()) {
            add("id", "must be a DNS label: 1-63 lowercase letters, digits or '-', starting and ending with a letter or digit");
        }
        if (s.version() == null) {
            add("version", "required");
        } else if (!VERSION.matcher(s.version()).matches()) {
            add("version", "must be 1-128 letters, digits or '.', '_', '+', '-', starting with a letter or digit");
        }
        if (s.artifacts().isEmpty() && !s.runsCommand()) {
            add("artifacts", "must list at least one artifact (or give a command or args to run instead of a jar)");
        }
        for (int i = 0; i < s.artifacts().size(); i++) {
            String p = index("artifacts", i);
            Templates.artifactProblem(s.artifacts().get(i)).ifPresent(m -> add(p, m));
        }
        if (s.instances() < 0 || s.instances() > ServiceSpec.MAX_INSTANCES) {
            add("instances", "must be between 0 and " + ServiceSpec.MAX_INSTANCES);
        }
        command(s);
        resources(s.resources(), s.healthCheck().port());
        if (s.resources() != null && !broken.test("resources.ports")) {
            for (String m : Templates.configProblems(s.config(), s.resources().ports())) {
                add("config", m);
            }
        }
        for (int i = 0; i < s.jvmOptions().size(); i++) {
            if (!s.jvmOptions().get(i).startsWith("-")) {
                add(index("jvmOptions", i), "must start with '-', e.g. -Xmx256m");
            }
        }
        for (String name : s.env().keySet()) {
            if (!ENV_NAME.matcher(name).matches()) {
                add(child("env", name), "not a valid variable name (letters, digits and '_', not starting with a digit)");
            }
        }
        healthCheck(s.healthCheck());
        signals(s.signals());
        deployment(s.deployment(), s.instances());
        constraints(s.constraints());
        dependencies(s.id(), s.dependencies());
        for (Map.Entry<String, String> e : s.labels().entrySet()) {
            if (!LABEL_KEY.matcher(e.getKey()).matches()) {
                add(child("labels", e.getKey()), "not a valid label name (1-63 letters, digits, '.', '_', '/', '-')");
            } else if (e.getValue().length() > 256) {
                add(child("labels", e.getKey()), "must be at most 256 characters");
            }
        }
    }

    private void command(ServiceSpec s) {
        if (s.command() != null && s.args() != null) {
            add("args", "give either command (run by /bin/sh -c) or args (run without a shell), not both");
        }
        if (s.command() != null && s.command().isBlank()) {
            add("command", "must not be empty");
        }
        if (s.args() != null && s.args().isEmpty()) {
            add("args", "must list at least the program to run");
        } else if (s.args() != null && s.args().get(0).isBlank()) {
            add(index("args", 0), "the program must not be empty");
        }
        if (s.runsCommand() && !s.jvmOptions().isEmpty()) {
            add("jvmOptions", "only for a service jar; with " + (s.command() != null ? "command" : "args")
                    + " put the options into it");
        }
    }

    private void resources(Resources r, String healthPort) {
        if (r == null) {
            add("resources", "required");
            return;
        }
        if (!(r.cpus() > 0) || Double.isInfinite(r.cpus())) {
            add("resources.cpus", "must be greater than 0");
        }
        if (r.memMb() < MIN_MEM_MB) {
            add("resources.memMb", "must be at least " + MIN_MEM_MB);
        }
        if (r.diskMb() < 0) {
            add("resources.diskMb", "must be 0 or more");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < r.ports().size(); i++) {
            String name = r.ports().get(i);
            if (!PORT_NAME.matcher(name).matches()) {
                add(index("resources.ports", i), "a port name is 1-31 lowercase letters, digits or '-', starting with a letter");
            } else if (!seen.add(name)) {
                add(index("resources.ports", i), "duplicate port name '" + name + "'");
            }
        }
        if (!broken.test("resources.ports") && !broken.test("healthCheck.port")
                && PORT_NAME.matcher(healthPort).matches() && !r.ports().contains(healthPort)) {
            add("resources.ports", ADMIN_PORT.equals(healthPort)
                    ? "must include '" + ADMIN_PORT + "' (the health check runs on the admin port)"
                    : "must include '" + healthPort + "' (healthCheck.port, where the health check runs)");
        }
    }

    private void healthCheck(HealthCheck h) {
        if (!h.path().startsWith("/")) {
            add("healthCheck.path", "must start with '/'");
        }
        if (!PORT_NAME.matcher(h.port()).matches()) {
            add("healthCheck.port", "a port name is 1-31 lowercase letters, digits or '-', starting with a letter");
        }
        if (!positive(h.interval())) {
            add("healthCheck.interval", "must be greater than 0");
        }
        if (!positive(h.timeout())) {
            add("healthCheck.timeout", "must be greater than 0");
        } else if (positive(h.interval()) && h.timeout().compareTo(h.interval()) > 0
                && !broken.test("healthCheck.interval")) {
            add("healthCheck.timeout", "must not exceed the interval (" + Durations.format(h.interval()) + ")");
        }
        if (h.gracePeriod().isNegative()) {
            add("healthCheck.gracePeriod", "must not be negative");
        }
        if (h.consecutiveFailures() < 1) {
            add("healthCheck.consecutiveFailures", "must be at least 1");
        }
    }

    private void deployment(DeploymentSpec d, int instances) {
        amount("deployment.maxSurge", d.maxSurge());
        amount("deployment.maxUnavailable", d.maxUnavailable());
        if (!broken.test("deployment.maxSurge") && !broken.test("deployment.maxUnavailable")
                && d.maxSurge().value() == 0 && d.maxUnavailable().value() == 0) {
            add("deployment.maxSurge", "maxSurge and maxUnavailable cannot both be 0: nothing could be replaced");
        }
        if (!positive(d.progressDeadline())) {
            add("deployment.progressDeadline", "must be greater than 0");
        }
        if (d.strategy() == DeploymentSpec.Strategy.CANARY && d.steps().isEmpty() && !broken.test("deployment.steps")) {
            add("deployment.steps", "a canary needs at least one step, e.g. [{instances: 1, pause: 1m}]");
        }
        boolean blueGreen = d.strategy() == DeploymentSpec.Strategy.BLUE_GREEN;
        if (!blueGreen && (d.previewPause() != null || d.previewManual()) && !broken.test("deployment.previewPause")) {
            add("deployment.previewPause", "is for strategy blueGreen (a canary pauses in its steps)");
        }
        if (!blueGreen && d.keepOld() != null && !broken.test("deployment.keepOld")) {
            add("deployment.keepOld", "is for strategy blueGreen");
        }
        if (d.previewPause() != null && !positive(d.previewPause())) {
            add("deployment.previewPause", "must be greater than 0, or manual");
        }
        if (d.keepOld() != null && d.keepOld().isNegative()) {
            add("deployment.keepOld", "must not be negative");
        }
        if (blueGreen && d.analysis() != null && d.keepOld() != null && d.keepOld().isZero()) {
            add("deployment.keepOld", "the analysis judges the new version while the old is kept: keepOld must be greater than 0");
        }
        if (blueGreen && !d.steps().isEmpty()) {
            add("deployment.steps", "steps are for strategy canary; blueGreen switches all at once (see previewPause, keepOld)");
        }
        if (d.analysis() != null) {
            if (d.strategy() == DeploymentSpec.Strategy.ROLLING) {
                add("deployment.analysis", "the analysis runs between canary steps or after a blueGreen switch: give strategy canary or blueGreen");
            }
            out.addAll(io.remit.scheduler.release.analysis.AnalysisValidator.validate(d.analysis(), "deployment.analysis"));
        }
        if (d.strategy() == DeploymentSpec.Strategy.ROLLING && !d.steps().isEmpty()) {
            add("deployment.steps", "steps are for strategy canary; a rolling deployment has none");
        }
        for (int i = 0; i < d.steps().size(); i++) {
            String p = index("deployment.steps", i);
            DeploymentSpec.CanaryStep step = d.steps().get(i);
            if (broken.test(p)) {
                continue;
            }
            if (step.instances() == null && step.weight() == null) {
                add(p, "needs instances (a count of new instances) or weight (a share of the count, 1-100)");
            } else if (step.instances() != null && step.weight() != null) {
                add(p, "give instances or weight, not both");
            }
            if (step.instances() != null && (step.instances() < 1 || step.instances() > Math.max(1, instances))) {
                add(child(p, "instances"), "must be from 1 to the service's instances (" + instances + ")");
            }
            if (step.weight() != null && (step.weight() < 1 || step.weight() > 100)) {
                add(child(p, "weight"), "must be a percentage from 1 to 100, got " + step.weight());
            }
            if (step.pause() != null && !positive(step.pause())) {
                add(child(p, "pause"), "must be greater than 0, or manual");
            }
        }
    }

    private void amount(String path, DeploymentSpec.Amount a) {
        if (broken.test(path)) {
            return;
        }
        if (a.value() < 0) {
            add(path, "must not be negative");
        } else if (a.percent() && a.value() > 100) {
            add(path, "a percentage must be at most 100%");
        }
    }

    private void signals(SignalThresholds t) {
        Double ratio = t.maxErrorRatio();
        if (ratio != null && !(ratio >= 0 && ratio <= 1)) {
            add("signals.maxErrorRatio", "must be a share from 0 to 1 (0.01 is 1%), got " + ratio);
        }
        if (t.maxP99() != null && !positive(t.maxP99())) {
            add("signals.maxP99", "must be greater than 0");
        }
    }

    private static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }

    private void constraints(List<Constraint> constraints) {
        int groupBys = 0;
        for (int i = 0; i < constraints.size(); i++) {
            Constraint c = constraints.get(i);
            String p = index("constraints", i);
            if (c.attribute() == null || !ATTRIBUTE.matcher(c.attribute()).matches()) {
                add(p, "attribute must be 'hostname' or an agent attribute name (letters, digits, '.', '_', '-')");
            }
            if (c.operator() == null) {
                add(p, "operator required");
                continue;
            }
            if (c.operator().needsValue() && c.value() == null) {
                add(p, c.operator() + " needs a value: [" + c.attribute() + ", " + c.operator() + ", value]");
            } else if (!c.operator().takesValue() && c.value() != null) {
                add(p, c.operator() + " takes no value: [" + c.attribute() + ", " + c.operator() + "]");
            }
            if (c.operator() == Constraint.Operator.GROUP_BY) {
                groupBys++;
                if (c.value() != null && c.groups().isEmpty()) {
                    add(p, "GROUP_BY takes an optional positive number of groups, got '" + c.value() + "'");
                } else if (groupBys > 1) {
                    add(p, "at most one GROUP_BY constraint per service");
                }
            }
            if ((c.operator() == Constraint.Operator.LIKE || c.operator() == Constraint.Operator.UNLIKE) && c.value() != null) {
                try {
                    Pattern.compile(c.value());
                } catch (PatternSyntaxException e) {
                    add(p, "not a valid regular expression: " + e.getDescription());
                }
            }
        }
    }

    private void dependencies(String id, List<String> deps) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < deps.size(); i++) {
            String d = deps.get(i);
            String p = index("dependencies", i);
            if (!DNS_LABEL.matcher(d).matches()) {
                add(p, "'" + d + "' is not a service id");
            } else if (d.equals(id)) {
                add(p, "service cannot depend on itself");
            } else if (!seen.add(d)) {
                add(p, "duplicate dependency '" + d + "'");
            }
        }
    }

    private void add(String path, String message) {
        out.add(new Violation(path, message));
    }
}
