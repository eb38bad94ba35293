package io.remit.executor;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
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
    private final Consumer<Duration> answered;
    private volatile boolean closed;
    private volatile ScheduledFuture<?> next;

    HealthChecker(URI uri, Duration interval, Duration timeout, ScheduledExecutorService timer, Clock clock,
                  Consumer<HealthVerdict.Result> sink) {
        this(uri, interval, timeout, timer, clock, sink, took -> { });
    }

    /** As above; {@code answered} hears how long each HTTP check took to answer or time out, on the client's thread. */
    HealthChecker(URI uri, Duration interval, Duration timeout, ScheduledExecutorService timer, Clock clock,
                  Consumer<HealthVerdict.Result> sink, Consumer<Duration> answered) {
        this.answered = answered;
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
    /**
     * Until the first passing check, how often the health check's port is tried while it refuses
     * connections; an HTTP check follows as soon as it accepts one.
     */
    static final Duration PORT_PROBE = Duration.ofMillis(20);

    private volatile boolean passedOnce;
    /** When the last result went to the sink; read and written one check at a time. */
    private volatile Instant lastResult;

    /** Starts checking at once. */
    void start() {
        schedule(Duration.ZERO);
    }

    private void schedule(Duration delay) {
        if (!closed) {
            next = timer.schedule(this::check, delay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * One check. Until the first pass, a port that refuses connections fails the check without an
     * HTTP request, which costs a JVM some 10 ms of CPU where a refused connect costs next to
     * nothing: a service's start no longer shares its CPUs with a busy health checker. Failures
     * still go to the sink no more often than before, and the HTTP check runs within
     * {@link #PORT_PROBE} of the port opening.
     */
    private void check() {
        if (closed) {
            return;
        }
        if (!passedOnce && !portAccepts()) {
            Instant now = clock.instant();
            if (lastResult == null || Duration.between(lastResult, now).compareTo(startupPeriod()) >= 0) {
                lastResult = now;
                sink.accept(HealthVerdict.Result.failed(now, "GET " + uri + ": connection refused"));
            }
            schedule(PORT_PROBE);
            return;
        }
        Instant started = clock.instant();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
            Instant at = clock.instant();
            answered.accept(Duration.between(started, at));
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
                lastResult = at;
                sink.accept(result);
            }
            Duration elapsed = Duration.between(started, clock.instant());
            Duration period = passedOnce ? interval : startupPeriod();
            schedule(elapsed.compareTo(period) >= 0 ? Duration.ZERO : period.minus(elapsed));
        });
    }

    private Duration startupPeriod() {
        return interval.compareTo(UNTIL_FIRST_SUCCESS) < 0 ? interval : UNTIL_FIRST_SUCCESS;
    }

    /** Whether the health check's port takes a TCP connection now (closed again at once). */
    private boolean portAccepts() {
        int port = uri.getPort() > 0 ? uri.getPort() : 80;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), port), (int) Math.max(1, Math.min(timeout.toMillis(), 1000)));
            return true;
        } catch (IOException e) {
            return false;
        }
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
