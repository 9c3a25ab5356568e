package org.tessera.slides;

import java.util.Objects;

/**
 * Which decoder the pure-Java TIFF backend turns JPEG tiles into pixels with, for the start-up log and health checks.
 *
 * @param libjpegTurbo true for libjpeg-turbo (native, over FFM), false for the JDK's ImageIO decoder
 * @param detail the library and its version, or why the JDK decodes
 */
public record JpegDecoderInfo(boolean libjpegTurbo, String detail) {

    public JpegDecoderInfo {
        Objects.requireNonNull(detail, "detail");
    }

    static JpegDecoderInfo libjpegTurbo(String detail) {
        return new JpegDecoderInfo(true, detail);
    }

    static JpegDecoderInfo jdk(String why) {
        return new JpegDecoderInfo(false, why);
    }

    /** E.g. {@code libjpeg-turbo 2.1.5 via FFM, /usr/lib/x86_64-linux-gnu/libturbojpeg.so.0.2.0}. */
    @Override
    public String toString() {
        return libjpegTurbo ? detail : "JDK ImageIO (" + detail + ")";
    }
}
