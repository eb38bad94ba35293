package io.remit.scheduler.marathon;

import io.dropwizard.jersey.errors.ErrorMessage;
import io.dropwizard.jersey.errors.LoggingExceptionMapper;
import io.remit.scheduler.api.ErrorBodies;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.Provider;
import java.util.List;

/**
 * Jersey's own refusals (404 for a path nothing serves, 405, 415, ...): on {@code /v2/} in
 * Marathon's error shape, which Marathon clients parse (marathon-client fails with a
 * NullPointerException on a body without {@code details}), e.g. for {@code /v2/groups}, which
 * Remit does not serve; elsewhere in Remit's {@code {code, message, details}}. Dropwizard's own
 * mapper decides status, message and headers (such as {@code Allow}) and logs server errors.
 */
@Provider
public final class JerseyErrors extends LoggingExceptionMapper<WebApplicationException> {

    @Context
    private UriInfo uri;

    @Override
    public Response toResponse(WebApplicationException e) {
        Response original = super.toResponse(e);
        String path = path(uri);
        if (!marathon(path)) {
            return reshape(original);
        }
        String message = original.getStatus() == 404
                ? "Remit does not serve /" + path + " (its Marathon API: /v2/apps, "
                        + "/v2/apps/{id}, /v2/apps/{id}/tasks, /v2/apps/{id}/restart, /v2/apps/{id}/versions[/{version}], "
                + "/v2/tasks, /v2/deployments[/{id}], /v2/info)"
                : e.getMessage();
        return Response.fromResponse(original).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new MarathonError.Body(message, List.of())).build();
    }

    /** Anything else a resource throws: 500, logged with an id the message names (Dropwizard's way), in the path's shape. */
    @Provider
    public static final class Unexpected extends LoggingExceptionMapper<Throwable> {
        @Context
        private UriInfo uri;

        @Override
        public Response toResponse(Throwable e) {
            Response original = super.toResponse(e);
            if (!marathon(path(uri))) {
                return reshape(original);
            }
            String message = original.getEntity() instanceof ErrorMessage m ? m.getMessage() : "internal error";
            return Response.fromResponse(original).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new MarathonError.Body(message, List.of())).build();
        }
    }

    /** The request's path without its leading slash. */
    static String path(UriInfo uri) {
        return uri == null ? "" : uri.getPath().replaceFirst("^/", "");
    }

    static boolean marathon(String path) {
        return path.equals("v2") || path.startsWith("v2/");
    }

    /** Dropwizard's {@link ErrorMessage} answer as Remit's error body, status and headers kept. */
    static Response reshape(Response r) {
        if (!(r.getEntity() instanceof ErrorMessage m)) {
            return r;
        }
        return Response.fromResponse(r).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBodies.Body(m.getCode(), m.getMessage(), List.of())).build();
    }
}
