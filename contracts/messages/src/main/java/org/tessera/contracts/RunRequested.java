package org.tessera.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A request to run an application on a set of items. The REST API produces it through the orchestrator's outbox;
 * other services may produce it directly (choosing a fresh {@code runId}). Admission re-validates it either way.
 *
 * @param applicationId e.g. {@code test-app}
 * @param applicationVersion exact semver, or null for the latest version
 * @param organizationId the submitting user's organization
 * @param submittedBy the submitting user's id (JWT {@code sub})
 * @param customMetadata run-level custom metadata, stored verbatim; may be null
 * @param items 1..500 items with unique external ids
 * @param scheduling the run's due date and deadline; null when the submitter set neither. Omitted from the JSON when
 *     absent, so requests of older producers read and round-trip unchanged.
 * @param callbackContext the submitter's correlation data (a JSON object of at most 1,024 bytes), echoed on every
 *     {@code run.state-changed} of the run; null when absent, and then omitted from the JSON
 */
public record RunRequested(
        String applicationId,
        String applicationVersion,
        String organizationId,
        String submittedBy,
        JsonNode customMetadata,
        List<Item> items,
        @JsonInclude(JsonInclude.Include.NON_NULL) Scheduling scheduling,
        @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode callbackContext)
        implements Payload {

    public static final String TYPE = "run.requested";

    public RunRequested {
        customMetadata = absentIfNull(customMetadata);
        callbackContext = absentIfNull(callbackContext);
    }

    /** A request without scheduling or callback context (the shape before they existed). */
    public RunRequested(
            String applicationId,
            String applicationVersion,
            String organizationId,
            String submittedBy,
            JsonNode customMetadata,
            List<Item> items) {
        this(applicationId, applicationVersion, organizationId, submittedBy, customMetadata, items, null, null);
    }

    /** JSON {@code null} and a missing value mean the same: no custom metadata. */
    static JsonNode absentIfNull(JsonNode node) {
        return node == null || node.isNull() ? null : node;
    }

    @Override
    public String type() {
        return TYPE;
    }

    /**
     * @param itemId id chosen by the producer, stable across redelivery
     * @param externalId the client's id for the item, unique within the run
     */
    public record Item(UUID itemId, String externalId, JsonNode customMetadata, List<InputArtifact> inputArtifacts) {

        public Item {
            customMetadata = absentIfNull(customMetadata);
        }
    }

    /**
     * When the submitter wants the run done.
     *
     * @param dueDate orders work: among an organization's waiting items, earlier due dates go first; may be null
     * @param deadline a run still open at this time is cancelled by the platform; may be null
     */
    public record Scheduling(Instant dueDate, Instant deadline) {}
}
