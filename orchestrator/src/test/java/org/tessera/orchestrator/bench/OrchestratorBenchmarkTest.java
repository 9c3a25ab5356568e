package org.tessera.orchestrator.bench;

import static org.awaitility.Awaitility.await;
import static org.tessera.orchestrator.support.TestApi.as;
import static org.tessera.orchestrator.support.TestApi.freshUser;
import static org.tessera.orchestrator.support.TestApi.testRun;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.tessera.contracts.ItemProgress;
import org.tessera.contracts.ItemStarted;
import org.tessera.contracts.ItemSucceeded;
import org.tessera.orchestrator.support.Management;
import org.tessera.orchestrator.support.ObjectStoreTestResource;
import org.tessera.orchestrator.support.Workers;
import org.tessera.testkit.JwtTestResource;
import org.tessera.testkit.KafkaTestResource;
import org.tessera.testkit.PostgresTestResource;

/**
 * Figures for docs/benchmarks.md, off by default:
 *
 * <pre>./mvnw -B test -pl orchestrator -Dtest=OrchestratorBenchmarkTest -Dtessera.bench=true</pre>
 *
 * Prints the latency of 500-item {@code POST /v1/runs} calls and the item-event ingestion rate (events applied per
 * second, end to end from the first produced event until every run has terminated).
 *
 * <p>Contract types stay out of this class's method signatures: JUnit reflects on them with the application class
 * loader before Quarkus starts, and a sealed contract interface loaded there breaks its subclasses inside Quarkus.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(ObjectStoreTestResource.class)
@EnabledIfSystemProperty(named = "tessera.bench", matches = "true")
class OrchestratorBenchmarkTest {

    private static final int ITEMS = 500;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void submissionLatencyAndItemEventIngestionRate() throws Exception {
        String user = freshUser();
        Map<String, Object> body = testRun(ITEMS);
        for (int warmup = 0; warmup < 3; warmup++) {
            as(user).body(body).post("/api/v1/runs").then().statusCode(201);
        }
        int submissions = Integer.getInteger("tessera.bench.runs", 10);
        long[] millis = new long[submissions];
        List<UUID> runs = new ArrayList<>();
        for (int i = 0; i < submissions; i++) {
            long start = System.nanoTime();
            String id = as(user).body(body)
                    .post("/api/v1/runs")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("run_id");
            millis[i] = (System.nanoTime() - start) / 1_000_000;
            runs.add(UUID.fromString(id));
        }
        Arrays.sort(millis);
        System.out.printf(
                "BENCH POST /v1/runs with %d items: p50 %d ms, p90 %d ms, max %d ms over %d calls%n",
                ITEMS,
                millis[submissions / 2],
                millis[(int) (submissions * 0.9)],
                millis[submissions - 1],
                submissions);

        await().atMost(Duration.ofMinutes(2)).until(() -> countRuns(runs, "SCHEDULED") == runs.size());
        List<ProducerRecord<String, byte[]>> events = new ArrayList<>();
        for (UUID runId : runs) {
            List<UUID> items = itemsOf(runId);
            for (UUID item : items) {
                events.add(Workers.record(runId, item, new ItemStarted(1, Workers.WORKER)));
                events.add(Workers.record(runId, item, new ItemProgress(1, Workers.WORKER, "TILING", 50, 100)));
                events.add(Workers.record(
                        runId,
                        item,
                        new ItemSucceeded(
                                1,
                                Workers.WORKER,
                                List.of(Workers.output(runId, item, "tissue_qc:geojson_polygons", new byte[] {1})))));
            }
        }
        Properties props = new Properties();
        props.put(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaTestResource.broker().bootstrapServers());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            Instant start = Instant.now();
            for (ProducerRecord<String, byte[]> event : events) {
                producer.send(event);
            }
            producer.flush();
            await().atMost(Duration.ofMinutes(5))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> countRuns(runs, "COMPLETED") == runs.size());
            double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
            System.out.printf(
                    "BENCH item-event ingestion: %d events for %d items in %.2f s = %.0f events/s%n",
                    events.size(), events.size() / 3, seconds, events.size() / seconds);
        }
        String metrics = io.restassured.RestAssured.given()
                .get(Management.url("/q/metrics"))
                .then()
                .extract()
                .asString();
        metrics.lines()
                .filter(line -> line.startsWith("tessera_item_events_batch_seconds")
                        || line.startsWith("tessera_item_events_consumed")
                        || line.startsWith("tessera_runs_submission"))
                .forEach(line -> System.out.println("BENCH " + line));
    }

    private int countRuns(List<UUID> runs, String state) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT count(*) FROM run WHERE run_id = ANY(?) AND state = ?")) {
            ps.setArray(1, c.createArrayOf("uuid", runs.toArray()));
            ps.setString(2, state);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private List<UUID> itemsOf(UUID runId) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT item_id FROM item WHERE run_id = ? ORDER BY position")) {
            ps.setObject(1, runId);
            List<UUID> items = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    items.add(rs.getObject(1, UUID.class));
                }
            }
            return items;
        }
    }
}
