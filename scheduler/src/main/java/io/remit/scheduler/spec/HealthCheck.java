package io.remit.scheduler.spec;

import java.time.Duration;

/**
 * How the executor decides an instance is healthy: an HTTP GET of {@link #path()} on the
 * instance's {@link #port()} (default {@code admin}) every {@link #interval()}, each attempt given {@link #timeout()};
 * failures during {@link #gracePeriod()} after start do not count; {@link #consecutiveFailures()}
 * failures in a row make the instance unhealthy.
 *
 * <p>In a spec, durations are ISO-8601 ({@code PT5S}) or a whole number with a unit:
 * {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}.
 */
public record HealthCheck(
        String path, Duration interval, Duration timeout, Duration gracePeriod, int consecutiveFailures, String port) {

    public static final String DEFAULT_PATH = "/healthcheck";
    /** The port the health check runs on unless {@code healthCheck.port} names another. */
    public static final String DEFAULT_PORT = "admin";
    public static final HealthCheck DEFAULT =
            new HealthCheck(DEFAULT_PATH, Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(60), 3);

    public HealthCheck {
        path = path == null ? DEFAULT_PATH : path;
        interval = interval == null ? Duration.ofSeconds(10) : interval;
        timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
        gracePeriod = gracePeriod == null ? Duration.ofSeconds(60) : gracePeriod;
        port = port == null ? DEFAULT_PORT : port;
    }

    /** A check on the {@code admin} port. */
    public HealthCheck(String path, Duration interval, Duration timeout, Duration gracePeriod, int consecutiveFailures) {
        this(path, interval, timeout, gracePeriod, consecutiveFailures, DEFAULT_PORT);
    }
}
