package io.remit.scheduler;

import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.dropwizard.lifecycle.Managed;
import io.remit.registry.etcd.Etcd;
import io.remit.scheduler.api.StateView;
import io.remit.scheduler.observe.GoldenSignals;
import io.remit.scheduler.observe.PrometheusResource;
import io.remit.scheduler.observe.PrometheusTargets;
import io.remit.scheduler.observe.ServiceGauges;
import io.remit.scheduler.observe.SignalsResource;
import io.remit.scheduler.state.DiscoveryRecords;
import io.remit.scheduler.state.SchedulerAnnouncement;
import java.net.URI;
import java.time.Clock;

/**
 * Wires what lets a Prometheus server watch Remit: the scheduler's own announcement in discovery,
 * a watch on every discovery record, {@code /v1/prometheus/targets} built from it and from the
 * task records (every instance's executor), and the admin
 * port's {@code /prometheus} with the per-service gauges beside the Dropwizard metrics; and
 * {@code /v1/traces}, which reads Zipkin for the UI.
 */
final class Observability {

    private Observability() {
    }

    static void register(Environment env, Etcd etcd, StateView state, String self, SchedulerConfiguration config) {
        DiscoveryRecords discovery = new DiscoveryRecords(etcd);
        SchedulerAnnouncement announcement = new SchedulerAnnouncement(etcd, URI.create(self), adminPort(config),
                Clock.systemUTC());
        env.lifecycle().manage(new Managed() {
            @Override
            public void start() {
                discovery.start();
                announcement.start();
            }

            @Override
            public void stop() {
                announcement.stop();
                discovery.close();
            }
        });
        io.prometheus.metrics.model.registry.PrometheusRegistry prometheus = new io.prometheus.metrics.model.registry.PrometheusRegistry();
        prometheus.register(new ServiceGauges(state::snapshot, discovery::all));
        env.admin().addServlet("prometheus", new io.remit.http.PrometheusServlet(env.metrics(), prometheus)).addMapping("/prometheus");
        // Four threads: one answer asks at most four queries; more requests at once wait their turn.
        java.util.concurrent.ExecutorService queries = env.lifecycle().executorService("prometheus-query-%d")
                .minThreads(4).maxThreads(4).build();
        env.jersey().register(new SignalsResource(new GoldenSignals(config.prometheus.query(), config.prometheus.maxErrorRatio,
                config.prometheus.maxP99.toJavaDuration(), queries), state, Clock.systemUTC()));
        env.jersey().register(new io.remit.scheduler.observe.TracesResource(config.zipkin, env.getObjectMapper(),
                Clock.systemUTC()));
        env.jersey().register(new PrometheusResource(new PrometheusTargets(discovery::all, state::snapshot)));
    }

    static int adminPort(SchedulerConfiguration config) {
        if (config.getServerFactory() instanceof DefaultServerFactory f
                && f.getAdminConnectors().get(0) instanceof HttpConnectorFactory h) {
            return h.getPort();
        }
        return 8081;
    }
}
