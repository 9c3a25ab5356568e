package org.tessera.orchestrator.support;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.tessera.contracts.ContractsJson;
import org.tessera.contracts.Crc32c;
import org.tessera.contracts.Envelope;
import org.tessera.contracts.ErrorCodes;
import org.tessera.contracts.FailureKind;
import org.tessera.contracts.ItemEvent;
import org.tessera.contracts.ItemFailed;
import org.tessera.contracts.ItemProgress;
import org.tessera.contracts.ItemStarted;
import org.tessera.contracts.ItemSucceeded;
import org.tessera.contracts.OutputArtifact;
import org.tessera.contracts.Topics;

/** Plays the worker's part on Kafka: item events keyed by run id, as the contract says. */
public final class Workers {

    public static final String WORKER = "test-worker-1";

    private Workers() {}

    public static Envelope<ItemEvent> envelope(UUID runId, UUID itemId, ItemEvent event) {
        return Envelope.of(UUID.randomUUID(), Instant.now(), runId, itemId, event);
    }

    /** A raw record for producers that batch on their own. */
    public static ProducerRecord<String, byte[]> record(UUID runId, UUID itemId, ItemEvent event) {
        return new ProducerRecord<>(
                Topics.ITEM_EVENTS, runId.toString(), ContractsJson.toBytes(envelope(runId, itemId, event)));
    }

    public static void send(Envelope<ItemEvent> envelope) {
        KafkaProbe.send(Topics.ITEM_EVENTS, envelope.runId().toString(), envelope);
    }

    public static void started(UUID runId, UUID itemId, int attempt) {
        send(envelope(runId, itemId, new ItemStarted(attempt, WORKER)));
    }

    public static void progress(UUID runId, UUID itemId, int attempt, long done, long total) {
        send(envelope(runId, itemId, new ItemProgress(attempt, WORKER, "TILING", done, total)));
    }

    public static void succeeded(UUID runId, UUID itemId, int attempt, List<OutputArtifact> outputs) {
        send(envelope(runId, itemId, new ItemSucceeded(attempt, WORKER, outputs)));
    }

    public static void succeeded(UUID runId, UUID itemId) {
        succeeded(runId, itemId, 1, List.of(output(runId, itemId, "tissue_qc:geojson_polygons", "{}".getBytes())));
    }

    public static void userError(UUID runId, UUID itemId) {
        send(envelope(
                runId,
                itemId,
                new ItemFailed(
                        1,
                        WORKER,
                        FailureKind.USER_ERROR,
                        ErrorCodes.INPUT_UNREADABLE,
                        "slide-1.tiff: not a TIFF file")));
    }

    public static void systemError(UUID runId, UUID itemId) {
        send(envelope(
                runId,
                itemId,
                new ItemFailed(1, WORKER, FailureKind.SYSTEM_ERROR, ErrorCodes.SYSTEM_INTERNAL, "out of memory")));
    }

    public static OutputArtifact output(UUID runId, UUID itemId, String name, byte[] content) {
        String file = name.replace(':', '_');
        return new OutputArtifact(
                name,
                "outputs/" + runId + "/" + itemId + "/" + file,
                name.endsWith("geojson_polygons") ? "application/geo+json" : "text/csv",
                content.length,
                Crc32c.base64Of(content));
    }
}
