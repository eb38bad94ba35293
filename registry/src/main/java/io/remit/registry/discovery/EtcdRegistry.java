package io.remit.registry.discovery;

import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.LeaseKeeper;
import io.remit.registry.etcd.ListenerThread;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The etcd {@link Registry}: each registration is a key bound to its own lease, kept alive by a
 * {@link LeaseKeeper} and written again under a new lease if the old one is lost (etcd was
 * unreachable for longer than the TTL).
 *
 * <p>Threading: registrations share one scheduler thread for keep-alives and state changes, and
 * one listener thread for {@link RegistrationListener} calls. {@link #register} and
 * {@link Registration#deregister()} block the caller up to the request timeout; do not call them
 * from a listener of this registry (they would wait for its own thread).
 */
public final class EtcdRegistry implements Registry, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EtcdRegistry.class);

    private final Etcd etcd;
    private final LongSupplier nanoTime;
    private final ScheduledThreadPoolExecutor thread;
    private final ListenerThread listenerThread = new ListenerThread("remit-registry-listener");
    private final Set<LeasedRegistration> live = ConcurrentHashMap.newKeySet();

    public EtcdRegistry(Etcd etcd) {
        this(etcd, System::nanoTime);
    }

    EtcdRegistry(Etcd etcd, LongSupplier nanoTime) {
        this.etcd = etcd;
        this.nanoTime = nanoTime;
        this.thread = registryThread();
    }

    @Override
    public Registration register(Instance instance, Duration ttl, RegistrationListener listener) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive: " + ttl);
        }
        LeasedRegistration registration = new LeasedRegistration(etcd, instance, ttl, thread, listenerThread,
                listener, nanoTime, live::remove);
        live.add(registration);
        try {
            etcd.await(registration.registerFirst(), "register " + instance.key());
        } catch (RuntimeException e) {
            registration.abandon();
            live.remove(registration);
            throw e;
        }
        return registration;
    }

    /** The one daemon thread of a registry's calls and state changes; delayed work ends with it. */
    static ScheduledThreadPoolExecutor registryThread() {
        ScheduledThreadPoolExecutor thread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "remit-registry");
            t.setDaemon(true);
            return t;
        });
        thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        thread.setRemoveOnCancelPolicy(true);
        return thread;
    }

    /** Deregisters each of {@code live} (a copy is taken); failures are logged: those keys expire with their leases. */
    static void deregisterAll(java.util.Collection<? extends Registration> live) {
        for (Registration registration : List.copyOf(live)) {
            try {
                registration.deregister();
            } catch (RuntimeException e) {
                LOG.warn("could not deregister {} on close: {}", registration.instance().key(), e.getMessage());
            }
        }
    }

    /** Registrations not yet deregistered. */
    List<Registration> registrations() {
        return List.copyOf(live);
    }

    /**
     * Deregisters every live registration (best effort: failures are logged and those keys expire
     * with their leases), then stops the threads. Idempotent.
     */
    @Override
    public void close() {
        deregisterAll(live);
        thread.shutdown();
        listenerThread.shutdown(Duration.ofSeconds(5));
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
