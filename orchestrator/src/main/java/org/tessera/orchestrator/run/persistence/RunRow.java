package org.tessera.orchestrator.run.persistence;

import java.time.Instant;
import java.util.UUID;
import org.tessera.contracts.RunState;
import org.tessera.orchestrator.item.domain.ItemState;
import org.tessera.orchestrator.run.domain.ItemCounts;

/** A run as stored. Mutable so that a transaction can apply several decisions before writing it back once. */
public final class RunRow {

    public final UUID runId;
    public final String applicationId;
    public String versionNumber;
    public RunState state;
    public String errorCode;
    public String errorMessage;
    public final String customMetadataText;
    public final String customMetadataChecksum;
    public final String organizationId;
    public final String submittedBy;
    public final Instant submittedAt;
    public Instant updatedAt;
    public Instant terminatedAt;
    /** {@code scheduling.due_date}: orders the organization's waiting items; null when not set. */
    public Instant dueDate;
    /** {@code scheduling.deadline}: the run is cancelled by the system if still open then; null when not set. */
    public Instant deadline;
    /** The submitter's {@code callback_context} as sent (JSON text), echoed on every state change; null when none. */
    public String callbackContextText;
    /** The most failed items the run may have, fixed at admission; null before admission (and for older runs). */
    public Integer failedItemsThreshold;

    private ItemCounts counts;

    public RunRow(
            UUID runId,
            String applicationId,
            String versionNumber,
            RunState state,
            String errorCode,
            String errorMessage,
            String customMetadataText,
            String customMetadataChecksum,
            String organizationId,
            String submittedBy,
            Instant submittedAt,
            Instant updatedAt,
            Instant terminatedAt,
            ItemCounts counts) {
        this.runId = runId;
        this.applicationId = applicationId;
        this.versionNumber = versionNumber;
        this.state = state;
        this.errorCode = errorCode;
        this.errorMessage = errorMessage;
        this.customMetadataText = customMetadataText;
        this.customMetadataChecksum = customMetadataChecksum;
        this.organizationId = organizationId;
        this.submittedBy = submittedBy;
        this.submittedAt = submittedAt;
        this.updatedAt = updatedAt;
        this.terminatedAt = terminatedAt;
        this.counts = counts;
    }

    public ItemCounts counts() {
        return counts;
    }

    public void counts(ItemCounts counts) {
        this.counts = counts;
    }

    /** Moves one item from one state's count to another's. */
    public void countTransition(ItemState from, ItemState to) {
        if (from == to) {
            return;
        }
        int[] c = {
            counts.pending(),
            counts.processing(),
            counts.succeeded(),
            counts.userError(),
            counts.systemError(),
            counts.skipped()
        };
        c[slot(from)]--;
        c[slot(to)]++;
        counts = new ItemCounts(counts.itemCount(), c[0], c[1], c[2], c[3], c[4], c[5]);
    }

    /** Every open item became SKIPPED. */
    public void countOpenAsSkipped() {
        counts = new ItemCounts(
                counts.itemCount(),
                0,
                0,
                counts.succeeded(),
                counts.userError(),
                counts.systemError(),
                counts.skipped() + counts.open());
    }

    private static int slot(ItemState state) {
        return switch (state) {
            case PENDING -> 0;
            case PROCESSING -> 1;
            case SUCCEEDED -> 2;
            case USER_ERROR -> 3;
            case SYSTEM_ERROR -> 4;
            case SKIPPED -> 5;
        };
    }
}
