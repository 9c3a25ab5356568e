package org.tessera.orchestrator.flow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.tessera.orchestrator.flow.FlowSupport.awaitRun;
import static org.tessera.orchestrator.flow.FlowSupport.awaitRunState;
import static org.tessera.orchestrator.flow.FlowSupport.itemIds;
import static org.tessera.orchestrator.flow.FlowSupport.terminated;
import static org.tessera.orchestrator.support.TestApi.freshUser;
import static org.tessera.orchestrator.support.TestApi.submit;
import static org.tessera.orchestrator.support.TestApi.testRun;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tessera.contracts.RunState;
import org.tessera.orchestrator.support.Management;
import org.tessera.orchestrator.support.ObjectStoreTestResource;
import org.tessera.orchestrator.support.Workers;
import org.tessera.testkit.JwtTestResource;
import org.tessera.testkit.KafkaTestResource;
import org.tessera.testkit.PostgresTestResource;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(ObjectStoreTestResource.class)
class MetricsTest {

    @Test
    void prometheusShowsRunsCreatedTerminalItemsAndOutboxLag() {
        String user = freshUser();
        UUID runId = submit(user, testRun(1));
        awaitRunState(runId, RunState.SCHEDULED);
        Workers.succeeded(runId, itemIds(user, runId).get("slide-0"));
        awaitRun(user, runId, terminated());

        String metrics = given().get(Management.url("/q/metrics"))
                .then()
                .statusCode(200)
                .extract()
                .asString();
        // Not on the API's port, which clients (and whoever else reaches it) use.
        given().get("/q/metrics").then().statusCode(404);
        given().get("/q/health").then().statusCode(404);
        given().get(Management.url("/q/health/ready")).then().statusCode(200);

        assertThat(metrics)
                .contains("tessera_runs_created_total{application_id=\"test-app\"")
                .contains("tessera_items_terminal_total{reason=\"SUCCEEDED\"")
                .contains("tessera_outbox_pending")
                .contains("tessera_outbox_oldest_age_seconds")
                .contains("tessera_outbox_publish_lag_seconds_count")
                .contains("tessera_item_events_consumed_total")
                .contains("tessera_runs_admission_wait_seconds_count")
                .contains("tessera_runs_submission_queued_seconds_count")
                .contains("tessera_runs_submission_waiting");
    }
}
