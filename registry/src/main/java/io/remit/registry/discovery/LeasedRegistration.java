package io.remit.registry.discovery;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.PutOption;
import io.remit.registry.etcd.Backoff;
import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.Json;
import io.remit.registry.etcd.LeaseKeeper;
import io.remit.registry.etcd.ListenerThread;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Registration} backed by a lease and a {@link LeaseKeeper}. All state changes happen on
 * the registry's scheduler thread; public methods hand work to it.
 */
final class LeasedRegistration implements Registration {

    private static final Logger LOG = LoggerFactory.getLogger(LeasedRegistration.class);

    private final Etcd etcd;
    private final Instance instance;
    private final Duration ttl;
    private final ByteSequence key;
    private final ByteSequence value;
    private final ScheduledExecutorService thread;
    private final ListenerThread listenerThread;
    private final RegistrationListener listener;
    private final LongSupplier nanoTime;
    private final Consumer<LeasedRegistration> onDeregistered;
    private final Backoff backoff = Backoff.standard();

    private volatile State state = State.LOST;
    private boolean everRegistered;
    private volatile LeaseKeeper keeper;
    private long putRevision;
    private CompletableFuture<Void> deregistration;

    LeasedRegistration(Etcd etcd, Instance instance, Duration ttl, ScheduledExecutorService thread,
                       ListenerThread listenerThread, RegistrationListener listener, LongSupplier nanoTime,
                       Consumer<LeasedRegistration> onDeregistered) {
        this.etcd = etcd;
        this.instance = instance;
        this.ttl = ttl;
        this.key = Etcd.bytes(instance.key());
        this.value = ByteSequence.from(Json.write(instance));
        this.thread = thread;
        this.listenerThread = listenerThread;
        this.listener = listener;
        this.nanoTime = nanoTime;
        this.onDeregistered = onDeregistered;
    }

    @Override
    public Instance instance() {
        return instance;
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    public boolean isAlive() {
        LeaseKeeper k = keeper;
        return state == State.REGISTERED && k != null && k.isAlive();
    }

    @Override
    public void deregister() {
        CompletableFuture<Void> done = CompletableFuture.supplyAsync(this::beginDeregister, thread)
                .thenCompose(f -> f);
        etcd.await(done, "deregister " + instance.key());
    }

    @Override
    public String toString() {
        return "Registration[" + instance.key() + ", " + state + "]";
    }

    /** First write; completes when the key is in etcd (or failed). Scheduler thread. */
    CompletableFuture<Void> registerFirst() {
        return CompletableFuture.supplyAsync(this::attempt, thread).thenCompose(f -> f);
    }

    /** Grants a lease and writes the key bound to it. Scheduler thread; completes there. */
    private CompletableFuture<Void> attempt() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        LeaseKeeper.grant(etcd, ttl, Duration.ZERO, thread, nanoTime, this::leaseLost).whenComplete((granted, grantError) -> {
            if (grantError != null) {
                done.completeExceptionally(grantError);
                return;
            }
            if (state == State.DEREGISTERED) {
                granted.revokeQuietly();
                done.complete(null);
                return;
            }
            PutOption bound = PutOption.builder().withLeaseId(granted.id()).build();
            etcd.call(() -> etcd.client().getKVClient().put(key, value, bound))
                    .whenCompleteAsync((put, putError) -> {
                        if (putError != null) {
                            granted.revokeQuietly();
                            done.completeExceptionally(putError);
                        } else if (state == State.DEREGISTERED) {
                            granted.revokeQuietly(); // deletes the key just written
                            done.complete(null);
                        } else {
                            LeaseKeeper previous = keeper;
                            keeper = granted;
                            putRevision = put.getHeader().getRevision();
                            if (previous != null) {
                                previous.revokeQuietly(); // the key is bound to the new lease now
                            }
                            LOG.info("registered {} (lease {}, ttl {} s, revision {})", instance.key(),
                                    granted.hex(), granted.ttl().toSeconds(), putRevision);
                            if (everRegistered) {
                                setState(State.REGISTERED);
                            } else {
                                everRegistered = true; // the first one is reported by register() returning
                                state = State.REGISTERED;
                            }
                            done.complete(null);
                        }
                    }, this::execute);
        });
        return done;
    }

    private void leaseLost(LeaseKeeper lostKeeper, String reason) {
        if (lostKeeper != keeper || state != State.REGISTERED) {
            return;
        }
        LOG.warn("registration {} lost: {}; writing it again when etcd answers", instance.key(), reason);
        setState(State.LOST);
        retry();
    }

    private void retry() {
        if (state == State.DEREGISTERED) {
            return;
        }
        if (etcd.isClosed()) {
            LOG.warn("not registering {} again: the etcd client was closed", instance.key());
            return;
        }
        attempt().whenCompleteAsync((ok, error) -> {
            if (error == null) {
                backoff.reset();
                return;
            }
            Duration delay = backoff.next();
            if (backoff.failures() <= 1) {
                LOG.warn("registering {} again failed ({}); retrying", instance.key(), error.getMessage());
            }
            schedule(this::retry, delay);
        }, this::execute);
    }

    /** Deletes the key if it still holds our write, then revokes the lease. Scheduler thread. */
    private CompletableFuture<Void> beginDeregister() {
        if (deregistration != null) {
            return deregistration;
        }
        setState(State.DEREGISTERED);
        onDeregistered.accept(this);
        LeaseKeeper k = keeper;
        if (k == null) {
            deregistration = CompletableFuture.completedFuture(null);
            return deregistration;
        }
        k.stop();
        Cmp ours = new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(putRevision));
        deregistration = etcd.call(() -> etcd.client().getKVClient().txn()
                        .If(ours).Then(Op.delete(key, DeleteOption.DEFAULT)).commit())
                .thenCompose(txn -> {
                    if (!txn.isSucceeded()) {
                        LOG.info("{} no longer held this registration's value; not deleting it", instance.key());
                    }
                    return k.revoke();
                })
                .whenComplete((ok, error) -> {
                    if (error == null) {
                        LOG.info("deregistered {}", instance.key());
                    } else {
                        LOG.warn("deregistering {} failed ({}); its lease expires within {} s", instance.key(),
                                error.getMessage(), k.ttl().toSeconds());
                    }
                });
        return deregistration;
    }

    /** Gives up a registration whose first write failed or timed out; any thread. */
    void abandon() {
        execute(() -> {
            state = State.DEREGISTERED;
            onDeregistered.accept(this);
            LeaseKeeper k = keeper;
            if (k != null) {
                k.revokeQuietly();
            }
        });
    }

    private void setState(State next) {
        State previous = state;
        if (previous == next) {
            return;
        }
        state = next;
        listenerThread.submit(() -> listener.stateChanged(this, previous, next));
    }

    private void execute(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("registry closed; dropping a task of {}", instance.key());
        }
    }

    private void schedule(Runnable task, Duration delay) {
        try {
            thread.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("registry closed; not retrying {}", instance.key());
        }
    }
}
