package io.remit.registry.election;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.PutOption;
import io.remit.registry.etcd.Backoff;
import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.KeyRange;
import io.remit.registry.etcd.LeaseKeeper;
import io.remit.registry.etcd.ListenerThread;
import io.remit.registry.etcd.RangeMirror;
import io.remit.registry.etcd.RegistryException;
import io.remit.registry.etcd.StoredValue;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on one etcd key (default {@code /remit/scheduler/leader}) whose value is the
 * leader's candidate id, bound to the leader's lease.
 *
 * <p><b>How.</b> Each candidate holds a lease kept alive by a {@link LeaseKeeper} and watches the
 * key through a {@link RangeMirror}. Whenever the key is absent, it campaigns with one transaction:
 * <em>if create_revision(key) == 0 then put(key, id, lease)</em>. Exactly one such transaction can
 * succeed while the key exists, so at most one candidate leads. The leader loses the key when it
 * resigns ({@link #close()}: guarded delete, then lease revoke, so a standby takes over within a
 * watch round trip) or when its lease expires (process died or cut off: a standby takes over
 * within the TTL plus etcd's expiry check, about half a second).
 *
 * <p><b>Why not jetcd's {@code Election} client.</b> Its campaign is one long blocking RPC that any
 * connection drop aborts, leaving the caller unsure whether it won; it stores one key per
 * candidate ({@code name/<lease>}) so "who leads" needs the election service rather than a plain
 * get; and its observe stream is not resumed after etcd restarts. One key, a transaction and the
 * same watch machinery as every cache give a leader that {@code etcdctl get /remit/scheduler/leader}
 * shows, and a standby view that survives reconnects and compaction. The trade-off, no fair queue
 * among standbys, does not matter for a handful of schedulers.
 *
 * <p><b>Safety.</b> The leader steps down ({@link LeadershipListener#revoked()}) when its key is
 * deleted or bound to another lease, or when it has had no keep-alive answer for three quarters
 * of the TTL: etcd cannot expire the lease before a full TTL after the last keep-alive was sent,
 * so the leader stops a quarter TTL (plus etcd's expiry check and a watch round trip) before
 * anyone else can be elected; that quarter absorbs scheduling delays and clock-rate differences,
 * as Kubernetes' renew deadline does. {@link #isLeader()} reads the deadline directly.
 *
 * <p><b>Liveness.</b> Every etcd request the election makes has the request timeout and is
 * retried with a backoff after a failure or timeout, each logged as a warning. A lease whose grant
 * is answered after its own deadline (a loaded machine) is revoked and replaced, never adopted
 * dead. A check every quarter TTL (at most a second) repairs whatever an answer lost in transit
 * could leave behind: it asks for a lease when none is alive or being asked for, asks again when
 * a request got no answer at all, re-reads the key when the watch has been quiet for a TTL (a
 * watch that silently stopped cannot keep a standby from taking over), and campaigns when due.
 *
 * <p><b>Threading.</b> State lives on one election thread; the listener is called on a separate
 * listener thread, in order. All public methods are thread-safe; {@link #close()} blocks up to the
 * request timeout.
 */
public final class EtcdLeaderElection implements LeaderElection {

    private enum Role { CANDIDATE, LEADER, CLOSED }

    private static final Logger LOG = LoggerFactory.getLogger(EtcdLeaderElection.class);

    private final Etcd etcd;
    private final ElectionSettings settings;
    private final LeadershipListener listener;
    private final LongSupplier nanoTime;
    private final ByteSequence key;
    private final ScheduledThreadPoolExecutor thread;
    private final ListenerThread listenerThread;
    private final RangeMirror mirror;
    private final Backoff backoff = Backoff.standard();
    private final Backoff readBackoff = Backoff.standard();

    // election thread only, volatile where read elsewhere
    private volatile Role role = Role.CANDIDATE;
    private volatile LeaseKeeper keeper;
    private volatile StoredValue current;
    private boolean observed;
    private long observedRevision;
    private long observedAt;
    private long leaderRevision;
    private boolean campaigning;
    private boolean started;
    private int leaseRequest;
    private boolean leaseRequested;
    private long leaseRequestedAt;
    private boolean reading;
    private long nextReadAt;

    public EtcdLeaderElection(Etcd etcd, ElectionSettings settings, LeadershipListener listener) {
        this(etcd, settings, listener, System::nanoTime);
    }

    EtcdLeaderElection(Etcd etcd, ElectionSettings settings, LeadershipListener listener, LongSupplier nanoTime) {
        this.etcd = etcd;
        this.settings = settings.validated();
        this.listener = listener;
        this.nanoTime = nanoTime;
        this.key = Etcd.bytes(settings.name());
        this.thread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "remit-election " + settings.candidateId());
            t.setDaemon(true);
            return t;
        });
        this.thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.listenerThread = new ListenerThread("remit-election-listener " + settings.candidateId());
        this.mirror = new RangeMirror(etcd, KeyRange.key(settings.name()), new Sink());
    }

    @Override
    public void start() {
        execute(() -> {
            if (started || role == Role.CLOSED) {
                return;
            }
            started = true;
            nextReadAt = nanoTime.getAsLong() + settings.ttl().toNanos();
            mirror.start();
            grantLease();
            long period = checkPeriod().toNanos();
            thread.scheduleWithFixedDelay(() -> guarded("the election check", this::check), period, period,
                    TimeUnit.NANOSECONDS);
        });
    }

    @Override
    public boolean isLeader() {
        LeaseKeeper k = keeper;
        return role == Role.LEADER && k != null && k.isAlive();
    }

    @Override
    public Optional<String> leader() {
        // A new leader knows it leads before its watch has shown it its own key.
        if (isLeader()) {
            return Optional.of(settings.candidateId());
        }
        StoredValue v = current;
        return v == null ? Optional.empty() : Optional.of(Etcd.utf8(v.value()));
    }

    @Override
    public String candidateId() {
        return settings.candidateId();
    }

    public ElectionSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        if (thread.isShutdown()) {
            return;
        }
        try {
            etcd.await(CompletableFuture.supplyAsync(this::resign, thread).thenCompose(f -> f), "resign " + settings.name());
        } catch (RegistryException | RejectedExecutionException e) {
            LOG.warn("{} could not resign cleanly ({}); leadership ends when its lease expires", candidateId(),
                    e.getMessage());
        }
        mirror.close();
        thread.shutdown();
        listenerThread.shutdown(Duration.ofSeconds(5));
    }

    // ------------------------------------------------------------------ election thread

    /**
     * Asks for a new lease; the answer of any earlier request still outstanding will be revoked.
     * A failed or timed-out request (every etcd call has the request timeout) is retried after a
     * backoff, and so is a lease whose answer came too late to rely on.
     */
    private void grantLease() {
        if (role == Role.CLOSED) {
            return;
        }
        if (etcd.isClosed()) {
            LOG.warn("{}: the etcd client was closed; no longer campaigning", candidateId());
            return;
        }
        int request = ++leaseRequest;
        leaseRequested = true;
        leaseRequestedAt = nanoTime.getAsLong();
        onThread(LeaseKeeper.grant(etcd, settings.ttl(), settings.ttl().dividedBy(4), thread, nanoTime, this::leaseLost),
                "the lease grant", (k, error) -> {
                    if (role == Role.CLOSED) {
                        if (k != null) {
                            k.revokeQuietly();
                        }
                        return;
                    }
                    if (request != leaseRequest) {
                        // the check gave up on this request and asked again; a live lease is
                        // still welcome while none is kept (the newer request's answer is revoked)
                        if (k != null && leaseRequested && k.isAlive()) {
                            LOG.info("{}: the lease request given up on was answered after all; using lease {}",
                                    candidateId(), k.hex());
                            leaseRequest++;
                            adopt(k);
                        } else if (k != null) {
                            k.revokeQuietly();
                        }
                        return;
                    }
                    if (error != null) {
                        retryGrant(request, "cannot get a lease (" + message(error) + ")");
                        return;
                    }
                    if (!k.isAlive()) {
                        // On a loaded machine the answer may be handled after the lease's own
                        // deadline: the keeper has then already given it up (and reported that
                        // before it was ours), so it must not be adopted.
                        k.revokeQuietly();
                        retryGrant(request, "lease " + k.hex() + " was granted too late to rely on (answered "
                                + Duration.ofNanos(nanoTime.getAsLong() - leaseRequestedAt).toMillis()
                                + " ms after the request, TTL " + k.ttl().toSeconds() + " s)");
                        return;
                    }
                    adopt(k);
                });
    }

    private void adopt(LeaseKeeper k) {
        backoff.reset();
        leaseRequested = false;
        keeper = k;
        evaluate();
    }

    private void retryGrant(int request, String why) {
        Duration delay = backoff.next();
        LOG.warn("{}: {} for {}; asking again in {} ms", candidateId(), why, settings.name(), delay.toMillis());
        schedule(() -> {
            if (request == leaseRequest && leaseRequested) {
                grantLease();
            }
        }, delay);
    }

    private void leaseLost(LeaseKeeper lost, String reason) {
        if (lost != keeper || role == Role.CLOSED) {
            return;
        }
        LOG.warn("{}: lease {} lost ({})", candidateId(), lost.hex(), reason);
        if (role == Role.LEADER) {
            stepDown("its lease was lost");
        }
        keeper = null;
        lost.revokeQuietly(); // if etcd is back, this frees the key for the next leader at once
        grantLease();
    }

    /**
     * The watchdog, every {@link #checkPeriod()}: whatever answer was lost or callback missed,
     * a live lease is being kept or asked for, the key is re-read when the view of it has been
     * quiet for a TTL (so a watch that silently stopped cannot keep a standby waiting), and a due
     * campaign is made.
     */
    private void check() {
        if (role == Role.CLOSED || etcd.isClosed()) {
            return;
        }
        long now = nanoTime.getAsLong();
        LeaseKeeper k = keeper;
        if (leaseRequested) {
            Duration waited = Duration.ofNanos(now - leaseRequestedAt);
            if (waited.compareTo(grantPatience()) > 0) {
                LOG.warn("{}: no answer to the lease request for {} after {} ms; asking again", candidateId(),
                        settings.name(), waited.toMillis());
                grantLease();
            }
        } else if (k == null) {
            LOG.warn("{}: no lease and none asked for; asking for one", candidateId());
            grantLease();
        } else if (!k.isAlive()) {
            leaseLost(k, "past its deadline, found by the election check");
        }
        if (!reading && now - nextReadAt >= 0 && (!observed || now - observedAt >= settings.ttl().toNanos())) {
            reread();
        }
        evaluate();
    }

    /** Reads the key directly, bypassing the mirror; a newer state than the mirror's is observed. */
    private void reread() {
        reading = true;
        KeyRange range = KeyRange.key(settings.name());
        onThread(etcd.call(() -> etcd.client().getKVClient().get(key)), "re-reading the key", (r, error) -> {
            reading = false;
            if (role == Role.CLOSED) {
                return;
            }
            if (error != null) {
                Duration delay = readBackoff.next();
                nextReadAt = nanoTime.getAsLong() + delay.toNanos();
                LOG.warn("{}: re-reading {} failed ({}); again in {} ms", candidateId(), settings.name(),
                        message(error), delay.toMillis());
                return;
            }
            readBackoff.reset();
            nextReadAt = nanoTime.getAsLong() + settings.ttl().toNanos();
            StoredValue v = r.getKvs().isEmpty() ? null : range.toStored(r.getKvs().get(0));
            long revision = r.getHeader().getRevision();
            if (observed && revision <= observedRevision) {
                return;
            }
            if (observed && !sameWrite(v, current)) {
                // either the watch lags or it stopped without a word; the read is newer either way
                LOG.warn("{}: a direct read of {} shows a change its watch has not ({}); using the read",
                        candidateId(), settings.name(), v == null ? "deleted" : "now " + Etcd.utf8(v.value()));
            } else if (!observed) {
                LOG.warn("{}: {} had not been listed yet; using a direct read", candidateId(), settings.name());
            }
            observe(v, revision);
        });
    }

    private static boolean sameWrite(StoredValue a, StoredValue b) {
        return a == null ? b == null : b != null && a.modRevision() == b.modRevision();
    }

    /** Takes the key's state at {@code revision}; an older state than the one known is ignored. */
    private void observe(StoredValue v, long revision) {
        if (observed && revision <= observedRevision) {
            return;
        }
        current = v;
        observed = true;
        observedRevision = revision;
        observedAt = nanoTime.getAsLong();
        evaluate();
    }

    private void evaluate() {
        if (role == Role.CLOSED || !observed) {
            return;
        }
        LeaseKeeper k = keeper;
        StoredValue v = current;
        if (role == Role.LEADER) {
            if (k == null || !k.isAlive()) {
                stepDown("its lease is no longer known to be alive");
            } else if (observedRevision >= leaderRevision && (v == null || v.lease() != k.id())) {
                stepDown(v == null ? "the key was deleted" : "the key now belongs to lease " + Long.toHexString(v.lease()));
            }
        }
        if (role != Role.CANDIDATE || k == null || !k.isAlive()) {
            return;
        }
        if (v != null && v.lease() == k.id()) {
            becomeLeader(v.modRevision()); // a campaign whose answer we missed did win
        } else if (v == null && !campaigning) {
            campaign(k);
        }
    }

    private void campaign(LeaseKeeper k) {
        campaigning = true;
        onThread(etcd.call(() -> etcd.client().getKVClient().txn()
                        .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                        .Then(Op.put(key, Etcd.bytes(candidateId()), PutOption.builder().withLeaseId(k.id()).build()))
                        .commit()), "the campaign", (txn, error) -> {
                    campaigning = false;
                    if (role == Role.CLOSED) {
                        return;
                    }
                    if (error != null) {
                        Duration delay = backoff.next();
                        LOG.warn("{}: campaign for {} failed ({}); the key is checked again in {} ms", candidateId(),
                                settings.name(), message(error), delay.toMillis());
                        schedule(this::evaluate, delay);
                    } else if (txn.isSucceeded() && k == keeper && k.isAlive() && role == Role.CANDIDATE) {
                        becomeLeader(txn.getHeader().getRevision());
                    } else {
                        evaluate();
                    }
                });
    }

    private void becomeLeader(long revision) {
        role = Role.LEADER;
        leaderRevision = revision;
        LOG.info("{} is now the leader of {} (lease {}, revision {})", candidateId(), settings.name(),
                keeper.hex(), revision);
        listenerThread.submit(listener::elected);
    }

    private void stepDown(String reason) {
        role = Role.CANDIDATE;
        LOG.warn("{} is no longer the leader of {}: {}", candidateId(), settings.name(), reason);
        listenerThread.submit(listener::revoked);
    }

    /** Deletes the key if it still holds our write, revokes the lease, stops. */
    private CompletableFuture<Void> resign() {
        if (role == Role.CLOSED) {
            return CompletableFuture.completedFuture(null);
        }
        boolean wasLeader = role == Role.LEADER;
        role = Role.CLOSED;
        LeaseKeeper k = keeper;
        if (wasLeader) {
            LOG.info("{} resigns as leader of {}", candidateId(), settings.name());
            listenerThread.submit(listener::revoked);
        }
        if (k == null) {
            return CompletableFuture.completedFuture(null);
        }
        k.stop();
        CompletableFuture<?> delete = wasLeader
                ? etcd.call(() -> etcd.client().getKVClient().txn()
                        .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(leaderRevision)))
                        .Then(Op.delete(key, DeleteOption.DEFAULT)).commit())
                : CompletableFuture.completedFuture(null);
        return delete.thenCompose(ignored -> k.revoke());
    }

    /** How often {@link #check()} runs: a quarter TTL, at most a second. */
    private Duration checkPeriod() {
        Duration quarter = settings.ttl().dividedBy(4);
        return quarter.compareTo(Duration.ofSeconds(1)) < 0 ? quarter : Duration.ofSeconds(1);
    }

    /** How long a lease request may stay unanswered (request timeout plus the longest backoff) before the check asks again. */
    private Duration grantPatience() {
        return etcd.requestTimeout().plus(backoff.max()).plusSeconds(2);
    }

    /**
     * Runs {@code callback} on the election thread when {@code future} completes. An exception
     * it throws is logged: a task of a {@code ScheduledThreadPoolExecutor} or a
     * {@code whenComplete} stage would otherwise swallow it without a trace.
     */
    private <T> void onThread(CompletableFuture<T> future, String what, BiConsumer<T, Throwable> callback) {
        future.whenCompleteAsync((value, error) -> guarded(what, () -> callback.accept(value, error)), this::execute);
    }

    private void guarded(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            LOG.error("{}: {} failed; the election check retries within {} ms", candidateId(), what,
                    checkPeriod().toMillis(), e);
        }
    }

    private void execute(Runnable task) {
        try {
            thread.execute(() -> guarded("an election task", task));
        } catch (RejectedExecutionException e) {
            LOG.debug("election closed; dropping a task");
        }
    }

    private void schedule(Runnable task, Duration delay) {
        try {
            thread.schedule(() -> guarded("an election task", task), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("election closed; dropping a task");
        }
    }

    private static String message(Throwable t) {
        Throwable cause = Etcd.cause(t);
        return cause.getMessage() == null ? cause.getClass().getSimpleName()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    /** The mirror's view of the key; hands it to the election thread. */
    private final class Sink implements RangeMirror.Sink {
        @Override
        public void replaced(List<StoredValue> values, long revision) {
            StoredValue v = values.isEmpty() ? null : values.get(0);
            execute(() -> observe(v, revision));
        }

        @Override
        public void changed(List<RangeMirror.Change> changes, long revision) {
            RangeMirror.Change last = changes.get(changes.size() - 1);
            execute(() -> observe(last.value(), revision));
        }
    }
}
