package io.remit.scheduler.state;

import io.dropwizard.lifecycle.Managed;
import io.remit.registry.discovery.EtcdRegistry;
import io.remit.registry.discovery.Instance;
import io.remit.registry.etcd.Etcd;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scheduler announces itself in discovery, as every instance is, under
 * {@code /remit/discovery/remit-scheduler/<host:port>} with its {@code http} and {@code admin}
 * ports, on a lease: so that Prometheus finds every scheduler (leader and standbys) through the
 * same targets endpoint, and {@code ./remit url remit-scheduler} finds one. The record goes when
 * the scheduler stops, or when its lease runs out after a crash; while etcd does not answer the
 * registry keeps writing it again.
 */
public final class SchedulerAnnouncement implements Managed {

    /** The service name schedulers announce themselves under. */
    public static final String SERVICE = "remit-scheduler";
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerAnnouncement.class);
    private static final Duration TTL = Duration.ofSeconds(10);

    private static final Duration RETRY = Duration.ofSeconds(2);

    private final EtcdRegistry registry;
    private final Instance self;
    private final java.util.concurrent.ScheduledExecutorService retries =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "scheduler-announcement");
                t.setDaemon(true);
                return t;
            });

    /**
     * @param selfUrl   this scheduler's advertised base URL (its host and port name the record)
     * @param adminPort the admin port, where {@code /prometheus} is served
     */
    public SchedulerAnnouncement(Etcd etcd, URI selfUrl, int adminPort, Clock clock) {
        this.registry = new EtcdRegistry(etcd);
        int port = selfUrl.getPort() > 0 ? selfUrl.getPort() : ("https".equals(selfUrl.getScheme()) ? 443 : 80);
        this.self = new Instance(SERVICE, selfUrl.getHost() + ":" + port, selfUrl.getHost(),
                Map.of("http", port, "admin", adminPort), io.remit.scheduler.SchedulerApplication.version(), null, null,
                clock.instant());
    }

    public Instance instance() {
        return self;
    }

    /**
     * Announces the scheduler. A first write that etcd does not answer in time (a loaded machine,
     * etcd restarting) must not stop the scheduler from starting: the announcement is only for
     * discovery of its metrics, so it is tried again every {@link #RETRY} in the background.
     */
    @Override
    public void start() {
        if (!announce()) {
            retries.scheduleWithFixedDelay(() -> {
                if (announce()) {
                    throw new java.util.concurrent.CancellationException("announced");
                }
            }, RETRY.toMillis(), RETRY.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    private boolean announce() {
        try {
            registry.register(self, TTL, (r, from, to) -> LOG.info("announcement {}: {} -> {}", r.instance().key(), from, to));
            return true;
        } catch (RuntimeException e) {
            LOG.warn("Could not announce {} in discovery yet ({}); trying again in {} s", self.key(), e.getMessage(),
                    RETRY.toSeconds());
            return false;
        }
    }

    @Override
    public void stop() {
        retries.shutdownNow();
        // Removes the record, best effort: a scheduler stopping while etcd does not answer must
        // still stop, and its record then goes with its lease, within the TTL.
        registry.close();
    }
}
