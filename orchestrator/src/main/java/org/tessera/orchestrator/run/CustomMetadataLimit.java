package org.tessera.orchestrator.run;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.tessera.orchestrator.common.FieldError;
import org.tessera.orchestrator.common.Json;
import org.tessera.orchestrator.run.submission.RunSubmission;

/**
 * The size limit on custom metadata (a run's and each item's), measured as the compact JSON the platform stores. It
 * keeps free-form client data from crowding out what the database and the run-requests topic are for.
 */
@ApplicationScoped
public class CustomMetadataLimit {

    @ConfigProperty(name = "tessera.orchestrator.custom-metadata-max-bytes", defaultValue = "65536")
    int maxBytes;

    /** Every custom metadata object of a submission that is too large, each naming its field. */
    public List<FieldError> check(RunSubmission submission) {
        List<FieldError> errors = new ArrayList<>();
        check(submission.customMetadata(), List.of("custom_metadata"), errors);
        if (submission.items() != null) {
            for (int i = 0; i < submission.items().size(); i++) {
                check(submission.items().get(i).customMetadata(), List.of("items", i, "custom_metadata"), errors);
            }
        }
        return errors;
    }

    /** Adds an error naming {@code loc} (below the body) when the metadata is too large. */
    public void check(JsonNode metadata, List<Object> loc, List<FieldError> errors) {
        String tooDeep = Json.tooDeep(metadata);
        if (tooDeep != null) {
            errors.add(FieldError.body(loc, "too_deep", tooDeep));
            return;
        }
        String text = Json.write(metadata);
        if (text == null) {
            return;
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxBytes) {
            errors.add(FieldError.body(
                    loc,
                    "too_large",
                    "is " + bytes + " bytes as JSON; custom metadata may take at most " + maxBytes + " bytes"));
        }
    }
}
