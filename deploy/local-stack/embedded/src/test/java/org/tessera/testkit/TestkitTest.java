package org.tessera.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class TestkitTest {

    @Test
    void kafkaBrokerCarriesRecords() throws Exception {
        KafkaBroker broker = KafkaTestResource.broker();
        broker.createTopics(List.of("testkit.probe"), 1);
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (var producer = new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("testkit.probe", "k", "hello")).get();
        }
        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "probe");
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("testkit.probe"));
            ConsumerRecords<String, String> records = ConsumerRecords.empty();
            for (int i = 0; i < 50 && records.isEmpty(); i++) {
                records = consumer.poll(Duration.ofMillis(200));
            }
            assertThat(records.iterator().next().value()).isEqualTo("hello");
        }
    }

    @Test
    void postgresServesSeparateDatabases() throws Exception {
        EmbeddedPostgresDb server = PostgresTestResource.server();
        String url = server.createDatabase("probe_db");
        try (Connection connection =
                        DriverManager.getConnection(url, EmbeddedPostgresDb.USER, EmbeddedPostgresDb.PASSWORD);
                ResultSet rs = connection.createStatement().executeQuery("SELECT current_database()")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("probe_db");
        }
        assertThat(server.createDatabase("probe_db")).isEqualTo(url);
    }

    @Test
    void tokensVerifyAgainstThePublishedKeySet() throws Exception {
        TokenIssuer issuer = new TokenIssuer();
        String token = issuer.token("user-1", "org-1", "member");

        SignedJWT jwt = SignedJWT.parse(token);
        RSAKey publicKey = JWKSet.parse(
                        new String(issuer.jwksJson().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                .getKeys()
                .getFirst()
                .toRSAKey();
        assertThat(publicKey.isPrivate()).isFalse();
        assertThat(jwt.verify(new RSASSAVerifier(publicKey))).isTrue();
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("user-1");
        assertThat(jwt.getJWTClaimsSet().getStringClaim("org_id")).isEqualTo("org-1");
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly(TokenIssuer.DEFAULT_AUDIENCE);
        assertThat(jwt.getJWTClaimsSet().getStringClaim(TokenIssuer.DEFAULT_AUDIENCE + "/role"))
                .isEqualTo("member");
    }
}
