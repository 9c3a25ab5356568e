package org.tessera.orchestrator.run.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.tessera.orchestrator.common.FieldError;
import org.tessera.orchestrator.common.api.JsonBodies;
import org.tessera.orchestrator.common.api.ValidationFailedException;
import org.tessera.orchestrator.run.RunCustomMetadata;

/** The body of {@code PUT .../custom-metadata} ({@code CustomMetadataUpdateRequest}) and its response. */
final class CustomMetadataRequests {

    private CustomMetadataRequests() {}

    /** {@code CustomMetadataUpdateResponse}: the checksum of the stored value, null when it was cleared. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CustomMetadataUpdateResponse(String customMetadataChecksum) {}

    /**
     * A missing {@code custom_metadata} means null, as in the API's schema: a PUT replaces the whole value. The value
     * is kept as parsed (key order, exact decimals), so that it is stored verbatim.
     */
    static RunCustomMetadata.Update parse(byte[] body) {
        ObjectNode json = JsonBodies.object(body);
        List<FieldError> errors = new ArrayList<>();
        JsonNode metadata = json.get("custom_metadata");
        if (metadata != null && metadata.isNull()) {
            metadata = null;
        }
        if (metadata != null && !metadata.isObject()) {
            errors.add(FieldError.body(List.of("custom_metadata"), "dict_type", "must be a JSON object or null"));
        }
        String checksum = JsonBodies.optionalText(json, "custom_metadata_checksum", errors);
        if (!errors.isEmpty()) {
            throw new ValidationFailedException(errors);
        }
        return new RunCustomMetadata.Update(metadata, checksum);
    }
}
