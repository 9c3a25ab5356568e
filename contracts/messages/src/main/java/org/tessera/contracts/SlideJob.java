package org.tessera.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.tessera.contracts.manifest.ApplicationManifest;

/**
 * Work for one item: download the input(s), run the application, upload the outputs, report on
 * {@link Topics#ITEM_EVENTS}. The run and item ids are in the envelope.
 *
 * @param attempt 1 for the first try; a redelivered or retried job carries a higher number
 * @param outputPrefix object-store key prefix under which the worker writes this item's outputs; the same for every
 *     attempt, so a repeated attempt overwrites instead of duplicating
 * @param manifest for a version registered from a manifest: the manifest, each model with the object-store key it was
 *     stored under, which the worker runs instead of a built-in pipeline; left out of the JSON for built-in versions
 *     (an optional field of version 1)
 */
public record SlideJob(
        String externalId,
        String applicationId,
        String applicationVersion,
        String organizationId,
        int attempt,
        List<InputArtifact> inputArtifacts,
        String outputPrefix,
        @JsonInclude(JsonInclude.Include.NON_NULL) ApplicationManifest manifest)
        implements Payload {

    public static final String TYPE = "slide.job";

    /** A job of a built-in application version. */
    public SlideJob(
            String externalId,
            String applicationId,
            String applicationVersion,
            String organizationId,
            int attempt,
            List<InputArtifact> inputArtifacts,
            String outputPrefix) {
        this(
                externalId,
                applicationId,
                applicationVersion,
                organizationId,
                attempt,
                inputArtifacts,
                outputPrefix,
                null);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
