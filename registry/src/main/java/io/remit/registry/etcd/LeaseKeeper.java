package io.remit.registry.etcd;

import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one etcd lease alive and says when it must be considered gone.
 *
 * <p>It sends a keep-alive every third of the TTL (and every 500 ms after a failed one), and
 * sooner when less than that is left before the deadline, half-way to it. Each
 * answer moves the local deadline to <em>send time</em> + TTL - margin; etcd's own expiry is at
 * least send time + TTL, because etcd restarts the TTL when it receives the request. So once the
 * local deadline passes, the lease must no longer be relied on: {@link #isAlive()} turns false at
 * that instant (it reads the monotonic clock, not a flag), and the owner's {@link Listener} is
 * called once, at the deadline plus one scheduling delay (a request in flight is given up at the
 * deadline). An answer that the lease is not found (expired or revoked) ends it at once too.
 *
 * <p>jetcd's own {@code Lease.keepAlive} stream is not used: it reports transient errors and
 * expiries through the same callbacks and keeps retrying behind the caller's back, which makes
 * the "when is it really gone" question hard to answer.
 *
 * <p>Threading: runs on its owner's single-thread scheduler, and calls the listener there;
 * {@link #isAlive()}, {@link #id()} and {@link #stop()} are safe from any thread. The time source
 * is monotonic ({@code System::nanoTime} in production), never a wall clock that can jump.
 */
public final class LeaseKeeper {

    /** Called once, on the owner's thread, when the lease must be considered gone. */
    public interface Listener {
        void lost(LeaseKeeper keeper, String reason);
    }

    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);
    private static final Duration RETRY = Duration.ofMillis(500);

    private final Etcd etcd;
    private final ScheduledExecutorService thread;
    private final LongSupplier nanoTime;
    private final Listener listener;
    private final long id;
    private final Duration ttl;
    private final Duration margin;
    private volatile long deadline;
    private volatile boolean stopped;
    private volatile boolean lost;

    private LeaseKeeper(Etcd etcd, ScheduledExecutorService thread, LongSupplier nanoTime, Listener listener,
                        long id, Duration ttl, Duration margin, long deadline) {
        this.etcd = etcd;
        this.thread = thread;
        this.nanoTime = nanoTime;
        this.listener = listener;
        this.id = id;
        this.ttl = ttl;
        this.margin = margin;
        this.deadline = deadline;
    }

    /**
     * Grants a lease of {@code ttl} (whole seconds, at least 1; etcd may raise it to its minimum)
     * and starts keeping it alive. Completes on {@code thread}. If etcd's answer came late, the
     * keeper may already be past its deadline, and its loss may even have been reported to
     * {@code listener} before the future completes: check {@link #isAlive()} before relying on it.
     *
     * @param margin how long before the local deadline to give the lease up: 0 to report loss
     *               when the lease may be gone; more to stop relying on it while it is surely
     *               still there (a leader must stop before anyone else can start)
     */
    public static CompletableFuture<LeaseKeeper> grant(Etcd etcd, Duration ttl, Duration margin,
                                                ScheduledExecutorService thread, LongSupplier nanoTime,
                                                Listener listener) {
        long seconds = Math.max(1, (ttl.toMillis() + 999) / 1000);
        long sentAt = nanoTime.getAsLong();
        return etcd.call(() -> etcd.client().getLeaseClient().grant(seconds)).thenApplyAsync(granted -> {
            Duration actual = Duration.ofSeconds(granted.getTTL());
            LeaseKeeper keeper = new LeaseKeeper(etcd, thread, nanoTime, listener, granted.getID(), actual,
                    margin, sentAt + actual.minus(margin).toNanos());
            keeper.schedule(keeper.interval());
            return keeper;
        }, thread);
    }

    public long id() {
        return id;
    }

    /** The TTL etcd granted. */
    public Duration ttl() {
        return ttl;
    }

    /** True until the lease's local deadline passes, it is found gone, or it is stopped. */
    public boolean isAlive() {
        return !stopped && !lost && nanoTime.getAsLong() - deadline < 0;
    }

    /** Stops sending keep-alives, without revoking: the lease expires in etcd after its TTL. */
    public void stop() {
        stopped = true;
    }

    /** Stops and revokes the lease (deleting every key bound to it); completes when etcd answered. */
    public CompletableFuture<Void> revoke() {
        stop();
        return etcd.call(() -> etcd.client().getLeaseClient().revoke(id)).thenApply(r -> (Void) null);
    }

    /** Best-effort {@link #revoke()}: failures are logged, the lease then expires on its own. */
    public void revokeQuietly() {
        revoke().whenComplete((r, e) -> {
            if (e != null) {
                LOG.debug("revoking lease {} failed ({}); it expires within {}", hex(), e.getMessage(), ttl);
            }
        });
    }

    public String hex() {
        return Long.toHexString(id);
    }

    private Duration interval() {
        return ttl.dividedBy(3);
    }

    private void tick() {
        if (stopped || lost) {
            return;
        }
        long sentAt = nanoTime.getAsLong();
        if (sentAt - deadline >= 0) {
            markLost("no keep-alive answer within the TTL of " + ttl.toSeconds() + " s"
                    + (margin.isZero() ? "" : " less a margin of " + margin.toMillis() + " ms"));
            return;
        }
        // answer or give up by the deadline, so a loss is noticed on time even with a request in flight
        long timeout = Math.max(1, Math.min(Math.min(interval().toNanos(), etcd.requestTimeout().toNanos()),
                deadline - sentAt));
        CompletableFuture<LeaseKeepAliveResponse> answer;
        try {
            answer = etcd.client().getLeaseClient().keepAliveOnce(id);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.orTimeout(timeout, TimeUnit.NANOSECONDS)
                .whenCompleteAsync((response, error) -> answered(sentAt, response, error), this::execute);
    }

    private void answered(long sentAt, LeaseKeepAliveResponse response, Throwable error) {
        if (stopped || lost) {
            return;
        }
        if (error == null) {
            deadline = Math.max(deadline, sentAt + Duration.ofSeconds(response.getTTL()).minus(margin).toNanos());
            schedule(interval());
            return;
        }
        Throwable cause = Etcd.cause(error);
        if (cause instanceof EtcdException e && e.getErrorCode() == ErrorCode.NOT_FOUND) {
            markLost("etcd no longer knows the lease (expired or revoked)");
            return;
        }
        LOG.debug("keep-alive of lease {} failed: {}", hex(), cause.toString());
        schedule(RETRY.compareTo(interval()) < 0 ? RETRY : interval());
    }

    private void markLost(String reason) {
        lost = true;
        LOG.debug("lease {} lost: {}", hex(), reason);
        listener.lost(this, reason);
    }

    /**
     * Runs the next tick after {@code delay}, but no later than half-way to the deadline: a lease
     * with less life left than the interval (granted late on a loaded machine, or after failed
     * keep-alives) is renewed while an answer can still come in time, rather than given up at its
     * deadline without a try. Once the deadline is reached, the tick notices the loss on time.
     */
    private void schedule(Duration delay) {
        long untilDeadline = Math.max(0, deadline - nanoTime.getAsLong());
        long nanos = Math.min(delay.toNanos(), untilDeadline / 2);
        try {
            thread.schedule(this::tick, nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            stopped = true;
        }
    }

    private void execute(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            stopped = true;
        }
    }
}
