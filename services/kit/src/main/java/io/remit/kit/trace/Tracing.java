package io.remit.kit.trace;

import brave.propagation.CurrentTraceContext;
import brave.propagation.ThreadLocalCurrentTraceContext;
import java.util.Optional;
import org.slf4j.MDC;

/**
 * The trace of the work the current thread is doing, kept by Brave's thread-local current trace
 * context, which every {@link Spans} of the process shares. The kit's servlet filter makes the
 * request's server span current; outbound calls read it to start their client spans and send
 * {@code traceparent}. While a span is current the MDC holds {@code traceId} (32 hex digits, the
 * Zipkin trace id) and {@code spanId}, so every log line can show them ({@code %X{traceId}}).
 */
public final class Tracing {

    public static final String TRACE_ID = "traceId";
    public static final String SPAN_ID = "spanId";

    /** Shared by every Brave tracer the kit builds, so the current span is one per thread. */
    static final CurrentTraceContext CONTEXT = ThreadLocalCurrentTraceContext.newBuilder()
            .addScopeDecorator(Tracing::withMdc)
            .build();

    private Tracing() {
    }

    /** The current span, if any. */
    public static Optional<TraceContext> current() {
        brave.propagation.TraceContext context = CONTEXT.get();
        return context == null ? Optional.empty() : Optional.of(TraceContext.of(context));
    }

    /**
     * Makes {@code context} current until the returned scope closes, then restores what was
     * before. Nothing is reported for it: it is how a caller outside a request (a test, a
     * background job) hands its own trace to the kit's outbound calls.
     */
    public static Scope open(TraceContext context) {
        CurrentTraceContext.Scope scope = CONTEXT.newScope(context == null ? null : context.toBrave());
        return scope::close;
    }

    private static CurrentTraceContext.Scope withMdc(brave.propagation.TraceContext context, CurrentTraceContext.Scope scope) {
        String traceBefore = MDC.get(TRACE_ID);
        String spanBefore = MDC.get(SPAN_ID);
        if (context == null) {
            MDC.remove(TRACE_ID);
            MDC.remove(SPAN_ID);
        } else {
            MDC.put(TRACE_ID, TraceContext.traceIdOf(context));
            MDC.put(SPAN_ID, context.spanIdString());
        }
        return () -> {
            scope.close();
            restore(TRACE_ID, traceBefore);
            restore(SPAN_ID, spanBefore);
        };
    }

    private static void restore(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    /** A scope to close in a try-with-resources; closing never throws. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
