package io.remit.scheduler.auth;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/** {@code GET /v1/whoami}: the caller and what they may do; {@code GET /v1/audit}: recent operator actions. */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public final class AuthResource {

    private final AuditLog audit;

    public AuthResource(AuditLog audit) {
        this.audit = audit;
    }

    @GET
    @Path("whoami")
    public Map<String, Object> whoami(@Context HttpServletRequest request) {
        Caller c = (Caller) request.getAttribute(Caller.ATTRIBUTE);
        if (c == null) {
            c = Caller.ANONYMOUS_OPERATOR;
        }
        return Map.of("name", c.name(), "role", c.role().name(), "mayChange", c.role().mayChange(), "via", c.via());
    }

    @GET
    @Path("audit")
    public List<AuditLog.Entry> audit(@QueryParam("limit") @DefaultValue("100") int limit) {
        return audit.recent(Math.max(1, Math.min(limit, 1000)));
    }
}
