package io.remit.scheduler.marathon;

import io.dropwizard.jersey.errors.LoggingExceptionMapper;
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
 * Remit does not serve; elsewhere Dropwizard's own mapper answers ({@code {code, message}}, headers
 * such as {@code Allow} kept, server errors logged).
 */
@Provider
public final class JerseyErrors extends LoggingExceptionMapper<WebApplicationException> {

    @Context
    private UriInfo uri;

    @Override
    public Response toResponse(WebApplicationException e) {
        Response original = e.getResponse();
        int status = original.getStatus();
        String path = uri == null ? "" : uri.getPath();
        if (!path.startsWith("v2/") && !path.startsWith("/v2/")) {
            return super.toResponse(e); // Dropwizard's own answer, logging and redirects included
        }
        String message = status == 404
                ? "Remit does not serve /" + path.replaceFirst("^/", "") + " (its Marathon API: /v2/apps, "
                        + "/v2/apps/{id}, /v2/apps/{id}/tasks, /v2/apps/{id}/restart, /v2/tasks, /v2/deployments, /v2/info)"
                : e.getMessage();
        return Response.fromResponse(original).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new MarathonError.Body(message, List.of())).build();
    }
}
