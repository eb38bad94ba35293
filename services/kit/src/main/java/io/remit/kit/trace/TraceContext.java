package io.remit.kit.trace;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * One span of a trace, as W3C Trace Context carries it: a 128-bit trace id shared by every hop of
 * one payment, this hop's 64-bit span id, the caller's span id, and the sampled flag.
 *
 * @param traceId      32 lowercase hex digits, not all zero
 * @param spanId       16 lowercase hex digits, not all zero
 * @param parentSpanId the caller's span id, or {@code null} at the root
 * @param sampled      whether the trace is sampled
 */
public record TraceContext(String traceId, String spanId, String parentSpanId, boolean sampled) {

    private static final Pattern TRACEPARENT =
            Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");
    private static final Pattern HEX = Pattern.compile("[0-9a-f]+");
    private static final String ZERO_TRACE = "0".repeat(32);
    private static final String ZERO_SPAN = "0".repeat(16);

    /** A new trace, sampled. */
    public static TraceContext newRoot() {
        return new TraceContext(randomHex(32), randomHex(16), null, true);
    }

    /** A span of the same trace whose parent is this span: what a callee or an outbound call gets. */
    public TraceContext child() {
        return new TraceContext(traceId, randomHex(16), spanId, sampled);
    }

    /** This span as a W3C {@code traceparent} header value. */
    public String traceparent() {
        return "00-" + traceId + "-" + spanId + "-" + (sampled ? "01" : "00");
    }

    /**
     * Parses a W3C {@code traceparent} value; empty when it is missing or invalid (an invalid header
     * starts a new trace, as the spec asks). Version {@code ff} is invalid; higher versions are read
     * by their first four fields.
     */
    public static Optional<TraceContext> fromTraceparent(String header) {
        if (header == null) {
            return Optional.empty();
        }
        var m = TRACEPARENT.matcher(header.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        String version = m.group(1);
        if (version.equals("ff") || (version.equals("00") && m.group(5) != null)) {
            return Optional.empty();
        }
        String trace = m.group(2);
        String span = m.group(3);
        if (trace.equals(ZERO_TRACE) || span.equals(ZERO_SPAN)) {
            return Optional.empty();
        }
        boolean sampled = (Integer.parseInt(m.group(4), 16) & 1) == 1;
        return Optional.of(new TraceContext(trace, span, null, sampled));
    }

    /**
     * Parses a B3 single header ({@code {traceId}-{spanId}[-{sampled}[-{parentSpanId}]]}, or just a
     * sampling decision, which carries no ids and yields empty). A 64-bit trace id is widened to
     * 128 bits with leading zeros.
     */
    public static Optional<TraceContext> fromB3(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String[] parts = header.strip().toLowerCase(Locale.ROOT).split("-", -1);
        if (parts.length < 2 || parts.length > 4) {
            return Optional.empty();
        }
        String trace = parts[0];
        String span = parts[1];
        if (!(trace.length() == 16 || trace.length() == 32) || span.length() != 16
                || !HEX.matcher(trace).matches() || !HEX.matcher(span).matches()) {
            return Optional.empty();
        }
        if (trace.length() == 16) {
            trace = "0".repeat(16) + trace;
        }
        if (trace.equals(ZERO_TRACE) || span.equals(ZERO_SPAN)) {
            return Optional.empty();
        }
        boolean sampled = true;
        if (parts.length >= 3) {
            switch (parts[2]) {
                case "1", "d" -> sampled = true;
                case "0" -> sampled = false;
                default -> {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(new TraceContext(trace, span, null, sampled));
    }

    /**
     * Parses B3's multiple headers ({@code X-B3-TraceId}, {@code X-B3-SpanId}, {@code X-B3-Sampled}
     * or {@code X-B3-Flags: 1}); empty when the ids are missing or invalid.
     */
    public static Optional<TraceContext> fromB3Headers(String traceId, String spanId, String sampled, String flags) {
        if (traceId == null || spanId == null) {
            return Optional.empty();
        }
        String decision = "1".equals(flags == null ? null : flags.strip()) ? "d"
                : sampled == null ? null
                : sampled.strip().equalsIgnoreCase("true") ? "1"
                : sampled.strip().equalsIgnoreCase("false") ? "0" : sampled.strip();
        return fromB3(traceId.strip() + "-" + spanId.strip() + (decision == null ? "" : "-" + decision));
    }

    /** This span as Brave's trace context. */
    public brave.propagation.TraceContext toBrave() {
        return brave.propagation.TraceContext.newBuilder()
                .traceIdHigh(Long.parseUnsignedLong(traceId.substring(0, 16), 16))
                .traceId(Long.parseUnsignedLong(traceId.substring(16), 16))
                .spanId(Long.parseUnsignedLong(spanId, 16))
                .parentId(parentSpanId == null ? 0L : Long.parseUnsignedLong(parentSpanId, 16))
                .sampled(sampled)
                .build();
    }

    /** Brave's trace context as this record; an undecided sampling counts as sampled. */
    public static TraceContext of(brave.propagation.TraceContext context) {
        return new TraceContext(traceIdOf(context), context.spanIdString(), context.parentIdString(),
                !Boolean.FALSE.equals(context.sampled()));
    }

    /** The trace id in 32 hex digits (a 64-bit id widened with leading zeros), as Zipkin finds it. */
    static String traceIdOf(brave.propagation.TraceContext context) {
        String id = context.traceIdString();
        return id.length() == 32 ? id : "0".repeat(32 - id.length()) + id;
    }

    private static String randomHex(int digits) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder out = new StringBuilder(digits);
        while (out.length() < digits) {
            String chunk = Long.toHexString(random.nextLong() | 1L);
            out.append("0".repeat(16 - chunk.length())).append(chunk);
        }
        return out.substring(0, digits);
    }
}
