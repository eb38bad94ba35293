package io.remit.kit.trace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TraceContextTest {

    @Test
    void readsAndWritesW3cTraceparent() {
        String header = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        TraceContext t = TraceContext.fromTraceparent(header).orElseThrow();
        assertThat(t.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(t.spanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(t.sampled()).isTrue();
        assertThat(t.traceparent()).isEqualTo(header);
        TraceContext child = t.child();
        assertThat(child.traceId()).isEqualTo(t.traceId());
        assertThat(child.parentSpanId()).isEqualTo(t.spanId());
        assertThat(child.spanId()).hasSize(16).isNotEqualTo(t.spanId());
    }

    @Test
    void refusesInvalidTraceparents() {
        assertThat(TraceContext.fromTraceparent("00-00000000000000000000000000000000-00f067aa0ba902b7-01")).isEmpty();
        assertThat(TraceContext.fromTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")).isEmpty();
        assertThat(TraceContext.fromTraceparent("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).isEmpty();
        assertThat(TraceContext.fromTraceparent("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01")).isEmpty();
        assertThat(TraceContext.fromTraceparent("garbage")).isEmpty();
        assertThat(TraceContext.fromTraceparent(null)).isEmpty();
        // A later version may append fields; its first four are still read.
        assertThat(TraceContext.fromTraceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-extra"))
                .hasValueSatisfying(t -> assertThat(t.sampled()).isFalse());
    }

    @Test
    void readsB3SingleHeaders() {
        TraceContext full = TraceContext.fromB3("80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-05e3ac9a4f6e3b90").orElseThrow();
        assertThat(full.traceId()).isEqualTo("80f198ee56343ba864fe8b2a57d3eff7");
        assertThat(full.spanId()).isEqualTo("e457b5a2e4d86bd1");
        TraceContext shortId = TraceContext.fromB3("a3ce929d0e0e4736-00f067aa0ba902b7-0").orElseThrow();
        assertThat(shortId.traceId()).isEqualTo("0000000000000000a3ce929d0e0e4736");
        assertThat(shortId.sampled()).isFalse();
        assertThat(TraceContext.fromB3("0")).isEmpty();
        assertThat(TraceContext.fromB3("xyz-abc")).isEmpty();
    }

    @Test
    void newTracesAreUnique() {
        assertThat(TraceContext.newRoot().traceId()).hasSize(32).isNotEqualTo(TraceContext.newRoot().traceId());
    }
}
