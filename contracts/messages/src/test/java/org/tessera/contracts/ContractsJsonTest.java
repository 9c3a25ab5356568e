package org.tessera.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContractsJsonTest {

    private static final UUID RUN = UUID.fromString("5b1f7c2e-3d4a-4b6c-8e9f-0a1b2c3d4e5f");
    private static final UUID ITEM = UUID.fromString("9c8b7a69-5d4e-4f3a-9b2c-1d0e9f8a7b6c");
    private static final Instant AT = Instant.parse("2026-11-30T10:15:30.123Z");

    @Test
    void envelopesWrittenByCodeValidateAgainstTheirSchemas() throws IOException {
        ObjectNode metadata = JsonNodeFactory.instance.objectNode().put("width_px", 100);
        InputArtifact wsi = new InputArtifact("whole_slide_image", "https://example.org/a.svs", metadata);
        List<Envelope<?>> envelopes = List.of(
                Envelope.of(
                        UUID.randomUUID(),
                        AT,
                        RUN,
                        null,
                        new RunRequested(
                                "test-app",
                                null,
                                "org",
                                "user",
                                null,
                                List.of(new RunRequested.Item(ITEM, "slide-1", null, List.of(wsi))))),
                Envelope.of(
                        UUID.randomUUID(),
                        AT,
                        RUN,
                        null,
                        new RunStateChanged(
                                RunState.SCHEDULED,
                                RunState.RECEIVED,
                                "test-app",
                                "1.0.0",
                                "org",
                                "user",
                                null,
                                null,
                                new ItemStatistics(1, 1, 0, 0, 0, 0, 0))),
                Envelope.of(
                        UUID.randomUUID(),
                        AT,
                        RUN,
                        ITEM,
                        new SlideJob("slide-1", "test-app", "1.0.0", "org", 1, List.of(wsi), "outputs/r/i/")),
                Envelope.of(UUID.randomUUID(), AT, RUN, ITEM, new ItemStarted(1, "w")),
                Envelope.of(UUID.randomUUID(), AT, RUN, ITEM, new ItemProgress(1, "w", "TILING", 5, 10)),
                Envelope.of(
                        UUID.randomUUID(),
                        AT,
                        RUN,
                        ITEM,
                        new ItemSucceeded(
                                1,
                                "w",
                                List.of(new OutputArtifact(
                                        "tissue_qc:csv_class_information",
                                        "outputs/r/i/x.csv",
                                        "text/csv",
                                        10,
                                        "AAAAAA==")))),
                Envelope.of(
                        UUID.randomUUID(),
                        AT,
                        RUN,
                        ITEM,
                        new ItemFailed(2, "w", FailureKind.SYSTEM_ERROR, ErrorCodes.SYSTEM_INTERNAL, "boom")),
                Envelope.of(
                        UUID.randomUUID(),
                        AT,
                        DeadLetter.UNKNOWN_RUN,
                        null,
                        new DeadLetter("t", 0, 1, "g", "bad", "{")));
        for (Envelope<?> envelope : envelopes) {
            String json = ContractsJson.toJson(envelope);
            assertThat(ContractSamplesTest.validate(envelope.type(), 1, json))
                    .as(json)
                    .isEmpty();
            assertThat(ContractsJson.read(json.getBytes(StandardCharsets.UTF_8)))
                    .isEqualTo(envelope);
        }
    }

    @Test
    void readerIgnoresFieldsAddedByNewerProducers() {
        String json = """
                {"event_id":"00000000-0000-4000-8000-000000000004","type":"item.started","schema_version":1,
                 "occurred_at":"2026-11-30T10:15:30Z","run_id":"%s","item_id":"%s",
                 "added_later":true,"payload":{"attempt":1,"worker_id":"w","gpu":"H200"}}""".formatted(RUN, ITEM);

        Envelope<ItemStarted> envelope = ContractsJson.read(json.getBytes(StandardCharsets.UTF_8), ItemStarted.class);

        assertThat(envelope.payload()).isEqualTo(new ItemStarted(1, "w"));
    }

    @Test
    void customMetadataNumbersKeepTheirExactText() {
        String json = """
                {"event_id":"00000000-0000-4000-8000-000000000001","type":"run.requested","schema_version":1,
                 "occurred_at":"2026-11-30T10:15:30Z","run_id":"%s","item_id":null,
                 "payload":{"application_id":"test-app","application_version":"1.0.0","organization_id":"o",
                  "submitted_by":"u","custom_metadata":{"price":1.50,"ratio":0.1000,"big":12345678901234567890.5},
                  "items":[]}}""".formatted(RUN);

        Envelope<RunRequested> envelope = ContractsJson.read(json.getBytes(StandardCharsets.UTF_8), RunRequested.class);

        assertThat(envelope.payload().customMetadata().toString())
                .isEqualTo("{\"price\":1.50,\"ratio\":0.1000,\"big\":12345678901234567890.5}");
        assertThat(ContractsJson.toJson(envelope)).contains("\"price\":1.50");
    }

    @Test
    void aHeaderReadLeavesTheNamedPayloadFieldsOutAndKeepsTheRest() throws IOException {
        byte[] bytes = java.nio.file.Files.readAllBytes(
                ContractSamplesTest.RESOURCES.resolve("samples/run.requested/v1-with-scheduling.json"));
        Envelope<RunRequested> full = ContractsJson.read(bytes, RunRequested.class);

        Envelope<RunRequested> header = ContractsJson.readWithout(bytes, RunRequested.class, java.util.Set.of("items"));

        assertThat(full.payload().items()).isNotEmpty();
        assertThat(header.payload().items()).isNull();
        assertThat(header.payload())
                .usingRecursiveComparison()
                .ignoringFields("items")
                .isEqualTo(full.payload());
        assertThat(header.eventId()).isEqualTo(full.eventId());
        assertThat(header.runId()).isEqualTo(full.runId());
        assertThat(header.occurredAt()).isEqualTo(full.occurredAt());
        // What is left out is still scanned: a broken value there is still a broken message.
        String broken =
                new String(bytes, StandardCharsets.UTF_8).replaceFirst("\"items\"\\s*:\\s*\\[", "\"items\": [}");
        assertThatThrownBy(() -> ContractsJson.readWithout(
                        broken.getBytes(StandardCharsets.UTF_8), RunRequested.class, java.util.Set.of("items")))
                .isInstanceOf(MalformedMessageException.class);
        assertThatThrownBy(() -> ContractsJson.readWithout(bytes, SlideJob.class, java.util.Set.of("items")))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("run.requested");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "not json",
                "[]",
                "{\"type\":\"item.started\"}",
                "{\"event_id\":\"x\",\"type\":\"item.started\",\"schema_version\":1,\"occurred_at\":\"2026-11-30T10:15:30Z\",\"run_id\":\"5b1f7c2e-3d4a-4b6c-8e9f-0a1b2c3d4e5f\",\"payload\":{}}",
                "{\"event_id\":\"00000000-0000-4000-8000-000000000004\",\"type\":\"item.exploded\",\"schema_version\":1,\"occurred_at\":\"2026-11-30T10:15:30Z\",\"run_id\":\"5b1f7c2e-3d4a-4b6c-8e9f-0a1b2c3d4e5f\",\"payload\":{}}",
                "{\"event_id\":\"00000000-0000-4000-8000-000000000004\",\"type\":\"item.started\",\"schema_version\":9,\"occurred_at\":\"2026-11-30T10:15:30Z\",\"run_id\":\"5b1f7c2e-3d4a-4b6c-8e9f-0a1b2c3d4e5f\",\"payload\":{}}",
                "{\"event_id\":\"00000000-0000-4000-8000-000000000004\",\"type\":\"item.started\",\"schema_version\":1,\"occurred_at\":\"yesterday\",\"run_id\":\"5b1f7c2e-3d4a-4b6c-8e9f-0a1b2c3d4e5f\",\"payload\":{}}"
            })
    void unreadableRecordsFailWithAReason(String json) {
        assertThatThrownBy(() -> ContractsJson.read(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedMessageException.class)
                .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
    }

    @Test
    void readingTheWrongPayloadTypeNamesBoth() {
        byte[] started = ContractsJson.toBytes(Envelope.of(UUID.randomUUID(), AT, RUN, ITEM, new ItemStarted(1, "w")));

        assertThatThrownBy(() -> ContractsJson.read(started, SlideJob.class))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("SlideJob")
                .hasMessageContaining("item.started");
    }

    @Test
    void crc32cMatchesTheKnownCheckVector() {
        // CRC32C("123456789") = 0xE3069283, the standard check value for the Castagnoli polynomial.
        assertThat(Crc32c.base64Of("123456789".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("4waSgw==");
    }
}
