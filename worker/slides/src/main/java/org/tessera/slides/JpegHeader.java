package org.tessera.slides;

import java.io.IOException;

/**
 * The frame header (SOF) of a JPEG stream, found by walking its markers: what a decoder will allocate for, read before
 * any decoder sees the stream.
 *
 * @param width samples per line
 * @param height lines
 * @param components colour components
 * @param precision bits per sample
 */
record JpegHeader(int width, int height, int components, int precision) {

    /**
     * Reads the first frame header of {@code jpeg[0, length)}: an SOI, then marker segments (tables, application data)
     * up to an SOF.
     *
     * @throws IOException when the stream has no frame header before its first scan, or one that is cut short
     */
    static JpegHeader read(byte[] jpeg, int length) throws IOException {
        if (length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
            throw new IOException("not a JPEG stream (no start-of-image marker)");
        }
        int p = 2;
        while (p + 4 <= length) {
            if ((jpeg[p] & 0xFF) != 0xFF) {
                throw new IOException("JPEG marker expected at byte " + p);
            }
            int marker = jpeg[p + 1] & 0xFF;
            if (marker == 0xFF) {
                // Fill byte before a marker.
                p++;
                continue;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                p += 2;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) {
                break;
            }
            int segment = (jpeg[p + 2] & 0xFF) << 8 | (jpeg[p + 3] & 0xFF);
            if (isFrameHeader(marker)) {
                if (segment < 8 || p + 2 + segment > length) {
                    throw new IOException("JPEG frame header at byte " + p + " is cut short");
                }
                int precision = jpeg[p + 4] & 0xFF;
                int height = (jpeg[p + 5] & 0xFF) << 8 | (jpeg[p + 6] & 0xFF);
                int width = (jpeg[p + 7] & 0xFF) << 8 | (jpeg[p + 8] & 0xFF);
                int components = jpeg[p + 9] & 0xFF;
                return new JpegHeader(width, height, components, precision);
            }
            if (segment < 2) {
                throw new IOException("JPEG marker segment at byte " + p + " declares " + segment + " bytes");
            }
            p += 2 + segment;
        }
        throw new IOException("JPEG stream has no frame header before its image data");
    }

    /** SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
    private static boolean isFrameHeader(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }
}
