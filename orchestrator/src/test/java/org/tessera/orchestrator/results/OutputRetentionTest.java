package org.tessera.orchestrator.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.tessera.orchestrator.support.TestApi.as;
import static org.tessera.orchestrator.support.TestApi.freshUser;
import static org.tessera.orchestrator.support.TestApi.submit;
import static org.tessera.orchestrator.support.TestApi.testRun;

import io.quarkus.arc.Arc;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.tessera.orchestrator.run.retention.OutputRetention;
import org.tessera.orchestrator.support.Callers;
import org.tessera.orchestrator.support.FinishedRuns;
import org.tessera.orchestrator.support.ObjectStoreTestResource;
import org.tessera.orchestrator.tenancy.domain.Role;
import org.tessera.testkit.JwtTestResource;
import org.tessera.testkit.KafkaTestResource;
import org.tessera.testkit.PostgresTestResource;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(ObjectStoreTestResource.class)
class OutputRetentionTest {

    @Inject
    OutputRetention retention;

    @Test
    void outputsOfRunsThatTerminatedBeforeTheCutOffAreDeletedBySystemAndOthersStay() throws Exception {
        String user = freshUser();
        FinishedRuns.Finished expired = FinishedRuns.withOneOutput(user);
        Instant cutoff = Instant.parse(as(user).get("/api/v1/runs/{id}", expired.runId())
                        .then()
                        .extract()
                        .<String>path("terminated_at"))
                .plusNanos(1_000);
        FinishedRuns.Finished recent = FinishedRuns.withOneOutput(user);
        UUID open = submit(user, testRun(1));

        assertThat(retention.deleteOutputsTerminatedBefore(cutoff)).isPositive();

        assertThat(ObjectStoreTestResource.store().exists(expired.objectKey())).isFalse();
        JsonPath item = as(user).get("/api/v1/runs/{id}/items/slide-0", expired.runId())
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(item.getString("output_artifacts[0].output")).isEqualTo("DELETED_BY_SYSTEM");
        assertThat(item.getString("output_artifacts[0].state")).isEqualTo("TERMINATED");
        assertThat(item.getString("output_artifacts[0].metadata")).isNull();
        as(user).redirects()
                .follow(false)
                .get("/api/v1/runs/{id}/artifacts/{a}/file", expired.runId(), expired.artifactId())
                .then()
                .statusCode(410)
                .body("code", equalTo("RESOURCE.GONE"));
        as(user).delete("/api/v1/runs/{id}/artifacts", expired.runId())
                .then()
                .statusCode(410)
                .body("detail", org.hamcrest.Matchers.containsString("DELETED_BY_SYSTEM"));

        // A run that ended after the cut-off, and one still open, keep their outputs.
        assertThat(ObjectStoreTestResource.store().exists(recent.objectKey())).isTrue();
        as(user).redirects()
                .follow(false)
                .get("/api/v1/runs/{id}/artifacts/{a}/file", recent.runId(), recent.artifactId())
                .then()
                .statusCode(307);
        assertThat(FinishedRuns.queryString("SELECT outputs_deleted FROM run WHERE run_id = ?", open))
                .isNull();

        // Handled runs are not handled again.
        assertThat(retention.deleteOutputsTerminatedBefore(cutoff)).isZero();
    }

    /** Two replicas never handle one run twice and never wait for each other: a run locked elsewhere is skipped. */
    @Test
    void aRunLockedByAnotherTransactionIsSkippedNotWaitedFor() throws Exception {
        String user = freshUser();
        FinishedRuns.Finished run = FinishedRuns.withOneOutput(user);
        Instant cutoff = Instant.now().plusSeconds(1);
        DataSource dataSource = Arc.container().instance(DataSource.class).get();
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement lock =
                    other.prepareStatement("SELECT run_id FROM run WHERE run_id = ? FOR UPDATE")) {
                lock.setObject(1, run.runId());
                lock.executeQuery().close();
            }
            retention.deleteOutputsTerminatedBefore(cutoff);
            assertThat(ObjectStoreTestResource.store().exists(run.objectKey())).isTrue();
            other.rollback();
        }
        retention.deleteOutputsTerminatedBefore(cutoff);
        assertThat(ObjectStoreTestResource.store().exists(run.objectKey())).isFalse();
        assertThat(FinishedRuns.queryString("SELECT outputs_deleted FROM run WHERE run_id = ?", run.runId()))
                .isEqualTo("DELETED_BY_SYSTEM");
    }

    @Test
    void theOwnerDeletesATerminatedRunsOutputsOnceAndNobodyElseMay() {
        String owner = freshUser();
        String admin = Callers.of(Role.ADMIN);
        String stranger = freshUser();
        UUID open = submit(owner, testRun(1));
        as(owner)
                .delete("/api/v1/runs/{id}/artifacts", open)
                .then()
                .statusCode(409)
                .body("code", equalTo("RESOURCE.CONFLICT"));

        FinishedRuns.Finished run = FinishedRuns.withOneOutput(owner);
        as(stranger).delete("/api/v1/runs/{id}/artifacts", run.runId()).then().statusCode(404);
        as(admin)
                .delete("/api/v1/runs/{id}/artifacts", run.runId())
                .then()
                .statusCode(403)
                .body("code", equalTo("ACCESS.OWNER_ONLY"));
        assertThat(ObjectStoreTestResource.store().exists(run.objectKey())).isTrue();

        as(owner).delete("/api/v1/runs/{id}/artifacts", run.runId()).then().statusCode(200);
        assertThat(ObjectStoreTestResource.store().exists(run.objectKey())).isFalse();
        as(owner)
                .get("/api/v1/runs/{id}/items/slide-0", run.runId())
                .then()
                .body("output_artifacts[0].output", equalTo("DELETED_BY_USER"));
        as(owner)
                .redirects()
                .follow(false)
                .get("/api/v1/runs/{id}/artifacts/{a}/file", run.runId(), run.artifactId())
                .then()
                .statusCode(410);
        as(owner)
                .delete("/api/v1/runs/{id}/artifacts", run.runId())
                .then()
                .statusCode(410)
                .body("code", equalTo("RESOURCE.GONE"));
        // Retention leaves runs whose owner already deleted the outputs alone.
        assertThat(FinishedRuns.queryString("SELECT outputs_deleted FROM run WHERE run_id = ?", run.runId()))
                .isEqualTo("DELETED_BY_USER");
    }
}
