package io.remit.scheduler;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** The app's metrics (metrics-core) in the Prometheus text format, on the admin port at {@code /prometheus}. */
final class PrometheusServlet extends HttpServlet {

    private final PrometheusRegistry registry;

    /** Serves {@code registry}'s own collectors and, through it, every metric in {@code metrics}. */
    PrometheusServlet(MetricRegistry metrics, PrometheusRegistry registry) {
        this.registry = registry;
        DropwizardExports.builder().dropwizardRegistry(metrics).register(registry);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType(PrometheusTextFormatWriter.CONTENT_TYPE);
        PrometheusTextFormatWriter.create().write(resp.getOutputStream(), registry.scrape());
    }
}
