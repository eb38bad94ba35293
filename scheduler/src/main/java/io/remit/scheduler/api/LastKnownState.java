package io.remit.scheduler.api;

import io.remit.scheduler.engine.EngineSnapshot;
import io.remit.scheduler.engine.SchedulerEngine;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * What the REST API reads, answered at once even when etcd does not answer. On the leader it is
 * the engine's snapshot, current by definition. Elsewhere (a standby, or a leader whose lease ran
 * out with etcd) it is read from etcd; when that read fails or takes longer than
 * {@code patience}, the last state known is answered instead, with its age, rather than making
 * the caller wait for etcd's request timeout and then fail. With no state known at all the answer
 * is 503 with {@code Retry-After}.
 *
 * <p>Thread-safe. At most one etcd read is under way at a time; callers arriving meanwhile share
 * it, so a hung etcd does not collect a thread per request, and only the first caller waits for
 * it: the others answer at once once it has taken longer than {@code patience}.
 */
public final class LastKnownState {

    /** Seconds, as in {@code Retry-After}, that a caller with no state to be shown should wait. */
    static final int RETRY_AFTER_SECONDS = 2;

    private final Supplier<SchedulerEngine> engine;
    private final Supplier<EngineSnapshot> stored;
    private final Clock clock;
    private final Duration patience;
    private final ThreadPoolExecutor reader;
    private Read reading;
    private volatile Known last;

    private record Known(EngineSnapshot snapshot, Instant at) {
    }

    /**
     * @param engine the engine while this scheduler leads, else null
     * @param stored reads specs and task records from etcd (blocking, up to etcd's request timeout)
     * @param patience how long a read waits for etcd before it answers the last known state
     */
    public LastKnownState(Supplier<SchedulerEngine> engine, Supplier<EngineSnapshot> stored, Clock clock,
                          Duration patience) {
        this.engine = engine;
        this.stored = stored;
        this.clock = clock;
        this.patience = patience;
        this.reader = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "state-reader");
            t.setDaemon(true);
            return t;
        });
        this.reader.allowCoreThreadTimeOut(true);
    }

    /**
     * The state now, or the last known one with its age.
     *
     * @throws Unavailable (503 with {@code Retry-After}) when etcd does not answer and no state
     *     was ever read
     */
    public StateView.Reading read() {
        SchedulerEngine e = engine.get();
        if (e != null) {
            EngineSnapshot s = e.snapshot();
            last = new Known(s, clock.instant());
            return new StateView.Reading(s, Duration.ZERO);
        }
        Read read = startRead();
        try {
            // A caller arriving while a read has been under way for longer than the patience
            // already (etcd hangs) does not wait for it again.
            long wait = Math.max(0, patience.toNanos() - (System.nanoTime() - read.startedNanos()));
            EngineSnapshot s = read.snapshot().get(wait, TimeUnit.NANOSECONDS);
            Instant readAt = clock.instant();
            last = new Known(s, readAt);
            return new StateView.Reading(s, Duration.ZERO);
        } catch (TimeoutException | ExecutionException failed) {
            Known known = last;
            if (known == null) {
                throw unavailable(failed instanceof ExecutionException ex ? ex.getCause() : failed);
            }
            Duration age = Duration.between(known.at(), clock.instant());
            // Never zero: zero means current, and this state was not confirmed now.
            Duration least = Duration.ofMillis(1);
            return new StateView.Reading(known.snapshot(), age.compareTo(least) < 0 ? least : age);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw unavailable(interrupted);
        }
    }

    private synchronized Read startRead() {
        if (reading == null || reading.snapshot().isDone()) {
            CompletableFuture<EngineSnapshot> read = CompletableFuture.supplyAsync(stored, reader);
            // Kept also when every caller stopped waiting for it before it came.
            read.thenAccept(s -> last = new Known(s, clock.instant()));
            reading = new Read(read, System.nanoTime());
        }
        return reading;
    }

    /** One read of etcd and when it began. */
    private record Read(CompletableFuture<EngineSnapshot> snapshot, long startedNanos) {
    }

    private static Unavailable unavailable(Throwable why) {
        return new Unavailable("the cluster state cannot be read: etcd does not answer"
                + (why == null || why instanceof TimeoutException ? "" : " (" + why.getMessage() + ")")
                + "; retry shortly");
    }

    /** No state can be shown: answered 503 with {@code Retry-After} and the error shape {@code {code, message, details}}. */
    public static final class Unavailable extends RuntimeException {

        Unavailable(String message) {
            super(message);
        }

        /** The response for {@link Unavailable}; register it with Jersey. */
        @jakarta.ws.rs.ext.Provider
        public static final class Mapper implements jakarta.ws.rs.ext.ExceptionMapper<Unavailable> {
            @Override
            public Response toResponse(Unavailable e) {
                return Response.status(503)
                        .header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS))
                        .type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(new ErrorBodies.Body(503, e.getMessage(), List.of()))
                        .build();
            }
        }
    }
}
