package org.tessera.orchestrator.item.persistence;

import java.time.Instant;
import java.util.UUID;
import org.tessera.orchestrator.item.domain.ItemState;
import org.tessera.orchestrator.item.domain.ItemStatus;

/** An item as stored. Mutable so that a batch of events can be applied before writing it back once. */
public final class ItemRow {

    public final UUID itemId;
    public final UUID runId;
    public final int position;
    public final String externalId;
    public final String customMetadataText;
    public final String customMetadataChecksum;
    /**
     * JSON array of {name, download_url, metadata}, as submitted. Each input's id is derived from the item's id and its
     * name ({@code DerivedIds.inputArtifact}) when it is read; rows written before carry it as input_artifact_id too.
     */
    public final String inputArtifactsJson;

    public ItemState state;
    public int attempt;
    public String errorCode;
    public String errorMessage;
    public String workerId;
    public String progressStage;
    public Long tilesDone;
    public Long tilesTotal;
    public Long bytesDone;
    public Long bytesTotal;
    /** When the worker's counters (stage, tiles, bytes) last moved, or its attempt started. */
    public Instant progressedAt;

    public Instant lastEventAt;
    public Instant startedAt;
    public Instant terminatedAt;
    public Instant updatedAt;

    public ItemRow(
            UUID itemId,
            UUID runId,
            int position,
            String externalId,
            String customMetadataText,
            String customMetadataChecksum,
            String inputArtifactsJson,
            ItemState state,
            int attempt,
            Instant updatedAt) {
        this.itemId = itemId;
        this.runId = runId;
        this.position = position;
        this.externalId = externalId;
        this.customMetadataText = customMetadataText;
        this.customMetadataChecksum = customMetadataChecksum;
        this.inputArtifactsJson = inputArtifactsJson;
        this.state = state;
        this.attempt = attempt;
        this.updatedAt = updatedAt;
    }

    public ItemStatus status() {
        return new ItemStatus(state, attempt);
    }
}
