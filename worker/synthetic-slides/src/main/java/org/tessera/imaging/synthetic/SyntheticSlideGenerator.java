package org.tessera.imaging.synthetic;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.tessera.contracts.Crc32c;
import org.tessera.imaging.tiff.TiffPyramidWriter;

/**
 * Makes whole-slide images for tests, demos and benchmarks that look like H&E, with full ground truth (see
 * {@link GroundTruth}): tissue pieces at known positions, tissue classes (tumour, stroma, necrosis, fat-like other),
 * nuclei of known class at known positions and, optionally, pen marks, a blurred patch and a fold. Written as tiled
 * pyramidal JPEG TIFF, BigTIFF, Aperio SVS or DICOM WSI. Rendering goes tile by tile, so memory stays flat for slides
 * of any size (40,000 x 40,000 and beyond).
 */
public final class SyntheticSlideGenerator {

    private SyntheticSlideGenerator() {}

    /** A generic tiled pyramidal JPEG TIFF (BigTIFF only if it would not fit in 4 GiB). */
    public static SyntheticSlide generate(Path target, int width, int height, double mpp, long seed)
            throws IOException {
        return generate(target, width, height, mpp, seed, SyntheticSlideOptions.tiff());
    }

    /**
     * Writes a slide as the options say: a TIFF/BigTIFF/SVS file, or a DICOM WSI series as a directory, a zip or a
     * single level-0 instance. The same arguments always give the same bytes (DICOM UIDs and dates are derived from
     * the seed, zip entries carry a fixed time).
     */
    public static SyntheticSlide generate(
            Path target, int width, int height, double mpp, long seed, SyntheticSlideOptions options)
            throws IOException {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("slide size must be positive: " + width + "x" + height);
        }
        if (!(mpp > 0)) {
            throw new IllegalArgumentException("mpp must be positive: " + mpp);
        }
        GroundTruth truth = GroundTruth.of(width, height, mpp, seed, options.artefacts());
        SlideRenderer renderer = options.perturbation().applyTo(options.family().renderer(truth), seed);
        // Rendering is a pure function of position, so tiles render in parallel; the file is the same either way.
        int threads = Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
        if (options.isDicom()) {
            return DicomSlides.write(target, truth, renderer, options, threads);
        }
        TiffPyramidWriter.Options tiff = TiffPyramidWriter.Options.jpegRgb(options.jpegQuality())
                .withFormat(options.format())
                .withTileSize(options.tileSize())
                .withMicronsPerPixel(mpp)
                .withDescription(description(target, width, height, mpp, seed, options));
        TiffPyramidWriter.write(target, width, height, tiff, renderer, TiffPyramidWriter.Progress.NONE, threads);
        return SyntheticSlide.ofFile(target, truth, SyntheticSlideOptions.Container.TIFF.mediaType());
    }

    /**
     * A plain striped TIFF or BigTIFF of the same synthetic H&E (no artefacts): one full-resolution image in strips,
     * no tiles and no pyramid, as lab tools and older scanners export slides.
     */
    public static SyntheticSlide generateStriped(
            Path target, int width, int height, long seed, StripedTiffWriter.Options options) throws IOException {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("slide size must be positive: " + width + "x" + height);
        }
        double mpp = options.micronsPerPixel();
        GroundTruth truth = GroundTruth.of(width, height, mpp, seed, false);
        int threads = Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
        StripedTiffWriter.write(
                target,
                width,
                height,
                options.withDescription(String.format(
                        Locale.ROOT,
                        "Tessera synthetic H&E slide %dx%d mpp=%.4f seed=%d, %s strips",
                        width,
                        height,
                        mpp,
                        seed,
                        options.compression())),
                new HeRenderer(truth),
                threads);
        return SyntheticSlide.ofFile(target, truth, SyntheticSlideOptions.Container.TIFF.mediaType());
    }

    /**
     * Writes a file that starts like a valid slide (TIFF header, JPEG tiles) but is truncated and partly overwritten,
     * so that readers must fail on it, cleanly. The returned record claims the size and mpp of the slide it was cut
     * from and has no tissue.
     */
    public static SyntheticSlide writeCorrupt(Path target, long seed) throws IOException {
        int width = 1024;
        int height = 768;
        double mpp = 0.5;
        generate(target, width, height, mpp, seed);
        byte[] bytes = Files.readAllBytes(target);
        SplittableRandom random = new SplittableRandom(seed);
        // Cutting before the end removes every IFD (they are written last), so the header points past the end.
        int keep = (int) (bytes.length * (0.35 + 0.2 * random.nextDouble()));
        byte[] corrupt = java.util.Arrays.copyOf(bytes, keep);
        for (int i = 16; i < corrupt.length; i += 97 + random.nextInt(64)) {
            corrupt[i] = (byte) random.nextInt(256);
        }
        Files.write(target, corrupt);
        return SyntheticSlide.ofFile(
                target, GroundTruth.empty(width, height, mpp), SyntheticSlideOptions.Container.TIFF.mediaType());
    }

    private static String description(
            Path target, int width, int height, double mpp, long seed, SyntheticSlideOptions options) {
        if (options.aperio()) {
            // OpenSlide recognises an SVS by this prefix and reads the key = value pairs after the first '|'.
            int quality = Math.round(options.jpegQuality() * 100);
            return String.format(
                    Locale.ROOT,
                    "Aperio Image Library Tessera synthetic\r\n%dx%d [0,0 %dx%d] (%dx%d) JPEG/RGB Q=%d|MPP = %.4f"
                            + "|AppMag = %d|Filename = %s|Seed = %d%s",
                    width,
                    height,
                    width,
                    height,
                    options.tileSize(),
                    options.tileSize(),
                    quality,
                    mpp,
                    mpp < 0.375 ? 40 : 20,
                    fileName(target),
                    seed,
                    isDefaultLook(options)
                            ? ""
                            : "|Renderer = " + options.family().generator() + "|Perturbation = "
                                    + options.perturbation().name());
        }
        String drawn = isDefaultLook(options)
                ? ""
                : " renderer=" + options.family().generator() + " perturbation="
                        + options.perturbation().name();
        return String.format(
                Locale.ROOT, "Tessera synthetic H&E slide %dx%d mpp=%.4f seed=%d%s", width, height, mpp, seed, drawn);
    }

    private static boolean isDefaultLook(SyntheticSlideOptions options) {
        return options.family() == RendererFamily.PRIMARY
                && options.perturbation().isNone();
    }

    private static String fileName(Path target) {
        String name = target.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return (dot > 0 ? name.substring(0, dot) : name).replace('|', '_');
    }

    static String checksum(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Crc32c.base64Of(in);
        }
    }
}
