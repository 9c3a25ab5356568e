package org.tessera.dicom;

/** Reads the markers before a JPEG's first scan to learn what colour transform the stream declares. */
final class JpegMarkers {

    private JpegMarkers() {}

    /**
     * Whether the stream says its components are YCbCr: a JFIF APP0 marker, or an Adobe APP14 marker with a non-zero
     * transform. Component ids 'R','G','B', an Adobe transform of 0, or no marker at all read as no.
     */
    static boolean declaresColourTransform(byte[] data, int offset, int length) {
        int end = offset + length;
        int p = offset + 2;
        if (length < 4 || (data[offset] & 0xFF) != 0xFF || (data[offset + 1] & 0xFF) != 0xD8) {
            return false;
        }
        boolean jfif = false;
        while (p + 4 <= end) {
            if ((data[p] & 0xFF) != 0xFF) {
                return jfif;
            }
            int marker = data[p + 1] & 0xFF;
            if (marker == 0xFF) {
                p++;
                continue;
            }
            int segment = (data[p + 2] & 0xFF) << 8 | (data[p + 3] & 0xFF);
            int body = p + 4;
            if (marker == 0xE0 && segment >= 7 && body + 5 <= end && matches(data, body, "JFIF")) {
                jfif = true;
            } else if (marker == 0xEE && segment >= 12 && body + 12 <= end && matches(data, body, "Adobe")) {
                return data[body + 11] != 0;
            } else if (marker == 0xDA || marker == 0xD9) {
                return jfif;
            }
            p += 2 + segment;
        }
        return jfif;
    }

    private static boolean matches(byte[] data, int at, String text) {
        for (int i = 0; i < text.length(); i++) {
            if (data[at + i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
