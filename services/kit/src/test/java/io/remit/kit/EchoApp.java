package io.remit.kit;

import com.fasterxml.jackson.core.type.TypeReference;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.remit.http.ApiException;
import io.remit.kit.client.Call;
import io.remit.kit.http.Problem;
import io.remit.kit.http.Problems;
import io.remit.kit.trace.TraceContext;
import io.remit.kit.trace.Tracing;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A service built on the kit, for the kit's own tests: each endpoint exercises one kit feature. */
public class EchoApp extends Application<RemitConfiguration> {

    private final RemitBundle<RemitConfiguration> bundle;

    public EchoApp() {
        this(System.getenv());
    }

    /** With {@code environment} as the process environment the kit reads. */
    public EchoApp(Map<String, String> environment) {
        bundle = new RemitBundle<>("echo", environment);
    }

    @Override
    public void initialize(Bootstrap<RemitConfiguration> bootstrap) {
        bootstrap.addBundle(bundle);
    }

    @Override
    public void run(RemitConfiguration configuration, Environment environment) {
        environment.jersey().register(new EchoResource(bundle.remit()));
        // A plain servlet that refuses with sendError, as static-file servlets do.
        environment.servlets().addServlet("refusing", new jakarta.servlet.http.HttpServlet() {
            @Override
            protected void doGet(jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse resp)
                    throws java.io.IOException {
                resp.sendError(404);
            }
        }).addMapping("/files/*");
    }

    public Remit remit() {
        return bundle.remit();
    }

    public record Order(String id, long amount, List<String> tags) {
    }

    @Path("/echo")
    @Produces(MediaType.APPLICATION_JSON)
    public static final class EchoResource {
        private static final Logger LOG = LoggerFactory.getLogger(EchoResource.class);
        private final Remit remit;

        EchoResource(Remit remit) {
            this.remit = remit;
        }

        @GET
        @Path("/config/{key}")
        public Map<String, Object> config(@PathParam("key") String key) {
            return Map.of("value", remit.config().getString(key, "default"));
        }

        @GET
        @Path("/flag/{name}")
        public Map<String, Object> flag(@PathParam("name") String name) {
            return Map.of("enabled", remit.flags().isEnabled(name));
        }

        /** Logs one line and answers the trace it ran in. */
        @GET
        @Path("/trace")
        public Map<String, Object> trace() {
            TraceContext t = Tracing.current().orElseThrow();
            LOG.info("echo handled a request");
            return Map.of("traceId", t.traceId(), "spanId", t.spanId(), "instance", remit.settings().instanceId(),
                    "version", remit.settings().version());
        }

        /**
         * A payment's way through two services: this one, and the one named {@code dependency}, called
         * by the kit for the request (so with the request's cohort key, from its header or its body).
         * Answers this instance's version and the dependency's.
         */
        @POST
        @Path("/pay/{dependency}")
        public Map<String, Object> pay(@PathParam("dependency") String dependency, Map<String, Object> payment) {
            Map<String, Object> answer = remit.client(dependency).call(Call.get("/echo/trace"),
                    new TypeReference<Map<String, Object>>() { });
            return Map.of("version", remit.settings().version(), "dependency", answer.get("version"),
                    "cohort", String.valueOf(io.remit.kit.routing.Cohort.current()));
        }

        /** Calls {@code /echo/trace} of the service named {@code dependency}, found by the kit. */
        @GET
        @Path("/call/{dependency}")
        public Map<String, Object> call(@PathParam("dependency") String dependency) {
            LOG.info("calling {}", dependency);
            return remit.client(dependency).call(Call.get("/echo/trace"), new TypeReference<Map<String, Object>>() { });
        }

        @POST
        @Path("/orders")
        public Order order(Order order) {
            Problems problems = new Problems();
            problems.require(order.id(), "id");
            problems.check(order.amount() > 0, "amount", "must be positive");
            problems.throwIfAny();
            return order;
        }

        @GET
        @Path("/conflict")
        public Map<String, Object> conflict() {
            throw ApiException.conflict("already done", new Problem("state", "is final"));
        }

        /** Reads the body whole and answers its length. */
        @POST
        @Path("/size")
        public Map<String, Object> size(String body) {
            return Map.of("length", body.length());
        }

        @GET
        @Path("/fail")
        public Map<String, Object> fail() {
            throw new UnsupportedOperationException("a bug");
        }
    }
}
