package org.tessera.orchestrator.run;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.tessera.contracts.RunState;
import org.tessera.orchestrator.common.Json;
import org.tessera.orchestrator.common.tracing.TraceContext;
import org.tessera.orchestrator.item.domain.ItemState;
import org.tessera.orchestrator.item.persistence.ItemRepository;
import org.tessera.orchestrator.item.persistence.ItemRow;
import org.tessera.orchestrator.outbox.OutboxMessage;
import org.tessera.orchestrator.run.domain.ItemCounts;
import org.tessera.orchestrator.run.persistence.RunRepository;
import org.tessera.orchestrator.run.persistence.RunRow;
import org.tessera.orchestrator.run.rules.RunRules;
import org.tessera.orchestrator.run.submission.RunRequestMapping;
import org.tessera.orchestrator.run.submission.RunSubmission;

/** Stores a new run in state RECEIVED with its items, and announces it. Shared by the REST API and admission. */
@ApplicationScoped
public class RunCreation {

    @Inject
    RunRepository runs;

    @Inject
    ItemRepository items;

    /**
     * @param withItems false stores the run without items (a request from Kafka too malformed to store them, which
     *     admission then rejects)
     */
    public RunRow create(
            Connection c,
            UUID runId,
            RunSubmission submission,
            String versionNumber,
            String organizationId,
            String submittedBy,
            Instant now,
            boolean withItems,
            List<OutboxMessage> outbox)
            throws SQLException {
        List<RunSubmission.ItemSubmission> submitted = withItems ? submission.items() : List.of();
        String metadataText = Json.write(submission.customMetadata());
        RunRow run = new RunRow(
                runId,
                submission.applicationId() == null ? "" : submission.applicationId(),
                versionNumber == null ? "" : versionNumber,
                RunState.RECEIVED,
                null,
                null,
                metadataText,
                Json.checksum(metadataText),
                organizationId,
                submittedBy,
                now,
                now,
                null,
                ItemCounts.allPending(submitted.size()));
        RunRules.takeFrom(submission, run);
        // The span current here is the submission (REST request, or admission of a request from Kafka): every slide
        // job of the run continues its trace.
        runs.insert(c, run, TraceContext.current());
        List<ItemRow> itemRows = new ArrayList<>(submitted.size());
        InputArtifactsText inputs = new InputArtifactsText();
        for (int position = 0; position < submitted.size(); position++) {
            RunSubmission.ItemSubmission item = submitted.get(position);
            UUID itemId = RunRequestMapping.itemId(runId, position, item);
            String text = Json.write(item.customMetadata());
            itemRows.add(new ItemRow(
                    itemId,
                    runId,
                    position,
                    item.externalId(),
                    text,
                    Json.checksum(text),
                    inputs.of(item.inputArtifacts()),
                    ItemState.PENDING,
                    1,
                    now));
        }
        items.insert(c, itemRows);
        outbox.add(RunMessages.runStateChanged(run, null, now));
        return run;
    }

    /**
     * {@code [{name, download_url, metadata}]} in submitted order, written straight to text (500 items make 500 of these
     * per submission). The inputs' ids are not stored: they are derived from the item's id and each input's name when
     * they are read (RunViews), which saves a digest per input and a fifth of the text.
     */
    static String inputArtifactsJson(List<RunSubmission.InputArtifactSubmission> inputs) {
        return new InputArtifactsText().of(inputs);
    }

    /** Writes one item's input artifacts after another through one JSON generator, each as its own text. */
    static final class InputArtifactsText {

        private final StringWriter text = new StringWriter(512);
        private final JsonGenerator json;

        /**
         * One serializer provider for all the items' metadata: {@code writeTree} builds a new one per call, which cost
         * as much as writing the JSON itself.
         */
        private final SerializerProvider serializers = Json.mapper().getSerializerProviderInstance();

        InputArtifactsText() {
            try {
                json = Json.mapper().createGenerator(text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // Each item's array is a root value of its own; nothing between them.
            json.setRootValueSeparator(null);
        }

        String of(List<RunSubmission.InputArtifactSubmission> inputs) {
            text.getBuffer().setLength(0);
            try {
                json.writeStartArray();
                for (RunSubmission.InputArtifactSubmission input : inputs) {
                    json.writeStartObject();
                    json.writeStringField("name", input.name());
                    json.writeStringField("download_url", input.downloadUrl());
                    json.writeFieldName("metadata");
                    if (input.metadata() == null) {
                        json.writeNull();
                    } else {
                        input.metadata().serialize(json, serializers);
                    }
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write an item's input artifacts", e);
            }
            return text.toString();
        }
    }
}
