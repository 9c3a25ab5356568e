package org.tessera.contracts.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The ONNX model of a task.
 *
 * @param file the model's file name beside the manifest (or the upload part of that name)
 * @param sha256 the SHA-256 of the file in lower-case hex; a file with other bytes is refused, by the orchestrator at
 *     registration and by the worker when it loads the model
 * @param objectKey where the orchestrator stored the model in the object store ({@code models/<app>/<version>/<sha256>
 *     .onnx}); null in a manifest as written by its author, set in slide jobs
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ManifestModel(String file, String sha256, String objectKey, ModelInput input, ModelOutput output) {

    ManifestModel withObjectKey(String key) {
        return new ManifestModel(file, sha256, key, input, output);
    }
}
