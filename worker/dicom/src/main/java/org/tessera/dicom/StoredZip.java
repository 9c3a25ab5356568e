package org.tessera.dicom;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** A zip of files stored uncompressed (JPEG frames do not deflate), so the zip is about the size of the files. */
public final class StoredZip {

    private StoredZip() {}

    /**
     * Writes {@code files} into {@code zip}, each entry named by its file name.
     *
     * @param entryTime the local time every entry is stamped with (a fixed one makes the zip reproducible), or null
     *     for the time of writing
     */
    public static void write(Path zip, List<Path> files, LocalDateTime entryTime) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(zip), 1 << 16))) {
            for (Path file : files) {
                ZipEntry entry = new ZipEntry(file.getFileName().toString());
                entry.setMethod(ZipEntry.STORED);
                long size = Files.size(file);
                entry.setSize(size);
                entry.setCompressedSize(size);
                entry.setCrc(crc32(file));
                if (entryTime != null) {
                    entry.setTimeLocal(entryTime);
                }
                out.putNextEntry(entry);
                Files.copy(file, out);
                out.closeEntry();
            }
        }
    }

    private static long crc32(Path file) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                crc.update(buffer, 0, n);
            }
        }
        return crc.getValue();
    }
}
