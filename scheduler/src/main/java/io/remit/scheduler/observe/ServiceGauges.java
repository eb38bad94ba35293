package io.remit.scheduler.observe;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.remit.registry.discovery.Instance;
import io.remit.scheduler.api.ServiceStatus;
import io.remit.scheduler.engine.EngineSnapshot;
import io.remit.scheduler.spec.ServiceSpec;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Per service, what the scheduler knows, as Prometheus gauges labelled {@code service}: the
 * instances wanted ({@code remit_service_instances_desired}), running and healthy
 * ({@code remit_service_instances_active}, {@code remit_service_instances_healthy}), whether it
 * is crash-looping ({@code remit_service_crash_looping}, 0 or 1) and how many discovery records
 * it has ({@code remit_service_discovery_records}). Computed at each scrape from the state the
 * API shows, so a standby reports what etcd holds. The alerting rules in configs/prometheus
 * compare them.
 */
public final class ServiceGauges implements MultiCollector {

    private final Supplier<EngineSnapshot> state;
    private final Supplier<Collection<Instance>> discovery;

    public ServiceGauges(Supplier<EngineSnapshot> state, Supplier<Collection<Instance>> discovery) {
        this.state = state;
        this.discovery = discovery;
    }

    @Override
    public MetricSnapshots collect() {
        EngineSnapshot s = state.get();
        Map<String, Integer> records = new HashMap<>();
        for (Instance i : discovery.get()) {
            records.merge(i.service(), 1, Integer::sum);
        }
        GaugeSnapshot.Builder desired = gauge("remit_service_instances_desired", "Instances the spec asks for");
        GaugeSnapshot.Builder active = gauge("remit_service_instances_active", "Instances launched and not yet ended");
        GaugeSnapshot.Builder healthy = gauge("remit_service_instances_healthy", "Instances passing their health check");
        GaugeSnapshot.Builder crashLooping = gauge("remit_service_crash_looping",
                "1 while the service is short of healthy instances that keep failing");
        GaugeSnapshot.Builder recorded = gauge("remit_service_discovery_records", "Discovery records in etcd");
        for (ServiceSpec spec : s.specs().values()) {
            ServiceStatus status = ServiceStatus.of(spec, s.tasks().values(), s);
            Labels labels = Labels.of("service", spec.id());
            desired.dataPoint(point(labels, status.desired()));
            active.dataPoint(point(labels, status.active()));
            healthy.dataPoint(point(labels, status.healthy()));
            crashLooping.dataPoint(point(labels, "crash-looping".equals(status.state()) ? 1 : 0));
            recorded.dataPoint(point(labels, records.getOrDefault(spec.id(), 0)));
        }
        return new MetricSnapshots(List.of(desired.build(), active.build(), healthy.build(), crashLooping.build(),
                recorded.build()));
    }

    private static GaugeSnapshot.Builder gauge(String name, String help) {
        return GaugeSnapshot.builder().name(name).help(help);
    }

    private static GaugeDataPointSnapshot point(Labels labels, double value) {
        return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }
}
