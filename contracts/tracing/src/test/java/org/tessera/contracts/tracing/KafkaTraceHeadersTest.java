package org.tessera.contracts.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class KafkaTraceHeadersTest {

    private static final SpanContext JOB = SpanContext.create(
            "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", TraceFlags.getSampled(), TraceState.getDefault());

    @Test
    void theContextTravelsInTheRecordHeadersAndABadHeaderStartsANewTrace() {
        RecordHeaders headers = new RecordHeaders();
        KafkaTraceHeaders.inject(Context.root().with(Span.wrap(JOB)), headers);
        assertThat(new String(headers.lastHeader("traceparent").value(), StandardCharsets.US_ASCII))
                .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(Span.fromContext(KafkaTraceHeaders.extract(headers)).getSpanContext())
                .satisfies(extracted -> {
                    assertThat(extracted.getTraceId()).isEqualTo(JOB.getTraceId());
                    assertThat(extracted.getSpanId()).isEqualTo(JOB.getSpanId());
                    assertThat(extracted.isRemote()).isTrue();
                });

        RecordHeaders broken = new RecordHeaders();
        broken.add("traceparent", "not-a-traceparent".getBytes(StandardCharsets.US_ASCII));
        assertThat(Span.fromContext(KafkaTraceHeaders.extract(broken))
                        .getSpanContext()
                        .isValid())
                .isFalse();
        assertThat(Span.fromContext(KafkaTraceHeaders.extract(new RecordHeaders()))
                        .getSpanContext()
                        .isValid())
                .isFalse();
    }

    @Test
    void theLastOccurrenceIsReadAndWritingReplacesEveryEarlierOne() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("tracestate", "a=1".getBytes(StandardCharsets.UTF_8));
        headers.add("tracestate", "b=2".getBytes(StandardCharsets.UTF_8));
        assertThat(KafkaTraceHeaders.GETTER.get(headers, "tracestate")).isEqualTo("b=2");
        assertThat(KafkaTraceHeaders.GETTER.get(headers, "traceparent")).isNull();
        assertThat(KafkaTraceHeaders.GETTER.get(null, "tracestate")).isNull();

        KafkaTraceHeaders.SETTER.set(headers, "tracestate", "c=3");
        assertThat(headers.headers("tracestate")).hasSize(1);
        assertThat(KafkaTraceHeaders.GETTER.get(headers, "tracestate")).isEqualTo("c=3");
    }
}
