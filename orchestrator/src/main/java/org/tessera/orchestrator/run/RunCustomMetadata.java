package org.tessera.orchestrator.run;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;
import org.tessera.orchestrator.common.FieldError;
import org.tessera.orchestrator.common.Json;
import org.tessera.orchestrator.common.api.ApiException;
import org.tessera.orchestrator.common.api.ValidationFailedException;
import org.tessera.orchestrator.item.persistence.ItemRepository;
import org.tessera.orchestrator.item.persistence.ItemRow;
import org.tessera.orchestrator.run.persistence.RunRepository;
import org.tessera.orchestrator.run.persistence.RunRow;
import org.tessera.orchestrator.tenancy.Caller;

/**
 * Replaces the custom metadata of a run or of one of its items ({@code PUT .../custom-metadata}). Only the run's owner
 * may; the new value is stored verbatim (key order, decimals) and, when the client sends the checksum it last read,
 * only if nobody changed the value since (optimistic concurrency: the row is locked while the checksum is compared).
 */
@ApplicationScoped
public class RunCustomMetadata {

    /**
     * A {@code CustomMetadataUpdateRequest}.
     *
     * @param metadata a JSON object, or null to clear it
     * @param checksum the checksum the client last read, or null to overwrite unconditionally
     */
    public record Update(JsonNode metadata, String checksum) {}

    @Inject
    DataSource dataSource;

    @Inject
    RunVisibility visibility;

    @Inject
    RunRepository runs;

    @Inject
    ItemRepository items;

    @Inject
    CustomMetadataLimit limit;

    @Inject
    Clock clock;

    /** Returns the new checksum (null when the metadata was cleared). */
    @Transactional(rollbackOn = Exception.class)
    public String replaceOnRun(UUID runId, Caller caller, Update update) throws SQLException {
        requireWithinLimit(update);
        try (Connection c = dataSource.getConnection()) {
            RunRow run = visibility.changeable(c, runId, caller, "change its custom metadata");
            requireChecksum(update.checksum(), run.customMetadataChecksum, "run " + runId);
            String text = Json.write(update.metadata());
            String checksum = Json.checksum(text);
            runs.updateCustomMetadata(c, runId, text, checksum, clock.instant());
            return checksum;
        }
    }

    /** Returns the new checksum (null when the metadata was cleared). */
    @Transactional(rollbackOn = Exception.class)
    public String replaceOnItem(UUID runId, String externalId, Caller caller, Update update) throws SQLException {
        requireWithinLimit(update);
        try (Connection c = dataSource.getConnection()) {
            visibility.changeable(c, runId, caller, "change the custom metadata of its items");
            ItemRow item = items.lock(c, runId, externalId)
                    .orElseThrow(() -> ApiException.notFound("Item '" + externalId + "' not found in run " + runId));
            requireChecksum(update.checksum(), item.customMetadataChecksum, "item '" + externalId + "'");
            String text = Json.write(update.metadata());
            String checksum = Json.checksum(text);
            items.updateCustomMetadata(c, item.itemId, text, checksum, clock.instant());
            return checksum;
        }
    }

    private void requireWithinLimit(Update update) {
        List<FieldError> errors = new ArrayList<>();
        limit.check(update.metadata(), List.of("custom_metadata"), errors);
        if (!errors.isEmpty()) {
            throw new ValidationFailedException(errors);
        }
    }

    private static void requireChecksum(String given, String stored, String what) {
        if (given != null && !Objects.equals(given, stored)) {
            throw new ApiException(
                    412,
                    "RESOURCE.CHECKSUM_MISMATCH",
                    "custom_metadata_checksum: '" + given + "' is not the checksum of the current custom metadata of "
                            + what + "; it was changed since you read it. Read it again, then retry.");
        }
    }
}
