package io.remit.kit.client;

import brave.Span;
import brave.Tracer;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.remit.kit.http.ApiError;
import io.remit.kit.routing.Cohort;
import io.remit.kit.routing.RoutingRules;
import io.remit.kit.trace.Spans;
import io.remit.kit.trace.TraceContext;
import io.remit.kit.trace.TraceFilter;
import io.remit.registry.discovery.Experiment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls one dependency resiliently. Each call:
 *
 * <ol>
 *   <li>enters the dependency's bulkhead (too many calls in flight: 503 at once);</li>
 *   <li>routes the call to a version of the dependency ({@link VersionRouter}): the arm of the
 *       call's cohort key in the experiment that names the dependency, else one drawn by the
 *       dependency's traffic split, else any;</li>
 *   <li>for each attempt, asks the circuit breaker (open: 503 at once), picks an instance of that
 *       version by power of two choices over outstanding requests, weighted by the instances'
 *       weights (avoiding instances already tried), and sends the request with
 *       {@code traceparent}, the cohort key ({@value io.remit.kit.routing.Cohort#HEADER}) when the
 *       call has one, and a per-attempt timeout;</li>
 *   <li>retries a connection failure, a timeout, or a 502/503/504 only when the call is safe to
 *       repeat ({@link Call#retrySafe()}), after a jittered exponential backoff, while attempts and
 *       the {@link RetryBudget} last.</li>
 * </ol>
 *
 * <p>Each call is a span ({@code call <name>}, tagged with the dependency, the attempts made and the
 * {@code Idempotency-Key}) in the current trace, and each attempt a client span under it, to the
 * instance tried, so retries show in Zipkin; the attempt's span travels in {@code traceparent}.
 *
 * A call that gets no answer ends in {@link DependencyUnavailableException}; an answer with an
 * error status ends in {@link DependencyErrorException} for the typed methods, or is returned as
 * is by {@link #send}. Thread-safe; one per dependency per service instance.
 */
public final class ServiceClient {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceClient.class);

    private final String name;
    private final DependencySettings settings;
    private final Endpoints endpoints;
    private final ObjectMapper json;
    private final HttpClient http;
    private final LoadBalancer balancer = new LoadBalancer();
    private final VersionRouter router = new VersionRouter();
    private final RoutingRules rules;
    private final RetryBudget budget;
    private final CircuitBreaker breaker;
    private final Bulkhead bulkhead;
    private final MockStore mocks;
    private final Timer callTimer;
    private final Meter errors;
    private final Meter retries;
    private final Meter rejected;
    private final Tracer tracer;

    /** A client whose spans are not reported (trace ids are still made and sent). */
    public ServiceClient(String name, DependencySettings settings, Endpoints endpoints, ObjectMapper json,
                         MetricRegistry metrics) {
        this(name, settings, endpoints, json, metrics, Spans.local(name + "-client").tracer());
    }

    public ServiceClient(String name, DependencySettings settings, Endpoints endpoints, ObjectMapper json,
                         MetricRegistry metrics, Tracer tracer) {
        this(name, settings, endpoints, json, metrics, tracer, RoutingRules.none());
    }

    /**
     * @param rules the traffic splits and experiments to route by (the kit's, watched in etcd);
     *              {@link RoutingRules#none()} for none
     */
    public ServiceClient(String name, DependencySettings settings, Endpoints endpoints, ObjectMapper json,
                         MetricRegistry metrics, Tracer tracer, RoutingRules rules) {
        this.name = name;
        this.rules = rules;
        this.tracer = tracer;
        this.settings = settings;
        this.endpoints = endpoints;
        this.json = json;
        Duration timeout = settings.timeout.toJavaDuration();
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
        this.budget = new RetryBudget(settings.retryRatio, settings.minRetriesPerSecond);
        DependencySettings.Breaker b = settings.breaker;
        this.breaker = CircuitBreaker.of(name, CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(b.slidingWindowSize)
                .minimumNumberOfCalls(Math.min(b.minimumCalls, b.slidingWindowSize))
                .failureRateThreshold(b.failureRateThreshold)
                .waitDurationInOpenState(b.openFor.toJavaDuration())
                .permittedNumberOfCallsInHalfOpenState(b.halfOpenCalls)
                .recordExceptions(Throwable.class)
                .build());
        this.bulkhead = Bulkhead.of(name, BulkheadConfig.custom().maxConcurrentCalls(settings.maxConcurrentCalls)
                .maxWaitDuration(Duration.ZERO).build());
        this.mocks = settings.mock.mode == DependencySettings.Mock.Mode.off ? null
                : new MockStore(Path.of(settings.mock.dir.isBlank() ? "mocks/" + name : settings.mock.dir), json);
        String prefix = MetricRegistry.name("dependency", name);
        this.callTimer = metrics.timer(prefix + ".calls");
        this.errors = metrics.meter(prefix + ".errors");
        this.retries = metrics.meter(prefix + ".retries");
        this.rejected = metrics.meter(prefix + ".rejected");
        metrics.gauge(prefix + ".breaker.open", () -> (Gauge<Integer>) () -> switch (breaker.getState()) {
            case CLOSED -> 0;
            case OPEN, FORCED_OPEN -> 1;
            case HALF_OPEN -> 2;
            default -> -1;
        });
        metrics.gauge(prefix + ".instances", () -> (Gauge<Integer>) () -> endpoints.baseUrls().size());
        breaker.getEventPublisher().onStateTransition(e -> LOG.warn("dependency {}: circuit breaker {}", name,
                e.getStateTransition()));
    }

    public String name() {
        return name;
    }

    public CircuitBreaker.State breakerState() {
        return breaker.getState();
    }

    /** The base URLs of the instances known now. */
    public List<String> instances() {
        return endpoints.baseUrls();
    }

    public <T> T get(String path, Class<T> type) {
        return call(Call.get(path), type);
    }

    public <T> T post(String path, Object body, Class<T> type) {
        return call(Call.post(path, body), type);
    }

    /** Sends the call and reads a 2xx body as {@code type}; an error status throws {@link DependencyErrorException}. */
    public <T> T call(Call call, Class<T> type) {
        return decode(call, send(call), json.constructType(type));
    }

    public <T> T call(Call call, TypeReference<T> type) {
        return decode(call, send(call), json.constructType(type));
    }

    /**
     * Sends the call, with retries where safe, and returns whatever status the dependency answered.
     *
     * @throws DependencyUnavailableException when no answer could be had
     */
    public Reply send(Call call) {
        byte[] body = serialise(call.body());
        String cohort = call.header(Cohort.HEADER);
        if (cohort == null) {
            cohort = Cohort.current();
        }
        if (mocks != null && settings.mock.mode == DependencySettings.Mock.Mode.replay) {
            return mocks.replay(call.method(), call.path(), body).orElseThrow(() -> new DependencyUnavailableException(name,
                    "no recording of " + call + " in " + mocks.dir() + " (mock replay)", null));
        }
        if (!bulkhead.tryAcquirePermission()) {
            rejected.mark();
            errors.mark();
            throw new DependencyUnavailableException(name, "too many calls in flight (bulkhead of "
                    + settings.maxConcurrentCalls + ")", null);
        }
        Span span = tracer.nextSpan().name("call " + name).start();
        span.tag("dependency", name);
        call.headers().forEach((header, value) -> {
            if (header.equalsIgnoreCase(Call.IDEMPOTENCY_KEY)) {
                span.tag("idempotency.key", value);
            }
        });
        try (Timer.Context ignored = callTimer.time(); Tracer.SpanInScope scope = tracer.withSpanInScope(span)) {
            Reply reply = attempts(call, body, cohort, span);
            span.tag("attempts", Integer.toString(reply.attempts()));
            span.tag("http.status_code", Integer.toString(reply.status()));
            if (reply.status() >= 500) {
                errors.mark();
                span.tag("error", name + " answered " + reply.status());
            }
            if (mocks != null) {
                mocks.record(call.method(), call.path(), body, reply);
            }
            return reply;
        } catch (DependencyUnavailableException e) {
            errors.mark();
            span.error(e);
            throw e;
        } finally {
            bulkhead.onComplete();
            span.finish();
        }
    }

    /**
     * The breaker judges whole calls, not attempts: one dead instance out of two fails half the
     * attempts, but retries on the other instance make every call succeed, and the breaker must
     * stay closed. It opens when calls fail after their retries, i.e. when the dependency as a
     * whole is down.
     */
    private Reply attempts(Call call, byte[] body, String cohort, Span callSpan) {
        if (!breaker.tryAcquirePermission()) {
            rejected.mark();
            throw new DependencyUnavailableException(name, "circuit breaker open after repeated failures", null);
        }
        long start = System.nanoTime();
        try {
            Reply reply = attemptUntilAnswered(call, body, cohort, callSpan);
            if (reply.status() >= 500) {
                breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS,
                        new IOException(reply.instance() + " answered " + reply.status()));
            } else {
                breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
            return reply;
        } catch (DependencyUnavailableException e) {
            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            throw e;
        }
    }

    private Reply attemptUntilAnswered(Call call, byte[] body, String cohort, Span callSpan) {
        budget.recordCall();
        Set<String> tried = new HashSet<>();
        int max = call.retrySafe() ? settings.maxAttempts : 1;
        VersionRouter.Plan plan = router.plan(endpoints.endpoints(), rules.split(name));
        Experiment experiment = cohort == null ? null : rules.experimentFor(name);
        String version = VersionRouter.version(plan, experiment, name, cohort);
        if (version != null && !callSpan.isNoop()) {
            callSpan.tag("route.version", version);
            if (experiment != null && version.equals(experiment.versionFor(name, cohort))) {
                callSpan.tag("experiment", experiment.name());
                callSpan.tag("experiment.arm", experiment.inTreatment(cohort) ? "treatment" : "control");
            }
        }
        for (int attempt = 1; ; attempt++) {
            if (attempt > 1) {
                plan = router.plan(endpoints.endpoints(), rules.split(name));
            }
            if (plan.all().urls().isEmpty()) {
                throw new DependencyUnavailableException(name, "no instance of " + name + " is registered", null);
            }
            VersionRouter.Group candidates = VersionRouter.candidates(plan, version, tried);
            String instance = balancer.choose(candidates.urls(), candidates.weights(), tried);
            tried.add(instance);
            Reply reply = null;
            String problem = null;
            Throwable error = null;
            Span span = tracer.nextSpan().kind(Span.Kind.CLIENT).name(call.method() + " " + name)
                    .remoteServiceName(name).start();
            span.tag("http.method", call.method());
            span.tag("http.path", call.path());
            span.tag("attempt", Integer.toString(attempt));
            span.tag("instance", instance);
            String instanceVersion = plan.versionOf(instance);
            if (instanceVersion != null) {
                span.tag("instance.version", instanceVersion);
            }
            if (attempt > 1) {
                span.tag("retry", "true");
            }
            try (LoadBalancer.Lease lease = balancer.start(instance)) {
                reply = once(call, body, cohort, instance, attempt, TraceContext.of(span.context()));
                span.tag("http.status_code", Integer.toString(reply.status()));
                if (reply.status() >= 500) {
                    span.tag("error", instance + " answered " + reply.status());
                }
            } catch (AttemptFailed e) {
                problem = e.getMessage();
                error = e.getCause();
                span.tag("error", problem);
            } finally {
                span.finish();
            }
            if (reply != null && reply.status() < 500) {
                balancer.markHealthy(instance);
                return reply;
            }
            boolean retryable = reply == null || reply.status() == 502 || reply.status() == 503 || reply.status() == 504;
            if (reply != null) {
                problem = instance + " answered " + reply.status();
            } else {
                balancer.markFailed(instance);
            }
            LOG.warn("{} attempt {} of {} {} failed: {}", name, attempt, max, call, problem);
            if (!retryable || attempt >= max) {
                if (reply != null) {
                    return reply;
                }
                throw new DependencyUnavailableException(name, problem
                        + (attempt > 1 ? " (after " + attempt + " attempts)" : ""), error);
            }
            if (!budget.tryRetry()) {
                if (reply != null) {
                    return reply;
                }
                throw new DependencyUnavailableException(name, problem + " (retry budget spent)", error);
            }
            retries.mark();
            sleep(backoff(attempt));
        }
    }

    private Reply once(Call call, byte[] body, String cohort, String instance, int attempt, TraceContext span)
            throws AttemptFailed {
        Duration timeout = settings.timeout.toJavaDuration();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(instance + call.path()))
                .timeout(timeout)
                .header("Accept", "application/json")
                .header(TraceFilter.TRACEPARENT, span.traceparent())
                .method(call.method(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body.length > 0) {
            request.header("Content-Type", "application/json");
        }
        call.headers().forEach(request::header);
        if (cohort != null && call.header(Cohort.HEADER) == null) {
            request.header(Cohort.HEADER, cohort);
        }
        CompletableFuture<HttpResponse<byte[]>> future = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        try {
            HttpResponse<byte[]> response = future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            String type = response.headers().firstValue("Content-Type").orElse("");
            return new Reply(response.statusCode(), type, response.body(), instance, attempt, response.headers());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new AttemptFailed(instance + " did not answer within " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String what = cause instanceof ConnectException ? "connection refused"
                    : cause instanceof java.net.http.HttpTimeoutException ? "timed out"
                    : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
            throw new AttemptFailed(instance + ": " + what, cause);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new DependencyUnavailableException(name, "interrupted", e);
        }
    }

    private Duration backoff(int attempt) {
        long base = settings.backoffBase.toMilliseconds();
        long cap = settings.backoffMax.toMilliseconds();
        long ceiling = Math.min(cap, base << Math.min(attempt - 1, 20));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private byte[] serialise(Object body) {
        if (body == null) {
            return new byte[0];
        }
        try {
            return json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the body of a call to " + name, e);
        }
    }

    private <T> T decode(Call call, Reply reply, JavaType type) {
        if (!reply.isSuccess()) {
            throw new DependencyErrorException(name, reply.status(), errorOf(reply), call.toString());
        }
        if (type.getRawClass() == Void.class || reply.body().length == 0) {
            return null;
        }
        try {
            return json.readValue(reply.body(), type);
        } catch (IOException e) {
            throw new DependencyErrorException(name, reply.status(), new ApiError(reply.status(),
                    "unreadable answer: " + e.getMessage(), List.of()), call.toString());
        }
    }

    private ApiError errorOf(Reply reply) {
        try {
            ApiError error = json.readValue(reply.body(), ApiError.class);
            if (error.message() != null) {
                return error;
            }
        } catch (IOException | RuntimeException ignored) {
            // not our error shape; fall through
        }
        String text = reply.bodyText();
        return new ApiError(reply.status(), text.length() > 500 ? text.substring(0, 500) : text, List.of());
    }

    /** One attempt got no answer. */
    private static final class AttemptFailed extends Exception {
        AttemptFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
