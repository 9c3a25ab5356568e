package org.tessera.orchestrator.messaging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.tessera.contracts.DeadLetter;
import org.tessera.contracts.DerivedIds;
import org.tessera.contracts.Envelope;
import org.tessera.contracts.InputArtifact;
import org.tessera.contracts.RunState;
import org.tessera.contracts.RunStateChanged;
import org.tessera.contracts.SlideJob;
import org.tessera.contracts.Topics;
import org.tessera.orchestrator.common.Json;
import org.tessera.orchestrator.outbox.OutboxMessage;
import org.tessera.orchestrator.run.persistence.ItemRow;
import org.tessera.orchestrator.run.persistence.RunRow;

/** Builds the messages the orchestrator publishes, with their topic, key and stable event id. */
public final class Messages {

    /** Stands in for the run id of a record so broken that no run can be named. */
    public static final UUID UNKNOWN_RUN = new UUID(0L, 0L);

    private Messages() {}

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
                run.counts().toContract());
        Envelope<RunStateChanged> envelope =
                Envelope.of(DerivedIds.runStateChanged(run.runId, run.state), at, run.runId, null, payload);
        return OutboxMessage.of(Topics.RUN_EVENTS, run.runId.toString(), envelope);
    }

    public static OutboxMessage slideJob(RunRow run, ItemRow item, int attempt, String outputPrefix, Instant at) {
        SlideJob payload = new SlideJob(
                item.externalId,
                run.applicationId,
                run.versionNumber,
                run.organizationId,
                attempt,
                inputArtifacts(item.inputArtifactsJson),
                outputPrefix);
        Envelope<SlideJob> envelope =
                Envelope.of(DerivedIds.slideJob(run.runId, item.itemId, attempt), at, run.runId, item.itemId, payload);
        return OutboxMessage.of(Topics.SLIDE_JOBS, item.itemId.toString(), envelope);
    }

    /**
     * A record no consumer could read or apply, kept with the reason.
     *
     * @param runId the run the record names, if it could be read that far; else {@link #UNKNOWN_RUN}
     */
    public static OutboxMessage deadLetter(
            String sourceTopic,
            int partition,
            long offset,
            String key,
            byte[] value,
            String consumerGroup,
            String reason,
            UUID runId,
            Instant at) {
        DeadLetter payload = new DeadLetter(sourceTopic, partition, offset, consumerGroup, reason, printable(value));
        Envelope<DeadLetter> envelope = Envelope.of(
                DerivedIds.deadLetter(sourceTopic, partition, offset, consumerGroup),
                at,
                runId == null ? UNKNOWN_RUN : runId,
                null,
                payload);
        return OutboxMessage.of(Topics.DEAD_LETTERS, key == null ? "" : key, envelope);
    }

    private static List<InputArtifact> inputArtifacts(String json) {
        List<InputArtifact> inputs = new ArrayList<>();
        for (var node : Json.parse(json)) {
            inputs.add(new InputArtifact(
                    node.get("name").asText(), node.get("download_url").asText(), (ObjectNode) node.get("metadata")));
        }
        return inputs;
    }

    private static String printable(byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(value))
                    .toString();
        } catch (CharacterCodingException e) {
            return Base64.getEncoder().encodeToString(value);
        }
    }
}
