package org.tessera.cli.slides;

import java.nio.file.Path;

/**
 * A slide on this machine, with the metadata a run request carries for it.
 *
 * @param externalId the item's id in the run: the file name
 * @param checksum Base64 of the big-endian CRC32C of the whole file
 */
public record LocalSlide(
        Path file,
        String externalId,
        String mediaType,
        long sizeBytes,
        int width,
        int height,
        double mpp,
        String format,
        String checksum) {}
