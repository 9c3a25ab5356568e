package org.tessera.orchestrator.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.tessera.orchestrator.support.RunProbe.awaitState;
import static org.tessera.orchestrator.support.RunProbe.isWaiting;
import static org.tessera.orchestrator.support.RunProbe.state;
import static org.tessera.orchestrator.support.Tenants.as;
import static org.tessera.orchestrator.support.Tenants.submit;

import io.quarkus.arc.Arc;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.tessera.contracts.ContractsJson;
import org.tessera.contracts.Envelope;
import org.tessera.contracts.Topics;
import org.tessera.orchestrator.support.KafkaProbe;
import org.tessera.orchestrator.support.ObjectStoreTestResource;
import org.tessera.orchestrator.support.Organizations;
import org.tessera.orchestrator.support.RunProbe;
import org.tessera.orchestrator.support.Tenants;
import org.tessera.orchestrator.support.Tenants.Tenant;
import org.tessera.orchestrator.support.TestApi;
import org.tessera.orchestrator.support.Workers;
import org.tessera.testkit.JwtTestResource;
import org.tessera.testkit.KafkaTestResource;
import org.tessera.testkit.PostgresTestResource;

/** Parallel-run limits hold runs back in PENDING and admit them in submission order as runs end. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(ObjectStoreTestResource.class)
class ParallelRunLimitsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** Submits one-slide runs one after the other (so their submission order is known) and waits until each was decided. */
    private static List<UUID> submitInOrder(String user, String organizationId, int runs) {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            ids.add(submit(user, organizationId, TestApi.testRun(1)));
        }
        await().atMost(PATIENCE)
                .until(() -> ids.stream().allMatch(id -> isWaiting(id) || !"RECEIVED".equals(state(id))));
        return ids;
    }

    private static List<UUID> scheduled(List<UUID> runs) {
        return runs.stream().filter(id -> "SCHEDULED".equals(state(id))).toList();
    }

    private static List<UUID> waiting(List<UUID> runs) {
        return runs.stream().filter(RunProbe::isWaiting).toList();
    }

    private static boolean hasSlideJobs(UUID runId) {
        return KafkaProbe.records(Topics.SLIDE_JOBS).stream().anyMatch(r -> {
            Envelope<?> e = ContractsJson.read(r.value());
            return e.runId().equals(runId);
        });
    }

    private static void finish(UUID runId) {
        Workers.succeeded(runId, RunProbe.itemIds(runId).get("slide-0"));
        awaitState(runId, "COMPLETED");
    }

    @Test
    void aThirdRunWaitsWhileTwoRunAndStartsWhenOneEnds() {
        Tenant tenant = Tenants.create(null, null, 2);

        List<UUID> runs = submitInOrder(tenant.member(), tenant.organizationId(), 4);

        List<UUID> running = scheduled(runs);
        List<UUID> held = waiting(runs).stream()
                .sorted(Comparator.comparing(runs::indexOf))
                .toList();
        assertThat(running).hasSize(2);
        assertThat(held).hasSize(2);
        for (UUID id : held) {
            assertThat(state(id)).isEqualTo("RECEIVED");
            as(tenant.member(), tenant.organizationId())
                    .get("/api/v1/runs/{id}", id)
                    .then()
                    .statusCode(200)
                    .body("state", equalTo("PENDING"));
            assertThat(hasSlideJobs(id)).isFalse();
        }
        as(tenant.admin(), tenant.organizationId())
                .get("/api/admin/v1/organizations/{org}/usage", tenant.organizationId())
                .then()
                .statusCode(200)
                .body("limits.max_parallel_runs", equalTo(2))
                .body("usage.runs_in_progress", equalTo(2))
                .body("usage.runs_waiting", equalTo(2))
                .body("usage.wsis", equalTo(4));

        finish(running.getFirst());

        // The first in line (by submission) goes; the other keeps waiting.
        awaitState(held.get(0), "SCHEDULED");
        assertThat(isWaiting(held.get(0))).isFalse();
        assertThat(isWaiting(held.get(1))).isTrue();
        assertThat(state(held.get(1))).isEqualTo("RECEIVED");

        as(tenant.member(), tenant.organizationId())
                .post("/api/v1/runs/{id}/cancel", running.get(1))
                .then()
                .statusCode(202);
        awaitState(held.get(1), "SCHEDULED");
        await().atMost(PATIENCE).until(() -> hasSlideJobs(held.get(1)));
    }

    /**
     * The limits read the runs in progress from a count the database keeps (V20) instead of counting them at every
     * admission: it must follow every way into and out of progress.
     */
    @Test
    void theKeptCountOfRunsInProgressFollowsEveryWayInAndOut() {
        Tenant tenant = Tenants.create(null, null, 2);
        List<UUID> runs = submitInOrder(tenant.member(), tenant.organizationId(), 3);
        List<UUID> running = scheduled(runs);
        UUID held = waiting(runs).getFirst();
        assertKeptCount(tenant, 2);

        finish(running.get(0));
        awaitState(held, "SCHEDULED");
        assertKeptCount(tenant, 2);

        as(tenant.member(), tenant.organizationId())
                .post("/api/v1/runs/{id}/cancel", running.get(1))
                .then()
                .statusCode(202);
        assertKeptCount(tenant, 1);

        // A run removed from the records while in progress leaves the count too.
        Tenants.execute("DELETE FROM wsi_reservation WHERE run_id = ?", held);
        Tenants.execute("DELETE FROM run WHERE run_id = ?", held);
        assertKeptCount(tenant, 0);
    }

    private static void assertKeptCount(Tenant tenant, int expected) {
        long kept = Tenants.number(
                "SELECT coalesce(sum(runs), 0) FROM runs_in_progress WHERE organization_id = ?",
                tenant.organizationId());
        long counted = Tenants.number(
                "SELECT count(*) FROM run WHERE organization_id = ? AND state IN ('SCHEDULED', 'RUNNING')",
                tenant.organizationId());
        assertThat(kept).isEqualTo(counted).isEqualTo(expected);
    }

    /**
     * Admission decides under a lock of the organization's run slots, not the row lock every submission takes for its
     * quota check: a waiting run starts while a submission of its organization holds that row (here the test holds it,
     * as a submission does between its quota check and its commit). With one lock for both, the line would stand
     * still until the row was released, and every submission would wait behind every admission.
     */
    @Test
    void theLineMovesOnWhileASubmissionHoldsTheOrganizationsQuotaLock() throws SQLException {
        Tenant tenant = Tenants.create(null, null, 1);
        List<UUID> runs = submitInOrder(tenant.member(), tenant.organizationId(), 2);
        UUID running = scheduled(runs).getFirst();
        UUID held = waiting(runs).getFirst();

        DataSource dataSource = Arc.container().instance(DataSource.class).get();
        try (Connection submission = dataSource.getConnection()) {
            submission.setAutoCommit(false);
            try (PreparedStatement lock =
                    submission.prepareStatement("SELECT 1 FROM organization WHERE organization_id = ? FOR UPDATE")) {
                lock.setString(1, tenant.organizationId());
                lock.executeQuery().close();
            }

            as(tenant.member(), tenant.organizationId())
                    .post("/api/v1/runs/{id}/cancel", running)
                    .then()
                    .statusCode(202);
            awaitState(held, "SCHEDULED");
            assertThat(isWaiting(held)).isFalse();
            submission.rollback();
        }
    }

    @Test
    void aUsersParallelLimitHoldsBackOnlyThatUsersRuns() {
        Tenant tenant = Tenants.create(null, null, null);
        Map<String, Object> limits = new HashMap<>();
        limits.put("monthly_wsi_limit", null);
        limits.put("max_parallel_runs", 1);
        as(tenant.admin(), tenant.organizationId())
                .body(limits)
                .put("/api/admin/v1/organizations/{org}/users/{user}/limits", tenant.organizationId(), tenant.member())
                .then()
                .statusCode(200)
                .body("limits.max_parallel_runs", equalTo(1));

        List<UUID> mine = submitInOrder(tenant.member(), tenant.organizationId(), 2);
        List<UUID> colleagues = submitInOrder(tenant.newMember(), tenant.organizationId(), 2);

        assertThat(scheduled(colleagues)).hasSize(2);
        assertThat(scheduled(mine)).hasSize(1);
        UUID held = waiting(mine).getFirst();

        as(tenant.member(), tenant.organizationId())
                .post("/api/v1/runs/{id}/cancel", scheduled(mine).getFirst())
                .then()
                .statusCode(202);
        awaitState(held, "SCHEDULED");
    }

    @Test
    void cancellingAWaitingRunTakesItOutOfLineAndGivesBackItsWsis() {
        Tenant tenant = Tenants.create(null, null, 1);
        List<UUID> runs = submitInOrder(tenant.member(), tenant.organizationId(), 2);
        UUID held = waiting(runs).getFirst();

        as(tenant.member(), tenant.organizationId())
                .post("/api/v1/runs/{id}/cancel", held)
                .then()
                .statusCode(202);

        assertThat(state(held)).isEqualTo("CANCELLED_BY_USER");
        assertThat(isWaiting(held)).isFalse();
        assertThat(Tenants.number("SELECT sum(wsis) FROM wsi_usage WHERE organization_id = ?", tenant.organizationId()))
                .isEqualTo(1);
    }

    /**
     * The line checks again what the API accepted, as admission checks a run from Kafka: a run whose version its
     * organization lost while it waited is rejected when the line moves, and takes no slot.
     */
    @Test
    void aWaitingRunWhoseVersionWasUnassignedIsRejectedWhenTheLineMoves() {
        Tenant tenant = Tenants.create(null, null, 1);
        UUID running = submit(tenant.member(), tenant.organizationId(), Tenants.heTmeRun(1));
        UUID held = submit(tenant.member(), tenant.organizationId(), Tenants.heTmeRun(1));
        await().atMost(PATIENCE).until(() -> "SCHEDULED".equals(state(running)) && isWaiting(held));

        Organizations.unassign(tenant.organizationId(), "he-tme", "1.0.0");
        as(tenant.member(), tenant.organizationId())
                .post("/api/v1/runs/{id}/cancel", running)
                .then()
                .statusCode(202);

        awaitState(held, "REJECTED");
        assertThat(Tenants.rows("SELECT error_code FROM run WHERE run_id = ?", held))
                .singleElement()
                .satisfies(row -> assertThat(row).containsValue("APPLICATION.NOT_AVAILABLE"));
        assertThat(isWaiting(held)).isFalse();
        assertThat(hasSlideJobs(held)).isFalse();
    }

    /** Every API run passes through its organization's line; without a limit it leaves it at once, never held. */
    @Test
    void aRunWithoutLimitsPassesThroughTheLineWithoutBeingHeld() {
        Tenant tenant = Tenants.create(null, null, null);
        UUID runId = submit(tenant.member(), tenant.organizationId(), TestApi.testRun(1));

        awaitState(runId, "SCHEDULED");
        assertThat(Tenants.number("SELECT count(*) FROM waiting_run WHERE run_id = ?", runId))
                .isZero();
        as(tenant.admin(), tenant.organizationId())
                .get("/api/admin/v1/organizations/{org}/usage", tenant.organizationId())
                .then()
                .statusCode(200)
                .body("usage.runs_waiting", equalTo(0));
    }

    @Test
    void raisingTheLimitStartsWaitingRuns() {
        Tenant tenant = Tenants.create(null, null, 1);
        List<UUID> runs = submitInOrder(tenant.member(), tenant.organizationId(), 3);
        assertThat(waiting(runs)).hasSize(2);

        Map<String, Object> limits = new HashMap<>();
        limits.put("monthly_wsi_limit", null);
        limits.put("max_wsis_per_run", null);
        limits.put("max_parallel_runs", 3);
        limits.put("max_users", null);
        Tenants.asOperator()
                .body(limits)
                .put("/api/admin/v1/organizations/{org}/limits", tenant.organizationId())
                .then()
                .statusCode(200);

        await().atMost(PATIENCE).until(() -> scheduled(runs).size() == 3);
        assertThat(waiting(runs)).isEmpty();
    }

    @Test
    void aWaitingRunWhoseWakeUpWasLostIsStartedByTheSweep() {
        Tenant tenant = Tenants.create(null, null, 1);
        List<UUID> runs = submitInOrder(tenant.member(), tenant.organizationId(), 2);
        UUID held = waiting(runs).getFirst();

        // Changed behind the platform's back (as if it restarted between a run's end and the line moving on):
        // nothing wakes the line, only the periodic sweep finds the free slot.
        Tenants.execute(
                "UPDATE organization SET max_parallel_runs = 2 WHERE organization_id = ?", tenant.organizationId());

        awaitState(held, "SCHEDULED");
        assertThat(isWaiting(held)).isFalse();
    }
}
