package org.tessera.contracts;

/**
 * One output written by a worker.
 *
 * @param name e.g. {@code tissue_qc:geojson_polygons}
 * @param objectKey key in the object store
 * @param mediaType e.g. {@code image/tiff}
 * @param sizeBytes file size
 * @param checksumBase64Crc32c Base64 of the big-endian CRC32C of the whole file
 */
public record OutputArtifact(
        String name, String objectKey, String mediaType, long sizeBytes, String checksumBase64Crc32c) {}
