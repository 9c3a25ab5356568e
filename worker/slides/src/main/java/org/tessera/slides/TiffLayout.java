package org.tessera.slides;

import static org.tessera.slides.TiffDirectory.BITS_PER_SAMPLE;
import static org.tessera.slides.TiffDirectory.COMPRESSION;
import static org.tessera.slides.TiffDirectory.PHOTOMETRIC;
import static org.tessera.slides.TiffDirectory.PLANAR_CONFIGURATION;
import static org.tessera.slides.TiffDirectory.PREDICTOR;
import static org.tessera.slides.TiffDirectory.SAMPLES_PER_PIXEL;
import static org.tessera.slides.TiffDirectory.SAMPLE_FORMAT;

import java.io.IOException;
import java.util.Set;
import org.tessera.slides.SlideFormatException.Code;

/**
 * How one TIFF image stores its pixels, checked against what the readers decode: 8-bit unsigned samples, interleaved
 * (PlanarConfiguration 1), as greyscale (one sample), RGB (three, or four with alpha) or, inside JPEG, YCbCr. Anything
 * else is refused as UNSUPPORTED_FORMAT with a message naming the property and its value, before a pixel is decoded,
 * for the native backend too: its pre-flight check runs the same rules, so no unusual layout reaches libtiff.
 *
 * @param compression the TIFF Compression value
 * @param samples samples per pixel (1, 3 or 4)
 * @param photometric PhotometricInterpretation (0, 1, 2 or 6)
 * @param predictor whether the samples are horizontally differenced (Predictor 2)
 */
record TiffLayout(int compression, int samples, int photometric, boolean predictor) {

    static final int JPEG = 7;
    static final int PHOTOMETRIC_YCBCR = 6;

    /** Lossless codecs whose output is the samples themselves: none, LZW, deflate, PackBits, deflate (old code). */
    private static final Set<Integer> RAW_COMPRESSIONS =
            Set.of(TileCodecs.NONE, TileCodecs.LZW, TileCodecs.DEFLATE, TileCodecs.DEFLATE_OLD, TileCodecs.PACKBITS);

    /**
     * @param compressions the compressions the backend decodes
     * @param where how messages name the image, e.g. {@code slide.tiff level 0}
     */
    static TiffLayout of(TiffDirectory d, Set<Integer> compressions, String where)
            throws SlideFormatException, IOException {
        int compression = (int) d.first(COMPRESSION, 1);
        if (!compressions.contains(compression)) {
            throw unsupported(where, "TIFF compression " + compression + compressionName(compression));
        }
        int samples = (int) d.first(SAMPLES_PER_PIXEL, 1);
        if (samples > 1 && d.first(PLANAR_CONFIGURATION, 1) != 1) {
            throw unsupported(where, "PlanarConfiguration " + d.first(PLANAR_CONFIGURATION, 1) + " (separate planes)");
        }
        long sampleFormat = d.first(SAMPLE_FORMAT, 1);
        if (sampleFormat != 1) {
            throw unsupported(where, "SampleFormat " + sampleFormat + sampleFormatName(sampleFormat));
        }
        int bits = bitsPerSample(d, samples);
        if (bits != 8) {
            throw unsupported(where, bits + (bits == 1 ? " bit" : " bits") + " per sample");
        }
        int photometric = (int) d.first(PHOTOMETRIC, 2);
        boolean raw = RAW_COMPRESSIONS.contains(compression);
        switch (photometric) {
            case 0, 1 -> {
                if (samples != 1) {
                    throw unsupported(
                            where,
                            samples + " samples per pixel in PhotometricInterpretation " + photometric
                                    + " (greyscale)");
                }
            }
            case 2 -> {
                if (samples != 3 && !(samples == 4 && raw)) {
                    throw unsupported(
                            where,
                            samples + " samples per pixel in PhotometricInterpretation 2 (RGB)"
                                    + (raw ? "" : " with TIFF compression " + compression));
                }
            }
            case PHOTOMETRIC_YCBCR -> {
                if (raw) {
                    throw unsupported(
                            where,
                            "PhotometricInterpretation 6 (YCbCr) with TIFF compression " + compression
                                    + compressionName(compression) + ": YCbCr only inside JPEG");
                }
                if (samples != 3) {
                    throw unsupported(where, samples + " samples per pixel in PhotometricInterpretation 6 (YCbCr)");
                }
            }
            default ->
                throw unsupported(where, "PhotometricInterpretation " + photometric + photometricName(photometric));
        }
        long predictor = d.first(PREDICTOR, 1);
        if (raw && predictor != 1 && predictor != 2) {
            throw unsupported(where, "Predictor " + predictor + (predictor == 3 ? " (floating point)" : ""));
        }
        return new TiffLayout(compression, samples, photometric, raw && predictor == 2);
    }

    /** Whether the image decodes through the pure-Java reader (the native backend decodes more compressions). */
    boolean decodedHere() {
        return compression == JPEG || RAW_COMPRESSIONS.contains(compression);
    }

    boolean jpeg() {
        return compression == JPEG;
    }

    boolean ycbcr() {
        return photometric == PHOTOMETRIC_YCBCR;
    }

    /** The bit depth when every sample has the same, else the first that is not 8. */
    private static int bitsPerSample(TiffDirectory d, int samples) throws SlideFormatException, IOException {
        long count = d.count(BITS_PER_SAMPLE);
        if (count <= 1) {
            return (int) d.first(BITS_PER_SAMPLE, 1);
        }
        long[] bits = d.integers(BITS_PER_SAMPLE, (int) Math.min(count, Math.max(1, Math.min(samples, 16))));
        for (long b : bits) {
            if (b != 8) {
                return (int) b;
            }
        }
        return 8;
    }

    private static SlideFormatException unsupported(String where, String what) {
        return new SlideFormatException(
                Code.UNSUPPORTED_FORMAT,
                where + " stores its pixels with " + what + ", which this platform does not" + " decode");
    }

    static String compressionName(int compression) {
        return switch (compression) {
            case 6 -> " (old-style JPEG)";
            case 33003, 33005 -> " (Aperio JPEG 2000)";
            case 34712 -> " (JPEG 2000)";
            case 50001 -> " (WebP)";
            case 34887 -> " (LERC)";
            case 34892 -> " (lossy JPEG)";
            case 50000 -> " (ZSTD)";
            default -> "";
        };
    }

    private static String photometricName(int photometric) {
        return switch (photometric) {
            case 3 -> " (palette colour)";
            case 4 -> " (transparency mask)";
            case 5 -> " (separated, e.g. CMYK)";
            case 8, 9, 10 -> " (CIE L*a*b*)";
            case 32844, 32845 -> " (LogLuv)";
            case 34892 -> " (linear raw)";
            default -> "";
        };
    }

    private static String sampleFormatName(long sampleFormat) {
        return switch ((int) sampleFormat) {
            case 2 -> " (signed integers)";
            case 3 -> " (floating point)";
            case 5, 6 -> " (complex numbers)";
            default -> "";
        };
    }
}
