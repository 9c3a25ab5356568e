package org.tessera.orchestrator.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.tessera.orchestrator.support.RunProbe.awaitRun;
import static org.tessera.orchestrator.support.RunProbe.awaitState;
import static org.tessera.orchestrator.support.RunProbe.terminated;
import static org.tessera.orchestrator.support.Tenants.as;
import static org.tessera.orchestrator.support.Tenants.number;
import static org.tessera.orchestrator.support.Tenants.submit;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.tessera.contracts.RunState;
import org.tessera.orchestrator.common.Json;
import org.tessera.orchestrator.common.persistence.Transactions;
import org.tessera.orchestrator.outbox.OutboxMessage;
import org.tessera.orchestrator.run.RunTransitions;
import org.tessera.orchestrator.run.domain.RunEvent;
import org.tessera.orchestrator.run.persistence.RunRepository;
import org.tessera.orchestrator.run.persistence.RunRow;
import org.tessera.orchestrator.support.ObjectStoreTestResource;
import org.tessera.orchestrator.support.RunProbe;
import org.tessera.orchestrator.support.Tenants;
import org.tessera.orchestrator.support.Tenants.Tenant;
import org.tessera.orchestrator.support.TestApi;
import org.tessera.orchestrator.support.Workers;
import org.tessera.testkit.JwtTestResource;
import org.tessera.testkit.KafkaTestResource;
import org.tessera.testkit.PostgresTestResource;

/** Monthly and per-run WSI quotas at submission and at admission, and what ending runs give back. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(ObjectStoreTestResource.class)
class QuotaEnforcementTest {

    private static final String ORGANIZATION_MONTHLY = "QUOTA.ORGANIZATION_MONTHLY_WSIS";

    @TestHTTPResource("/api/v1/runs")
    URI runsUrl;

    @Inject
    DataSource dataSource;

    @Inject
    RunRepository runs;

    @Inject
    RunTransitions transitions;

    private static String thisMonth() {
        return YearMonth.now(ZoneOffset.UTC).toString();
    }

    private static long usage(String organizationId) {
        return number("SELECT sum(wsis) FROM wsi_usage WHERE organization_id = ?", organizationId);
    }

    private static long usage(String organizationId, String userId) {
        return number(
                "SELECT sum(wsis) FROM wsi_usage WHERE organization_id = ? AND user_id = ?", organizationId, userId);
    }

    /** Fires the bodies at POST /v1/runs all at once from a pool of threads; returns status and body of each. */
    private List<HttpResponse<String>> concurrently(String token, List<Map<String, Object>> bodies) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        ExecutorService pool = Executors.newFixedThreadPool(25);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<HttpResponse<String>>> calls = new ArrayList<>();
            for (Map<String, Object> body : bodies) {
                String json = Json.mapper().writeValueAsString(body);
                calls.add(pool.submit(() -> {
                    start.await();
                    return client.send(
                            HttpRequest.newBuilder(runsUrl)
                                    .header("Authorization", "Bearer " + token)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(json))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                }));
            }
            start.countDown();
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (Future<HttpResponse<String>> call : calls) {
                responses.add(call.get());
            }
            return responses;
        } finally {
            pool.shutdownNow();
            client.close();
        }
    }

    @Test
    void ofOneHundredConcurrentSubmissionsExactlyAsManyAreAcceptedAsFitTheMonthlyQuota() throws Exception {
        Tenant tenant = Tenants.create(10, null, null);
        List<Map<String, Object>> bodies = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            bodies.add(TestApi.testRun(1));
        }

        List<HttpResponse<String>> responses =
                concurrently(TestApi.token(tenant.member(), tenant.organizationId()), bodies);

        List<HttpResponse<String>> accepted =
                responses.stream().filter(r -> r.statusCode() == 201).toList();
        List<HttpResponse<String>> refused =
                responses.stream().filter(r -> r.statusCode() == 402).toList();
        assertThat(responses)
                .as("every answer is 201 or 402")
                .allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isIn(201, 402));
        assertThat(accepted).hasSize(10);
        assertThat(refused).hasSize(90).allSatisfy(r -> {
            JsonNode body = Json.mapper().readTree(r.body());
            assertThat(body.get("code").asText()).isEqualTo(ORGANIZATION_MONTHLY);
            assertThat(body.get("detail").asText())
                    .contains("organization " + tenant.organizationId() + "'s monthly WSIs would be exceeded")
                    .contains("10 of 10 used in " + thisMonth());
            JsonNode quota = body.get("quota");
            assertThat(quota.get("name").asText()).isEqualTo("organization_monthly_wsis");
            assertThat(quota.get("scope").asText()).isEqualTo("organization");
            assertThat(quota.get("subject").asText()).isEqualTo(tenant.organizationId());
            assertThat(quota.get("limit").asInt()).isEqualTo(10);
            assertThat(quota.get("used").asInt()).isEqualTo(10);
            assertThat(quota.get("requested").asInt()).isEqualTo(1);
            assertThat(quota.get("period").asText()).isEqualTo(thisMonth());
        });

        List<String> acceptedIds = new ArrayList<>();
        for (HttpResponse<String> r : accepted) {
            acceptedIds.add(Json.mapper().readTree(r.body()).get("run_id").asText());
        }
        assertThat(Tenants.rows("SELECT run_id FROM run WHERE organization_id = ?", tenant.organizationId()))
                .extracting(row -> row.get("run_id").toString())
                .containsExactlyInAnyOrderElementsOf(acceptedIds);
        assertThat(usage(tenant.organizationId())).isEqualTo(10);
        assertThat(number(
                        "SELECT sum(reserved_wsis) FROM wsi_reservation WHERE organization_id = ?",
                        tenant.organizationId()))
                .isEqualTo(10);
        as(tenant.admin(), tenant.organizationId())
                .get("/api/admin/v1/organizations/{org}/usage", tenant.organizationId())
                .then()
                .statusCode(200)
                .body("usage.wsis", equalTo(10))
                .body("usage.remaining_wsis", equalTo(0));
    }

    @Test
    void concurrentRunsOfMixedSizesNeverTakeMoreThanTheQuota() throws Exception {
        Tenant tenant = Tenants.create(25, null, null);
        List<Map<String, Object>> bodies = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            bodies.add(TestApi.testRun(1 + i % 4));
        }

        List<HttpResponse<String>> responses =
                concurrently(TestApi.token(tenant.member(), tenant.organizationId()), bodies);

        int acceptedWsis = 0;
        for (int i = 0; i < responses.size(); i++) {
            HttpResponse<String> response = responses.get(i);
            int size = 1 + i % 4;
            assertThat(response.statusCode()).as(response.body()).isIn(201, 402);
            if (response.statusCode() == 201) {
                acceptedWsis += size;
            } else {
                JsonNode quota = Json.mapper().readTree(response.body()).get("quota");
                // Refused only because it truly did not fit what was taken at that moment.
                assertThat(quota.get("used").asInt() + quota.get("requested").asInt())
                        .isGreaterThan(25);
                assertThat(quota.get("requested").asInt()).isEqualTo(size);
            }
        }
        assertThat(acceptedWsis).isLessThanOrEqualTo(25).isGreaterThan(21);
        assertThat(usage(tenant.organizationId())).isEqualTo(acceptedWsis);
        assertThat(number("SELECT sum(item_count) FROM run WHERE organization_id = ?", tenant.organizationId()))
                .isEqualTo(acceptedWsis);
    }

    @Test
    void aUsersMonthlyQuotaRefusesTheRunThatWouldExceedIt() {
        Tenant tenant = Tenants.create(1000, null, null);
        Map<String, Object> limits = new HashMap<>();
        limits.put("monthly_wsi_limit", 5);
        limits.put("max_parallel_runs", null);
        as(tenant.admin(), tenant.organizationId())
                .body(limits)
                .put("/api/admin/v1/organizations/{org}/users/{user}/limits", tenant.organizationId(), tenant.member())
                .then()
                .statusCode(200);

        submit(tenant.member(), tenant.organizationId(), TestApi.testRun(3));
        as(tenant.member(), tenant.organizationId())
                .body(TestApi.testRun(3))
                .post("/api/v1/runs")
                .then()
                .statusCode(402)
                .body("code", equalTo("QUOTA.USER_MONTHLY_WSIS"))
                .body(
                        "detail",
                        equalTo("user " + tenant.member() + "'s monthly WSIs would be exceeded: 3 of 5 used in "
                                + thisMonth() + ", this run has 3"))
                .body("quota.name", equalTo("user_monthly_wsis"))
                .body("quota.scope", equalTo("user"))
                .body("quota.subject", equalTo(tenant.member()))
                .body("quota.limit", equalTo(5))
                .body("quota.used", equalTo(3))
                .body("quota.requested", equalTo(3));
        // Another user of the organization is not bound by this user's quota.
        String colleague = tenant.newMember();
        submit(colleague, tenant.organizationId(), TestApi.testRun(3));
        submit(tenant.member(), tenant.organizationId(), TestApi.testRun(2));

        assertThat(usage(tenant.organizationId(), tenant.member())).isEqualTo(5);
        assertThat(usage(tenant.organizationId(), colleague)).isEqualTo(3);
        as(tenant.member(), tenant.organizationId())
                .get("/api/admin/v1/me/usage")
                .then()
                .statusCode(200)
                .body("usage.wsis", equalTo(5))
                .body("usage.remaining_wsis", equalTo(0))
                .body("limits.monthly_wsi_limit", equalTo(5));
    }

    @Test
    void anOrganizationsLimitOfWsisPerRunRefusesLargerRuns() {
        Tenant tenant = Tenants.create(null, 2, null);

        as(tenant.member(), tenant.organizationId())
                .body(TestApi.testRun(3))
                .post("/api/v1/runs")
                .then()
                .statusCode(402)
                .body("code", equalTo("QUOTA.WSIS_PER_RUN"))
                .body(
                        "detail",
                        equalTo("organization " + tenant.organizationId()
                                + " allows at most 2 WSIs per run, this run has 3"))
                .body("quota.name", equalTo("wsis_per_run"))
                .body("quota.limit", equalTo(2))
                .body("quota.requested", equalTo(3))
                .body("quota.used", nullValue())
                .body("quota.period", nullValue());
        submit(tenant.member(), tenant.organizationId(), TestApi.testRun(2));

        assertThat(usage(tenant.organizationId())).isEqualTo(2);
    }

    @Test
    void aRunFromKafkaOverTheQuotaIsRejectedWithTheQuotasCode() {
        Tenant tenant = Tenants.create(2, null, null);

        UUID tooLarge = RunProbe.requestOverKafka(tenant.member(), tenant.organizationId(), 3);
        JsonPath rejected = awaitRun(tenant.member(), tenant.organizationId(), tooLarge, terminated());
        assertThat(rejected.getString("termination_reason")).isEqualTo("CANCELED_BY_SYSTEM");
        assertThat(rejected.getString("error_code")).isEqualTo(ORGANIZATION_MONTHLY);
        assertThat(rejected.getString("error_message"))
                .isEqualTo("organization " + tenant.organizationId() + "'s monthly WSIs would be exceeded: 0 of 2"
                        + " used in " + thisMonth() + ", this run has 3");
        assertThat(RunProbe.state(tooLarge)).isEqualTo(RunState.REJECTED.name());

        UUID fits = RunProbe.requestOverKafka(tenant.member(), tenant.organizationId(), 2);
        awaitState(fits, RunState.SCHEDULED.name());

        assertThat(usage(tenant.organizationId())).isEqualTo(2);
        assertThat(number("SELECT count(*) FROM wsi_reservation WHERE run_id = ?", tooLarge))
                .isZero();
    }

    @Test
    void cancellingGivesBackTheSkippedWsisAndKeepsTheProcessedOnes() {
        Tenant tenant = Tenants.create(4, null, null);
        UUID runId = submit(tenant.member(), tenant.organizationId(), TestApi.testRun(4));
        awaitState(runId, RunState.SCHEDULED.name());
        Map<String, UUID> items = RunProbe.itemIds(runId);
        Workers.succeeded(runId, items.get("slide-0"));
        Workers.userError(runId, items.get("slide-1"));
        awaitRun(
                tenant.member(),
                tenant.organizationId(),
                runId,
                run -> run.getInt("statistics.item_succeeded_count") + run.getInt("statistics.item_user_error_count")
                        == 2);
        assertThat(usage(tenant.organizationId())).isEqualTo(4);

        as(tenant.member(), tenant.organizationId())
                .post("/api/v1/runs/{id}/cancel", runId)
                .then()
                .statusCode(202);
        JsonPath cancelled = awaitRun(tenant.member(), tenant.organizationId(), runId, terminated());

        assertThat(cancelled.getInt("statistics.item_skipped_count")).isEqualTo(2);
        assertThat(usage(tenant.organizationId())).isEqualTo(2);
        assertThat(usage(tenant.organizationId(), tenant.member())).isEqualTo(2);
        assertThat(number("SELECT returned_wsis FROM wsi_reservation WHERE run_id = ?", runId))
                .isEqualTo(2);
        // The given-back WSIs can be submitted again, and no more.
        submit(tenant.member(), tenant.organizationId(), TestApi.testRun(2));
        as(tenant.member(), tenant.organizationId())
                .body(TestApi.testRun(1))
                .post("/api/v1/runs")
                .then()
                .statusCode(402)
                .body("quota.used", equalTo(4));
    }

    @Test
    void aRejectedRunGivesBackEveryWsiItReserved() {
        // Held back by the parallel-run limit, the second run is still RECEIVED when it is rejected (as admission
        // rejects a run whose request no longer validates).
        Tenant tenant = Tenants.create(10, null, 1);
        UUID first = submit(tenant.member(), tenant.organizationId(), TestApi.testRun(2));
        UUID second = submit(tenant.member(), tenant.organizationId(), TestApi.testRun(3));
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .until(() -> RunProbe.isWaiting(first) || RunProbe.isWaiting(second));
        UUID waiting = RunProbe.isWaiting(first) ? first : second;
        long reserved = number("SELECT reserved_wsis FROM wsi_reservation WHERE run_id = ?", waiting);
        assertThat(usage(tenant.organizationId())).isEqualTo(5);

        Transactions.inNew(dataSource, c -> {
            RunRow run = runs.lock(c, waiting).orElseThrow();
            List<OutboxMessage> messages = new ArrayList<>();
            transitions.apply(
                    c,
                    run,
                    new RunEvent.Reject("RUN_REJECTED_INVALID_REQUEST", "no longer valid"),
                    Instant.now(),
                    messages);
            runs.update(c, List.of(run));
            return null;
        });

        assertThat(RunProbe.state(waiting)).isEqualTo(RunState.REJECTED.name());
        assertThat(usage(tenant.organizationId())).isEqualTo(5 - reserved);
        assertThat(RunProbe.isWaiting(waiting)).isFalse();
    }
}
