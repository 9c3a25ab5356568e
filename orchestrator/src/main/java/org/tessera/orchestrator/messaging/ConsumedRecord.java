package org.tessera.orchestrator.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.tessera.orchestrator.common.tracing.TraceContext;

/** Where a consumed record came from, enough to dead-letter it, and the trace its producer sent along. */
public record ConsumedRecord(String topic, int partition, long offset, String key, byte[] value, TraceContext trace) {

    public ConsumedRecord {
        trace = trace == null ? TraceContext.NONE : trace;
    }

    public ConsumedRecord(String topic, int partition, long offset, String key, byte[] value) {
        this(topic, partition, offset, key, value, TraceContext.NONE);
    }

    public static ConsumedRecord of(ConsumerRecord<String, byte[]> record) {
        return new ConsumedRecord(
                record.topic(),
                record.partition(),
                record.offset(),
                record.key(),
                record.value(),
                TraceContext.fromHeaders(record.headers()));
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
