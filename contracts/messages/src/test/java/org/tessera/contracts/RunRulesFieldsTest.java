package org.tessera.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code scheduling} and {@code callback_context} on run requests, and {@code callback_context} on run state changes,
 * are additive: messages written before they existed read and round-trip unchanged, new ones carry them verbatim.
 */
class RunRulesFieldsTest {

    private static final Path SAMPLES = ContractSamplesTest.RESOURCES.resolve("samples");
    private static final UUID RUN = UUID.fromString("5b1f7c2e-3d4a-4b6c-8e9f-0a1b2c3d4e5f");
    private static final Instant AT = Instant.parse("2026-11-30T10:15:30Z");

    @Test
    void requestsAndStateChangesWrittenBeforeTheFieldsExistedReadWithoutThem() throws IOException {
        RunRequested request = ContractsJson.read(
                        Files.readAllBytes(SAMPLES.resolve("run.requested/v1.json")), RunRequested.class)
                .payload();
        RunStateChanged changed = ContractsJson.read(
                        Files.readAllBytes(SAMPLES.resolve("run.state-changed/v1.json")), RunStateChanged.class)
                .payload();

        assertThat(request.scheduling()).isNull();
        assertThat(request.callbackContext()).isNull();
        assertThat(changed.callbackContext()).isNull();
    }

    @Test
    void theNewSamplesCarrySchedulingAndCallbackContextVerbatim() throws IOException {
        RunRequested request = ContractsJson.read(
                        Files.readAllBytes(SAMPLES.resolve("run.requested/v1-with-scheduling.json")),
                        RunRequested.class)
                .payload();
        RunStateChanged changed = ContractsJson.read(
                        Files.readAllBytes(SAMPLES.resolve("run.state-changed/v1-with-callback-context.json")),
                        RunStateChanged.class)
                .payload();

        assertThat(request.scheduling().dueDate()).isEqualTo(Instant.parse("2026-12-04T23:59:59Z"));
        assertThat(request.scheduling().deadline()).isEqualTo(Instant.parse("2026-12-05T23:59:59Z"));
        assertThat(request.callbackContext().get("lims_order").asText()).isEqualTo("ORD-2026-0042");
        assertThat(changed.errorCode()).isEqualTo(ErrorCodes.SCHEDULER_DEADLINE_EXCEEDED);
        // 1.50 stays 1.50: subscribers compare what they sent with what comes back.
        assertThat(changed.callbackContext()
                        .at("/requeue/priority")
                        .decimalValue()
                        .toPlainString())
                .isEqualTo("1.50");
    }

    @Test
    void messagesWithoutTheFieldsAreWrittenWithoutTheKeysAndMessagesWithThemValidate() throws IOException {
        ObjectNode context = JsonNodeFactory.instance.objectNode().put("order", "A-1");
        RunRequested.Item item = new RunRequested.Item(
                UUID.randomUUID(),
                "slide-1",
                null,
                List.of(new InputArtifact(
                        "whole_slide_image",
                        "https://example.org/a.svs",
                        JsonNodeFactory.instance.objectNode().put("width_px", 1))));
        RunRequested plain = new RunRequested("test-app", null, "org", "user", null, List.of(item));
        RunRequested scheduled = new RunRequested(
                "test-app",
                null,
                "org",
                "user",
                null,
                List.of(item),
                new RunRequested.Scheduling(null, Instant.parse("2026-12-05T23:59:59Z")),
                context);
        RunStateChanged changed = new RunStateChanged(
                RunState.RECEIVED,
                null,
                "test-app",
                "1.0.0",
                "org",
                "user",
                null,
                null,
                new ItemStatistics(1, 1, 0, 0, 0, 0, 0),
                context);

        JsonNode plainJson = tree(plain);
        JsonNode scheduledJson = tree(scheduled);
        JsonNode changedJson = tree(changed);

        assertThat(plainJson.path("payload").has("scheduling")).isFalse();
        assertThat(plainJson.path("payload").has("callback_context")).isFalse();
        assertThat(scheduledJson.at("/payload/scheduling/deadline").asText()).isEqualTo("2026-12-05T23:59:59Z");
        assertThat(scheduledJson.at("/payload/scheduling/due_date").isNull()).isTrue();
        assertThat(scheduledJson.at("/payload/callback_context")).isEqualTo(context);
        assertThat(changedJson.at("/payload/callback_context")).isEqualTo(context);
        assertThat(ContractSamplesTest.validate(RunRequested.TYPE, 1, scheduledJson.toString()))
                .isEmpty();
        assertThat(ContractSamplesTest.validate(RunStateChanged.TYPE, 1, changedJson.toString()))
                .isEmpty();
        ((ObjectNode) scheduledJson.path("payload")).put("callback_context", "not an object");
        assertThat(ContractSamplesTest.validate(RunRequested.TYPE, 1, scheduledJson.toString()))
                .isNotEmpty();
    }

    private static JsonNode tree(Payload payload) throws IOException {
        return ContractsJson.mapper()
                .readTree(ContractsJson.toBytes(Envelope.of(UUID.randomUUID(), AT, RUN, null, payload)));
    }
}
