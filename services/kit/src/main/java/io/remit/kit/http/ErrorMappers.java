package io.remit.kit.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.dropwizard.jersey.errors.ErrorMessage;
import io.dropwizard.jersey.errors.LoggingExceptionMapper;
import io.remit.http.ApiException;
import io.remit.kit.client.DependencyErrorException;
import io.remit.kit.client.DependencyUnavailableException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The kit's exception mappers: every error leaves as an {@link ApiError} JSON body. */
public final class ErrorMappers {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorMappers.class);
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private ErrorMappers() {
    }

    /** Every mapper, for {@code environment.jersey().register(...)}. */
    public static List<Object> all() {
        return List.of(new TooLargeMapper(), new ApiExceptionMapper(), new UnavailableMapper(), new DependencyErrorMapper(),
                new JsonMappingMapper(), new JsonParseMapper(), new WebApplicationMapper(), new UnexpectedMapper());
    }

    /** An error body written outside Jersey (Jetty's own errors, the body limit): {@link io.remit.http.ErrorWriter}. */
    public static String body(String path, int status, String message, List<io.remit.http.FieldError> details) {
        try {
            return JSON.writeValueAsString(new ApiError(status, message,
                    details.stream().map(Problem::of).toList()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return "{\"code\":" + status + ",\"message\":\"error\",\"details\":[]}";
        }
    }

    /** The body limit passed while Jersey read a resource's body: 413, the connection closed. */
    public static final class TooLargeMapper implements ExceptionMapper<io.remit.http.BodyLimitFilter.TooLarge> {
        @Override
        public Response toResponse(io.remit.http.BodyLimitFilter.TooLarge e) {
            return respond(new ApiError(413, e.getMessage(), List.of(Problem.of(e.detail()))),
                    Map.of("Connection", "close"));
        }
    }

    static Response respond(ApiError body, Map<String, String> headers) {
        Response.ResponseBuilder r = Response.status(body.code()).type(MediaType.APPLICATION_JSON_TYPE).entity(body);
        headers.forEach(r::header);
        return r.build();
    }

    public static final class ApiExceptionMapper implements ExceptionMapper<ApiException> {
        @Override
        public Response toResponse(ApiException e) {
            return respond(ApiError.of(e), e.headers());
        }
    }

    /** A dependency that could not answer: 503 at once; the detail's path names the dependency. */
    public static final class UnavailableMapper implements ExceptionMapper<DependencyUnavailableException> {
        @Override
        public Response toResponse(DependencyUnavailableException e) {
            LOG.warn("answering 503: {}", e.getMessage());
            return respond(new ApiError(503, e.getMessage(),
                    List.of(new Problem(e.dependency(), e.reason()))), Map.of("Retry-After", "1"));
        }
    }

    /**
     * A dependency answered an error the service did not handle: its 5xx become 503 (the dependency
     * is failing), its 4xx become 502 (this service sent something its dependency refused). The
     * detail's path names the dependency; its message carries the dependency's status and message.
     */
    public static final class DependencyErrorMapper implements ExceptionMapper<DependencyErrorException> {
        @Override
        public Response toResponse(DependencyErrorException e) {
            int status = e.status() >= 500 ? 503 : 502;
            LOG.warn("answering {}: {}", status, e.getMessage());
            return respond(new ApiError(status, e.getMessage(), List.of(new Problem(e.dependency(),
                    "answered " + e.status() + ": " + e.error().message()))), Map.of());
        }
    }

    /** JSON that parses but does not fit the type: 400 naming the field. */
    public static final class JsonMappingMapper implements ExceptionMapper<JsonMappingException> {
        @Override
        public Response toResponse(JsonMappingException e) {
            String field = e.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            String reason = e instanceof UnrecognizedPropertyException ? "is not a known field" : "has the wrong type or format";
            return respond(new ApiError(400, "invalid JSON body: " + (field.isEmpty() ? "the body" : field) + " " + reason,
                    List.of(new Problem(field.isEmpty() ? "body" : field, reason))), Map.of());
        }
    }

    /** A body that is not JSON at all: 400 with where parsing stopped. */
    public static final class JsonParseMapper implements ExceptionMapper<JsonParseException> {
        @Override
        public Response toResponse(JsonParseException e) {
            var at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            return respond(new ApiError(400, "the body is not valid JSON" + where,
                    List.of(new Problem("body", "is not valid JSON" + where))), Map.of());
        }
    }

    /**
     * Jersey's own refusals (404 for a path nothing serves, 405 with its {@code Allow} header, 406,
     * 415, ...) in the one error shape, instead of Dropwizard's {@code {code, message}}.
     */
    public static final class WebApplicationMapper extends LoggingExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            return reshape(super.toResponse(e));
        }
    }

    /** Anything else a resource throws: 500, logged with an id the message names (Dropwizard's way). */
    public static final class UnexpectedMapper extends LoggingExceptionMapper<Throwable> {
        @Override
        public Response toResponse(Throwable e) {
            return reshape(super.toResponse(e));
        }
    }

    /** Dropwizard's {@link ErrorMessage} answer as an {@link ApiError}, status and headers kept. */
    static Response reshape(Response r) {
        if (!(r.getEntity() instanceof ErrorMessage m)) {
            return r;
        }
        return Response.fromResponse(r).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(m.getCode(), m.getMessage(), List.of())).build();
    }
}
