package org.tessera.orchestrator.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tessera.orchestrator.application.TestCatalogue.PAID_APP;
import static org.tessera.orchestrator.flow.FlowSupport.awaitRunState;
import static org.tessera.orchestrator.support.Organizations.as;

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
import org.tessera.contracts.RunStateChanged;
import org.tessera.contracts.SlideJob;
import org.tessera.contracts.Topics;
import org.tessera.orchestrator.support.KafkaProbe;
import org.tessera.orchestrator.support.ObjectStoreTestResource;
import org.tessera.orchestrator.support.Organizations;
import org.tessera.orchestrator.tenancy.domain.Role;
import org.tessera.testkit.JwtTestResource;
import org.tessera.testkit.KafkaTestResource;
import org.tessera.testkit.PostgresTestResource;

/** Run requests other services put on Kafka meet the same application rule as the API, at admission. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(ObjectStoreTestResource.class)
class KafkaRunRequestAccessTest {

    @Test
    void aRequestForAnApplicationTheOrganizationDoesNotHaveIsRejectedWithACode() {
        String org = Organizations.fresh("kafka");
        String member = Organizations.user(org, Role.MEMBER);
        UUID runId = UUID.randomUUID();
        send(runId, request(org, member, PAID_APP, null));

        Envelope<RunStateChanged> rejected = awaitRunState(runId, RunState.REJECTED);
        assertThat(rejected.payload().errorCode()).isEqualTo("APPLICATION.NOT_AVAILABLE");
        JsonPath run = as(member, org)
                .get("/api/v1/runs/{id}", runId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(run.getString("state")).isEqualTo("TERMINATED");
        assertThat(run.getString("error_code")).isEqualTo("APPLICATION.NOT_AVAILABLE");
        assertThat(run.getString("error_message")).contains(PAID_APP, org);
        assertThat(KafkaProbe.records(Topics.SLIDE_JOBS).stream()
                        .noneMatch(r -> ContractsJson.read(r.value()).runId().equals(runId)))
                .isTrue();
    }

    @Test
    void aRequestPinnedToAnUnassignedVersionIsRejectedAndWithoutAVersionTheLatestAssignedIsScheduled() {
        String org = Organizations.fresh("kafka");
        String member = Organizations.user(org, Role.MEMBER);
        Organizations.assign(org, PAID_APP, "1.0.0");

        UUID pinned = UUID.randomUUID();
        send(pinned, request(org, member, PAID_APP, "1.1.0"));
        assertThat(awaitRunState(pinned, RunState.REJECTED).payload().errorCode())
                .isEqualTo(ErrorCodes.RUN_REJECTED_UNKNOWN_APPLICATION);

        UUID latest = UUID.randomUUID();
        send(latest, request(org, member, PAID_APP, null));
        awaitRunState(latest, RunState.SCHEDULED);
        Envelope<SlideJob> job = KafkaProbe.awaitEnvelopes(
                        Topics.SLIDE_JOBS, SlideJob.class, e -> e.runId().equals(latest), 1)
                .getFirst();
        assertThat(job.payload().applicationVersion()).isEqualTo("1.0.0");
    }

    private static void send(UUID runId, RunRequested payload) {
        KafkaProbe.send(
                Topics.RUN_REQUESTS,
                runId.toString(),
                Envelope.of(UUID.randomUUID(), Instant.now(), runId, null, payload));
    }

    private static RunRequested request(String org, String user, String application, String version) {
        ObjectNode metadata = ContractsJson.mapper().createObjectNode();
        metadata.put("checksum_base64_crc32c", "AAAAAA==");
        metadata.put("width_px", 1000);
        metadata.put("height_px", 800);
        metadata.put("resolution_mpp", 0.5);
        return new RunRequested(
                application,
                version,
                org,
                user,
                null,
                List.of(new RunRequested.Item(
                        UUID.randomUUID(),
                        "ext-1",
                        null,
                        List.of(new InputArtifact(
                                "whole_slide_image", "https://slides.example.org/a.tiff", metadata)))));
    }
}
