package io.remit.executor;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Polls a service's health check: {@code GET uri} every {@code interval} (measured from the start
 * of one check to the next; a check still running when the next is due delays it), each given
 * {@code timeout}. A 2xx answer is a success; any other status, a timeout or a refused connection
 * is a failure. Results go to the sink stamped with the clock; the verdict is
 * {@link HealthVerdict}'s business.
 *
 * <p>Threading: checks are scheduled on {@code timer} and run on the HTTP client's threads; the
 * sink is called on either, one result at a time, never concurrently. {@link #close()} stops
 * further checks; a result in flight may still arrive.
 */
final class HealthChecker implements AutoCloseable {

    private static final int MAX_BODY_CHARS = 300;

    private final URI uri;
    private final Duration interval;
    private final Duration timeout;
    private final ScheduledExecutorService timer;
    private final Clock clock;
    private final Consumer<HealthVerdict.Result> sink;
    private final HttpClient http;
    private volatile boolean closed;
    private volatile ScheduledFuture<?> next;

    HealthChecker(URI uri, Duration interval, Duration timeout, ScheduledExecutorService timer, Clock clock,
                  Consumer<HealthVerdict.Result> sink) {
        this.uri = uri;
        this.interval = interval;
        this.timeout = timeout;
        this.timer = timer;
        this.clock = clock;
        this.sink = sink;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    /** Until the first passing check the service is polled this often, so "healthy" is not late by an interval. */
    static final Duration UNTIL_FIRST_SUCCESS = Duration.ofMillis(100);

    private volatile boolean passedOnce;

    /** Starts checking at once. */
    void start() {
        schedule(Duration.ZERO);
    }

    private void schedule(Duration delay) {
        if (!closed) {
            next = timer.schedule(this::check, delay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void check() {
        if (closed) {
            return;
        }
        Instant started = clock.instant();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
            Instant at = clock.instant();
            HealthVerdict.Result result;
            if (failure != null) {
                result = HealthVerdict.Result.failed(at, "GET " + uri + ": " + describe(failure));
            } else if (response.statusCode() / 100 == 2) {
                result = HealthVerdict.Result.ok(at);
                passedOnce = true;
            } else {
                result = HealthVerdict.Result.failed(at, "GET " + uri + " answered " + response.statusCode() + " "
                        + abbreviate(response.body()));
            }
            if (!closed) {
                sink.accept(result);
            }
            Duration elapsed = Duration.between(started, clock.instant());
            Duration period = passedOnce || interval.compareTo(UNTIL_FIRST_SUCCESS) < 0 ? interval : UNTIL_FIRST_SUCCESS;
            schedule(elapsed.compareTo(period) >= 0 ? Duration.ZERO : period.minus(elapsed));
        });
    }

    private String describe(Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (t instanceof HttpTimeoutException) {
            return "no answer within " + timeout;
        }
        if (t instanceof ConnectException) {
            return "connection refused";
        }
        if (t instanceof IOException && t.getMessage() != null) {
            return t.getMessage();
        }
        return t.toString();
    }

    private static String abbreviate(String body) {
        String flat = body == null ? "" : body.replaceAll("\\s+", " ").strip();
        return flat.length() > MAX_BODY_CHARS ? flat.substring(0, MAX_BODY_CHARS) + "..." : flat;
    }

    @Override
    public void close() {
        closed = true;
        ScheduledFuture<?> n = next;
        if (n != null) {
            n.cancel(false);
        }
    }
}
