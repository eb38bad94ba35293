package io.remit.kit.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a service answer a share of its requests with 500, to try out what watches it: set
 * {@value #ENV} (a share from 0 to 1, e.g. {@code 0.2}) in the spec's {@code env} and that share
 * of the requests to the application port is refused with the kit's JSON error shape before the
 * resource runs (so nothing is done: a client's retry is safe), with a message saying the error
 * was injected. The admin port (health checks, metrics) is not touched, so the instance stays
 * healthy to its executor, as a bad version that passes its health check does.
 *
 * <p>Deterministic: of the first {@code n} requests, exactly {@code floor(n * ratio)} fail (with
 * 0.2, every fifth), whatever their order or endpoint, so a test can count on the share.
 *
 * <p>A Jersey filter that runs after the request is matched, not a servlet filter, so that the
 * kit's endpoint metrics ({@code http_server_requests_seconds}, by route and status) count the
 * injected 500s as any other: what a canary analysis reads. Thread-safe.
 */
public final class FaultInjection implements ContainerRequestFilter {

    /** The environment variable that turns it on. */
    public static final String ENV = "REMIT_FAULT_ERROR_RATIO";
    /** The start of every injected error's message. */
    public static final String MESSAGE = "injected fault";

    private static final Logger LOG = LoggerFactory.getLogger(FaultInjection.class);

    private final double ratio;
    private final AtomicLong requests = new AtomicLong();

    /** @param ratio the share of requests to fail, above 0 and at most 1 */
    public FaultInjection(double ratio) {
        if (!(ratio > 0 && ratio <= 1)) {
            throw new IllegalArgumentException("the share of requests to fail must be above 0 and at most 1, got " + ratio);
        }
        this.ratio = ratio;
    }

    /**
     * The filter when {@code environment} sets {@value #ENV} to a share above 0; empty when it is
     * unset, blank or 0.
     *
     * @throws IllegalArgumentException when the value is not a number from 0 to 1 (naming the
     *     variable and the value), so that a mistyped fault stops the service at start rather
     *     than going unnoticed
     */
    public static Optional<FaultInjection> fromEnvironment(Map<String, String> environment) {
        String value = environment.get(ENV);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        double ratio;
        try {
            ratio = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            ratio = Double.NaN;
        }
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException(ENV + " must be a share from 0 to 1 (0.2 fails a fifth of the requests), got '"
                    + value + "'");
        }
        if (ratio == 0) {
            return Optional.empty();
        }
        LOG.warn("Fault injection is on ({}={}): {}% of the requests to the application port are answered 500",
                ENV, value.strip(), Math.round(ratio * 1000) / 10.0);
        return Optional.of(new FaultInjection(ratio));
    }

    public double ratio() {
        return ratio;
    }

    /** Whether the {@code n}th request (from 1) fails: when {@code floor(n * ratio)} goes up. */
    boolean fails(long n) {
        return Math.floor(n * ratio) > Math.floor((n - 1) * ratio);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        long n = requests.incrementAndGet();
        if (!fails(n)) {
            return;
        }
        String message = MESSAGE + " (" + ENV + "=" + ratio + "): this request is one of the share answered 500";
        request.abortWith(Response.status(500).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(500, message, List.of(new Problem("fault", "injected: not an error of the service"))))
                .build());
    }
}
