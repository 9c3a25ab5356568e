package org.tessera.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.contracts.Topics;

class KafkaServiceTest {

    @TempDir
    Path stateDir;

    @Test
    void brokerProcessServesTheContractTopicsAndStopsOnSigterm() throws Exception {
        StackOptions options = StackOptions.defaults(Path.of("."), stateDir);
        PortPlan ports = PortPlan.anyFree().resolve();
        KafkaService kafka = KafkaService.start(options, ports.kafka(), ports.kafkaController());
        try {
            assertThat(kafka.process().isAlive()).isTrue();
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                var topics = admin.describeTopics(List.of(Topics.SLIDE_JOBS, Topics.ITEM_EVENTS))
                        .allTopicNames()
                        .get(10, TimeUnit.SECONDS);
                assertThat(topics.get(Topics.SLIDE_JOBS).partitions()).hasSize(KafkaService.PARTITIONS);
                assertThat(topics.get(Topics.ITEM_EVENTS).partitions()).hasSize(KafkaService.PARTITIONS);
            }

            Properties producerConfig = new Properties();
            producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            try (var producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(Topics.RUN_EVENTS, "run-1", "hello"))
                        .get(10, TimeUnit.SECONDS);
            }
            Properties consumerConfig = new Properties();
            consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "kafka-service-test");
            consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            try (var consumer =
                    new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(Topics.RUN_EVENTS));
                List<String> values = new java.util.ArrayList<>();
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        values.add(record.value());
                    }
                    return !values.isEmpty();
                });
                assertThat(values).containsExactly("hello");
            }
        } finally {
            kafka.close();
        }
        assertThat(kafka.process().isAlive()).isFalse();
        // A clean SIGTERM shutdown ends with exit code 143 (signal) or 0, and the broker says it shut down.
        assertThat(new String(java.nio.file.Files.readAllBytes(kafka.process().logFile()), StandardCharsets.UTF_8))
                .contains("shut down completed");
    }

    @Test
    void aRestartedBrokerKeepsItsRecordsOnTheSamePort() throws Exception {
        StackOptions options = StackOptions.defaults(Path.of("."), stateDir);
        PortPlan ports = PortPlan.anyFree().resolve();
        KafkaService first = KafkaService.start(options, ports.kafka(), ports.kafkaController());
        try {
            Properties producerConfig = new Properties();
            producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, first.bootstrapServers());
            try (var producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(Topics.ITEM_EVENTS, "run-1", "before the restart"))
                        .get(10, TimeUnit.SECONDS);
            }
        } finally {
            first.close();
        }
        KafkaService again = KafkaService.restart(options, ports.kafka(), ports.kafkaController());
        try {
            assertThat(again.bootstrapServers()).isEqualTo(first.bootstrapServers());
            try (var consumer = new KafkaConsumer<>(
                    Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, again.bootstrapServers()),
                    new StringDeserializer(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
                List<String> values = PlatformBooks.readAll(consumer, Topics.ITEM_EVENTS).stream()
                        .map(record -> new String(record.value(), StandardCharsets.UTF_8))
                        .toList();
                assertThat(values).containsExactly("before the restart");
            }
        } finally {
            again.close();
        }
    }
}
