package io.remit.scheduler.marathon;

import io.dropwizard.jersey.errors.ErrorMessage;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;

/**
 * Jersey's own refusals (404 for a path nothing serves, 405, 415, ...): on {@code /v2/} in
 * Marathon's error shape, which Marathon clients parse (marathon-client fails with a
 * NullPointerException on a body without {@code details}), e.g. for {@code /v2/groups}, which
 * Remit does not serve; elsewhere as Dropwizard answers them ({@code {code, message}}), headers
 * such as {@code Allow} kept.
 */
@Provider
public final class JerseyErrors implements ExceptionMapper<WebApplicationException> {

    @Context
    private UriInfo uri;

    @Override
    public Response toResponse(WebApplicationException e) {
        Response original = e.getResponse();
        int status = original.getStatus();
        String path = uri == null ? "" : uri.getPath();
        Object body;
        if (path.startsWith("v2/") || path.startsWith("/v2/")) {
            String message = status == 404
                    ? "Remit does not serve /" + path.replaceFirst("^/", "") + " (its Marathon API: /v2/apps, "
                            + "/v2/apps/{id}, /v2/apps/{id}/tasks, /v2/apps/{id}/restart, /v2/tasks, /v2/deployments, /v2/info)"
                    : e.getMessage();
            body = new MarathonError.Body(message, List.of());
        } else {
            body = new ErrorMessage(status, e.getLocalizedMessage());
        }
        return Response.fromResponse(original).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}
