package io.remit.kit.client;

/**
 * A dependency could not answer at all: no instance, circuit breaker open, bulkhead full, every
 * attempt timed out or failed to connect, or no recording to replay. The kit answers it as a 503
 * naming the dependency and the reason.
 */
public final class DependencyUnavailableException extends RuntimeException {

    private final String dependency;
    private final String reason;

    public DependencyUnavailableException(String dependency, String reason, Throwable cause) {
        super(dependency + " is unavailable: " + reason, cause);
        this.dependency = dependency;
        this.reason = reason;
    }

    public String dependency() {
        return dependency;
    }

    public String reason() {
        return reason;
    }
}
