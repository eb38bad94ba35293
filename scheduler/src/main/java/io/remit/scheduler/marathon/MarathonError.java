package io.remit.scheduler.marathon;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;

/**
 * An error of the {@code /v2} API, answered in Marathon's shape
 * {@code {"message": "...", "details": [{"path": "/field", "errors": ["..."]}]}}, which
 * Marathon clients parse (marathon-client's {@code ErrorResponse}).
 */
public final class MarathonError extends RuntimeException {

    private final int status;
    private final transient List<AppProblems.Detail> details;

    public MarathonError(int status, String message, List<AppProblems.Detail> details) {
        super(message);
        this.status = status;
        this.details = List.copyOf(details);
    }

    public MarathonError(int status, String message) {
        this(status, message, List.of());
    }

    public static MarathonError noSuchApp(String id) {
        return new MarathonError(404, "App '/" + id + "' does not exist");
    }

    /** The JSON body. */
    public record Body(String message, List<AppProblems.Detail> details) {}

    /** Turns a {@link MarathonError} into its response. */
    @Provider
    public static final class Mapper implements ExceptionMapper<MarathonError> {
        @Override
        public Response toResponse(MarathonError e) {
            Response.ResponseBuilder r = Response.status(e.status).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new Body(e.getMessage(), e.details));
            if (e.status == 503) {
                // As every 503 of Remit's: when to ask again.
                r.header("Retry-After", "2");
            }
            return r.build();
        }
    }
}
