package io.remit.scheduler.ui;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/**
 * The scheduler's address, opened in a browser, shows the web UI. The UI's files are served under
 * {@code /ui/} by an asset servlet (see {@link #ASSETS}); they are static and need no credentials,
 * while everything they show comes from the {@code /v1} API with the user's credentials.
 */
@Path("/")
public final class UiResource {

    /** Where the UI's files are, on the class path. */
    public static final String ASSETS = "/io/remit/scheduler/ui";

    @GET
    public Response root() {
        return Response.seeOther(URI.create("/ui/")).build();
    }
}
