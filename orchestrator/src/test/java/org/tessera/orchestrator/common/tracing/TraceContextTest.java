package org.tessera.orchestrator.common.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.tessera.contracts.TraceHeaders;

class TraceContextTest {

    private static final SpanContext SUBMISSION = SpanContext.create(
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "00f067aa0ba902b7",
            TraceFlags.getSampled(),
            TraceState.builder().put("vendor", "x").build());

    @Test
    void aSpanContextSurvivesTheDatabaseFormAndTheRecordHeaders() {
        TraceContext kept = TraceContext.of(Context.root().with(Span.wrap(SUBMISSION)));
        assertThat(kept.traceparent()).isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(kept.tracestate()).isEqualTo("vendor=x");
        assertThat(kept.traceId()).isEqualTo(SUBMISSION.getTraceId());

        RecordHeaders headers = new RecordHeaders();
        kept.writeTo(headers);
        TraceContext read = TraceContext.fromHeaders(headers);
        assertThat(read).isEqualTo(kept);

        SpanContext parent = Span.fromContext(read.asParent()).getSpanContext();
        assertThat(parent.getTraceId()).isEqualTo(SUBMISSION.getTraceId());
        assertThat(parent.getSpanId()).isEqualTo(SUBMISSION.getSpanId());
        assertThat(parent.isRemote()).isTrue();
        assertThat(parent.getTraceState().get("vendor")).isEqualTo("x");
    }

    @Test
    void noSpanOrABadHeaderIsNoneAndLeavesNoHeaders() {
        assertThat(TraceContext.of(Context.root())).isEqualTo(TraceContext.NONE);
        assertThat(TraceContext.current().present()).isFalse();

        RecordHeaders bad = new RecordHeaders();
        bad.add(TraceHeaders.TRACEPARENT, "00-xyz".getBytes(StandardCharsets.US_ASCII));
        assertThat(TraceContext.fromHeaders(bad)).isEqualTo(TraceContext.NONE);
        assertThat(TraceContext.fromHeaders(new RecordHeaders())).isEqualTo(TraceContext.NONE);
        assertThat(Span.fromContext(TraceContext.NONE.asParent())
                        .getSpanContext()
                        .isValid())
                .isFalse();

        RecordHeaders out = new RecordHeaders();
        out.add(TraceHeaders.TRACEPARENT, "stale".getBytes(StandardCharsets.US_ASCII));
        TraceContext.NONE.writeTo(out);
        assertThat(out.toArray()).isEmpty();
    }
}
