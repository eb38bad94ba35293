package io.remit.http;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * An application's metrics (metrics-core) in the Prometheus text format: the kit (every service)
 * and the scheduler mount it at {@code /prometheus} on the admin port.
 */
public final class PrometheusServlet extends HttpServlet {

    private final transient PrometheusRegistry registry;
    private final transient PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    /** Serves {@code registry}'s own metrics and, through it, every metric in {@code metrics}. */
    public PrometheusServlet(MetricRegistry metrics, PrometheusRegistry registry) {
        this.registry = registry;
        DropwizardExports.builder().dropwizardRegistry(metrics).register(registry);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setStatus(200);
        resp.setContentType(PrometheusTextFormatWriter.CONTENT_TYPE);
        writer.write(resp.getOutputStream(), registry.scrape());
    }
}
