package io.remit.kit.trace;

import brave.Span;
import brave.Tracer;
import brave.propagation.TraceContextOrSamplingFlags;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * One server span per request: continues the caller's trace (W3C {@code traceparent}, else B3
 * single {@code b3}, else B3's {@code X-B3-*} headers) or starts a new one, and keeps the span
 * current for the whole request: resource, exception mappers and their logs. The span is named
 * after the route ({@code POST /payments/{id}/events}) and tagged with the method, path, status and
 * the {@code Idempotency-Key} when the request has one; a 5xx marks it as an error. The response
 * carries this hop's {@code traceparent} and the bare {@code X-Trace-Id}, the Zipkin trace id, so
 * a client can quote it and find the trace.
 * Each request ends with one line in the log ({@code remit.requests}: method, path, status, time),
 * which carries the trace like every other line.
 */
public final class TraceFilter implements Filter {

    public static final String TRACEPARENT = "traceparent";
    public static final String B3 = "b3";
    public static final String TRACE_ID_HEADER = "X-Trace-Id";
    /** The request attribute in which the kit's endpoint metrics leave the matched route. */
    public static final String ROUTE = "io.remit.kit.route";
    private static final org.slf4j.Logger REQUESTS = org.slf4j.LoggerFactory.getLogger("remit.requests");

    private final Spans spans;

    public TraceFilter(Spans spans) {
        this.spans = spans;
    }

    /** The caller's trace, if the request carries one in any of the accepted forms. */
    static TraceContext incoming(HttpServletRequest request) {
        return TraceContext.fromTraceparent(request.getHeader(TRACEPARENT))
                .or(() -> TraceContext.fromB3(request.getHeader(B3)))
                .or(() -> TraceContext.fromB3Headers(request.getHeader("X-B3-TraceId"), request.getHeader("X-B3-SpanId"),
                        request.getHeader("X-B3-Sampled"), request.getHeader("X-B3-Flags")))
                .orElse(null);
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        Tracer tracer = spans.tracer();
        TraceContext caller = incoming(request);
        Span span = caller == null ? tracer.nextSpan()
                : tracer.nextSpan(TraceContextOrSamplingFlags.create(caller.toBrave()));
        span.kind(Span.Kind.SERVER).name(request.getMethod()).start();
        if (!span.isNoop()) {
            span.tag("http.method", request.getMethod());
            span.tag("http.path", request.getRequestURI());
            String key = request.getHeader("Idempotency-Key");
            if (key != null) {
                span.tag("idempotency.key", key);
            }
            span.remoteIpAndPort(request.getRemoteAddr(), request.getRemotePort());
        }
        TraceContext mine = TraceContext.of(span.context());
        response.setHeader(TRACEPARENT, mine.traceparent());
        response.setHeader(TRACE_ID_HEADER, mine.traceId());
        long start = System.nanoTime();
        try (Tracer.SpanInScope ignored = tracer.withSpanInScope(span)) {
            try {
                chain.doFilter(req, res);
            } catch (IOException | ServletException | RuntimeException | Error e) {
                span.error(e);
                throw e;
            } finally {
                int status = response.getStatus();
                if (request.getAttribute(ROUTE) instanceof String route) {
                    span.name(route);
                    span.tag("http.route", route.substring(route.indexOf(' ') + 1));
                }
                span.tag("http.status_code", Integer.toString(status));
                if (status >= 500) {
                    span.tag("error", Integer.toString(status));
                }
                REQUESTS.info("{} {} -> {} in {} ms", request.getMethod(), request.getRequestURI(), status,
                        (System.nanoTime() - start) / 1_000_000);
            }
        } finally {
            span.finish();
        }
    }
}
