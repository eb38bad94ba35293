package io.remit.scheduler.api;

import io.remit.scheduler.spec.Violation;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * An error answered as {@code {code, message, details}}, every detail {@code {path, message}}
 * (a {@link Violation}): the field, header or query parameter concerned and what is wrong with it.
 * The one error shape of everything outside the Marathon API ({@code /v2}).
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final List<Violation> details;

    public ApiException(int status, String message, List<Violation> details) {
        super(message);
        this.status = status;
        this.details = details == null ? List.of() : List.copyOf(details);
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, what + " not found", List.of());
    }

    public int status() {
        return status;
    }

    public List<Violation> details() {
        return details;
    }

    /** The JSON body Remit answers every error with. */
    public record Body(int code, String message, List<Violation> details) {
        public Body {
            details = details == null ? List.of() : List.copyOf(details);
        }
    }

    /** Turns an {@link ApiException} into its response. */
    @jakarta.ws.rs.ext.Provider
    public static final class Mapper implements jakarta.ws.rs.ext.ExceptionMapper<ApiException> {
        @Override
        public Response toResponse(ApiException e) {
            return Response.status(e.status()).type(jakarta.ws.rs.core.MediaType.APPLICATION_JSON_TYPE)
                    .entity(new Body(e.status(), e.getMessage(), e.details())).build();
        }
    }
}
