package io.remit.mesos.http;

import com.google.protobuf.Message;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The subscribe/reconnect loop both v1 clients share: sends SUBSCRIBE, reads the event stream a
 * 200 opens, and retries with {@link Backoff} when asked to. What the answers mean (redirects,
 * masters, checkpointing, heartbeats) is the client's business, told through a {@link Handler}.
 *
 * <p>A <em>generation</em> names one attempt and the stream it opens; every callback carries the
 * generation it belongs to and is dropped once the generation has moved on, so a late answer, a
 * late event or a late timer of an abandoned attempt does nothing.
 *
 * <p>Life cycle: NEW, then {@link #start()} makes it RUNNING; {@link #stopResubscribing()} makes
 * it STOPPED (an open stream stays open, no new attempt starts); {@link #close()} makes it CLOSED
 * and abandons everything.
 *
 * <p>Threading: the client's lock guards this object. Every method here must be called with it
 * held, and every {@link Handler} method is called with it held, on an HTTP client thread, the
 * stream's reader thread or a timer thread.
 *
 * @param <E> the event type of the stream
 */
public final class Subscription<E> {

    /** Where to send a SUBSCRIBE, and the call. */
    public record Request(URI uri, Message call) {
    }

    /** What differs between clients; every method runs with the lock held. */
    public interface Handler<E> {
        /** The SUBSCRIBE to send now (the client logs it). */
        Request subscribeRequest();

        /**
         * A 200 of attempt {@code gen}; return false to refuse the stream (the body is then closed
         * and the handler has decided what comes next, e.g. {@link Subscription#retryLater()}).
         */
        boolean opening(long gen, URI uri, HttpResponse<InputStream> response);

        /** SUBSCRIBE was answered with another status; {@code body} is its start, already read. */
        void answered(URI uri, HttpResponse<InputStream> response, String body);

        /** SUBSCRIBE failed without an answer (connection refused, timeout, ...). */
        void failed(URI uri, Throwable failure);

        /** One event of the current stream, {@code gen}. */
        void event(long gen, E event);

        /** The current stream, {@code gen}, has ended; the handler calls {@link Subscription#halt()} or not. */
        void ended(long gen, String reason);
    }

    private enum State { NEW, RUNNING, STOPPED, CLOSED }

    private final Object lock;
    private final MesosHttp http;
    private final Backoff backoff;
    private final ScheduledExecutorService timer;
    private final String threadPrefix;
    private final int maxRecordBytes;
    private final EventStreamReader.Decoder<E> decoder;
    private final Handler<E> handler;

    private State state = State.NEW;
    private long generation;
    private int failures;
    private CompletableFuture<HttpResponse<InputStream>> pendingSubscribe;
    private EventStreamReader<E> reader;
    private ScheduledFuture<?> retryTask;

    /**
     * @param lock the client's lock, which guards this object too
     * @param threadPrefix each stream's reader thread is named this plus its generation
     */
    public Subscription(Object lock, MesosHttp http, Backoff backoff, ScheduledExecutorService timer,
            String threadPrefix, int maxRecordBytes, EventStreamReader.Decoder<E> decoder, Handler<E> handler) {
        this.lock = lock;
        this.http = http;
        this.backoff = backoff;
        this.timer = timer;
        this.threadPrefix = threadPrefix;
        this.maxRecordBytes = maxRecordBytes;
        this.decoder = decoder;
        this.handler = handler;
    }

    /** Sends the first SUBSCRIBE. Once only. */
    public void start() {
        if (state != State.NEW) {
            throw new IllegalStateException("already started");
        }
        state = State.RUNNING;
        subscribe();
    }

    /** Whether it is started and may still subscribe again. */
    public boolean isRunning() {
        return state == State.RUNNING;
    }

    public boolean isClosed() {
        return state == State.CLOSED;
    }

    /** No new attempt from now on; the open stream, if any, stays open. */
    public void stopResubscribing() {
        if (state == State.RUNNING) {
            state = State.STOPPED;
        }
    }

    /** Abandons everything for good; idempotent. */
    public void close() {
        state = State.CLOSED;
        halt();
    }

    /** Whether a stream is open. */
    public boolean hasStream() {
        return reader != null;
    }

    /** Whether {@code gen}'s stream is the one open, e.g. for a watchdog. */
    public boolean isStreaming(long gen) {
        return gen == generation && reader != null;
    }

    /**
     * Abandons the current attempt or stream and the pending retry: the generation moves on, a
     * pending SUBSCRIBE is cancelled, the stream is closed (its {@code ended} goes nowhere).
     */
    public void halt() {
        generation++;
        cancelRetry();
        if (pendingSubscribe != null) {
            pendingSubscribe.cancel(true);
            pendingSubscribe = null;
        }
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }

    /** Starts a new attempt now, abandoning nothing (there is no stream; e.g. after a redirect). */
    public void subscribeNow() {
        subscribe();
    }

    /**
     * Schedules the next attempt after the backoff delay of the failures so far, and counts one
     * more; the attempt happens only if nothing moved the generation on or stopped it meanwhile.
     *
     * @return the delay
     */
    public Duration retryLater() {
        Duration delay = backoff.delay(failures++);
        long gen = generation;
        cancelRetry();
        retryTask = timer.schedule(() -> {
            synchronized (lock) {
                if (gen == generation && state == State.RUNNING) {
                    subscribe();
                }
            }
        }, delay.toNanos(), TimeUnit.NANOSECONDS);
        return delay;
    }

    /** How many attempts failed in a row; the count {@link #retryLater()} reached. */
    public int failures() {
        return failures;
    }

    /** The subscription succeeded: the next retry starts from the smallest backoff again. */
    public void resetBackoff() {
        failures = 0;
    }

    private void subscribe() {
        long gen = ++generation;
        cancelRetry();
        Request request = handler.subscribeRequest();
        CompletableFuture<HttpResponse<InputStream>> f = http.subscribe(request.uri(), request.call());
        pendingSubscribe = f;
        f.whenComplete((response, failure) -> answered(gen, request.uri(), response, failure));
    }

    private void answered(long gen, URI uri, HttpResponse<InputStream> response, Throwable failure) {
        // Read outside the lock: an error body is short, but the network is not to be waited on under it.
        String errorBody = response != null && response.statusCode() != 200 ? MesosHttp.drain(response.body()) : null;
        synchronized (lock) {
            if (gen != generation || state != State.RUNNING) {
                if (response != null) {
                    MesosHttp.discard(response.body());
                }
                return;
            }
            pendingSubscribe = null;
            if (failure != null) {
                handler.failed(uri, failure);
            } else if (response.statusCode() != 200) {
                handler.answered(uri, response, errorBody);
            } else if (!handler.opening(gen, uri, response)) {
                MesosHttp.discard(response.body());
            } else {
                reader = EventStreamReader.start(threadPrefix + gen, response.body(), maxRecordBytes, decoder,
                        new Sink(gen));
            }
        }
    }

    private void cancelRetry() {
        if (retryTask != null) {
            retryTask.cancel(false);
            retryTask = null;
        }
    }

    /** Receives one stream's events on its reader thread and hands them over under the lock. */
    private final class Sink implements EventStreamReader.Sink<E> {
        private final long gen;

        Sink(long gen) {
            this.gen = gen;
        }

        @Override
        public boolean accept(E event) {
            synchronized (lock) {
                if (gen != generation) {
                    return false;
                }
                handler.event(gen, event);
                return true;
            }
        }

        @Override
        public void ended(String reason) {
            synchronized (lock) {
                if (gen == generation) {
                    handler.ended(gen, reason);
                }
            }
        }
    }
}
