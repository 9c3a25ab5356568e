package org.tessera.orchestrator.run.progress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.tessera.contracts.ContractsJson;
import org.tessera.contracts.DerivedIds;
import org.tessera.contracts.Envelope;
import org.tessera.contracts.FailureKind;
import org.tessera.contracts.ItemEvent;
import org.tessera.contracts.ItemFailed;
import org.tessera.contracts.ItemProgress;
import org.tessera.contracts.ItemStarted;
import org.tessera.contracts.ItemSucceeded;
import org.tessera.contracts.MalformedMessageException;
import org.tessera.contracts.OutputArtifact;
import org.tessera.contracts.Payload;
import org.tessera.contracts.RunState;
import org.tessera.contracts.tracing.TraceAttributes;
import org.tessera.objectstore.ObjectKeys;
import org.tessera.orchestrator.application.ApplicationCatalogue;
import org.tessera.orchestrator.artifact.persistence.OutputArtifactRepository;
import org.tessera.orchestrator.artifact.persistence.OutputArtifactRow;
import org.tessera.orchestrator.billing.LedgerService;
import org.tessera.orchestrator.billing.SucceededItem;
import org.tessera.orchestrator.common.RunChanges;
import org.tessera.orchestrator.common.domain.Decision;
import org.tessera.orchestrator.common.tracing.TraceContext;
import org.tessera.orchestrator.item.domain.ItemEffect;
import org.tessera.orchestrator.item.domain.ItemSignal;
import org.tessera.orchestrator.item.domain.ItemState;
import org.tessera.orchestrator.item.domain.ItemStatus;
import org.tessera.orchestrator.item.persistence.ItemRow;
import org.tessera.orchestrator.messaging.ConsumedRecord;
import org.tessera.orchestrator.messaging.ConsumerSpans;
import org.tessera.orchestrator.messaging.DeadLetters;
import org.tessera.orchestrator.messaging.ProcessedEvents;
import org.tessera.orchestrator.messaging.Transient;
import org.tessera.orchestrator.outbox.Outbox;
import org.tessera.orchestrator.outbox.OutboxMessage;
import org.tessera.orchestrator.run.persistence.RunRow;

/**
 * Applies a batch of worker events (one Kafka poll) in one transaction: de-duplicate by event id, lock the runs and
 * items involved, run each event through the item and run lifecycles in order, write everything back once. Records
 * that cannot be read or applied go to the dead-letter topic in the same transaction.
 *
 * <p>Tracing: a started, succeeded or failed event is processed under a consumer span that continues the worker's
 * trace from the record's headers (heartbeats get none: one per interval would bury the slide's trace). An event that
 * ends its item adds an {@code item terminated} span beneath, ended once the transaction has committed, and the run
 * events it causes carry that span's context on to Kafka.
 */
@ApplicationScoped
public class ItemEventIngestion {

    public static final String CONSUMER_GROUP = "tessera-orchestrator-items";

    private static final Logger LOG = Logger.getLogger(ItemEventIngestion.class);

    @Inject
    DataSource dataSource;

    @Inject
    OutputArtifactRepository outputs;

    @Inject
    ProcessedEvents processedEvents;

    @Inject
    ItemTransitions itemTransitions;

    @Inject
    Outbox outbox;

    @Inject
    DeadLetters deadLetters;

    @Inject
    Clock clock;

    @Inject
    ApplicationCatalogue catalogue;

    @Inject
    MeterRegistry metrics;

    @Inject
    LedgerService ledger;

    @Inject
    RunChanges changes;

    @Inject
    Tracer tracer;

    /** @param span the event's consumer span, or null for heartbeats */
    private record Incoming(ConsumedRecord record, Envelope<Payload> envelope, ItemEvent event, Span span) {}

    private record Unreadable(ConsumedRecord record, String reason, UUID runId) {}

    public void ingest(List<ConsumedRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        List<Incoming> events = new ArrayList<>(records.size());
        List<Unreadable> unreadable = new ArrayList<>();
        for (ConsumedRecord record : records) {
            try {
                Envelope<Payload> envelope = ContractsJson.read(record.value());
                if (!(envelope.payload() instanceof ItemEvent event)) {
                    unreadable.add(new Unreadable(
                            record, "expected an item event but got type " + envelope.type(), envelope.runId()));
                } else if (envelope.itemId() == null) {
                    unreadable.add(new Unreadable(record, envelope.type() + " without item_id", envelope.runId()));
                } else if (event.attempt() < 1) {
                    unreadable.add(new Unreadable(
                            record,
                            envelope.type() + " with attempt " + event.attempt() + " (must be >= 1)",
                            envelope.runId()));
                } else if (event instanceof ItemSucceeded succeeded && incompleteOutput(succeeded) != null) {
                    unreadable.add(new Unreadable(record, incompleteOutput(succeeded), envelope.runId()));
                } else if (event instanceof ItemSucceeded succeeded && foreignOutput(envelope, succeeded) != null) {
                    unreadable.add(new Unreadable(record, foreignOutput(envelope, succeeded), envelope.runId()));
                } else if (event instanceof ItemFailed failed
                        && (failed.kind() == null || failed.errorCode() == null)) {
                    unreadable.add(new Unreadable(record, "item.failed without kind or error_code", envelope.runId()));
                } else {
                    events.add(new Incoming(record, envelope, event, consumerSpan(record, envelope, event)));
                }
            } catch (MalformedMessageException | NullPointerException e) {
                unreadable.add(new Unreadable(record, "unreadable item event: " + e.getMessage(), null));
            }
        }
        Timer.Sample sample = Timer.start(metrics);
        try {
            inTransaction(events, unreadable);
        } catch (Exception batchFailure) {
            if (Transient.isTransient(batchFailure)) {
                endSpans(events, batchFailure);
                throw new IllegalStateException("database unavailable; item events stay unconsumed", batchFailure);
            }
            LOG.warnf(batchFailure, "a batch of %d item events failed; applying them one by one", events.size());
            try {
                isolate(events, unreadable);
            } catch (RuntimeException e) {
                endSpans(events, e);
                throw e;
            }
        }
        endSpans(events, null);
        changes.signal();
        sample.stop(metrics.timer("tessera.item.events.batch"));
        metrics.counter("tessera.item.events.consumed").increment(records.size());
    }

    /** One record at a time, so that a record that cannot be applied is dead-lettered without holding up others. */
    private void isolate(List<Incoming> events, List<Unreadable> unreadable) {
        try {
            inTransaction(List.of(), unreadable);
        } catch (Exception e) {
            throw new IllegalStateException("cannot dead-letter unreadable item events", e);
        }
        for (Incoming event : events) {
            try {
                inTransaction(List.of(event), List.of());
            } catch (Exception e) {
                if (Transient.isTransient(e)) {
                    throw new IllegalStateException("database unavailable; item events stay unconsumed", e);
                }
                deadLetters.publish(
                        event.record(),
                        CONSUMER_GROUP,
                        "cannot apply: " + e,
                        event.envelope().runId());
            }
        }
    }

    private void inTransaction(List<Incoming> events, List<Unreadable> unreadable) throws Exception {
        List<Span> terminated = new ArrayList<>();
        try {
            Transient.inNewTransaction("item event batch", dataSource, c -> {
                // A transient failure runs this again: what an earlier try decided was rolled back.
                endAll(terminated, "rolled back");
                apply(c, events, unreadable, terminated);
                return null;
            });
        } catch (Exception e) {
            endAll(terminated, "rolled back: " + e);
            throw e;
        }
        endAll(terminated, null);
    }

    private Span consumerSpan(ConsumedRecord record, Envelope<Payload> envelope, ItemEvent event) {
        if (event instanceof ItemProgress) {
            return null;
        }
        Span span = ConsumerSpans.start(tracer, record, CONSUMER_GROUP);
        span.setAttribute(TraceAttributes.EVENT_TYPE, envelope.type());
        span.setAttribute(TraceAttributes.RUN_ID, String.valueOf(envelope.runId()));
        span.setAttribute(TraceAttributes.ITEM_ID, String.valueOf(envelope.itemId()));
        span.setAttribute(TraceAttributes.ATTEMPT, (long) event.attempt());
        return span;
    }

    /** The span of an item's move to a terminal state, under the consumer span of the event that caused it. */
    private Span terminatedSpan(Incoming event, RunRow run, ItemRow item) {
        Span span = tracer.spanBuilder("item terminated")
                .setParent(Context.root().with(event.span()))
                .setAttribute(TraceAttributes.RUN_ID, run.runId.toString())
                .setAttribute(TraceAttributes.ITEM_ID, item.itemId.toString())
                .setAttribute(TraceAttributes.ATTEMPT, (long) item.attempt)
                .setAttribute(TraceAttributes.ITEM_STATE, item.state.name())
                .setAttribute(TraceAttributes.RUN_STATE, run.state.name())
                .startSpan();
        if (item.errorCode != null) {
            span.setAttribute(TraceAttributes.ERROR_CODE, item.errorCode);
            span.setStatus(StatusCode.ERROR, item.errorCode);
        }
        return span;
    }

    private static void endAll(List<Span> spans, String error) {
        for (Span span : spans) {
            if (error != null) {
                span.setStatus(StatusCode.ERROR, error);
            }
            span.end();
        }
        spans.clear();
    }

    private static void endSpans(List<Incoming> events, Exception failure) {
        for (Incoming event : events) {
            if (event.span() != null) {
                if (failure != null) {
                    event.span().recordException(failure);
                    event.span().setStatus(StatusCode.ERROR, "not applied; consumed again");
                }
                event.span().end();
            }
        }
    }

    private void apply(Connection c, List<Incoming> events, List<Unreadable> unreadable, List<Span> terminated)
            throws SQLException {
        Instant now = clock.instant();
        List<OutboxMessage> messages = new ArrayList<>();
        for (Unreadable u : unreadable) {
            messages.add(deadLetters.message(u.record(), CONSUMER_GROUP, u.reason(), u.runId()));
        }
        Set<UUID> fresh = processedEvents.markProcessed(
                c, events.stream().map(e -> e.envelope().eventId()).toList(), now);
        List<Incoming> todo = new ArrayList<>(events.size());
        for (Incoming event : events) {
            // remove(): a second copy of the same event within this batch is a duplicate too.
            if (fresh.remove(event.envelope().eventId())) {
                todo.add(event);
            }
        }
        LockedItems locked = itemTransitions.lock(
                c,
                todo.stream().map(e -> e.envelope().runId()).collect(Collectors.toSet()),
                todo.stream().map(e -> e.envelope().itemId()).collect(Collectors.toSet()));

        List<OutputArtifactRow> reportedOutputs = new ArrayList<>();
        List<SucceededItem> toCharge = new ArrayList<>();
        for (Incoming event : todo) {
            Envelope<Payload> envelope = event.envelope();
            RunRow run = locked.run(envelope.runId());
            ItemRow item = locked.item(envelope.itemId());
            String problem = problem(run, item, envelope);
            if (problem != null) {
                messages.add(deadLetters.message(event.record(), CONSUMER_GROUP, problem, envelope.runId()));
                continue;
            }
            // An event the lifecycles refuse fails the whole batch on purpose: the batch is then replayed one event per
            // transaction, and the refused one is dead-lettered without leaving half-applied rows in memory.
            int firstCaused = messages.size();
            boolean wasTerminal = item.state.isTerminal();
            Decision<ItemStatus, ItemEffect> decision =
                    itemTransitions.apply(c, locked, run, item, signal(event.event()), now, messages);
            if (decision.isIgnored()) {
                continue;
            }
            if (event.span() != null && !wasTerminal && item.state.isTerminal()) {
                Span span = terminatedSpan(event, run, item);
                terminated.add(span);
                TraceContext caused = TraceContext.of(Context.root().with(span));
                for (int i = firstCaused; i < messages.size(); i++) {
                    messages.set(i, messages.get(i).withTrace(caused));
                }
            }
            recordWorkerReport(item, event.event(), now);
            if (event.event() instanceof ItemSucceeded succeeded && item.state == ItemState.SUCCEEDED) {
                reportedOutputs.addAll(outputRows(run, item, succeeded.outputArtifacts(), now, catalogue));
                toCharge.add(succeededItem(run, item));
            }
        }
        ledger.chargeAll(c, toCharge, now, messages);
        itemTransitions.store(c, locked);
        outputs.upsert(c, reportedOutputs);
        outbox.appendAll(c, messages);
    }

    private static SucceededItem succeededItem(RunRow run, ItemRow item) {
        return new SucceededItem(
                run.runId, item.itemId, run.organizationId, run.submittedBy, run.applicationId, run.versionNumber);
    }

    /** Why the outputs of a success report cannot be stored, or null when they can. */
    private static String incompleteOutput(ItemSucceeded succeeded) {
        if (succeeded.outputArtifacts() == null) {
            return null;
        }
        for (OutputArtifact output : succeeded.outputArtifacts()) {
            if (output == null
                    || output.name() == null
                    || output.objectKey() == null
                    || output.mediaType() == null
                    || output.checksumBase64Crc32c() == null) {
                return "item.succeeded with an incomplete output artifact (name, object_key, media_type and"
                        + " checksum_base64_crc32c are required): " + output;
            }
        }
        return null;
    }

    /**
     * Why an output of a success report lies outside the item's own output prefix ({@code outputs/<run>/<item>/}, the
     * one its slide job named), or null when none does. Download links are signed for the keys stored here, so a
     * worker that could name any key could hand a client another organization's object.
     */
    static String foreignOutput(Envelope<Payload> envelope, ItemSucceeded succeeded) {
        if (succeeded.outputArtifacts() == null || envelope.runId() == null) {
            return null;
        }
        String prefix = "outputs/" + envelope.runId() + "/" + envelope.itemId() + "/";
        for (OutputArtifact output : succeeded.outputArtifacts()) {
            String key = output.objectKey();
            boolean valid;
            try {
                ObjectKeys.requireValid(key);
                valid = true;
            } catch (IllegalArgumentException e) {
                valid = false;
            }
            if (!valid || !key.startsWith(prefix) || key.length() == prefix.length()) {
                return "item.succeeded names output " + output.name() + " at object key '" + key
                        + "', outside the item's output prefix " + prefix;
            }
        }
        return null;
    }

    private static String problem(RunRow run, ItemRow item, Envelope<Payload> envelope) {
        if (item == null) {
            return "unknown item " + envelope.itemId() + " (run " + envelope.runId() + ")";
        }
        if (run == null || !item.runId.equals(run.runId)) {
            return "item " + envelope.itemId() + " does not belong to run " + envelope.runId();
        }
        if (run.state == RunState.RECEIVED) {
            return "run " + run.runId + " has not been admitted yet, so it has no jobs to report on";
        }
        return null;
    }

    private static ItemSignal signal(ItemEvent event) {
        return switch (event) {
            case ItemStarted started -> new ItemSignal.Started(started.attempt());
            case ItemProgress progress -> new ItemSignal.Progressed(progress.attempt());
            case ItemSucceeded succeeded -> new ItemSignal.Succeeded(succeeded.attempt());
            case ItemFailed failed ->
                new ItemSignal.Failed(
                        failed.attempt(),
                        failed.kind() == FailureKind.USER_ERROR,
                        failed.errorCode(),
                        failed.message());
        };
    }

    /**
     * The worker's word is also its heartbeat; progress is kept for operators (the API has no field for it). The item
     * counts as progressing when its stage, tiles or downloaded bytes moved since the last report: a heartbeat that
     * repeats the same counters keeps the lease but not {@code progressed_at}, which the stall check reads.
     */
    private static void recordWorkerReport(ItemRow item, ItemEvent event, Instant now) {
        item.lastEventAt = now;
        switch (event) {
            case ItemStarted started -> {
                item.workerId = started.workerId();
                item.progressedAt = now;
            }
            case ItemProgress progress -> {
                boolean moved = item.progressedAt == null
                        || !Objects.equals(item.progressStage, progress.stage())
                        || !Objects.equals(item.tilesDone, progress.tilesDone())
                        || !Objects.equals(item.bytesDone, progress.bytesDone());
                if (moved) {
                    item.progressedAt = now;
                }
                item.workerId = progress.workerId();
                item.progressStage = progress.stage();
                item.tilesDone = progress.tilesDone();
                item.tilesTotal = progress.tilesTotal();
                item.bytesDone = progress.bytesDone();
                item.bytesTotal = progress.bytesTotal();
            }
            case ItemSucceeded succeeded -> item.workerId = succeeded.workerId();
            case ItemFailed failed -> item.workerId = failed.workerId();
        }
    }

    private static List<OutputArtifactRow> outputRows(
            RunRow run,
            ItemRow item,
            Collection<OutputArtifact> artifacts,
            Instant now,
            ApplicationCatalogue catalogue) {
        List<OutputArtifactRow> rows = new ArrayList<>();
        if (artifacts == null) {
            return rows;
        }
        Set<String> names = new HashSet<>();
        int position = 0;
        for (OutputArtifact artifact : artifacts) {
            if (artifact == null || artifact.name() == null || !names.add(artifact.name())) {
                continue;
            }
            rows.add(new OutputArtifactRow(
                    DerivedIds.outputArtifact(item.itemId, artifact.name()),
                    run.runId,
                    item.itemId,
                    position++,
                    artifact.name(),
                    artifact.objectKey(),
                    artifact.mediaType(),
                    artifact.sizeBytes(),
                    artifact.checksumBase64Crc32c(),
                    OutputArtifactRow.AVAILABLE,
                    now,
                    declaredMetadata(catalogue, run, artifact)));
        }
        return rows;
    }

    /**
     * The worker's metadata reduced to the keys the version's output metadata schema declares, so what the API serves
     * stays valid against the schema it publishes (which forbids other keys); null when nothing is left.
     */
    private static String declaredMetadata(ApplicationCatalogue catalogue, RunRow run, OutputArtifact artifact) {
        ObjectNode metadata = artifact.metadata();
        if (metadata == null || metadata.isEmpty()) {
            return null;
        }
        JsonNode declared = catalogue
                .application(run.applicationId)
                .flatMap(app -> app.version(run.versionNumber))
                .flatMap(version -> version.outputArtifact(artifact.name()))
                .map(spec -> spec.metadataSchema().path("properties"))
                .orElse(null);
        if (declared == null || !declared.isObject()) {
            return null;
        }
        ObjectNode kept = metadata.objectNode();
        for (Map.Entry<String, JsonNode> field : metadata.properties()) {
            if (declared.has(field.getKey())) {
                kept.set(field.getKey(), field.getValue());
            }
        }
        return kept.isEmpty() ? null : kept.toString();
    }
}
