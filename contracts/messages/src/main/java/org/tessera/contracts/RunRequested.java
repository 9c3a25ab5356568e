package org.tessera.contracts;

import com.fasterxml.jackson.databind.JsonNode;
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
 */
public record RunRequested(
        String applicationId,
        String applicationVersion,
        String organizationId,
        String submittedBy,
        JsonNode customMetadata,
        List<Item> items)
        implements Payload {

    public static final String TYPE = "run.requested";

    public RunRequested {
        customMetadata = absentIfNull(customMetadata);
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
}
