package org.tessera.contracts;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One input of an item, e.g. the {@code whole_slide_image}.
 *
 * @param name artifact name as declared by the application version
 * @param downloadUrl signed URL the worker downloads the file from
 * @param metadata the artifact metadata as submitted (validated against the version's JSON Schema)
 */
public record InputArtifact(String name, String downloadUrl, ObjectNode metadata) {}
