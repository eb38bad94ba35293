package io.remit.http;

import java.util.List;
import java.util.Map;

/**
 * An error a resource throws to answer {@code status} with Remit's one error body,
 * {@code {code, message, details}}, each detail an {@link ErrorDetail} ({@code {path, message}}).
 * Carries response headers too (e.g. {@code Retry-After}). The kit's and the scheduler's
 * exception mappers write it.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final List<ErrorDetail> details;
    private final Map<String, String> headers;

    public ApiException(int status, String message, List<? extends ErrorDetail> details) {
        this(status, message, details, Map.of());
    }

    public ApiException(int status, String message, List<? extends ErrorDetail> details, Map<String, String> headers) {
        super(message);
        this.status = status;
        this.details = details == null ? List.of() : List.copyOf(details);
        this.headers = Map.copyOf(headers);
    }

    public static ApiException badRequest(String message, ErrorDetail... details) {
        return new ApiException(400, message, List.of(details));
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, what + " not found", List.of());
    }

    public static ApiException conflict(String message, ErrorDetail... details) {
        return new ApiException(409, message, List.of(details));
    }

    public static ApiException conflict(String message, List<? extends ErrorDetail> details) {
        return new ApiException(409, message, details);
    }

    /** 422 listing every problem found. */
    public static ApiException invalid(List<? extends ErrorDetail> problems) {
        String message = problems.size() == 1 ? "invalid request: " + problems.get(0).path() + " " + problems.get(0).message()
                : "invalid request: " + problems.size() + " problems";
        return new ApiException(422, message, problems);
    }

    public int status() {
        return status;
    }

    /** The details, in the order given; the thrower's own type ({@code Problem}, {@code Violation}). */
    public List<ErrorDetail> details() {
        return details;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
