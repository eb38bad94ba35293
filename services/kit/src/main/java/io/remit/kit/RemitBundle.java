package io.remit.kit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AsyncAppenderBase;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.ConfiguredBundle;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.remit.kit.http.ErrorMappers;
import io.remit.kit.http.FaultInjection;
import io.remit.kit.metrics.EndpointMetrics;
import io.remit.kit.trace.TraceFilter;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * The Dropwizard bundle every Remit service adds: {@code ${ENV}} substitution in its config file,
 * the etcd-backed {@link Remit} context (config overlay, flags, dependency clients), trace
 * propagation with spans reported to Zipkin and the trace id in every log line, the A/B cohort key
 * carried from request to outgoing calls and the served-by version ({@code X-Remit-Version}) on
 * every answer ({@link io.remit.kit.routing.CohortFilter}), JSON errors (Jetty's own too), a request body
 * limit ({@code maxRequestBody}, 413 beyond it), per-endpoint metrics and
 * {@code /prometheus} on the admin port, and, when {@value FaultInjection#ENV} is set, a share
 * of requests answered 500 on purpose ({@link FaultInjection}).
 *
 * <pre>{@code
 * private final RemitBundle<FxConfiguration> remit = new RemitBundle<>("fx");
 * public void initialize(Bootstrap<FxConfiguration> b) { b.addBundle(remit); }
 * public void run(FxConfiguration c, Environment e) { remit.remit().config().getInt("feeBasisPoints", 50); }
 * }</pre>
 */
public final class RemitBundle<C extends RemitConfiguration> implements ConfiguredBundle<C> {

    /** Inserted before the message of each log line: the trace and span of the request, or "-". */
    public static final String TRACE_PATTERN = "[trace=%X{traceId:--} span=%X{spanId:--}] ";

    private final String serviceName;
    private final Map<String, String> processEnvironment;
    private Remit remit;

    /** @param serviceName the name used when the config has no {@code remit.service} */
    public RemitBundle(String serviceName) {
        this(serviceName, System.getenv());
    }

    /**
     * @param serviceName the name used when the config has no {@code remit.service}
     * @param processEnvironment the environment variables the bundle reads ({@value FaultInjection#ENV});
     *     {@link System#getenv()} but in tests
     */
    public RemitBundle(String serviceName, Map<String, String> processEnvironment) {
        this.serviceName = serviceName;
        this.processEnvironment = Map.copyOf(processEnvironment);
    }

    @Override
    public void initialize(Bootstrap<?> bootstrap) {
        // Instants as ISO-8601 text in every service's JSON, not as numbers.
        bootstrap.getObjectMapper().disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
    }

    @Override
    public void run(C configuration, Environment environment) {
        addTraceToLogLines();
        remit = new Remit(configuration, environment, serviceName);
        environment.lifecycle().manage(remit);
        environment.servlets().addFilter("remit-trace", new TraceFilter(remit.spans()))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        environment.servlets().addFilter("remit-cohort",
                        new io.remit.kit.routing.CohortFilter(remit.settings().version(), remit.routing()))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        environment.jersey().register(new io.remit.kit.routing.CohortFieldFilter(remit.routing()));
        environment.servlets().addFilter("remit-body-limit",
                        new io.remit.http.BodyLimitFilter(configuration.getMaxRequestBody().toBytes(), ErrorMappers::body))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        ErrorMappers.all().forEach(environment.jersey()::register);
        FaultInjection.fromEnvironment(processEnvironment).ifPresent(environment.jersey()::register);
        io.remit.http.JsonErrors.install(environment, ErrorMappers::body);
        io.prometheus.metrics.model.registry.PrometheusRegistry prometheus = new io.prometheus.metrics.model.registry.PrometheusRegistry();
        environment.jersey().register(new EndpointMetrics(environment.metrics(), prometheus));
        environment.admin().addServlet("prometheus", new io.remit.http.PrometheusServlet(environment.metrics(), prometheus)).addMapping("/prometheus");
    }

    /** The context; available once the bundle has run (in the application's {@code run}). */
    public Remit remit() {
        if (remit == null) {
            throw new IllegalStateException("the Remit bundle has not run yet");
        }
        return remit;
    }

    /**
     * Puts {@link #TRACE_PATTERN} before the message in every pattern of the root logger's
     * appenders that does not already show {@code traceId}, so every line of a request carries its
     * trace whatever the service's logging config says.
     */
    static void addTraceToLogLines() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            withTrace(it.next());
        }
    }

    private static void withTrace(Appender<ILoggingEvent> appender) {
        if (appender instanceof AsyncAppenderBase<ILoggingEvent> async) {
            for (Iterator<Appender<ILoggingEvent>> it = async.iteratorForAppenders(); it.hasNext(); ) {
                withTrace(it.next());
            }
        } else if (appender instanceof OutputStreamAppender<ILoggingEvent> out
                && out.getEncoder() instanceof LayoutWrappingEncoder<ILoggingEvent> encoder
                && encoder.getLayout() instanceof PatternLayout layout) {
            String pattern = layout.getPattern();
            if (pattern == null || pattern.contains("traceId")) {
                return;
            }
            int at = messageIndex(pattern);
            if (at < 0) {
                return;
            }
            layout.stop();
            layout.setPattern(pattern.substring(0, at) + TRACE_PATTERN + pattern.substring(at));
            layout.start();
        }
    }

    private static int messageIndex(String pattern) {
        for (String m : new String[] {"%msg", "%message", "%m"}) {
            int i = pattern.indexOf(m);
            if (i >= 0) {
                return i;
            }
        }
        return -1;
    }
}
