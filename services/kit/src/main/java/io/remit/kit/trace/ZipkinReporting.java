package io.remit.kit.trace;

import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zipkin2.reporter.brave.AsyncZipkinSpanHandler;
import zipkin2.reporter.urlconnection.URLConnectionSender;

/**
 * Sends finished spans to the Zipkin server in use, in batches from a background thread (a span
 * waits at most about a second), and adds the instance's {@code service}, {@code version} and
 * {@code instance} tags to each. The server can change at any time ({@link #use}); with none,
 * spans are dropped. A Zipkin that is down costs dropped spans, never a failed request.
 */
final class ZipkinReporting extends SpanHandler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ZipkinReporting.class);

    private final String service;
    private final String version;
    private final String instance;
    private String url = "";
    private volatile AsyncZipkinSpanHandler target;

    ZipkinReporting(String service, String version, String instance) {
        this.service = service;
        this.version = version;
        this.instance = instance;
    }

    /** Reports to the Zipkin at base URL {@code zipkinUrl} from now on; blank for none. */
    synchronized void use(String zipkinUrl) {
        String next = zipkinUrl == null ? "" : zipkinUrl.strip().replaceAll("/+$", "");
        if (next.equals(url)) {
            return;
        }
        AsyncZipkinSpanHandler before = target;
        // One POST a second at most, uncompressed. At a service's tens of spans a second, each POST's
        // fixed cost (a gzip stream, the connection, code that runs too rarely to be compiled)
        // outweighed the spans in it: twice a second with gzip, the reporter thread used as much CPU
        // as Zipkin did to store the spans (docs/benchmarks.md, Observability). A span is some 500 bytes.
        target = next.isEmpty() ? null : AsyncZipkinSpanHandler.newBuilder(URLConnectionSender.newBuilder()
                        .endpoint(spansUrl(next)).compressionEnabled(false).build())
                .messageTimeout(1, TimeUnit.SECONDS)
                .build();
        url = next;
        if (before != null) {
            before.close();   // sends what it still holds
        }
        LOG.info(next.isEmpty() ? "tracing: no Zipkin configured; spans are not reported"
                : "tracing: spans of {} go to Zipkin at {}", service, next);
    }

    synchronized String url() {
        return url;
    }

    /** Sends what is queued now; for tests and shutdown. */
    void flush() {
        AsyncZipkinSpanHandler t = target;
        if (t != null) {
            t.flush();
        }
    }

    @Override
    public boolean end(TraceContext context, MutableSpan span, Cause cause) {
        AsyncZipkinSpanHandler t = target;
        if (t == null) {
            return true;
        }
        span.tag("service", service);
        span.tag("version", version);
        span.tag("instance", instance);
        return t.end(context, span, cause);
    }

    @Override
    public synchronized void close() {
        if (target != null) {
            target.close();
            target = null;
        }
    }

    private static String spansUrl(String base) {
        return base.endsWith("/api/v2/spans") ? base : base + "/api/v2/spans";
    }

    @Override
    public String toString() {
        return "ZipkinReporting[" + url + "]";
    }
}
