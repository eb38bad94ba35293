package io.remit.scheduler.marathon;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.spec.SpecValidator;
import io.remit.scheduler.spec.Violation;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Marathon app definition to a valid Remit spec, or every problem with its Marathon field path:
 * first what Remit cannot honour ({@link AppReader}), then Remit's own rules on the result
 * ({@link SpecValidator}), their paths translated ({@code resources.memMb} is {@code /mem}).
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
        if (!problems.isEmpty() || read == null) {
            return new Result(null, problems);
        }
        ServiceSpec spec = read.withVersion(base != null ? base.version() : MarathonVersion.of(now));
        if (base != null && !spec.revision().equals(base.revision())) {
            spec = spec.withVersion(MarathonVersion.of(now));
        }
        boolean fetch = app.has("fetch");
        for (Violation v : SpecValidator.validate(spec)) {
            problems.add(marathonPath(v.path(), spec, fetch), v.message());
        }
        if (problems.isEmpty()) {
            Map<String, ServiceSpec> all = new HashMap<>();
            others.forEach(s -> all.put(s.id(), s));
            all.put(spec.id(), spec);
            String prefix = "services[" + spec.id() + "].";
            for (Violation v : SpecValidator.validateAll(all.values())) {
                if (v.path().startsWith(prefix)) {
                    problems.add(marathonPath(v.path().substring(prefix.length()), spec, fetch), v.message());
                }
            }
        }
        return new Result(problems.isEmpty() ? spec : null, problems);
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
