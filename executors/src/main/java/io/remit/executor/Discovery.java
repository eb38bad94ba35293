package io.remit.executor;

import io.remit.registry.discovery.Instance;
import io.remit.registry.discovery.Registration;
import io.remit.registry.discovery.Registry;
import io.remit.registry.etcd.RegistryException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instance's discovery record at {@code /remit/discovery/<service>/<task id>}: published
 * while the instance is healthy, withdrawn otherwise. Keeps a desired state and converges to it
 * on its own thread, because the registry's calls block: a publish that fails (etcd unreachable)
 * is retried with backoff until it succeeds or is withdrawn; a withdraw that fails is logged, and
 * the record then disappears with its lease. Each publish writes a fresh {@code registeredAt}.
 *
 * <p>Threading: public methods may be called from any thread and do not block; their futures
 * complete on the discovery thread, in call order.
 */
final class Discovery implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Discovery.class);
    private static final Duration RETRY_MIN = Duration.ofMillis(500);
    private static final Duration RETRY_MAX = Duration.ofSeconds(5);

    private final Registry registry;
    private final Instance instance;
    private final Duration ttl;
    private final Clock clock;
    private final ExecutorMetrics metrics;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "discovery");
        t.setDaemon(true);
        return t;
    });
    // Confined to the discovery thread.
    private boolean wanted;
    private Registration registration;
    private Duration retryDelay = RETRY_MIN;
    private boolean retryPending;

    /** @param instance the record to publish; its {@code registeredAt} is replaced at each publish */
    Discovery(Registry registry, Instance instance, Duration ttl, Clock clock, ExecutorMetrics metrics) {
        this.registry = registry;
        this.instance = instance;
        this.ttl = ttl;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Publishes the record; the future completes after the first attempt, which may have failed (then retried). */
    CompletableFuture<Void> publish() {
        return run(() -> {
            wanted = true;
            converge();
        });
    }

    /** Deletes the record; the future completes when it is gone or deleting it failed (then it expires with its lease). */
    CompletableFuture<Void> withdraw() {
        return run(() -> {
            wanted = false;
            converge();
        });
    }

    private void converge() {
        if (wanted && registration == null) {
            Instance now = instance.withRegisteredAt(clock.instant());
            try {
                registration = registry.register(now, ttl);
                Instant done = clock.instant();
                metrics.registered(Duration.between(now.registeredAt(), done), done);
                retryDelay = RETRY_MIN;
                LOG.info("published {} ({})", now.key(), now.ports());
            } catch (RegistryException | IllegalArgumentException e) {
                metrics.registrationFailed(Duration.between(now.registeredAt(), clock.instant()));
                if (retryPending) {
                    return;
                }
                LOG.warn("could not publish {}: {}; retrying in {}", now.key(), e.getMessage(), retryDelay);
                retryPending = true;
                thread.schedule(() -> {
                    retryPending = false;
                    converge();
                }, retryDelay.toNanos(), TimeUnit.NANOSECONDS);
                retryDelay = retryDelay.multipliedBy(2).compareTo(RETRY_MAX) > 0 ? RETRY_MAX : retryDelay.multipliedBy(2);
            }
        } else if (!wanted && registration != null) {
            Registration r = registration;
            registration = null;
            metrics.withdrawn();
            try {
                r.deregister();
                LOG.info("withdrew {}", r.instance().key());
            } catch (RegistryException e) {
                LOG.warn("could not delete {}: {}; it expires with its lease within {}", r.instance().key(),
                        e.getMessage(), ttl);
            }
        }
    }

    private CompletableFuture<Void> run(Runnable action) {
        try {
            return CompletableFuture.runAsync(action, thread);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(null);
        }
    }

    /** Withdraws the record (waiting up to {@code timeout}) and stops the thread. Idempotent. */
    void close(Duration timeout) {
        try {
            withdraw().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (Exception e) {
            LOG.warn("withdrawing {} on close: {}", instance.key(), e.toString());
        }
        thread.shutdownNow();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
