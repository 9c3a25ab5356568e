package org.tessera.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaConnectionTest {

    @Test
    void keepsTheBrokersAndTheirSecuritySettingsAndNothingElse() {
        KafkaConnection connection = KafkaConnection.of(Map.of(
                "bootstrap.servers", "kafka-bootstrap:9092",
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "ssl.truststore.location", "/etc/kafka/ca.p12",
                "acks", "1",
                "group.id", "someone-elses"));

        Properties props = connection.properties();
        assertThat(props)
                .containsOnlyKeys(
                        "bootstrap.servers",
                        "security.protocol",
                        "sasl.mechanism",
                        "sasl.jaas.config",
                        "ssl.truststore.location");
        assertThat(props.getProperty("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(connection.toString()).doesNotContain("ScramLoginModule").contains("SCRAM-SHA-512");
    }

    @Test
    void eachCallerGetsItsOwnProperties() {
        KafkaConnection connection = KafkaConnection.plaintext("localhost:9092");
        connection.properties().put("client.id", "one");
        assertThat(connection.properties()).doesNotContainKey("client.id");
    }

    @Test
    void missingBrokersAreNamed() {
        assertThatThrownBy(() -> KafkaConnection.of(Map.of("security.protocol", "SSL")))
                .hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS");
    }
}
