package io.remit.kit;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheck;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.remit.kit.client.DependencySettings;
import io.remit.kit.client.Endpoints;
import io.remit.kit.client.ServiceClient;
import io.remit.registry.config.ConfigOverlay;
import io.remit.registry.config.FeatureFlags;
import io.remit.registry.discovery.DiscoveryCache;
import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.EtcdSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the kit gives a running service: who it is, its runtime config, feature flags and routing
 * rules (traffic splits, experiments) from etcd, its own data area in etcd, a {@link ServiceClient} per dependency, and
 * health check registration split into critical and non-critical. Made by {@link RemitBundle}; closed with the application.
 */
public final class Remit implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(Remit.class);
    private static final Duration READY_WAIT = Duration.ofSeconds(5);

    private final RemitSettings settings;
    private final RemitConfiguration configuration;
    private final Environment environment;
    private final Etcd etcd;
    private final ServiceData data;
    private final ConfigOverlay overlay;
    private final FeatureFlags featureFlags;
    private final RuntimeConfig config;
    private final Flags flags;
    private final io.remit.kit.routing.RoutingRules routing;
    private final io.remit.kit.trace.Spans spans;
    private final Map<String, ServiceClient> clients = new ConcurrentHashMap<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    Remit(RemitConfiguration configuration, Environment environment, String defaultName) {
        this.configuration = configuration;
        this.environment = environment;
        this.settings = (configuration.getRemit() == null ? RemitSettings.local(defaultName) : configuration.getRemit())
                .withEtcdFrom(System.getenv());
        if (settings.hasEtcd()) {
            this.etcd = Etcd.connect(etcdSettings(settings));
            this.data = ServiceData.on(etcd, settings.service());
            this.overlay = new ConfigOverlay(etcd, settings.service()).start();
            this.featureFlags = new FeatureFlags(etcd).start();
            io.remit.registry.discovery.TrafficRules trafficRules = new io.remit.registry.discovery.TrafficRules(etcd).start();
            closeables.add(overlay);
            closeables.add(featureFlags);
            closeables.add(trafficRules);
            if (!overlay.awaitReady(READY_WAIT) || !featureFlags.awaitReady(READY_WAIT)
                    || !trafficRules.awaitReady(READY_WAIT)) {
                LOG.warn("config overlay, flags or traffic rules of {} not loaded from etcd within {}; using defaults "
                        + "until they are", settings.service(), READY_WAIT);
            }
            this.routing = io.remit.kit.routing.RoutingRules.of(trafficRules);
            this.config = RuntimeConfig.of(overlay);
            this.flags = Flags.of(featureFlags);
        } else {
            LOG.info("{} runs without etcd: no runtime config overlay, flags off, dependencies from fixed urls",
                    settings.service());
            this.etcd = null;
            this.data = null;
            this.overlay = null;
            this.featureFlags = null;
            this.routing = io.remit.kit.routing.RoutingRules.none();
            this.config = RuntimeConfig.none();
            this.flags = Flags.none();
        }
        this.spans = io.remit.kit.trace.Spans.start(settings, configuration.getTracing(), config);
    }

    /** The service's tracer: spans to Zipkin, {@code spans().tag("payment.id", id)} on the request's span. */
    public io.remit.kit.trace.Spans spans() {
        return spans;
    }

    /**
     * The etcd connection of these settings: its user, and for https endpoints its CA (else the
     * JVM's) and client certificate, if any.
     */
    static EtcdSettings etcdSettings(RemitSettings settings) {
        EtcdSettings etcdSettings = EtcdSettings.of(settings.endpoints().toArray(String[]::new));
        if (!settings.etcdUser().isEmpty()) {
            etcdSettings = etcdSettings.withCredentials(settings.etcdUser(), settings.etcdPassword());
        }
        if (settings.endpoints().stream().allMatch(e -> e.startsWith("https:"))) {
            etcdSettings = etcdSettings.withTls(new EtcdSettings.Tls(path(settings.etcdCaFile()),
                    path(settings.etcdCertFile()), path(settings.etcdKeyFile())));
        }
        return etcdSettings;
    }

    private static java.nio.file.Path path(String file) {
        return file.isEmpty() ? null : java.nio.file.Path.of(file);
    }

    public RemitSettings settings() {
        return settings;
    }

    public RuntimeConfig config() {
        return config;
    }

    public Flags flags() {
        return flags;
    }

    /** The traffic splits and experiments every dependency client routes by, watched in etcd (none without etcd). */
    public io.remit.kit.routing.RoutingRules routing() {
        return routing;
    }

    /**
     * The service's own data in etcd ({@code /remit/data/<service>/}), when it has etcd. It shares
     * the kit's connection: close what is built on it (its mirrors) before the application stops.
     */
    public Optional<ServiceData> data() {
        return Optional.ofNullable(data);
    }

    public ObjectMapper objectMapper() {
        return environment.getObjectMapper();
    }

    public MetricRegistry metrics() {
        return environment.metrics();
    }

    /**
     * The client of dependency {@code name} (a service id), made on first use from the
     * {@code dependencies.<name>} settings: fixed {@code urls} if given, else discovery under
     * {@code /remit/discovery/<name>/}. Registers a non-critical health check for it.
     */
    public ServiceClient client(String name) {
        return clients.computeIfAbsent(name, this::newClient);
    }

    private ServiceClient newClient(String name) {
        DependencySettings s = configuration.dependency(name);
        Endpoints endpoints;
        if (!s.urls.isEmpty()) {
            endpoints = Endpoints.fixed(s.urls);
        } else if (etcd != null) {
            DiscoveryCache cache = new DiscoveryCache(etcd, name).start();
            closeables.add(0, cache);
            if (!cache.awaitReady(READY_WAIT)) {
                LOG.warn("discovery of {} not loaded within {}", name, READY_WAIT);
            }
            endpoints = Endpoints.discovered(cache, s.port);
        } else if (s.mock.mode == DependencySettings.Mock.Mode.replay) {
            endpoints = List::of;
        } else {
            throw new IllegalStateException("dependency " + name + " has neither dependencies." + name
                    + ".urls nor etcd (remit.etcdEndpoints) to discover it");
        }
        ServiceClient client = new ServiceClient(name, s, endpoints, environment.getObjectMapper(), environment.metrics(),
                spans.tracer(), routing);
        nonCritical("dependency-" + name, new HealthCheck() {
            @Override
            protected Result check() {
                int instances = client.instances().size();
                String state = "breaker " + client.breakerState() + ", " + instances + " instances";
                return Result.builder().healthy().withMessage(state)
                        .withDetail("breaker", client.breakerState().name())
                        .withDetail("instances", instances).build();
            }
        });
        LOG.info("dependency {}: {}", name, !s.urls.isEmpty() ? "fixed " + s.urls
                : s.mock.mode == DependencySettings.Mock.Mode.replay ? "mock replay" : "discovered, port " + s.port);
        return client;
    }

    /** A check whose failure makes the instance unhealthy (and so replaced by the scheduler), e.g. its database. */
    public void critical(String name, HealthCheck check) {
        environment.healthChecks().register(name, check);
    }

    /**
     * A check whose failure is reported but leaves the instance healthy, e.g. a dependency: an
     * outage of fx must not get every payments instance killed. Its result shows in
     * {@code /healthcheck} with {@code critical: false} and the underlying message.
     */
    public void nonCritical(String name, HealthCheck check) {
        environment.healthChecks().register(name, new HealthCheck() {
            @Override
            protected Result check() throws Exception {
                Result r = check.execute();
                return Result.builder().healthy()
                        .withMessage(r.isHealthy() ? r.getMessage() : "degraded: " + r.getMessage())
                        .withDetail("critical", false)
                        .withDetail("ok", r.isHealthy())
                        .build();
            }
        });
    }

    @Override
    public void start() {
        // everything starts in the constructor, before the server accepts requests
    }

    @Override
    public void stop() {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {}: {}", c, e.toString());
            }
        }
        spans.close();
        if (etcd != null) {
            etcd.close();
        }
    }
}
