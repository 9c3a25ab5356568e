package org.tessera.orchestrator.run.submission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.UUID;
import org.tessera.orchestrator.run.domain.Scheduling;

/**
 * A run request as submitted, before it is checked against the application catalogue. Fields may be null where the
 * submitter left them out; {@link SubmissionValidator} says what is wrong.
 *
 * @param versionNumber null means the latest version
 * @param customMetadata a JSON object or null, kept verbatim
 * @param scheduling due date and deadline, or null when neither was given
 * @param callbackContext a JSON object or null, kept verbatim and echoed on the run's state changes
 */
public record RunSubmission(
        String applicationId,
        String versionNumber,
        JsonNode customMetadata,
        List<ItemSubmission> items,
        Scheduling scheduling,
        JsonNode callbackContext) {

    public RunSubmission {
        items = items == null ? null : List.copyOf(items);
    }

    /** A submission without scheduling or callback context. */
    public RunSubmission(
            String applicationId, String versionNumber, JsonNode customMetadata, List<ItemSubmission> items) {
        this(applicationId, versionNumber, customMetadata, items, null, null);
    }

    /**
     * @param itemId chosen by the producer of a Kafka run request; null when the orchestrator assigns it
     */
    public record ItemSubmission(
            UUID itemId, String externalId, JsonNode customMetadata, List<InputArtifactSubmission> inputArtifacts) {

        public ItemSubmission {
            inputArtifacts = inputArtifacts == null ? null : List.copyOf(inputArtifacts);
        }
    }

    public record InputArtifactSubmission(String name, String downloadUrl, JsonNode metadata) {}
}
