package org.tessera.orchestrator.application.domain;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * An input or output an application version declares.
 *
 * @param name e.g. {@code whole_slide_image} or {@code tissue_qc:geojson_polygons}
 * @param mimeType the media type of the file
 * @param metadataSchema JSON Schema (2020-12) of the artifact's {@code metadata}
 * @param scope {@code ITEM} or {@code GLOBAL} (outputs only; null for inputs)
 * @param visibility {@code EXTERNAL} or {@code INTERNAL} (outputs only; null for inputs)
 */
public record ArtifactSpec(String name, String mimeType, ObjectNode metadataSchema, String scope, String visibility) {

    public ArtifactSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mimeType, "mimeType");
        Objects.requireNonNull(metadataSchema, "metadataSchema");
    }
}
