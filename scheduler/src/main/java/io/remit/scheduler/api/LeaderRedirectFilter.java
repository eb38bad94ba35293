package io.remit.scheduler.api;

import io.remit.http.ApiException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * On a standby scheduler, a write (anything but GET and HEAD) is answered 307 to the same path
 * on the leader, so clients that follow redirects need not know who leads; with no leader
 * elected it is 503. Reads are served by every scheduler.
 */
@Provider
public final class LeaderRedirectFilter implements ContainerRequestFilter {

    private final StateView state;

    public LeaderRedirectFilter(StateView state) {
        this.state = state;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String method = request.getMethod();
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS") || state.isLeader()) {
            return;
        }
        Optional<String> leader = state.leaderUrl();
        if (leader.isEmpty() || leader.get().equals(state.selfUrl())) {
            request.abortWith(new ErrorBodies.ApiExceptionMapper().toResponse(new ApiException(503,
                    "no scheduler leads right now; retry shortly", List.of())));
            return;
        }
        URI uri = request.getUriInfo().getRequestUri();
        String target = leader.get().replaceAll("/+$", "") + uri.getRawPath()
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        request.abortWith(Response.temporaryRedirect(URI.create(target)).build());
    }
}
