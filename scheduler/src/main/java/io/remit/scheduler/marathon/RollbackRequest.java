package io.remit.scheduler.marathon;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.scheduler.spec.ServiceSpec;
import java.util.Optional;

/**
 * Marathon's rollback: a {@code PUT /v2/apps/{id}} whose body names a {@code version} other than
 * the app's current one asks for the app as it was at that version, and (as in Marathon) may give
 * nothing else but the {@code id}; fields a GET answers ({@code tasks}, {@code deployments}, ...)
 * are ignored as in any PUT. A body whose {@code version} is the app's current one (a client
 * sending back what it read) is an ordinary change, as is a body without one. Pure; thread-safe.
 */
final class RollbackRequest {

    private RollbackRequest() {}

    /**
     * The version to roll back to, or empty for an ordinary change.
     *
     * @param app the request body
     * @param pathId the app's id (from the URL)
     * @param base the app's current spec; null when it does not exist (then it is never a rollback:
     *     a new app has no version to go back to, which the ordinary reading refuses)
     * @throws MarathonError 422 naming each problem: a version that is not a time, other fields
     */
    static Optional<String> read(JsonNode app, String pathId, ServiceSpec base) {
        JsonNode v = app.isObject() ? app.get("version") : null;
        if (v == null || v.isNull() || base == null) {
            return Optional.empty();
        }
        if (v.isTextual() && v.textValue().equals(MarathonVersion.shown(base.version()))) {
            return Optional.empty();
        }
        AppProblems problems = new AppProblems();
        if (!v.isTextual() || AppVersions.instant(v.textValue()).isEmpty()) {
            problems.add("/version", "must be one of the app's versions (GET /v2/apps/" + pathId
                    + "/versions), a time such as 2026-11-28T06:52:00.123Z; got " + v);
        }
        app.fieldNames().forEachRemaining(f -> {
            if (f.equals("id")) {
                JsonNode id = app.get(f);
                String given = id.isTextual() ? AppReader.remitId(id.textValue(), "/id", problems) : null;
                if (!id.isNull() && (given == null ? !id.isTextual() : !given.equals(pathId))) {
                    problems.add("/id", "must match the id in the path (/" + pathId + "), got " + id);
                }
            } else if (!f.equals("version") && !AppReader.READ_ONLY.contains(f)) {
                problems.add("/" + f, "not with a version: a PUT that names a version rolls the app back to it and "
                        + "takes nothing else (leave version out to change fields)");
            }
        });
        if (!problems.isEmpty()) {
            throw new MarathonError(422, "Object is not valid: a rollback to a version (" + problems.size()
                    + " problem(s)); nothing was changed", problems.details());
        }
        return Optional.of(v.textValue().strip());
    }
}
