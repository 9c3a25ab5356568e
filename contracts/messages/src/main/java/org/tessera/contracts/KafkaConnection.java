package org.tessera.contracts;

import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * How a service reaches the brokers: the bootstrap servers and the security settings (TLS, SASL) that every Kafka
 * client of the service needs, whether SmallRye Reactive Messaging builds it or the service does. Taken from the
 * service's {@code kafka.*} configuration (environment {@code KAFKA_BOOTSTRAP_SERVERS}, {@code KAFKA_SECURITY_PROTOCOL},
 * {@code KAFKA_SASL_MECHANISM}, {@code KAFKA_SASL_JAAS_CONFIG}, {@code KAFKA_SSL_*}); nothing else of that
 * configuration is carried, so a client's own tuning stays its own.
 */
public record KafkaConnection(Map<String, String> settings) {

    public KafkaConnection {
        if (!settings.containsKey("bootstrap.servers")
                || settings.get("bootstrap.servers").isBlank()) {
            throw new IllegalArgumentException(
                    "kafka.bootstrap.servers (KAFKA_BOOTSTRAP_SERVERS) is not set: the service cannot reach Kafka");
        }
        settings = Map.copyOf(new TreeMap<>(settings));
    }

    /**
     * The connection settings among a service's Kafka configuration, keys without the {@code kafka.} prefix (the form
     * in which Quarkus hands them over as its {@code default-kafka-broker} map).
     */
    public static KafkaConnection of(Map<String, ?> kafkaConfiguration) {
        Map<String, String> kept = new TreeMap<>();
        kafkaConfiguration.forEach((key, value) -> {
            if (value != null && isConnectionSetting(key)) {
                kept.put(key, value.toString());
            }
        });
        return new KafkaConnection(kept);
    }

    /** A connection to plain-text brokers at the given addresses: tests and the local stack. */
    public static KafkaConnection plaintext(String bootstrapServers) {
        return new KafkaConnection(Map.of("bootstrap.servers", bootstrapServers));
    }

    static boolean isConnectionSetting(String key) {
        return key.equals("bootstrap.servers")
                || key.equals("security.protocol")
                || key.equals("client.dns.lookup")
                || key.startsWith("sasl.")
                || key.startsWith("ssl.");
    }

    /** A fresh set of client properties holding the connection settings, for the caller to add its own to. */
    public Properties properties() {
        Properties props = new Properties();
        props.putAll(settings);
        return props;
    }

    public String bootstrapServers() {
        return settings.get("bootstrap.servers");
    }

    /** The settings without secrets, for logs. */
    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>(settings);
        shown.replaceAll((key, value) -> key.contains("jaas") || key.contains("password") ? "***" : value);
        return "KafkaConnection" + shown;
    }
}
