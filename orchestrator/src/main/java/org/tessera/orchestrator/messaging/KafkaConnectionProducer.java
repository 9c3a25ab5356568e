package org.tessera.orchestrator.messaging;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Map;
import org.tessera.contracts.KafkaConnection;

/**
 * The brokers and their security settings for the Kafka clients the orchestrator builds itself (the outbox relay, topic
 * set-up), from the same {@code kafka.*} configuration SmallRye's channels use: a broker that needs SASL or TLS is
 * reached the same way by every client.
 */
@ApplicationScoped
public class KafkaConnectionProducer {

    @Produces
    @Singleton
    KafkaConnection kafkaConnection(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfiguration) {
        return KafkaConnection.of(kafkaConfiguration);
    }
}
