package org.tessera.orchestrator.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tessera.orchestrator.support.KafkaProbe;
import org.tessera.orchestrator.support.ObjectStoreTestResource;
import org.tessera.testkit.JwtTestResource;
import org.tessera.testkit.KafkaTestResource;
import org.tessera.testkit.PostgresTestResource;

/**
 * Large outbox payloads rest in the table as LZ4 blocks (V19) and reach Kafka byte for byte as written; small ones
 * are stored as they are; a stored block that cannot be expanded is parked without holding up what follows it.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(ObjectStoreTestResource.class)
class OutboxStorageTest {

    private static final String TOPIC = "tessera.test.outbox-storage";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Outbox outbox;

    @BeforeAll
    static void topic() {
        KafkaTestResource.broker().createTopics(List.of(TOPIC), 1);
    }

    @Test
    void aLargePayloadIsStoredCompressedAndPublishedAsWritten() throws SQLException {
        String key = "large-" + UUID.randomUUID();
        byte[] payload = runRequestLike(500);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            outbox.append(c, new OutboxMessage(TOPIC, key, payload));
            Stored stored = stored(c, key);
            assertThat(stored.lz4Size()).isEqualTo(payload.length);
            assertThat(stored.length()).isLessThan(payload.length / 2);
            c.commit();
        }
        assertThat(published(key)).isEqualTo(payload);
    }

    @Test
    void aSmallPayloadIsStoredAsItIs() throws SQLException {
        String key = "small-" + UUID.randomUUID();
        byte[] payload = runRequestLike(2);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            outbox.append(c, new OutboxMessage(TOPIC, key, payload));
            Stored stored = stored(c, key);
            assertThat(stored.lz4Size()).isNull();
            assertThat(stored.length()).isEqualTo(payload.length);
            c.commit();
        }
        assertThat(published(key)).isEqualTo(payload);
    }

    @Test
    void aBlockThatCannotBeExpandedIsParkedAndTheNextMessageStillGoesOut() throws SQLException {
        String broken = "broken-" + UUID.randomUUID();
        String next = "next-" + UUID.randomUUID();
        byte[] payload = runRequestLike(3);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO outbox (topic, message_key, payload,"
                    + " payload_lz4_size, created_at) VALUES (?, ?, ?, 100000, now())")) {
                insert.setString(1, TOPIC);
                insert.setString(2, broken);
                insert.setBytes(3, new byte[] {(byte) 0xf0, 1, 2, 3});
                insert.executeUpdate();
            }
            outbox.append(c, new OutboxMessage(TOPIC, next, payload));
            c.commit();
        }
        assertThat(published(next)).isEqualTo(payload);
        try (Connection c = dataSource.getConnection();
                PreparedStatement parked = c.prepareStatement(
                        "SELECT payload_lz4_size, length(payload) FROM outbox_parked WHERE message_key = ?")) {
            parked.setString(1, broken);
            try (ResultSet rs = parked.executeQuery()) {
                assertThat(rs.next()).as("the broken row is parked").isTrue();
                assertThat(rs.getInt(1)).isEqualTo(100_000);
                assertThat(rs.getInt(2)).isEqualTo(4);
            }
        }
        assertThat(KafkaProbe.records(TOPIC)).noneMatch(r -> broken.equals(r.key()));
    }

    @Test
    void storedPayloadsRefuseBlocksOfTheWrongSize() {
        byte[] payload = runRequestLike(100);
        StoredPayload stored = StoredPayload.of(payload, 16_384);
        assertThat(StoredPayload.expand(stored.bytes(), stored.lz4Size())).isEqualTo(payload);
        assertThatThrownBy(() -> StoredPayload.expand(stored.bytes(), stored.lz4Size() - 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not one LZ4 block of " + (payload.length - 1) + " bytes");
        assertThatThrownBy(() -> StoredPayload.expand(stored.bytes(), stored.lz4Size() + 1))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void incompressiblePayloadsAndADisabledThresholdStoreAsItIs() {
        byte[] noise = new byte[64 * 1024];
        new Random(7).nextBytes(noise);
        assertThat(StoredPayload.of(noise, 16_384).lz4Size()).isNull();
        assertThat(StoredPayload.of(runRequestLike(500), 0).lz4Size()).isNull();
    }

    private record Stored(Integer lz4Size, int length) {}

    private static Stored stored(Connection c, String key) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT payload_lz4_size, length(payload) FROM outbox WHERE message_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return new Stored(rs.getObject(1, Integer.class), rs.getInt(2));
            }
        }
    }

    private static byte[] published(String key) {
        return await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> KafkaProbe.records(TOPIC).stream()
                                .filter(r -> key.equals(r.key()))
                                .map(ConsumerRecord::value)
                                .findFirst()
                                .orElse(null),
                        value -> value != null);
    }

    /** JSON shaped like a run request's items, each with a signed URL whose signature is random. */
    private static byte[] runRequestLike(int items) {
        Random random = new Random(items);
        StringBuilder json = new StringBuilder("{\"items\":[");
        for (int i = 0; i < items; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"item_id\":\"")
                    .append(new UUID(random.nextLong(), random.nextLong()))
                    .append("\",\"external_id\":\"slide-")
                    .append(i)
                    .append(".svs\",\"download_url\":\"https://slides.example.org/bucket/slide-")
                    .append(i)
                    .append(".svs?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=3600&X-Amz-Signature=");
            for (int h = 0; h < 4; h++) {
                json.append(String.format("%016x", random.nextLong()));
            }
            json.append("\",\"metadata\":{\"width_px\":40000,\"height_px\":30000,\"resolution_mpp\":0.25}}");
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
