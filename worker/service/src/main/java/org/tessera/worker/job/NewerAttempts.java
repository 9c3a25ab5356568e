package org.tessera.worker.job;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.tessera.contracts.ContractsJson;
import org.tessera.contracts.KafkaConnection;
import org.tessera.contracts.MalformedMessageException;
import org.tessera.contracts.SlideJob;

/**
 * Tells whether a slide job has been superseded: whether a job for the same item with a higher attempt already lies
 * behind it on its partition.
 *
 * <p>The orchestrator gives up on an attempt only by handing the item out again under the next attempt (its lease
 * watchdog, after the worker went silent), and slide jobs are keyed by item id, so every attempt of an item lands on the
 * same partition, in order. A job Kafka redelivers after a worker crash (its offset was never committed) is therefore
 * stale exactly when a newer attempt of its item follows it on the partition: the orchestrator ignores every event of
 * the old attempt, so running it would only do the work twice. The look-ahead reads the partition from the job's offset
 * to its current end with a consumer of its own (assigned, in no group, committing nothing); what the dispatcher keeps
 * on Kafka is bounded by {@code max-in-flight}, so the read is short. If the broker does not answer in time the job is
 * run: processing an attempt twice is safe, skipping the current one is not.
 */
final class NewerAttempts implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(NewerAttempts.class.getName());

    private final KafkaConsumer<String, byte[]> reader;
    private final Duration timeout;

    NewerAttempts(KafkaConnection kafka, String clientId, Duration timeout) {
        Properties props = kafka.properties();
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.reader = new KafkaConsumer<>(props);
        this.timeout = timeout;
    }

    /**
     * The highest attempt greater than {@code attempt} of the item's jobs after {@code offset} on the partition, or 0 if
     * there is none (or the partition could not be read in time).
     */
    int newerThan(TopicPartition partition, long offset, UUID itemId, int attempt) {
        Instant deadline = Instant.now().plus(timeout);
        String key = itemId.toString();
        int newest = 0;
        try {
            reader.assign(List.of(partition));
            Map<TopicPartition, Long> ends = reader.endOffsets(List.of(partition), timeout);
            long end = ends.getOrDefault(partition, 0L);
            if (end <= offset + 1) {
                return 0;
            }
            reader.seek(partition, offset + 1);
            while (reader.position(partition, timeout) < end) {
                if (Instant.now().isAfter(deadline)) {
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "could not read " + partition + " to its end in " + timeout + "; running item " + itemId
                                    + " attempt " + attempt + " without knowing whether it is current");
                    return 0;
                }
                for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(200))) {
                    if (record.offset() >= end || !key.equals(record.key()) || record.value() == null) {
                        continue;
                    }
                    int later = attemptOf(record);
                    if (later > attempt) {
                        newest = Math.max(newest, later);
                    }
                }
            }
            return newest;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not look ahead on " + partition + " for item " + itemId, e);
            return 0;
        } finally {
            reader.assign(List.of());
        }
    }

    private static int attemptOf(ConsumerRecord<String, byte[]> record) {
        try {
            return ContractsJson.read(record.value(), SlideJob.class).payload().attempt();
        } catch (MalformedMessageException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        reader.close();
    }
}
