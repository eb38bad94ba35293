package io.remit.kit.trace;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Continues the caller's trace (W3C {@code traceparent}, else B3 single {@code b3}) or starts a
 * new one, for the whole request: resource, exception mappers and their logs. The response
 * carries this hop's {@code traceparent} and the bare {@code X-Trace-Id}, so a client can quote it.
 * Each request ends with one line in the log ({@code remit.requests}: method, path, status, time),
 * which carries the trace like every other line, so a payment's path can be followed through
 * every service it touched.
 */
public final class TraceFilter implements Filter {

    public static final String TRACEPARENT = "traceparent";
    public static final String B3 = "b3";
    public static final String TRACE_ID_HEADER = "X-Trace-Id";
    private static final org.slf4j.Logger REQUESTS = org.slf4j.LoggerFactory.getLogger("remit.requests");

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        TraceContext incoming = TraceContext.fromTraceparent(request.getHeader(TRACEPARENT))
                .or(() -> TraceContext.fromB3(request.getHeader(B3)))
                .orElse(null);
        TraceContext span = incoming == null ? TraceContext.newRoot() : incoming.child();
        response.setHeader(TRACEPARENT, span.traceparent());
        response.setHeader(TRACE_ID_HEADER, span.traceId());
        long start = System.nanoTime();
        try (Tracing.Scope ignored = Tracing.open(span)) {
            try {
                chain.doFilter(req, res);
            } finally {
                REQUESTS.info("{} {} -> {} in {} ms", request.getMethod(), request.getRequestURI(), response.getStatus(),
                        (System.nanoTime() - start) / 1_000_000);
            }
        }
    }
}
