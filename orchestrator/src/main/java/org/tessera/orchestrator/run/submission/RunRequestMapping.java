package org.tessera.orchestrator.run.submission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.tessera.contracts.DerivedIds;
import org.tessera.contracts.InputArtifact;
import org.tessera.contracts.RunRequested;
import org.tessera.orchestrator.run.domain.Scheduling;

/**
 * The submission a run request from Kafka carries, for admission to check as the REST API checks its own; and the
 * items' ids, derived the same way for both.
 */
public final class RunRequestMapping {

    private RunRequestMapping() {}

    /** The submission a request carries, with null wherever the request leaves something out, for checking. */
    public static RunSubmission toSubmission(RunRequested request) {
        List<RunSubmission.ItemSubmission> items = null;
        if (request.items() != null) {
            items = new ArrayList<>(request.items().size());
            for (RunRequested.Item item : request.items()) {
                items.add(item == null ? new RunSubmission.ItemSubmission(null, null, null, null) : item(item));
            }
        }
        RunRequested.Scheduling scheduling = request.scheduling();
        return new RunSubmission(
                request.applicationId(),
                request.applicationVersion(),
                objectOrNull(request.customMetadata()),
                items,
                scheduling == null ? null : Scheduling.of(scheduling.dueDate(), scheduling.deadline()),
                objectOrNull(request.callbackContext()));
    }

    /**
     * The submission with every item's id filled in ({@link #itemId}), so that each id is derived once for the run's
     * rows and everything built from them.
     */
    public static RunSubmission withItemIds(RunSubmission submission, UUID runId) {
        if (submission.items() == null) {
            return submission;
        }
        List<RunSubmission.ItemSubmission> items =
                new ArrayList<>(submission.items().size());
        for (int position = 0; position < submission.items().size(); position++) {
            RunSubmission.ItemSubmission item = submission.items().get(position);
            items.add(
                    item.itemId() != null
                            ? item
                            : new RunSubmission.ItemSubmission(
                                    itemId(runId, position, item),
                                    item.externalId(),
                                    item.customMetadata(),
                                    item.inputArtifacts()));
        }
        return new RunSubmission(
                submission.applicationId(),
                submission.versionNumber(),
                submission.customMetadata(),
                items,
                submission.scheduling(),
                submission.callbackContext());
    }

    /**
     * The id of an item: the one its submitter chose, else one derived from its position, stable so that a
     * redelivered request maps to the same items.
     */
    public static UUID itemId(UUID runId, int position, RunSubmission.ItemSubmission item) {
        return item.itemId() != null ? item.itemId() : DerivedIds.item(runId, position);
    }

    private static RunSubmission.ItemSubmission item(RunRequested.Item item) {
        List<RunSubmission.InputArtifactSubmission> inputs = null;
        if (item.inputArtifacts() != null) {
            inputs = new ArrayList<>(item.inputArtifacts().size());
            for (InputArtifact input : item.inputArtifacts()) {
                inputs.add(
                        input == null
                                ? new RunSubmission.InputArtifactSubmission(null, null, null)
                                : new RunSubmission.InputArtifactSubmission(
                                        input.name(), input.downloadUrl(), input.metadata()));
            }
        }
        return new RunSubmission.ItemSubmission(
                item.itemId(), item.externalId(), objectOrNull(item.customMetadata()), inputs);
    }

    private static JsonNode objectOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node;
    }
}
