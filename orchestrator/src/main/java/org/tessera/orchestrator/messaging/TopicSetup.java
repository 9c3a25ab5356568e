package org.tessera.orchestrator.messaging;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;
import org.tessera.contracts.KafkaConnection;
import org.tessera.contracts.Topics;
import org.tessera.orchestrator.outbox.OutboxRelay;

/**
 * Creates the platform's topics when they are missing, so that a fresh broker works without manual steps and the
 * partition count is a decision rather than a broker default.
 */
@ApplicationScoped
public class TopicSetup {

    private static final Logger LOG = Logger.getLogger(TopicSetup.class);

    static final List<String> TOPICS = List.of(
            Topics.RUN_REQUESTS,
            Topics.RUN_EVENTS,
            Topics.SLIDE_JOBS,
            Topics.ITEM_EVENTS,
            Topics.DEAD_LETTERS,
            Topics.LEDGER);

    /**
     * The ledger is kept forever and never compacted (its key is the organization, shared by all of its entries): a
     * billing service that replays it must find every entry.
     */
    static final Map<String, String> LEDGER_CONFIG = Map.of("retention.ms", "-1", "cleanup.policy", "delete");

    @Inject
    KafkaConnection kafka;

    @Inject
    TopicSettings settings;

    void onStart(@Observes @Priority(1) StartupEvent event) {
        if (!settings.createTopics()) {
            return;
        }
        Properties props = kafka.properties();
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        try (Admin admin = Admin.create(props)) {
            List<NewTopic> topics = TOPICS.stream()
                    .map(name -> new NewTopic(name, settings.topicPartitions(), settings.topicReplicationFactor()))
                    .map(topic -> topic.name().equals(Topics.RUN_REQUESTS)
                            ? topic.configs(
                                    Map.of("max.message.bytes", Integer.toString(OutboxRelay.MAX_MESSAGE_BYTES)))
                            : topic)
                    .map(topic -> topic.name().equals(Topics.LEDGER) ? topic.configs(LEDGER_CONFIG) : topic)
                    .toList();
            // One budget for all topics, so that an unreachable broker delays the start once, not once per topic.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            for (Map.Entry<String, KafkaFuture<Void>> result :
                    admin.createTopics(topics).values().entrySet()) {
                try {
                    result.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    LOG.infof("created topic %s with %d partitions", result.getKey(), settings.topicPartitions());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        LOG.warnf(e.getCause(), "could not create topic %s", result.getKey());
                    }
                }
            }
        } catch (TimeoutException e) {
            LOG.warn("Kafka did not answer topic creation in time; relying on broker auto-creation", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
