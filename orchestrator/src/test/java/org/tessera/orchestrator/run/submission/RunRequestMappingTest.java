package org.tessera.orchestrator.run.submission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tessera.contracts.ContractsJson;
import org.tessera.contracts.DerivedIds;
import org.tessera.contracts.Envelope;
import org.tessera.contracts.InputArtifact;
import org.tessera.contracts.RunRequested;
import org.tessera.orchestrator.common.Json;
import org.tessera.orchestrator.run.domain.Scheduling;

class RunRequestMappingTest {

    private static final UUID RUN = UUID.fromString("6f1c2e1a-9d7b-4c3e-8a55-0c8f6b2d4e10");

    private static final String RUN_METADATA = "{\"zeta\":1,\"alpha\":{\"yes\":true,\"list\":[3,1,2]},\"mid\":\"x\"}";
    private static final String ITEM_METADATA = "{\"slide\":\"S-1\",\"block\":{\"b\":2,\"a\":1}}";
    private static final String CALLBACK_CONTEXT = "{\"order\":\"ORD-7\",\"weight\":1,\"a\":[true,null]}";
    private static final String INPUT_METADATA =
            "{\"width_px\":100,\"height_px\":80,\"media_type\":\"image/tiff\",\"checksum_base64_crc32c\":\"AAAAAA==\"}";

    @Test
    void aSubmissionComesBackEqualFromItsRunRequest() {
        RunSubmission submission = submission(UUID.randomUUID(), UUID.randomUUID(), "1.50");

        RunSubmission back = RunRequestMapping.toSubmission(toRequest(submission, RUN, "1.1.0", "demo", "demo-member"));

        assertThat(back).isEqualTo(submission);
        assertSameJsonText(back, submission);
    }

    @Test
    void aSubmissionComesBackEqualFromTheRunRequestOnTheWire() {
        // 1.50 must arrive as 1.50 (not the double 1.5): custom metadata is stored verbatim.
        RunSubmission submission = submission(UUID.randomUUID(), UUID.randomUUID(), "1.50");
        RunRequested request = toRequest(submission, RUN, "1.1.0", "demo", "demo-member");
        byte[] wire =
                ContractsJson.toBytes(Envelope.of(DerivedIds.runRequested(RUN), Instant.EPOCH, RUN, null, request));

        RunSubmission back = RunRequestMapping.toSubmission(
                ContractsJson.read(wire, RunRequested.class).payload());

        assertThat(back).isEqualTo(submission);
        assertSameJsonText(back, submission);
    }

    @Test
    void itemsSubmittedWithoutAnIdGetTheIdDerivedFromTheirPosition() {
        RunSubmission submission = submission(null, null, "2");

        assertThat(RunRequestMapping.withItemIds(submission, RUN))
                .isEqualTo(submission(DerivedIds.item(RUN, 0), DerivedIds.item(RUN, 1), "2"));
    }

    @Test
    void whatARequestLeavesOutStaysNullForTheValidatorToName() {
        List<RunRequested.Item> items = new ArrayList<>();
        items.add(null);
        items.add(new RunRequested.Item(null, "b", null, null));
        RunRequested request = new RunRequested("test-app", null, "demo", "demo-member", null, items);

        RunSubmission submission = RunRequestMapping.toSubmission(request);

        assertThat(submission)
                .isEqualTo(new RunSubmission(
                        "test-app",
                        null,
                        null,
                        List.of(
                                new RunSubmission.ItemSubmission(null, null, null, null),
                                new RunSubmission.ItemSubmission(null, "b", null, null))));
    }

    private static RunSubmission submission(UUID firstItem, UUID secondItem, String number) {
        return new RunSubmission(
                "test-app",
                "1.1.0",
                json(RUN_METADATA.replace("\"zeta\":1", "\"zeta\":" + number)),
                List.of(item(firstItem, "a", json(ITEM_METADATA)), item(secondItem, "b", null)),
                new Scheduling(null, Instant.parse("2026-12-05T23:59:59.5Z")),
                json(CALLBACK_CONTEXT.replace("\"weight\":1", "\"weight\":" + number)));
    }

    private static RunSubmission.ItemSubmission item(UUID itemId, String externalId, JsonNode customMetadata) {
        return new RunSubmission.ItemSubmission(
                itemId,
                externalId,
                customMetadata,
                List.of(new RunSubmission.InputArtifactSubmission(
                        "whole_slide_image", "https://example.org/" + externalId + ".tiff", json(INPUT_METADATA))));
    }

    /** JsonNode equality ignores key order and number scale; the stored text must not. */
    private static void assertSameJsonText(RunSubmission actual, RunSubmission expected) {
        assertThat(Json.write(actual.customMetadata())).isEqualTo(Json.write(expected.customMetadata()));
        assertThat(Json.write(actual.callbackContext())).isEqualTo(Json.write(expected.callbackContext()));
        for (int i = 0; i < expected.items().size(); i++) {
            RunSubmission.ItemSubmission actualItem = actual.items().get(i);
            RunSubmission.ItemSubmission expectedItem = expected.items().get(i);
            assertThat(Json.write(actualItem.customMetadata())).isEqualTo(Json.write(expectedItem.customMetadata()));
            assertThat(Json.write(actualItem.inputArtifacts().getFirst().metadata()))
                    .isEqualTo(
                            Json.write(expectedItem.inputArtifacts().getFirst().metadata()));
        }
    }

    private static JsonNode json(String text) {
        return Json.parse(text);
    }

    /** The run request another service would produce for the submission: the contract's types, field by field. */
    private static RunRequested toRequest(
            RunSubmission submission, UUID runId, String versionNumber, String organizationId, String submittedBy) {
        List<RunRequested.Item> items = new ArrayList<>();
        for (int position = 0; position < submission.items().size(); position++) {
            RunSubmission.ItemSubmission item = submission.items().get(position);
            items.add(new RunRequested.Item(
                    RunRequestMapping.itemId(runId, position, item),
                    item.externalId(),
                    item.customMetadata(),
                    item.inputArtifacts().stream()
                            .map(in -> new InputArtifact(in.name(), in.downloadUrl(), (ObjectNode) in.metadata()))
                            .toList()));
        }
        Scheduling scheduling = submission.scheduling();
        return new RunRequested(
                submission.applicationId(),
                versionNumber,
                organizationId,
                submittedBy,
                submission.customMetadata(),
                items,
                scheduling == null ? null : new RunRequested.Scheduling(scheduling.dueDate(), scheduling.deadline()),
                submission.callbackContext());
    }
}
