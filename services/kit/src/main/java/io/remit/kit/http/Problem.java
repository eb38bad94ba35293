package io.remit.kit.http;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.remit.http.ErrorDetail;

/**
 * One thing wrong with a request, as every Remit error lists it in {@code details}:
 * {@code {"path": "amount.currency", "message": "is required"}}. {@code path} is a JSON path into
 * the body ({@code amount.currency}, {@code items[2].id}), or what else was wrong: a header's name
 * ({@code Idempotency-Key}), a query parameter, {@code body} for the body as a whole, or the name
 * of a dependency that failed ({@code fx}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Problem(String path, String message) implements ErrorDetail {

    /** {@code detail} as a {@link Problem} (itself when it is one). */
    public static Problem of(ErrorDetail detail) {
        return detail instanceof Problem p ? p : new Problem(detail.path(), detail.message());
    }

    /** The older name of {@link #path()}. */
    public String field() {
        return path;
    }

    /** The older name of {@link #message()}. */
    public String reason() {
        return message;
    }
}
