package io.remit.kit.trace;

import java.util.Optional;
import org.slf4j.MDC;

/**
 * The trace of the work the current thread is doing. The kit's servlet filter opens a scope per
 * request; outbound calls read it to send {@code traceparent}. While a scope is open the MDC holds
 * {@code traceId} and {@code spanId}, so every log line can show them ({@code %X{traceId}}).
 */
public final class Tracing {

    public static final String TRACE_ID = "traceId";
    public static final String SPAN_ID = "spanId";

    private static final ThreadLocal<TraceContext> CURRENT = new ThreadLocal<>();

    private Tracing() {
    }

    public static Optional<TraceContext> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** Makes {@code context} current until the returned scope closes, then restores what was before. */
    public static Scope open(TraceContext context) {
        TraceContext before = CURRENT.get();
        set(context);
        return () -> set(before);
    }

    private static void set(TraceContext context) {
        if (context == null) {
            CURRENT.remove();
            MDC.remove(TRACE_ID);
            MDC.remove(SPAN_ID);
        } else {
            CURRENT.set(context);
            MDC.put(TRACE_ID, context.traceId());
            MDC.put(SPAN_ID, context.spanId());
        }
    }

    /** A scope to close in a try-with-resources; closing never throws. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
