package io.remit.kit.metrics;

import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

import com.codahale.metrics.MetricRegistry;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.glassfish.jersey.server.monitoring.ApplicationEvent;
import org.glassfish.jersey.server.monitoring.ApplicationEventListener;
import org.glassfish.jersey.server.monitoring.RequestEvent;
import org.glassfish.jersey.server.monitoring.RequestEventListener;

/**
 * Per endpoint (method and path template, e.g. {@code POST /payments/{id}/events}) a timer
 * {@code endpoint.<method> <path>.requests}, and meters {@code .client_errors} (4xx) and
 * {@code .server_errors} (5xx). Requests that match no resource are not counted.
 *
 * <p>The same requests also go to a Prometheus histogram {@value #HISTOGRAM} with the labels
 * {@code method}, {@code path} (the template) and {@code status} (the code): what Remit's
 * recording rules (configs/prometheus) turn into a service's request rate, error rate and
 * p50/p99 latency per version, summed over its instances. Its buckets run from 5 ms to 10 s.
 */
public final class EndpointMetrics implements ApplicationEventListener {

    /** The request histogram's name, as Prometheus shows it (with _bucket, _count and _sum). */
    public static final String HISTOGRAM = "http_server_requests_seconds";

    private final MetricRegistry metrics;
    private final Histogram requests;

    /** Counts into {@code metrics} and into a histogram registered in {@code prometheus}. */
    public EndpointMetrics(MetricRegistry metrics, PrometheusRegistry prometheus) {
        this.metrics = metrics;
        this.requests = Histogram.builder().name(HISTOGRAM).help("HTTP requests served, by method, path template and status")
                .labelNames("method", "path", "status").unit(Unit.SECONDS)
                .classicOnly().classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .register(prometheus);
    }

    @Override
    public void onEvent(ApplicationEvent event) {
        // nothing to do at application level
    }

    @Override
    public RequestEventListener onRequest(RequestEvent requestEvent) {
        long start = System.nanoTime();
        return event -> {
            if (event.getType() != RequestEvent.Type.FINISHED) {
                return;
            }
            ResourceMethod method = event.getUriInfo().getMatchedResourceMethod();
            if (method == null) {
                return;
            }
            String path = template(event);
            // The kit's trace filter names the request's server span after the route.
            event.getContainerRequest().setProperty(io.remit.kit.trace.TraceFilter.ROUTE, method.getHttpMethod() + " " + path);
            String name = "endpoint." + method.getHttpMethod() + " " + path;
            long elapsed = System.nanoTime() - start;
            metrics.timer(name + ".requests").update(elapsed, java.util.concurrent.TimeUnit.NANOSECONDS);
            int status = event.getContainerResponse() == null ? 500 : event.getContainerResponse().getStatus();
            requests.labelValues(method.getHttpMethod(), path, Integer.toString(status)).observe(elapsed / 1e9);
            if (status >= 500) {
                metrics.meter(name + ".server_errors").mark();
            } else if (status >= 400) {
                metrics.meter(name + ".client_errors").mark();
            }
        };
    }

    private static String template(RequestEvent event) {
        StringBuilder path = new StringBuilder();
        var templates = event.getUriInfo().getMatchedTemplates();
        for (int i = templates.size() - 1; i >= 0; i--) {
            String t = templates.get(i).getTemplate();
            if (!t.isEmpty() && !t.equals("/")) {
                if (!t.startsWith("/") && path.length() > 0 && path.charAt(path.length() - 1) != '/') {
                    path.append('/');
                }
                path.append(t);
            }
        }
        String s = path.toString().replaceAll("/+", "/").replaceAll("/$", "");
        return s.isEmpty() ? "/" : s;
    }
}
