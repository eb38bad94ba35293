package io.remit.scheduler.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remit.http.ApiException;
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

    /** The JSON body Remit answers every error with outside {@code /v2}: {@code {code, message, details: [{path, message}]}}. */
    public record Body(int code, String message, List<Violation> details) {
        public Body {
            details = details == null ? List.of() : List.copyOf(details);
        }

        /** What {@code e} answers. */
        public static Body of(ApiException e) {
            return new Body(e.status(), e.getMessage(), e.details().stream().map(Violation::of).toList());
        }
    }

    /** Turns an {@link ApiException} into its response, with its headers. */
    @jakarta.ws.rs.ext.Provider
    public static final class ApiExceptionMapper implements jakarta.ws.rs.ext.ExceptionMapper<ApiException> {
        @Override
        public jakarta.ws.rs.core.Response toResponse(ApiException e) {
            jakarta.ws.rs.core.Response.ResponseBuilder r = jakarta.ws.rs.core.Response.status(e.status())
                    .type(jakarta.ws.rs.core.MediaType.APPLICATION_JSON_TYPE).entity(Body.of(e));
            e.headers().forEach(r::header);
            return r.build();
        }
    }

    /**
     * etcd failed or did not answer while a resource read or wrote it: 503 with {@code Retry-After}
     * in the path's error shape, on every resource, so that none can forget it and answer a
     * generic 500. The message names no Java class; the cause is logged.
     */
    @jakarta.ws.rs.ext.Provider
    public static final class EtcdUnavailableMapper
            implements jakarta.ws.rs.ext.ExceptionMapper<io.remit.registry.etcd.RegistryException> {

        /** The message answered. */
        public static final String MESSAGE = "etcd did not answer; try again shortly";

        private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EtcdUnavailableMapper.class);

        @jakarta.ws.rs.core.Context
        private jakarta.ws.rs.core.UriInfo uri;

        @Override
        public jakarta.ws.rs.core.Response toResponse(io.remit.registry.etcd.RegistryException e) {
            String path = uri == null ? "" : "/" + uri.getPath().replaceFirst("^/", "");
            LOG.warn("Answering 503 on {}: {}", path, e.getMessage());
            return jakarta.ws.rs.core.Response.status(503).type(jakarta.ws.rs.core.MediaType.APPLICATION_JSON_TYPE)
                    .header("Retry-After", Integer.toString(LastKnownState.RETRY_AFTER_SECONDS))
                    .entity(of(path, 503, MESSAGE, List.<Violation>of()))
                    .build();
        }
    }

    /** Whether {@code path} (a request URI) is the Marathon API's. */
    public static boolean marathon(String path) {
        return path != null && (path.equals("/v2") || path.startsWith("/v2/"));
    }

    /** The body for an error of {@code status} on {@code path}, for {@link io.remit.http.ErrorWriter}. */
    public static String of(String path, int status, String message, java.util.Collection<io.remit.http.FieldError> details) {
        return of(path, status, message, details.stream().map(d -> new Violation(d.path(), d.message())).toList());
    }

    /**
     * The request body limit passed while Jersey read a resource's body: 413 in the path's shape,
     * and the connection closed (the rest of the body is not read).
     */
    public static final class TooLargeMapper implements jakarta.ws.rs.ext.ExceptionMapper<io.remit.http.BodyLimitFilter.TooLarge> {
        @jakarta.ws.rs.core.Context
        private jakarta.ws.rs.core.UriInfo uri;

        @Override
        public jakarta.ws.rs.core.Response toResponse(io.remit.http.BodyLimitFilter.TooLarge e) {
            String path = uri == null ? "" : "/" + uri.getPath().replaceFirst("^/", "");
            return jakarta.ws.rs.core.Response.status(413).type(jakarta.ws.rs.core.MediaType.APPLICATION_JSON_TYPE)
                    .header("Connection", "close")
                    .entity(of(path, 413, e.getMessage(), List.of(new Violation(e.detail().path(), e.detail().message()))))
                    .build();
        }
    }

    /** The body for an error of {@code status} on {@code path}. */
    public static String of(String path, int status, String message, List<Violation> details) {
        Object body = marathon(path)
                ? new MarathonError.Body(message, details.stream().map(v -> new AppProblems.Detail(
                        v.path().startsWith("/") ? v.path() : "/" + v.path(), List.of(v.message()))).toList())
                : new Body(status, message, details);
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an error body", e);
        }
    }
}
