package org.tessera.slides;

import java.io.IOException;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decompressors for the lossless TIFF tile codecs (none, LZW, deflate, PackBits) and the horizontal predictor, for
 * 8-bit interleaved samples. They never write past {@code out} whatever the input holds: a corrupt tile decodes to
 * garbage or fails, it cannot overrun.
 */
final class TileCodecs {

    static final int NONE = 1;
    static final int LZW = 5;
    static final int DEFLATE = 8;
    static final int DEFLATE_OLD = 32946;
    static final int PACKBITS = 32773;

    private TileCodecs() {}

    /** Fills {@code out} from the compressed tile; a short tile leaves the rest zero. */
    static void decompress(int compression, byte[] in, int length, byte[] out) throws IOException {
        switch (compression) {
            case NONE -> System.arraycopy(in, 0, out, 0, Math.min(length, out.length));
            case DEFLATE, DEFLATE_OLD -> inflate(in, length, out);
            case PACKBITS -> unpackBits(in, length, out);
            case LZW -> lzw(in, length, out);
            default -> throw new IOException("compression " + compression + " has no decoder here");
        }
    }

    private static void inflate(byte[] in, int length, byte[] out) throws IOException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(in, 0, length);
            int done = 0;
            while (done < out.length && !inflater.finished()) {
                int n = inflater.inflate(out, done, out.length - done);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                done += n;
            }
        } catch (DataFormatException e) {
            throw new IOException("deflate data is corrupt: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    private static void unpackBits(byte[] in, int length, byte[] out) {
        int i = 0;
        int o = 0;
        while (i < length && o < out.length) {
            int n = in[i++];
            if (n >= 0) {
                int count = Math.min(n + 1, Math.min(length - i, out.length - o));
                System.arraycopy(in, i, out, o, count);
                i += n + 1;
                o += count;
            } else if (n != -128 && i < length) {
                int count = Math.min(1 - n, out.length - o);
                java.util.Arrays.fill(out, o, o + count, in[i++]);
                o += count;
            }
        }
    }

    /**
     * TIFF LZW (MSB-first codes of 9 to 12 bits, early change). A table entry is a run of bytes already written to
     * {@code out}: each new string is the previous one plus the first byte of the current one, which follows it there.
     */
    private static void lzw(byte[] in, int length, byte[] out) throws IOException {
        int[] entryAt = new int[4096];
        int[] entryLength = new int[4096];
        long bits = 0;
        int available = 0;
        int i = 0;
        int width = 9;
        int next = 258;
        int previousAt = -1;
        int previousLength = 0;
        int o = 0;
        while (o < out.length) {
            while (available < width && i < length) {
                bits = (bits << 8) | (in[i++] & 0xFF);
                available += 8;
            }
            if (available < width) {
                return;
            }
            int code = (int) ((bits >>> (available - width)) & ((1 << width) - 1));
            available -= width;
            if (code == 257) {
                return;
            }
            if (code == 256) {
                width = 9;
                next = 258;
                previousAt = -1;
                continue;
            }
            int stringLength;
            if (code < 256) {
                out[o] = (byte) code;
                stringLength = 1;
            } else if (code < next) {
                stringLength = entryLength[code];
                System.arraycopy(out, entryAt[code], out, o, Math.min(stringLength, out.length - o));
            } else if (code == next && previousAt >= 0) {
                stringLength = previousLength + 1;
                int n = Math.min(previousLength, out.length - o);
                System.arraycopy(out, previousAt, out, o, n);
                if (o + previousLength < out.length) {
                    out[o + previousLength] = out[previousAt];
                }
            } else {
                throw new IOException("LZW code " + code + " is not in the table (" + next + " entries)");
            }
            if (previousAt >= 0 && next < 4096) {
                entryAt[next] = previousAt;
                entryLength[next] = previousLength + 1;
                next++;
                if (next == (1 << width) - 1 && width < 12) {
                    width++;
                }
            }
            previousAt = o;
            previousLength = stringLength;
            o += stringLength;
        }
    }

    /** Undoes TIFF Predictor 2 (horizontal differencing) on 8-bit samples, row by row. */
    static void undoHorizontalPredictor(byte[] data, int width, int height, int samples) {
        int stride = width * samples;
        for (int y = 0; y < height; y++) {
            int row = y * stride;
            for (int x = samples; x < stride; x++) {
                data[row + x] += data[row + x - samples];
            }
        }
    }
}
