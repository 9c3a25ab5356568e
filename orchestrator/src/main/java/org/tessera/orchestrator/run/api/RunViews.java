package org.tessera.orchestrator.run.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.tessera.contracts.DerivedIds;
import org.tessera.orchestrator.artifact.persistence.OutputArtifactRow;
import org.tessera.orchestrator.common.Json;
import org.tessera.orchestrator.item.domain.ItemProjection;
import org.tessera.orchestrator.item.persistence.ItemRow;
import org.tessera.orchestrator.run.dispatch.QueuePositions;
import org.tessera.orchestrator.run.domain.ItemCounts;
import org.tessera.orchestrator.run.domain.RunProjection;
import org.tessera.orchestrator.run.persistence.RunRow;

/** Maps stored runs and items onto the API's response bodies. */
public final class RunViews {

    private RunViews() {}

    public static RunResponses.RunReadResponse run(RunRow run) {
        return run(run, QueuePositions.RunStanding.NONE);
    }

    public static RunResponses.RunReadResponse run(RunRow run, QueuePositions.RunStanding standing) {
        ItemCounts counts = run.counts();
        RunProjection projection = RunProjection.of(run.state, counts);
        return new RunResponses.RunReadResponse(
                run.runId,
                run.applicationId,
                run.versionNumber,
                projection.state(),
                projection.output(),
                projection.terminationReason(),
                run.errorCode,
                run.errorMessage,
                new RunResponses.RunItemStatistics(
                        counts.itemCount(),
                        counts.pending(),
                        counts.processing(),
                        counts.userError(),
                        counts.systemError(),
                        counts.skipped(),
                        counts.succeeded()),
                Json.parse(run.customMetadataText),
                run.customMetadataChecksum,
                run.submittedAt,
                run.submittedBy,
                run.organizationId,
                run.terminatedAt,
                standing.precedingInOrganization(),
                standing.precedingOnPlatform(),
                run.dueDate == null && run.deadline == null
                        ? null
                        : new RunResponses.SchedulingResponse(run.dueDate, run.deadline));
    }

    public static RunResponses.ItemResultReadResponse item(ItemRow item, List<OutputArtifactRow> outputs) {
        return item(item, outputs, QueuePositions.ItemStanding.NONE);
    }

    public static RunResponses.ItemResultReadResponse item(
            ItemRow item, List<OutputArtifactRow> outputs, QueuePositions.ItemStanding standing) {
        ItemProjection projection = ItemProjection.of(item.state);
        boolean failed = projection.terminationReason() == ItemProjection.ApiTerminationReason.USER_ERROR
                || projection.terminationReason() == ItemProjection.ApiTerminationReason.SYSTEM_ERROR;
        return new RunResponses.ItemResultReadResponse(
                item.itemId,
                item.externalId,
                Json.parse(item.customMetadataText),
                item.customMetadataChecksum,
                standing.inOrganization(),
                standing.onPlatform(),
                projection.state(),
                projection.output(),
                projection.terminationReason(),
                failed ? item.errorCode : null,
                item.state.isTerminal() ? item.errorMessage : null,
                item.terminatedAt,
                inputs(item.itemId, item.inputArtifactsJson),
                outputs.stream().map(RunViews::output).toList(),
                progress(item));
    }

    private static RunResponses.ItemProgressReadResponse progress(ItemRow item) {
        if (item.progressStage == null && item.tilesDone == null) {
            return null;
        }
        return new RunResponses.ItemProgressReadResponse(
                item.progressStage,
                item.tilesDone == null ? 0 : item.tilesDone,
                item.tilesTotal == null ? 0 : item.tilesTotal);
    }

    private static List<RunResponses.InputArtifactResultReadResponse> inputs(UUID itemId, String json) {
        List<RunResponses.InputArtifactResultReadResponse> inputs = new ArrayList<>();
        for (JsonNode node : Json.parse(json)) {
            String name = node.get("name").asText();
            JsonNode stored = node.get("input_artifact_id");
            inputs.add(new RunResponses.InputArtifactResultReadResponse(
                    stored == null ? DerivedIds.inputArtifact(itemId, name) : UUID.fromString(stored.asText()),
                    name,
                    node.get("metadata"),
                    node.get("download_url").asText()));
        }
        return inputs;
    }

    private static RunResponses.OutputArtifactResultReadResponse output(OutputArtifactRow row) {
        boolean available = OutputArtifactRow.AVAILABLE.equals(row.output());
        ObjectNode metadata = null;
        if (available) {
            metadata = Json.mapper().createObjectNode();
            metadata.put("checksum_base64_crc32c", row.checksumBase64Crc32c());
            metadata.put("media_type", row.mediaType());
            metadata.put("size_bytes", row.sizeBytes());
            addWorkerMetadata(metadata, row.extraMetadataJson());
        }
        return new RunResponses.OutputArtifactResultReadResponse(
                row.outputArtifactId(),
                row.name(),
                metadata,
                "TERMINATED",
                "SUCCEEDED",
                row.output(),
                null,
                null,
                null);
    }

    /** The worker's description of the file, without letting it overwrite what the platform itself vouches for. */
    private static void addWorkerMetadata(ObjectNode metadata, String extraMetadataJson) {
        if (extraMetadataJson == null) {
            return;
        }
        JsonNode extra = Json.parse(extraMetadataJson);
        if (extra == null || !extra.isObject()) {
            return;
        }
        for (Map.Entry<String, JsonNode> field : extra.properties()) {
            if (!metadata.has(field.getKey())) {
                metadata.set(field.getKey(), field.getValue());
            }
        }
    }
}
