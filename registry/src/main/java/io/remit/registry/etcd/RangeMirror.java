package io.remit.registry.etcd;

import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.ClosedClientException;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link Sink} in step with a key range: reads the whole range at revision R, then
 * watches from R+1 and passes on every PUT and DELETE in revision order.
 *
 * <p>Failure handling, the reason this class exists:
 * <ul>
 *   <li>When the watch stream breaks (etcd restarted, connection lost), or etcd has not confirmed
 *       a new watch within the request timeout, a new watch starts from
 *       the last revision seen + 1 after a capped backoff, so no event is lost or repeated. jetcd
 *       would resume its watchers by itself, but from the revision in a creation header, which
 *       can skip events still queued on the server; its watcher is closed and replaced instead.
 *   <li>When etcd answers that the revision was compacted (or is ahead of the store, as after a
 *       restore), the range is read again and the sink receives the whole new state at once
 *       ({@link Sink#replaced}), a consistent snapshot, before watching resumes.
 * </ul>
 *
 * <p>Threading: all state lives on one daemon thread, which also calls the sink; the sink must
 * not block. Events with a revision at or below the last one applied are dropped.
 */
public final class RangeMirror implements AutoCloseable {

    /** Receives the range's state; called on the mirror's thread only. */
    public interface Sink {
        /** The whole range as of {@code revision}: the first listing, or a re-read after compaction. */
        void replaced(List<StoredValue> values, long revision);

        /** The changes of one watch response, in order; {@code revision} is the last one's. */
        void changed(List<Change> changes, long revision);
    }

    /** A key was put ({@code value} set) or deleted ({@code value} null) at {@code revision}. */
    public record Change(String key, StoredValue value, long revision) {
        public boolean isDelete() {
            return value == null;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(RangeMirror.class);

    private final Etcd etcd;
    private final KeyRange range;
    private final Sink sink;
    private final ScheduledExecutorService thread;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Backoff backoff = Backoff.standard();

    // state below: mirror thread only, except the volatile fields which others read
    private volatile long revision;
    private volatile boolean watching;
    private volatile boolean closed;
    private int generation;
    private Watch.Watcher watcher;
    private volatile int relists;

    public RangeMirror(Etcd etcd, KeyRange range, Sink sink) {
        this.etcd = etcd;
        this.range = range;
        this.sink = sink;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "remit-watch " + range);
            t.setDaemon(true);
            return t;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.thread = executor;
    }

    /** Starts reading the range; returns at once. Call once. */
    public void start() {
        run(this::relist);
    }

    /** Waits until the first listing reached the sink; {@code false} if it did not within {@code timeout}. */
    public boolean awaitReady(Duration timeout) {
        try {
            return ready.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public boolean isReady() {
        return ready.getCount() == 0;
    }

    /** The revision of the last state passed to the sink, 0 before the first listing. */
    public long revision() {
        return revision;
    }

    /** Whether a watch stream is established right now (etcd confirmed its creation). */
    public boolean isWatching() {
        return watching;
    }

    /** How often the range was re-read after the first listing (compactions and the like). */
    public int relists() {
        return relists;
    }

    /** Stops watching; the sink is not called afterwards. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        run(this::abandonWatch);
        thread.shutdown();
    }

    // ------------------------------------------------------------------ mirror thread

    private void relist() {
        if (closed || etcd.isClosed()) {
            return;
        }
        int gen = abandonWatch();
        Listing.read(etcd, range).whenCompleteAsync((listing, error) -> {
            if (gen != generation || closed) {
                return;
            }
            if (error != null) {
                Duration delay = backoff.next();
                logFailure("reading " + range + " failed (" + message(error) + "); again in " + delay.toMillis() + " ms");
                schedule(this::relist, delay);
                return;
            }
            if (isReady()) {
                relists++;
                LOG.info("re-read {} at revision {} ({} keys)", range, listing.revision(), listing.values().size());
            }
            revision = listing.revision();
            sink.replaced(listing.values(), listing.revision());
            ready.countDown();
            watchFrom(listing.revision() + 1);
        }, this::run);
    }

    private void watchFrom(long startRevision) {
        if (closed) {
            return;
        }
        int gen = abandonWatch();
        WatchOption.Builder option = WatchOption.builder().withRevision(startRevision).withCreateNotify(true);
        if (range.isPrefix()) {
            option.withRange(range.endBytes());
        }
        try {
            watcher = etcd.client().getWatchClient().watch(range.beginBytes(), option.build(), Watch.listener(
                    response -> run(() -> onResponse(gen, response)),
                    error -> run(() -> onError(gen, error)),
                    () -> run(() -> onError(gen, new StreamEnded("watch stream ended")))));
        } catch (RuntimeException e) {
            onError(gen, e);
            return;
        }
        // jetcd gives a watch no deadline: if the creation's answer is lost, nothing would ever
        // come, so an unconfirmed watch is treated as broken after the request timeout
        Duration patience = etcd.requestTimeout();
        schedule(() -> {
            if (gen == generation && !watching && !closed) {
                onError(gen, new TimeoutException("etcd did not confirm the watch within " + patience));
            }
        }, patience);
    }

    private void onResponse(int gen, WatchResponse response) {
        if (gen != generation || closed) {
            return;
        }
        if (response.isCreatedNotify()) {
            watching = true;
            if (backoff.failures() > 0) {
                LOG.info("watching {} again from revision {}", range, revision + 1);
            }
            backoff.reset();
            return;
        }
        List<Change> changes = new ArrayList<>();
        long last = revision;
        for (WatchEvent event : response.getEvents()) {
            io.etcd.jetcd.KeyValue kv = event.getKeyValue();
            long mod = kv.getModRevision();
            String key = Etcd.string(kv.getKey());
            if (mod <= revision || !range.contains(key)) {
                continue; // already applied (a watch restarted at an older revision), or outside
            }
            switch (event.getEventType()) {
                case PUT -> changes.add(new Change(range.relative(key), range.toStored(kv), mod));
                case DELETE -> changes.add(new Change(range.relative(key), null, mod));
                default -> LOG.warn("ignoring an unknown watch event on {}", key);
            }
            last = Math.max(last, mod);
        }
        LOG.debug("{}: {} events, {} new, up to revision {}", range, response.getEvents().size(), changes.size(), last);
        if (!changes.isEmpty()) {
            revision = last;
            sink.changed(changes, last);
        }
    }

    private void onError(int gen, Throwable error) {
        if (gen != generation || closed) {
            return;
        }
        abandonWatch();
        if (error instanceof ClosedClientException || etcd.isClosed()) {
            LOG.warn("stopped watching {}: the etcd client was closed", range);
            return;
        }
        if (error instanceof CompactedException c) {
            LOG.info("watch of {} from revision {}: compacted at {}; re-reading", range, revision + 1,
                    c.getCompactedRevision());
            relist();
            return;
        }
        Duration delay = backoff.next();
        if (error instanceof EtcdException e
                && (e.getErrorCode() == ErrorCode.OUT_OF_RANGE || e.getErrorCode() == ErrorCode.FAILED_PRECONDITION)) {
            // etcd refused the start revision (e.g. ahead of a restored store): start over
            logFailure("watch of " + range + " refused (" + message(error) + "); re-reading in " + delay.toMillis() + " ms");
            schedule(this::relist, delay);
            return;
        }
        logFailure("watch of " + range + " broke (" + message(error) + "); resuming from revision "
                + (revision + 1) + " in " + delay.toMillis() + " ms");
        schedule(() -> watchFrom(revision + 1), delay);
    }

    /** Closes the current watcher (if any) and invalidates its callbacks; returns the new generation. */
    private int abandonWatch() {
        generation++;
        watching = false;
        Watch.Watcher w = watcher;
        watcher = null;
        if (w != null) {
            try {
                w.close();
            } catch (RuntimeException e) {
                LOG.debug("closing a watcher of {}: {}", range, e.toString());
            }
        }
        return generation;
    }

    private void logFailure(String message) {
        if (backoff.failures() <= 1) {
            LOG.warn(message);
        } else {
            LOG.debug(message);
        }
    }

    private static String message(Throwable t) {
        Throwable cause = Etcd.cause(t);
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private void run(Runnable task) {
        try {
            thread.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("mirror of {} failed; re-reading", range, e);
                    if (!closed) {
                        schedule(this::relist, backoff.next());
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    private void schedule(Runnable task, Duration delay) {
        try {
            thread.schedule(() -> run(task), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    /** The stream ended without an error (server closed it); treated as a broken stream. */
    private static final class StreamEnded extends RuntimeException {
        public StreamEnded(String message) {
            super(message, null, false, false);
        }
    }
}
