package org.tessera.orchestrator.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Where a consumed record came from, enough to dead-letter it. */
public record ConsumedRecord(String topic, int partition, long offset, String key, byte[] value) {

    public static ConsumedRecord of(ConsumerRecord<String, byte[]> record) {
        return new ConsumedRecord(record.topic(), record.partition(), record.offset(), record.key(), record.value());
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
