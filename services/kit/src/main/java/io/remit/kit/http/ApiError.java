package io.remit.kit.http;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The JSON body of every error a Remit service answers: {@code {code, message, details}}. The
 * details of a validation error are {@link Problem}s, every one found, not only the first.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ApiError(int code, String message, List<?> details) {

    public ApiError {
        details = details == null ? List.of() : details;
    }
}
