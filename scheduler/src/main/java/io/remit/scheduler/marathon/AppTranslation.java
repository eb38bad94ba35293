package io.remit.scheduler.marathon;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.scheduler.spec.HealthCheck;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.spec.SpecValidator;
import io.remit.scheduler.spec.Violation;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Marathon app definition to a valid Remit spec, or every problem with its Marathon field path,
 * all in one answer: what Remit cannot honour or read ({@link AppReader}), and Remit's own rules on
 * what was read ({@link SpecValidator}), their paths translated ({@code resources.memMb} is
 * {@code /mem}). A field the reader refused is not judged again by the rules, and the rules judge
 * the rest as if the refused health check or command were fine, so that nothing is listed only
 * because of another problem (a jar's ports, say, for an app whose cmd was refused).
 * The version: a new one ({@link MarathonVersion}) when anything but {@code instances} changed,
 * else the current one, so that scaling does not replace instances. Pure; thread-safe.
 */
public final class AppTranslation {

    /** The outcome: a spec when {@code problems} is empty. */
    public record Result(ServiceSpec spec, AppProblems problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private AppTranslation() {}

    /**
     * @param app the request body
     * @param pathId the id in the URL, or null for a POST
     * @param base the current spec of the app, or null when it does not exist
     * @param others every other stored spec, for dependency checks
     * @param now the time of the change, which names a new version
     */
    public static Result toSpec(JsonNode app, String pathId, ServiceSpec base, Collection<ServiceSpec> others, Instant now) {
        AppProblems problems = new AppProblems();
        ServiceSpec read = AppReader.read(app, pathId, base, problems);
        if (read == null) {
            return new Result(null, problems);
        }
        Set<String> refused = problems.paths();
        ServiceSpec spec = read.withVersion(base != null ? base.version() : MarathonVersion.of(now));
        if (base != null && !spec.revision().equals(base.revision())) {
            spec = spec.withVersion(MarathonVersion.of(now));
        }
        boolean fetch = app.has("fetch");
        ServiceSpec judged = standIns(spec, refused);
        for (Violation v : SpecValidator.validate(judged)) {
            add(problems, refused, marathonPath(v.path(), spec, fetch), v.message());
        }
        if (spec.id() != null) {
            Map<String, ServiceSpec> all = new HashMap<>();
            others.forEach(s -> all.put(s.id(), s));
            all.put(spec.id(), judged);
            String prefix = "services[" + spec.id() + "].";
            for (Violation v : SpecValidator.validateAll(all.values())) {
                if (v.path().startsWith(prefix)) {
                    add(problems, refused, marathonPath(v.path().substring(prefix.length()), spec, fetch), v.message());
                }
            }
        }
        return new Result(problems.isEmpty() ? spec : null, problems);
    }

    /** The spec with a valid stand-in for a refused health check or command, which decide what else is required. */
    private static ServiceSpec standIns(ServiceSpec s, Set<String> refused) {
        boolean health = refused.stream().anyMatch(p -> p.startsWith("/healthChecks"));
        boolean command = refused.stream().anyMatch(p -> p.equals("/cmd") || p.startsWith("/args"))
                && s.command() == null && s.args() == null;
        if (!health && !command) {
            return s;
        }
        String port = s.resources().ports().isEmpty() ? HealthCheck.DEFAULT_PORT : s.resources().ports().get(0);
        return new ServiceSpec(s.id(), s.version(), s.artifacts(), s.config(), s.instances(), s.resources(), s.jvmOptions(),
                s.env(), health ? new HealthCheck(HealthCheck.DEFAULT_PATH, null, null, null, 3, port) : s.healthCheck(),
                s.constraints(), s.dependencies(), s.labels(), command ? "true" : s.command(), s.args(), s.signals(), s.deployment());
    }

    /** Adds a rule's problem unless the reader already refused that field, a part of it or what holds it. */
    private static void add(AppProblems problems, Set<String> refused, String path, String message) {
        for (String r : refused) {
            if (r.equals(path) || r.equals("/") || path.startsWith(r + "/") || r.startsWith(path + "/")) {
                return;
            }
        }
        problems.add(path, message);
    }

    /** A Remit spec field path as the Marathon field it came from. */
    static String marathonPath(String remit, ServiceSpec spec, boolean fetch) {
        String p = remit.replaceAll("\\[(\\d+)]", ".$1");
        String[] parts = p.split("\\.", 3);
        String rest = parts.length > 1 ? "/" + String.join("/", List.of(parts).subList(1, parts.length)) : "";
        return switch (parts[0]) {
            case "id", "instances", "labels", "env", "dependencies", "constraints", "args", "version" -> "/" + parts[0] + rest;
            case "command" -> "/cmd";
            case "artifacts" -> fetch ? "/fetch" + rest + (rest.isEmpty() ? "" : "/uri") : "/uris" + rest;
            case "resources" -> switch (parts.length > 1 ? parts[1] : "") {
                case "cpus" -> "/cpus";
                case "memMb" -> "/mem";
                case "diskMb" -> "/disk";
                case "ports" -> "/portDefinitions" + (parts.length > 2 ? "/" + parts[2] + "/name" : "");
                default -> "/";
            };
            case "healthCheck" -> "/healthChecks/0" + switch (parts.length > 1 ? parts[1] : "") {
                case "path" -> "/path";
                case "port" -> "/portIndex";
                case "interval" -> "/intervalSeconds";
                case "timeout" -> "/timeoutSeconds";
                case "gracePeriod" -> "/gracePeriodSeconds";
                case "consecutiveFailures" -> "/maxConsecutiveFailures";
                default -> "";
            };
            default -> "/";
        };
    }
}
