package org.tessera.orchestrator.run.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.tessera.orchestrator.item.domain.ItemProjection;
import org.tessera.orchestrator.run.domain.RunProjection;

/**
 * The response bodies of the runs API, field for field as in the Aignostics Platform API 1.8.0. Fields the spec
 * requires but allows to be null are always written, as null.
 */
public final class RunResponses {

    private RunResponses() {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RunCreationResponse(UUID runId) {}

    @ApiFields
    public record RunItemStatistics(
            int itemCount,
            int itemPendingCount,
            int itemProcessingCount,
            int itemUserErrorCount,
            int itemSystemErrorCount,
            int itemSkippedCount,
            int itemSucceededCount) {}

    @ApiFields
    public record SchedulingResponse(Instant dueDate, Instant deadline) {}

    @ApiFields
    public record RunReadResponse(
            UUID runId,
            String applicationId,
            String versionNumber,
            RunProjection.ApiState state,
            RunProjection.ApiOutput output,
            RunProjection.ApiTerminationReason terminationReason,
            String errorCode,
            String errorMessage,
            RunItemStatistics statistics,
            JsonNode customMetadata,
            String customMetadataChecksum,
            Instant submittedAt,
            String submittedBy,
            String organizationId,
            Instant terminatedAt,
            Integer numPrecedingItemsOrg,
            Integer numPrecedingItemsPlatform,
            SchedulingResponse scheduling) {}

    @ApiFields
    public record InputArtifactResultReadResponse(
            UUID inputArtifactId, String name, JsonNode metadata, String downloadUrl) {}

    @ApiFields
    public record OutputArtifactResultReadResponse(
            UUID outputArtifactId,
            String name,
            JsonNode metadata,
            String state,
            String terminationReason,
            String output,
            String errorCode,
            String errorMessage,
            String downloadUrl) {}

    @ApiFields
    public record ItemResultReadResponse(
            UUID itemId,
            String externalId,
            JsonNode customMetadata,
            String customMetadataChecksum,
            Integer queuePositionOrg,
            Integer queuePositionPlatform,
            ItemProjection.ApiState state,
            ItemProjection.ApiOutput output,
            ItemProjection.ApiTerminationReason terminationReason,
            String errorCode,
            String errorMessage,
            Instant terminatedAt,
            List<InputArtifactResultReadResponse> inputArtifacts,
            List<OutputArtifactResultReadResponse> outputArtifacts,
            ItemProgressReadResponse progress) {}

    /**
     * Where a worker is with an item, from its latest {@code item.progress} report; null before the first one. Not in
     * the 1.8.0 schema: an additive field that existing clients ignore and that dashboards and our own client show.
     *
     * @param stage e.g. {@code DOWNLOADING}, {@code TILING}, {@code UPLOADING}
     * @param tilesDone tiles processed so far
     * @param tilesTotal tiles planned (0 while the plan is not known yet)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ItemProgressReadResponse(String stage, long tilesDone, long tilesTotal) {}
}
