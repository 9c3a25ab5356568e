package org.tessera.contracts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * The API's checksum format: Base64 of the big-endian CRC32C (Castagnoli) of a whole file, as in
 * {@code checksum_base64_crc32c}.
 */
public final class Crc32c {

    private Crc32c() {}

    public static String base64(long crc32cValue) {
        return Base64.getEncoder()
                .encodeToString(ByteBuffer.allocate(4).putInt((int) crc32cValue).array());
    }

    public static String base64Of(byte[] bytes) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes);
        return base64(crc.getValue());
    }

    public static String base64Of(InputStream in) throws IOException {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
            crc.update(buffer, 0, n);
        }
        return base64(crc.getValue());
    }
}
