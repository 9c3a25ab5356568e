package org.tessera.contracts.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One task of a manifest-described application version: a model and the artifacts written from its output, each
 * named {@code <id>:<artifact>} (e.g. {@code nucleus_detection:geojson_polygons}).
 *
 * @param id lower-case words joined by {@code _}, the prefix of the task's artifact names
 * @param artifacts the artifact kinds to write, in this order; see {@link ArtifactKind}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ManifestTask(String id, ManifestModel model, List<String> artifacts) {

    public ManifestTask {
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
    }

    /** The name of the output artifact of a kind, e.g. {@code nucleus_detection:geojson_polygons}. */
    public String artifactName(String kind) {
        return id + ":" + kind;
    }

    ManifestTask withObjectKey(String objectKey) {
        return new ManifestTask(id, model.withObjectKey(objectKey), artifacts);
    }
}
