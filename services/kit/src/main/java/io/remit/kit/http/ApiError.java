package io.remit.kit.http;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.remit.http.ApiException;
import java.util.List;

/**
 * The JSON body of every error a Remit service answers: {@code {code, message, details}}. The
 * details are {@link Problem}s ({@code {path, message}}): for a validation error every one found,
 * not only the first; empty when there is nothing more to say than the message.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ApiError(int code, String message, List<Problem> details) {

    public ApiError {
        details = details == null ? List.of() : details;
    }

    /** What {@code e} answers. */
    public static ApiError of(ApiException e) {
        return new ApiError(e.status(), e.getMessage(), e.details().stream().map(Problem::of).toList());
    }
}
