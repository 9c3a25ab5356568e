package org.tessera.orchestrator.outbox;

import java.util.Arrays;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * A payload as the outbox table holds it: as it is, or, when that saves the database real work, as one LZ4 block
 * together with its size before compression ({@code payload_lz4_size}; null for a payload stored as it is).
 *
 * <p>A 500-item run request is 150-350 KiB of JSON that the database stores, logs, reads back and deletes within a
 * second; as an LZ4 block it is a sixth of that (signed URLs with random signatures included), and compressing it
 * costs the orchestrator about a quarter of a millisecond. What goes to Kafka is always the payload as written.
 */
record StoredPayload(byte[] bytes, Integer lz4Size) {

    private static final LZ4Factory LZ4 = lz4();
    private static final LZ4Compressor COMPRESSOR = LZ4.fastCompressor();
    private static final LZ4SafeDecompressor DECOMPRESSOR = LZ4.safeDecompressor();

    /**
     * LZ4 in native code, about four times faster than its Java port here. {@link LZ4Factory#fastestInstance()} would
     * pick the port: it loads native code only for classes of the system class loader, and an application's classes
     * are not. The port stands in where the native library cannot be loaded (another platform, or a class loader
     * that loaded it before in the same JVM, as a test's restarted application does).
     */
    private static LZ4Factory lz4() {
        try {
            return LZ4Factory.nativeInstance();
        } catch (Throwable e) {
            return LZ4Factory.fastestJavaInstance();
        }
    }

    /**
     * The payload as it is if it is smaller than {@code compressFromBytes} (0: never compress) or compresses by less
     * than a tenth, else as an LZ4 block.
     */
    static StoredPayload of(byte[] payload, int compressFromBytes) {
        if (compressFromBytes <= 0 || payload.length < compressFromBytes) {
            return new StoredPayload(payload, null);
        }
        byte[] block = new byte[COMPRESSOR.maxCompressedLength(payload.length)];
        int length = COMPRESSOR.compress(payload, 0, payload.length, block, 0, block.length);
        if (length > payload.length - payload.length / 10) {
            return new StoredPayload(payload, null);
        }
        return new StoredPayload(Arrays.copyOf(block, length), payload.length);
    }

    /** The payload as it was written, from a row's {@code payload} and {@code payload_lz4_size}. */
    static byte[] expand(byte[] stored, Integer lz4Size) {
        if (lz4Size == null) {
            return stored;
        }
        try {
            byte[] payload = new byte[lz4Size];
            int size = DECOMPRESSOR.decompress(stored, 0, stored.length, payload, 0, lz4Size);
            if (size != lz4Size) {
                throw new IllegalStateException(
                        "outbox payload is not one LZ4 block of " + lz4Size + " bytes: it expands to " + size);
            }
            return payload;
        } catch (LZ4Exception e) {
            throw new IllegalStateException(
                    "outbox payload is not one LZ4 block of " + lz4Size + " bytes: " + e.getMessage(), e);
        }
    }
}
