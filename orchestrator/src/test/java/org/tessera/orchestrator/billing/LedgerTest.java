package org.tessera.orchestrator.billing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.tessera.orchestrator.support.RunProbe.awaitRun;
import static org.tessera.orchestrator.support.RunProbe.awaitState;
import static org.tessera.orchestrator.support.RunProbe.terminated;
import static org.tessera.orchestrator.support.Tenants.as;
import static org.tessera.orchestrator.support.Tenants.asOperator;
import static org.tessera.orchestrator.support.Tenants.number;
import static org.tessera.orchestrator.support.Tenants.submit;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.tessera.contracts.ContractsJson;
import org.tessera.contracts.DerivedIds;
import org.tessera.contracts.Envelope;
import org.tessera.contracts.ItemEvent;
import org.tessera.contracts.ItemSucceeded;
import org.tessera.contracts.LedgerEntry;
import org.tessera.contracts.Topics;
import org.tessera.orchestrator.common.persistence.Transactions;
import org.tessera.orchestrator.outbox.OutboxMessage;
import org.tessera.orchestrator.support.KafkaProbe;
import org.tessera.orchestrator.support.Management;
import org.tessera.orchestrator.support.ObjectStoreTestResource;
import org.tessera.orchestrator.support.RunProbe;
import org.tessera.orchestrator.support.Tenants;
import org.tessera.orchestrator.support.Tenants.Tenant;
import org.tessera.orchestrator.support.TestApi;
import org.tessera.orchestrator.support.Workers;
import org.tessera.testkit.JwtTestResource;
import org.tessera.testkit.KafkaTestResource;
import org.tessera.testkit.PostgresTestResource;

/** Prices, one ledger entry per succeeded item, the cost report, and the ledger topic. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(ObjectStoreTestResource.class)
class LedgerTest {

    @Inject
    DataSource dataSource;

    @Inject
    LedgerService ledger;

    private static final String PRICE = "/api/admin/v1/applications/{app}/versions/{version}/price";

    private static String thisMonth() {
        return YearMonth.now(ZoneOffset.UTC).toString();
    }

    private static List<Map<String, Object>> entriesOf(UUID runId) {
        return Tenants.rows("SELECT * FROM ledger_entry WHERE run_id = ? ORDER BY item_id", runId);
    }

    @Test
    void pricesComeFromTheCatalogueUntilASuperAdminSetsOne() {
        asOperator()
                .get(PRICE, "he-tme", "1.0.0")
                .then()
                .statusCode(200)
                .body("price_per_wsi", equalTo("4.00"))
                .body("price_per_wsi_micros", equalTo(4_000_000))
                .body("currency", equalTo("EUR"))
                .body("source", equalTo("catalogue"));
        Tenant tenant = Tenants.create(null, null, null);
        as(tenant.admin(), tenant.organizationId())
                .get(PRICE, "test-app", "1.1.0")
                .then()
                .statusCode(200)
                .body("price_per_wsi", equalTo("0.00"));
        as(tenant.member(), tenant.organizationId())
                .get(PRICE, "test-app", "1.1.0")
                .then()
                .statusCode(403);

        as(tenant.admin(), tenant.organizationId())
                .body(Map.of("price_per_wsi", "0.10"))
                .put(PRICE, "test-app", "1.0.0")
                .then()
                .statusCode(403)
                .body("code", equalTo("AUTH.SUPER_ADMIN_REQUIRED"));
        for (Object bad : List.of("-1", "0.0000001", "four", "2000000", true)) {
            asOperator()
                    .body(Map.of("price_per_wsi", bad))
                    .put(PRICE, "test-app", "1.0.0")
                    .then()
                    .statusCode(422)
                    .body("detail[0].loc", equalTo(List.of("body", "price_per_wsi")))
                    .body("detail[0].msg", containsString("price_per_wsi"));
        }
        asOperator()
                .body(Map.of("price_per_wsi", "1.00"))
                .put(PRICE, "no-such-app", "1.0.0")
                .then()
                .statusCode(404);
        asOperator()
                .body(Map.of("price_per_wsi", "1.00"))
                .put(PRICE, "test-app", "9.9.9")
                .then()
                .statusCode(404);
    }

    @Test
    void aNewPriceChargesItemsThatSucceedFromThenOn() {
        Tenant tenant = Tenants.create(null, null, null);
        asOperator()
                .body(Map.of("price_per_wsi", "0.125"))
                .put(PRICE, "test-app", "1.0.0")
                .then()
                .statusCode(200)
                .body("price_per_wsi", equalTo("0.125"))
                .body("price_per_wsi_micros", equalTo(125_000))
                .body("source", equalTo("set"));
        try {
            UUID runId = submit(tenant.member(), tenant.organizationId(), TestApi.run("test-app", "1.0.0", 1));
            awaitState(runId, "SCHEDULED");
            Workers.succeeded(runId, RunProbe.itemIds(runId).get("slide-0"));
            awaitState(runId, "COMPLETED");

            assertThat(entriesOf(runId)).singleElement().satisfies(entry -> {
                assertThat(entry.get("price_per_wsi_micros")).isEqualTo(125_000L);
                assertThat(entry.get("amount_micros")).isEqualTo(125_000L);
            });
        } finally {
            asOperator()
                    .body(Map.of("price_per_wsi", 0))
                    .put(PRICE, "test-app", "1.0.0")
                    .then()
                    .statusCode(200);
        }
    }

    /**
     * The worked example of docs/organizations.md, in small: of four slides one succeeds, one succeeds and is
     * reported three times, one is unreadable; the run is cancelled and the fourth is skipped.
     */
    @Test
    void eachSucceededItemIsChargedOnceAndACancelledRunOnlyForWhatSucceeded() {
        Tenant tenant = Tenants.create(100, null, null);
        UUID runId = submit(tenant.member(), tenant.organizationId(), Tenants.heTmeRun(4));
        awaitState(runId, "SCHEDULED");
        Map<String, UUID> items = RunProbe.itemIds(runId);
        Workers.succeeded(runId, items.get("slide-0"));
        Envelope<ItemEvent> success = Workers.envelope(
                runId,
                items.get("slide-1"),
                new ItemSucceeded(
                        1,
                        Workers.WORKER,
                        List.of(Workers.output(
                                runId, items.get("slide-1"), "tissue_qc:geojson_polygons", "{}".getBytes()))));
        Workers.send(success);
        Workers.send(success);
        Workers.send(new Envelope<>(
                UUID.randomUUID(),
                success.type(),
                success.schemaVersion(),
                Instant.now(),
                runId,
                success.itemId(),
                success.payload()));
        Workers.userError(runId, items.get("slide-2"));
        awaitRun(
                tenant.member(),
                tenant.organizationId(),
                runId,
                run -> run.getInt("statistics.item_succeeded_count") + run.getInt("statistics.item_user_error_count")
                        == 3);
        as(tenant.member(), tenant.organizationId())
                .post("/api/v1/runs/{id}/cancel", runId)
                .then()
                .statusCode(202);
        awaitRun(tenant.member(), tenant.organizationId(), runId, terminated());
        // A success reported after the cancel changes nothing either.
        Envelope<ItemEvent> late = Workers.envelope(
                runId,
                items.get("slide-3"),
                new ItemSucceeded(
                        1,
                        Workers.WORKER,
                        List.of(Workers.output(
                                runId, items.get("slide-3"), "tissue_qc:geojson_polygons", "{}".getBytes()))));
        Workers.send(late);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> number("SELECT count(*) FROM processed_event WHERE event_id = ?", late.eventId()) == 1);

        List<Map<String, Object>> entries = entriesOf(runId);
        assertThat(entries).hasSize(2);
        assertThat(entries)
                .extracting(e -> e.get("entry_id"))
                .containsExactlyInAnyOrder(
                        DerivedIds.ledgerEntry(items.get("slide-0")), DerivedIds.ledgerEntry(items.get("slide-1")));
        assertThat(entries).allSatisfy(entry -> {
            assertThat(entry.get("organization_id")).isEqualTo(tenant.organizationId());
            assertThat(entry.get("user_id")).isEqualTo(tenant.member());
            assertThat(entry.get("application_id")).isEqualTo("he-tme");
            assertThat(entry.get("version_number")).isEqualTo("1.0.0");
            assertThat(entry.get("wsis")).isEqualTo(1);
            assertThat(entry.get("amount_micros")).isEqualTo(4_000_000L);
            assertThat(entry.get("currency")).isEqualTo("EUR");
        });
        // Usage: 4 submitted, the skipped one given back; cost: the two that succeeded.
        JsonPath cost = as(tenant.admin(), tenant.organizationId())
                .queryParam("month", thisMonth())
                .get("/api/admin/v1/organizations/{org}/cost", tenant.organizationId())
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(cost.getString("currency")).isEqualTo("EUR");
        assertThat(cost.getInt("wsis")).isEqualTo(3);
        assertThat(cost.getInt("charged_wsis")).isEqualTo(2);
        assertThat(cost.getString("amount")).isEqualTo("8.00");
        assertThat(cost.getLong("amount_micros")).isEqualTo(8_000_000L);
        assertThat(cost.getList("users")).hasSize(1);
        assertThat(cost.getString("users[0].user_id")).isEqualTo(tenant.member());
        assertThat(cost.getInt("users[0].wsis")).isEqualTo(3);
        assertThat(cost.getInt("users[0].charged_wsis")).isEqualTo(2);
        assertThat(cost.getString("users[0].amount")).isEqualTo("8.00");
        assertThat(cost.getList("applications")).hasSize(1);
        assertThat(cost.getString("applications[0].application_id")).isEqualTo("he-tme");
        assertThat(cost.getString("applications[0].application_version")).isEqualTo("1.0.0");
        assertThat(cost.getInt("applications[0].charged_wsis")).isEqualTo(2);

        String expectedCsv = "organization_id,month,user_id,application_id,application_version,charged_wsis,amount,"
                + "currency\r\n" + tenant.organizationId() + "," + thisMonth() + "," + tenant.member()
                + ",he-tme,1.0.0,2,8.00,EUR\r\n";
        String byAccept = as(tenant.admin(), tenant.organizationId())
                .accept("text/csv")
                .get("/api/admin/v1/organizations/{org}/cost", tenant.organizationId())
                .then()
                .statusCode(200)
                .contentType(containsString("text/csv"))
                .extract()
                .asString();
        assertThat(byAccept).isEqualTo(expectedCsv);
        String byParameter = as(tenant.admin(), tenant.organizationId())
                .queryParam("format", "csv")
                .get("/api/admin/v1/organizations/{org}/cost", tenant.organizationId())
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(byParameter).isEqualTo(expectedCsv);

        as(tenant.member(), tenant.organizationId())
                .get("/api/admin/v1/organizations/{org}/cost", tenant.organizationId())
                .then()
                .statusCode(403);
        as(tenant.admin(), tenant.organizationId())
                .queryParam("month", "2001-01")
                .get("/api/admin/v1/organizations/{org}/cost", tenant.organizationId())
                .then()
                .statusCode(200)
                .body("amount", equalTo("0.00"))
                .body("users", hasSize(0));
    }

    @Test
    void chargingAnItemAgainWritesNoSecondEntryAndPublishesNothing() {
        Tenant tenant = Tenants.create(null, null, null);
        UUID runId = submit(tenant.member(), tenant.organizationId(), Tenants.heTmeRun(1));
        awaitState(runId, "SCHEDULED");
        UUID itemId = RunProbe.itemIds(runId).get("slide-0");
        Workers.succeeded(runId, itemId);
        awaitState(runId, "COMPLETED");
        SucceededItem again =
                new SucceededItem(runId, itemId, tenant.organizationId(), tenant.member(), "he-tme", "1.0.0");

        List<OutboxMessage> messages = new ArrayList<>();
        Transactions.inNew(dataSource, c -> {
            ledger.charge(c, again, Instant.now(), messages);
            ledger.charge(c, again, Instant.now(), messages);
            return null;
        });

        assertThat(messages).isEmpty();
        assertThat(entriesOf(runId)).hasSize(1);
    }

    @Test
    void freeApplicationsGetEntriesOfNothing() {
        Tenant tenant = Tenants.create(null, null, null);
        UUID runId = submit(tenant.member(), tenant.organizationId(), TestApi.run("test-app", "1.1.0", 1));
        awaitState(runId, "SCHEDULED");
        Workers.succeeded(runId, RunProbe.itemIds(runId).get("slide-0"));
        awaitState(runId, "COMPLETED");

        assertThat(entriesOf(runId))
                .singleElement()
                .satisfies(entry -> assertThat(entry.get("amount_micros")).isEqualTo(0L));
    }

    @Test
    void replayingTheLedgerTopicReproducesTheLedger() {
        Tenant tenant = Tenants.create(null, null, null);
        UUID runId = submit(tenant.member(), tenant.organizationId(), Tenants.heTmeRun(2));
        awaitState(runId, "SCHEDULED");
        RunProbe.itemIds(runId).values().forEach(item -> {
            Workers.succeeded(runId, item);
            Workers.succeeded(runId, item);
        });
        awaitState(runId, "COMPLETED");

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    Map<UUID, Envelope<LedgerEntry>> replayed = new HashMap<>();
                    for (ConsumerRecord<String, byte[]> record : KafkaProbe.records(Topics.LEDGER)) {
                        Envelope<LedgerEntry> envelope = ContractsJson.read(record.value(), LedgerEntry.class);
                        assertThat(record.key()).isEqualTo(envelope.payload().organizationId());
                        replayed.put(envelope.eventId(), envelope);
                    }
                    List<Map<String, Object>> table = Tenants.rows("SELECT * FROM ledger_entry");
                    assertThat(replayed).hasSameSizeAs(table);
                    for (Map<String, Object> row : table) {
                        Envelope<LedgerEntry> published = replayed.get((UUID) row.get("entry_id"));
                        assertThat(published)
                                .as("entry %s on the topic", row.get("entry_id"))
                                .isNotNull();
                        LedgerEntry entry = published.payload();
                        assertThat(entry.entryId()).isEqualTo(row.get("entry_id"));
                        assertThat(published.itemId()).isEqualTo(row.get("item_id"));
                        assertThat(published.runId()).isEqualTo(row.get("run_id"));
                        assertThat(entry.organizationId()).isEqualTo(row.get("organization_id"));
                        assertThat(entry.userId()).isEqualTo(row.get("user_id"));
                        assertThat(entry.applicationId()).isEqualTo(row.get("application_id"));
                        assertThat(entry.applicationVersion()).isEqualTo(row.get("version_number"));
                        assertThat(entry.wsis()).isEqualTo(row.get("wsis"));
                        assertThat(entry.pricePerWsiMicros()).isEqualTo(row.get("price_per_wsi_micros"));
                        assertThat(entry.amountMicros()).isEqualTo(row.get("amount_micros"));
                        assertThat(entry.currency()).isEqualTo(row.get("currency"));
                        assertThat(published.occurredAt().truncatedTo(ChronoUnit.MICROS))
                                .isEqualTo(((java.sql.Timestamp) row.get("charged_at")).toInstant());
                    }
                });
        assertThat(number("SELECT count(*) FROM ledger_entry WHERE run_id = ?", runId))
                .isEqualTo(2);
    }

    @Test
    void theLedgerNeverChanges() {
        Tenant tenant = Tenants.create(null, null, null);
        UUID runId = submit(tenant.member(), tenant.organizationId(), TestApi.testRun(1));
        awaitState(runId, "SCHEDULED");
        Workers.succeeded(runId, RunProbe.itemIds(runId).get("slide-0"));
        awaitState(runId, "COMPLETED");

        Object entryId = entriesOf(runId).getFirst().get("entry_id");
        assertThatThrownBy(() -> Tenants.execute("UPDATE ledger_entry SET amount_micros = 1 WHERE run_id = ?", runId))
                .rootCause()
                .hasMessageContaining("ledger entry " + entryId + " is never changed or deleted once written");
        assertThatThrownBy(() -> Tenants.execute("DELETE FROM ledger_entry WHERE run_id = ?", runId))
                .rootCause()
                .hasMessageContaining("is never changed or deleted");
        assertThat(entriesOf(runId))
                .singleElement()
                .satisfies(e -> assertThat(e.get("amount_micros")).isEqualTo(0L));
    }

    @Test
    void metricsCountRefusalsByCodeAndLedgerEntriesAndAmounts() {
        Tenant tenant = Tenants.create(0, null, null);
        as(tenant.member(), tenant.organizationId())
                .body(TestApi.testRun(1))
                .post("/api/v1/runs")
                .then()
                .statusCode(402);
        Tenant paying = Tenants.create(null, null, null);
        UUID runId = submit(paying.member(), paying.organizationId(), Tenants.heTmeRun(1));
        awaitState(runId, "SCHEDULED");
        Workers.succeeded(runId, RunProbe.itemIds(runId).get("slide-0"));
        awaitState(runId, "COMPLETED");

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(given().get(Management.url("/q/metrics"))
                                .then()
                                .statusCode(200)
                                .extract()
                                .asString())
                        .contains(
                                "tessera_quota_refusals_total{code=\"QUOTA.ORGANIZATION_MONTHLY_WSIS\",stage=\"submission\"")
                        .contains("tessera_ledger_entries_total{application_id=\"he-tme\"")
                        .contains("tessera_ledger_amount_micros_total{currency=\"EUR\""));
    }
}
