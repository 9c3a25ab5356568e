package org.tessera.orchestrator.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.tessera.contracts.DerivedIds;
import org.tessera.contracts.Envelope;
import org.tessera.contracts.InputArtifact;
import org.tessera.contracts.RunState;
import org.tessera.contracts.RunStateChanged;
import org.tessera.contracts.SlideJob;
import org.tessera.contracts.Topics;
import org.tessera.contracts.manifest.ApplicationManifest;
import org.tessera.orchestrator.common.Json;
import org.tessera.orchestrator.item.persistence.ItemRow;
import org.tessera.orchestrator.outbox.OutboxMessage;
import org.tessera.orchestrator.run.persistence.RunRow;

/** Builds the messages a run's changes cause, with their topic, key and stable event id. */
public final class RunMessages {

    private RunMessages() {}

    public static OutboxMessage runStateChanged(RunRow run, RunState previous, Instant at) {
        RunStateChanged payload = new RunStateChanged(
                run.state,
                previous,
                run.applicationId,
                run.versionNumber,
                run.organizationId,
                run.submittedBy,
                run.errorCode,
                run.errorMessage,
                run.counts().toContract(),
                Json.parse(run.callbackContextText));
        Envelope<RunStateChanged> envelope =
                Envelope.of(DerivedIds.runStateChanged(run.runId, run.state), at, run.runId, null, payload);
        return OutboxMessage.of(Topics.RUN_EVENTS, run.runId.toString(), envelope);
    }

    /** The job for one attempt at an item; every attempt writes its outputs under the same object-store prefix. */
    public static OutboxMessage slideJob(RunRow run, ItemRow item, int attempt, Instant at) {
        return slideJob(run, item, attempt, at, null);
    }

    /**
     * The job for one attempt at an item of a version registered from a manifest, which the job carries so that the
     * worker runs its models.
     *
     * @param manifest null for a built-in version
     */
    public static OutboxMessage slideJob(
            RunRow run, ItemRow item, int attempt, Instant at, ApplicationManifest manifest) {
        SlideJob payload = new SlideJob(
                item.externalId,
                run.applicationId,
                run.versionNumber,
                run.organizationId,
                attempt,
                inputArtifacts(item.inputArtifactsJson),
                "outputs/" + run.runId + "/" + item.itemId + "/",
                manifest);
        Envelope<SlideJob> envelope =
                Envelope.of(DerivedIds.slideJob(run.runId, item.itemId, attempt), at, run.runId, item.itemId, payload);
        return OutboxMessage.of(Topics.SLIDE_JOBS, item.itemId.toString(), envelope);
    }

    private static List<InputArtifact> inputArtifacts(String json) {
        List<InputArtifact> inputs = new ArrayList<>();
        for (var node : Json.parse(json)) {
            inputs.add(new InputArtifact(
                    node.get("name").asText(), node.get("download_url").asText(), (ObjectNode) node.get("metadata")));
        }
        return inputs;
    }
}
