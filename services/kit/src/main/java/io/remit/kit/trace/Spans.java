package io.remit.kit.trace;

import brave.Span;
import brave.Tracer;
import io.remit.kit.RemitSettings;
import io.remit.kit.RuntimeConfig;

/**
 * The service's tracer: Brave, with 128-bit trace ids, the thread's current span shared with
 * {@link Tracing} (and so with the MDC of log lines), sampling by {@link RateSampler}, and spans
 * reported to Zipkin by {@link ZipkinReporting} when a Zipkin is configured. Thread-safe; one per
 * service instance, closed with it.
 */
public final class Spans implements AutoCloseable {

    private final brave.Tracing tracing;
    private final ZipkinReporting reporting;
    private final RateSampler sampler;

    private Spans(brave.Tracing tracing, ZipkinReporting reporting, RateSampler sampler) {
        this.tracing = tracing;
        this.reporting = reporting;
        this.sampler = sampler;
    }

    /**
     * The tracer of a service instance: reports to the Zipkin named by the runtime config key
     * {@value TracingSettings#ZIPKIN_URL_KEY} (else {@code settings.zipkinUrl}), both watched, and
     * samples the traces it starts at {@value TracingSettings#SAMPLE_RATE_KEY} (else
     * {@code settings.sampleRate}).
     */
    public static Spans start(RemitSettings who, TracingSettings settings, RuntimeConfig config) {
        ZipkinReporting reporting = new ZipkinReporting(who.service(), who.version(), who.instanceId());
        config.watch(TracingSettings.ZIPKIN_URL_KEY, value -> reporting.use(value.orElse(settings.zipkinUrl)));
        RateSampler sampler = new RateSampler(settings.sampleRate, config);
        return new Spans(brave.Tracing.newBuilder()
                .localServiceName(who.service())
                .traceId128Bit(true)
                .supportsJoin(false)
                .currentTraceContext(Tracing.CONTEXT)
                .sampler(sampler)
                .addSpanHandler(reporting)
                .build(), reporting, sampler);
    }

    /** A tracer that makes and passes on trace ids but reports nothing (a client used outside a service). */
    public static Spans local(String service) {
        return new Spans(brave.Tracing.newBuilder()
                .localServiceName(service)
                .traceId128Bit(true)
                .supportsJoin(false)
                .currentTraceContext(Tracing.CONTEXT)
                // Without a handler of its own Brave logs every span; this one drops them.
                .addSpanHandler(DROP)
                .build(), null, null);
    }

    private static final brave.handler.SpanHandler DROP = new brave.handler.SpanHandler() {
        @Override
        public String toString() {
            return "drop";
        }
    };

    public Tracer tracer() {
        return tracing.tracer();
    }

    /** Tags the current span (e.g. {@code payment.id}); nothing when no span is current. */
    public void tag(String key, String value) {
        Span span = tracing.tracer().currentSpan();
        if (span != null && value != null) {
            span.tag(key, value);
        }
    }

    /** The Zipkin base URL spans go to now; empty when none. */
    public String zipkinUrl() {
        return reporting == null ? "" : reporting.url();
    }

    /** The rate at which traces this service starts are sampled now. */
    public double sampleRate() {
        return sampler == null ? 1.0 : sampler.rate();
    }

    /** Sends the spans waiting in the queue now. */
    public void flush() {
        if (reporting != null) {
            reporting.flush();
        }
    }

    @Override
    public void close() {
        tracing.close();
        if (reporting != null) {
            reporting.close();
        }
    }
}
