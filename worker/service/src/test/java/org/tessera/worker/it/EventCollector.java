package org.tessera.worker.it;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.tessera.contracts.ContractsJson;
import org.tessera.contracts.Envelope;
import org.tessera.contracts.Payload;

/** Reads every record of some topics from the beginning, in the background, as the orchestrator would see them. */
final class EventCollector implements AutoCloseable {

    record Received(String topic, String key, Envelope<Payload> envelope) {}

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    EventCollector(String bootstrapServers, List<String> topics) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = topics.stream()
                .flatMap(t -> consumer.partitionsFor(t).stream().map(p -> new TopicPartition(t, p.partition())))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = Thread.ofPlatform().name("event-collector").daemon(true).start(this::run);
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    received.add(new Received(record.topic(), record.key(), ContractsJson.read(record.value())));
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    List<Received> all() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
