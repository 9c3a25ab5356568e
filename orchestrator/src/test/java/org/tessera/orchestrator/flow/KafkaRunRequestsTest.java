package org.tessera.orchestrator.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tessera.orchestrator.flow.FlowSupport.awaitRun;
import static org.tessera.orchestrator.flow.FlowSupport.awaitRunState;
import static org.tessera.orchestrator.flow.FlowSupport.terminated;
import static org.tessera.orchestrator.support.TestApi.as;
import static org.tessera.orchestrator.support.TestApi.freshUser;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tessera.contracts.ContractsJson;
import org.tessera.contracts.Envelope;
import org.tessera.contracts.ErrorCodes;
import org.tessera.contracts.InputArtifact;
import org.tessera.contracts.RunRequested;
import org.tessera.contracts.RunState;
import org.tessera.contracts.SlideJob;
import org.tessera.contracts.Topics;
import org.tessera.orchestrator.support.KafkaProbe;
import org.tessera.orchestrator.support.ObjectStoreTestResource;
import org.tessera.testkit.JwtTestResource;
import org.tessera.testkit.KafkaTestResource;
import org.tessera.testkit.PostgresTestResource;

/** Other services may put run requests on Kafka themselves, with a fresh run id. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(ObjectStoreTestResource.class)
class KafkaRunRequestsTest {

    @Test
    void aRequestFromAnotherServiceCreatesAndSchedulesTheRun() {
        String user = freshUser();
        UUID runId = UUID.randomUUID();
        UUID itemId = UUID.randomUUID();
        send(runId, request(user, "test-app", null, itemId, metadata()));

        awaitRunState(runId, RunState.RECEIVED);
        awaitRunState(runId, RunState.SCHEDULED);
        Envelope<SlideJob> job = KafkaProbe.awaitEnvelopes(
                        Topics.SLIDE_JOBS, SlideJob.class, e -> e.runId().equals(runId), 1)
                .getFirst();
        assertThat(job.itemId()).isEqualTo(itemId);
        assertThat(job.payload().applicationVersion()).isEqualTo("1.1.0");

        JsonPath run = as(user).get("/api/v1/runs/{id}", runId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(run.getString("state")).isEqualTo("PENDING");
        assertThat(run.getString("version_number")).isEqualTo("1.1.0");
        assertThat(run.getString("submitted_by")).isEqualTo(user);
        as(user).get("/api/v1/runs/{id}/items/ext-1", runId)
                .then()
                .statusCode(200)
                .body("item_id", org.hamcrest.Matchers.equalTo(itemId.toString()));
    }

    @Test
    void aRedeliveredRequestIsAppliedOnce() {
        String user = freshUser();
        UUID runId = UUID.randomUUID();
        Envelope<RunRequested> envelope = request(user, "test-app", "1.0.0", UUID.randomUUID(), metadata());
        send(runId, envelope);
        send(runId, envelope);
        // The same request under a new event id (a producer that retried on its side) is also a no-op.
        send(
                runId,
                request(
                        user,
                        "test-app",
                        "1.0.0",
                        envelope.payload().items().getFirst().itemId(),
                        metadata()));
        awaitRunState(runId, RunState.SCHEDULED);
        UUID marker = UUID.randomUUID();
        send(marker, request(user, "test-app", null, UUID.randomUUID(), metadata()));
        awaitRunState(marker, RunState.SCHEDULED);

        assertThat(KafkaProbe.awaitEnvelopes(
                        Topics.SLIDE_JOBS, SlideJob.class, e -> e.runId().equals(runId), 1))
                .hasSize(1);
    }

    @Test
    void anUnknownApplicationIsRejectedWithAnErrorCode() {
        String user = freshUser();
        UUID runId = UUID.randomUUID();
        send(runId, request(user, "no-such-app", null, UUID.randomUUID(), metadata()));

        JsonPath run = awaitRun(user, runId, terminated());
        assertThat(run.getString("termination_reason")).isEqualTo("CANCELED_BY_SYSTEM");
        assertThat(run.getString("error_code")).isEqualTo(ErrorCodes.RUN_REJECTED_UNKNOWN_APPLICATION);
        assertThat(run.getString("error_message")).contains("application_id");
        assertThat(run.getString("output")).isEqualTo("NONE");
        assertThat(awaitRunState(runId, RunState.REJECTED).payload().errorCode())
                .isEqualTo(ErrorCodes.RUN_REJECTED_UNKNOWN_APPLICATION);
    }

    @Test
    void invalidMetadataIsRejectedNamingTheField() {
        String user = freshUser();
        UUID runId = UUID.randomUUID();
        ObjectNode bad = metadata();
        bad.put("resolution_mpp", 7.5);
        send(runId, request(user, "test-app", null, UUID.randomUUID(), bad));

        JsonPath run = awaitRun(user, runId, terminated());
        assertThat(run.getString("error_code")).isEqualTo(ErrorCodes.RUN_REJECTED_INVALID_REQUEST);
        assertThat(run.getString("error_message")).contains("items[0].input_artifacts[0].metadata.resolution_mpp");
        assertThat(KafkaProbe.records(Topics.SLIDE_JOBS).stream().noneMatch(r -> {
                    Envelope<?> e = ContractsJson.read(r.value());
                    return e.runId().equals(runId);
                }))
                .isTrue();
    }

    private static void send(UUID runId, Envelope<RunRequested> envelope) {
        Envelope<RunRequested> forRun = new Envelope<>(
                envelope.eventId(),
                envelope.type(),
                envelope.schemaVersion(),
                envelope.occurredAt(),
                runId,
                null,
                envelope.payload());
        KafkaProbe.send(Topics.RUN_REQUESTS, runId.toString(), forRun);
    }

    private static Envelope<RunRequested> request(
            String user, String application, String version, UUID itemId, ObjectNode metadata) {
        RunRequested payload = new RunRequested(
                application,
                version,
                "demo",
                user,
                null,
                List.of(new RunRequested.Item(
                        itemId,
                        "ext-1",
                        null,
                        List.of(new InputArtifact(
                                "whole_slide_image", "https://slides.example.org/a.tiff", metadata)))));
        return Envelope.of(UUID.randomUUID(), Instant.now(), UUID.randomUUID(), null, payload);
    }

    private static ObjectNode metadata() {
        ObjectNode node = ContractsJson.mapper().createObjectNode();
        node.put("checksum_base64_crc32c", "AAAAAA==");
        node.put("width_px", 1000);
        node.put("height_px", 800);
        node.put("resolution_mpp", 0.5);
        return node;
    }
}
