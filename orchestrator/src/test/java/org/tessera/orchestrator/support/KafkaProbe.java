package org.tessera.orchestrator.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.tessera.contracts.ContractsJson;
import org.tessera.contracts.Envelope;
import org.tessera.contracts.Payload;
import org.tessera.testkit.KafkaTestResource;

/** Reads what is really on a topic (from the beginning, with a plain consumer) and produces raw records. */
public final class KafkaProbe {

    private KafkaProbe() {}

    /** Every record on the topic so far, as key and value. */
    public static List<ConsumerRecord<String, byte[]>> records(String topic) {
        Properties props = new Properties();
        props.put(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaTestResource.broker().bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** The envelopes on the topic that match, read until at least {@code count} are there. */
    public static <P extends Payload> List<Envelope<P>> awaitEnvelopes(
            String topic, Class<P> type, Predicate<Envelope<P>> matching, int count) {
        List<List<Envelope<P>>> found = new ArrayList<>(List.of(List.of()));
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    List<Envelope<P>> matches = new ArrayList<>();
                    for (ConsumerRecord<String, byte[]> record : records(topic)) {
                        Envelope<Payload> envelope;
                        try {
                            envelope = ContractsJson.read(record.value());
                        } catch (RuntimeException e) {
                            continue;
                        }
                        if (type.isInstance(envelope.payload())) {
                            @SuppressWarnings("unchecked")
                            Envelope<P> typed = (Envelope<P>) (Envelope<?>) envelope;
                            if (matching.test(typed)) {
                                matches.add(typed);
                            }
                        }
                    }
                    found.set(0, matches);
                    return matches.size() >= count;
                });
        return found.getFirst();
    }

    public static void send(String topic, String key, byte[] value) {
        Properties props = new Properties();
        props.put(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaTestResource.broker().bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot produce to " + topic, e);
        }
    }

    public static void send(String topic, String key, Envelope<?> envelope) {
        send(topic, key, ContractsJson.toBytes(envelope));
    }
}
