package io.remit.registry.discovery;

import io.remit.registry.etcd.Backoff;
import io.remit.registry.etcd.EtcdGateway;
import io.remit.registry.etcd.EtcdSettings;
import io.remit.registry.etcd.InvalidSettingsException;
import io.remit.registry.etcd.Json;
import io.remit.registry.etcd.ListenerThread;
import io.remit.registry.etcd.RegistryException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Registry} for a process that must start quickly: the same keys, values and lease
 * rules as {@link EtcdRegistry}, spoken over etcd's JSON gateway ({@link EtcdGateway}) with the
 * JDK's HTTP client instead of jetcd. The service executor, a fresh JVM for every instance,
 * registers through it: loading and first using jetcd, gRPC and netty costs such a JVM about
 * 0.5 s of CPU, taken from the service JVM starting beside it on the same agent.
 *
 * <p>Each registration has its own lease, renewed every third of its TTL. When a renewal finds
 * the lease gone, or no renewal got through for a whole TTL, the registration is
 * {@link Registration.State#LOST} and the key is written again under a new lease as soon as etcd
 * answers. Deregistering deletes the key only if it still holds this registration's write, then
 * revokes the lease.
 *
 * <p>Threading: registrations share one thread for etcd calls and state changes, and one listener
 * thread for {@link RegistrationListener} calls. {@link #register} and
 * {@link Registration#deregister()} block the caller until etcd answered (each call is bounded by
 * the request timeout).
 */
public final class GatewayRegistry implements Registry, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayRegistry.class);

    private final EtcdGateway etcd;
    private final LongSupplier nanoTime;
    private final Duration requestTimeout;
    private final ScheduledThreadPoolExecutor thread;
    private final ListenerThread listenerThread = new ListenerThread("remit-registry-listener");
    private final Set<Leased> live = ConcurrentHashMap.newKeySet();

    /** @throws InvalidSettingsException listing every problem with {@code settings} */
    public GatewayRegistry(EtcdSettings settings) {
        this(settings, System::nanoTime);
    }

    GatewayRegistry(EtcdSettings settings, LongSupplier nanoTime) {
        this.etcd = new EtcdGateway(settings);
        this.nanoTime = nanoTime;
        this.requestTimeout = settings.requestTimeout();
        this.thread = EtcdRegistry.registryThread();
    }

    @Override
    public Registration register(Instance instance, Duration ttl, RegistrationListener listener) {
        if (ttl.toSeconds() < 1) {
            throw new IllegalArgumentException("ttl must be at least a second: " + ttl);
        }
        Leased registration = new Leased(instance, ttl, listener);
        live.add(registration);
        try {
            await(thread.submit(registration::registerFirst), "register " + instance.key());
        } catch (RuntimeException e) {
            registration.abandon();
            throw e;
        }
        return registration;
    }

    /**
     * Readies the first {@link #register} in the background: makes the JSON of {@code sample}
     * (the registration's own value, or one like it) and asks etcd for its status, which opens the
     * connection and authenticates. A fresh JVM thus spends that time while it waits anyway (the
     * executor: while its service starts) rather than between "healthy" and "registered". Failures
     * are only logged; {@link #register} reports its own.
     */
    public void warmUp(Instance sample) {
        try {
            thread.execute(() -> {
                try {
                    Json.write(sample);
                    LOG.debug("etcd {} answers", etcd.version());
                } catch (RuntimeException e) {
                    LOG.debug("warming up the etcd connection failed: {}", e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("registry closed; not warming up");
        }
    }

    /**
     * Deregisters every live registration (best effort: failures are logged and those keys expire
     * with their leases), then stops the threads. Idempotent.
     */
    @Override
    public void close() {
        EtcdRegistry.deregisterAll(live);
        halt();
    }

    /** Stops renewing and answering without deregistering anything, as if the process died. */
    void halt() {
        thread.shutdownNow();
        listenerThread.shutdown(Duration.ofSeconds(5));
    }

    /** Waits for work on the registry thread: one etcd call or two, each bounded by the request timeout. */
    private <T> T await(Future<T> work, String what) {
        try {
            return work.get(requestTimeout.toNanos() * 3, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new RegistryException(what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            work.cancel(true);
            throw new RegistryException(what + ": etcd did not answer within " + requestTimeout.multipliedBy(3), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(what + " interrupted", e);
        }
    }

    /** One registration; its fields are written on the registry thread only. */
    private final class Leased implements Registration {

        private final Instance instance;
        private final Duration ttl;
        private final byte[] value;
        private final RegistrationListener listener;
        private final Backoff backoff = Backoff.standard();
        private volatile State state = State.LOST;
        private volatile long lastRenewedNanos;
        private long lease;
        private long putRevision;
        private ScheduledFuture<?> next;

        Leased(Instance instance, Duration ttl, RegistrationListener listener) {
            this.instance = instance;
            this.ttl = Duration.ofSeconds(ttl.toSeconds());
            this.value = Json.write(instance);
            this.listener = listener;
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
            return state == State.REGISTERED && nanoTime.getAsLong() - lastRenewedNanos < ttl.toNanos();
        }

        @Override
        public void deregister() {
            await(thread.submit(this::drain), "deregister " + instance.key());
        }

        @Override
        public String toString() {
            return "Registration[" + instance.key() + ", " + state + "]";
        }

        /** The first write; the caller of register() hears of its failure. Registry thread. */
        Void registerFirst() {
            write();
            state = State.REGISTERED; // reported by register() returning
            renewIn(ttl.dividedBy(3));
            return null;
        }

        /** Grants a lease and writes the key bound to it. Registry thread. */
        private void write() {
            long granted = etcd.grant(ttl);
            long revision;
            try {
                revision = etcd.put(instance.key(), value, granted);
            } catch (RuntimeException e) {
                revokeQuietly(granted);
                throw e;
            }
            long previous = lease;
            lease = granted;
            putRevision = revision;
            lastRenewedNanos = nanoTime.getAsLong();
            if (previous != 0) {
                revokeQuietly(previous); // the key is bound to the new lease now
            }
            LOG.info("registered {} (lease {}, ttl {} s, revision {})", instance.key(), Long.toHexString(granted),
                    ttl.toSeconds(), revision);
        }

        /** Renews the lease, or writes the key again once it is lost. Registry thread. */
        private void renew() {
            if (state == State.DEREGISTERED) {
                return;
            }
            if (state == State.REGISTERED) {
                try {
                    long left = etcd.keepAlive(lease);
                    if (left > 0) {
                        lastRenewedNanos = nanoTime.getAsLong();
                        renewIn(ttl.dividedBy(3));
                        return;
                    }
                    lost("etcd no longer has its lease " + Long.toHexString(lease));
                } catch (RuntimeException e) { // any failure: renewal must go on
                    if (nanoTime.getAsLong() - lastRenewedNanos < ttl.toNanos()) {
                        LOG.debug("renewing {} failed ({}); trying again", instance.key(), e.getMessage());
                        renewIn(ttl.dividedBy(6).compareTo(Duration.ofMillis(200)) < 0 ? Duration.ofMillis(200) : ttl.dividedBy(6));
                        return;
                    }
                    lost("no renewal got through for " + ttl + ": " + e.getMessage());
                }
            }
            try {
                write();
                backoff.reset();
                setState(State.REGISTERED);
                renewIn(ttl.dividedBy(3));
            } catch (RuntimeException e) {
                if (backoff.failures() == 0) {
                    LOG.warn("registering {} again failed ({}); retrying", instance.key(), e.getMessage());
                }
                renewIn(backoff.next());
            }
        }

        private void lost(String why) {
            LOG.warn("registration {} lost: {}; writing it again when etcd answers", instance.key(), why);
            setState(State.LOST);
        }

        /** Deletes the key if it still holds our write, then revokes the lease. Registry thread. */
        private Void drain() {
            if (state == State.DEREGISTERED) {
                return null;
            }
            setState(State.DEREGISTERED);
            live.remove(this);
            if (next != null) {
                next.cancel(false);
            }
            if (lease == 0) {
                return null;
            }
            try {
                if (!etcd.deleteIfModifiedAt(instance.key(), putRevision)) {
                    LOG.info("{} no longer held this registration's value; not deleting it", instance.key());
                }
                etcd.revoke(lease);
                LOG.info("deregistered {}", instance.key());
            } catch (RegistryException e) {
                LOG.warn("deregistering {} failed ({}); its lease expires within {} s", instance.key(), e.getMessage(),
                        ttl.toSeconds());
                throw e;
            }
            return null;
        }

        /** Gives up a registration whose first write failed or took too long. */
        void abandon() {
            live.remove(this);
            try {
                thread.execute(() -> {
                    state = State.DEREGISTERED;
                    if (next != null) {
                        next.cancel(false);
                    }
                    if (lease != 0) {
                        revokeQuietly(lease);
                    }
                });
            } catch (RejectedExecutionException e) {
                LOG.debug("registry closed; not revoking the lease of {}", instance.key());
            }
        }

        private void revokeQuietly(long id) {
            try {
                etcd.revoke(id);
            } catch (RegistryException e) {
                LOG.debug("revoking lease {} failed ({}); it expires by itself", Long.toHexString(id), e.getMessage());
            }
        }

        private void renewIn(Duration delay) {
            try {
                next = thread.schedule(this::renew, delay.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                LOG.debug("registry closed; no longer renewing {}", instance.key());
            }
        }

        private void setState(State to) {
            State from = state;
            if (from == to) {
                return;
            }
            state = to;
            listenerThread.submit(() -> listener.stateChanged(this, from, to));
        }
    }

    /** For tests: what the registry still keeps alive. */
    List<Registration> registrations() {
        return List.copyOf(live);
    }
}
