package io.remit.scheduler.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remit.scheduler.marathon.AppProblems;
import io.remit.scheduler.marathon.MarathonError;
import io.remit.scheduler.spec.Violation;
import java.util.List;

/**
 * The JSON body of an error answered outside Jersey (by a filter or by Jetty), in the shape the
 * path's clients expect: Marathon's {@code {message, details: [{path, errors}]}} on {@code /v2/},
 * Remit's {@code {code, message, details: [{path, message}]}} everywhere else.
 */
public final class ErrorBodies {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ErrorBodies() {
    }

    /** Whether {@code path} (a request URI) is the Marathon API's. */
    public static boolean marathon(String path) {
        return path != null && (path.equals("/v2") || path.startsWith("/v2/"));
    }

    /** The body for an error of {@code status} on {@code path}. */
    public static String of(String path, int status, String message, List<Violation> details) {
        Object body = marathon(path)
                ? new MarathonError.Body(message, details.stream().map(v -> new AppProblems.Detail(
                        v.path().startsWith("/") ? v.path() : "/" + v.path(), List.of(v.message()))).toList())
                : new ApiException.Body(status, message, details);
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an error body", e);
        }
    }
}
