package io.remit.kit.metrics;

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
 */
public final class EndpointMetrics implements ApplicationEventListener {

    private final MetricRegistry metrics;

    public EndpointMetrics(MetricRegistry metrics) {
        this.metrics = metrics;
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
            String name = "endpoint." + method.getHttpMethod() + " " + template(event);
            metrics.timer(name + ".requests").update(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            int status = event.getContainerResponse() == null ? 500 : event.getContainerResponse().getStatus();
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
