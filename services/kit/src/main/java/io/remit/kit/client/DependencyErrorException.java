package io.remit.kit.client;

import io.remit.kit.http.ApiError;

/**
 * A dependency answered with an error status. {@link #error()} is its {@code {code, message,
 * details}} body (or a synthetic one when the body was not that), so a consumer can turn, say,
 * a 404 of schools into its own 422.
 */
public final class DependencyErrorException extends RuntimeException {

    private final String dependency;
    private final int status;
    private final ApiError error;

    public DependencyErrorException(String dependency, int status, ApiError error, String call) {
        super(dependency + " answered " + status + " to " + call + ": " + error.message());
        this.dependency = dependency;
        this.status = status;
        this.error = error;
    }

    public String dependency() {
        return dependency;
    }

    public int status() {
        return status;
    }

    public ApiError error() {
        return error;
    }
}
