package io.remit.scheduler.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remit.scheduler.auth.AuthResource;
import io.remit.scheduler.capacity.CapacityResource;
import io.remit.scheduler.marathon.MarathonResource;
import io.remit.scheduler.observe.PrometheusResource;
import io.remit.scheduler.observe.SignalsResource;
import io.remit.scheduler.observe.TracesResource;
import io.remit.scheduler.release.DeploymentsResource;
import io.remit.scheduler.release.ReleasesResource;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document served at /openapi.json against the real JAX-RS resources: the same
 * operations, no more and no fewer, and every path and query parameter described.
 */
class OpenApiDocumentTest {

    /** The resources of the /v1 and /v2 APIs and the document itself (artifacts are for the Mesos fetcher). */
    static final List<Class<?>> RESOURCES = List.of(ServicesResource.class, RevisionsResource.class, ClusterResource.class, AuthResource.class,
            CapacityResource.class, OpenApiResource.class, MarathonResource.class,
            io.remit.scheduler.logs.LogsResource.class, ExperimentsResource.class, DeploymentsResource.class,
            ReleasesResource.class, SignalsResource.class, TracesResource.class, PrometheusResource.class);

    static JsonNode document() throws Exception {
        return new ObjectMapper().readTree(new OpenApiResource().get());
    }

    /** A resource method with its HTTP verb and full path. */
    record ResourceMethod(String verb, String path, Method method) {
    }

    static List<ResourceMethod> resourceMethods() {
        List<ResourceMethod> out = new ArrayList<>();
        for (Class<?> resource : RESOURCES) {
            String base = resource.getAnnotation(Path.class).value();
            for (Method m : resource.getDeclaredMethods()) {
                String verb = verb(m);
                if (verb != null) {
                    Path sub = m.getAnnotation(Path.class);
                    out.add(new ResourceMethod(verb, join(base, sub == null ? "" : sub.value()), m));
                }
            }
        }
        return out;
    }

    static Set<String> operationsOfResources() {
        Set<String> out = new TreeSet<>();
        resourceMethods().forEach(r -> out.add(r.verb() + " " + r.path()));
        // The event stream is a servlet, not a resource.
        out.add("get /v1/events");
        return out;
    }

    static String verb(Method m) {
        if (m.isAnnotationPresent(GET.class)) {
            return "get";
        }
        if (m.isAnnotationPresent(POST.class)) {
            return "post";
        }
        if (m.isAnnotationPresent(PUT.class)) {
            return "put";
        }
        if (m.isAnnotationPresent(DELETE.class)) {
            return "delete";
        }
        return null;
    }

    static String join(String base, String sub) {
        String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        if (sub.isEmpty()) {
            return b;
        }
        return b + (sub.startsWith("/") ? sub : "/" + sub);
    }

    @Test
    void describesExactlyTheOperationsTheResourcesServe() throws Exception {
        Set<String> documented = new TreeSet<>();
        document().path("paths").fields().forEachRemaining(p -> p.getValue().fieldNames()
                .forEachRemaining(verb -> documented.add(verb.toLowerCase(Locale.ROOT) + " " + p.getKey())));
        assertThat(documented).isEqualTo(operationsOfResources());
    }

    @Test
    void describesEveryPathAndQueryParameterAndEveryErrorAsTheErrorShape() throws Exception {
        JsonNode paths = document().path("paths");
        List<String> missing = new ArrayList<>();
        for (ResourceMethod rm : resourceMethods()) {
            String where = rm.verb() + " " + rm.path();
            JsonNode op = paths.path(rm.path()).path(rm.verb());
            Set<String> params = new TreeSet<>();
            op.path("parameters").forEach(p -> params.add(p.path("in").asText() + ":" + p.path("name").asText()));
            for (Parameter parameter : rm.method().getParameters()) {
                PathParam pp = parameter.getAnnotation(PathParam.class);
                QueryParam qp = parameter.getAnnotation(QueryParam.class);
                if (pp != null && !params.contains("path:" + pp.value())) {
                    missing.add(where + ": path parameter " + pp.value());
                }
                if (qp != null && !params.contains("query:" + qp.value())) {
                    missing.add(where + ": query parameter " + qp.value());
                }
            }
            op.path("responses").fields().forEachRemaining(response -> {
                int code = Integer.parseInt(response.getKey());
                String shape = rm.path().startsWith("/v2/") ? "#/components/responses/MarathonError"
                        : "#/components/responses/Error";
                if (code >= 400 && !response.getValue().path("$ref").asText().equals(shape)) {
                    missing.add(where + ": response " + code + " is not the error shape");
                }
            });
        }
        assertThat(missing).isEmpty();
        assertThat(document().path("openapi").asText()).startsWith("3.");
    }
}
