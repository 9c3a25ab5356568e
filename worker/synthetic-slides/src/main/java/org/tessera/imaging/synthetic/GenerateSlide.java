package org.tessera.imaging.synthetic;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Generates a synthetic slide and its ground truth from the command line, for benchmarks (large slides are made on
 * demand, never committed):
 *
 * <pre>
 * java -cp imaging.jar:contracts.jar:dicom.jar org.tessera.imaging.synthetic.GenerateSlide \
 *     --width 40000 --height 40000 --mpp 0.25 --format svs --seed 1 --out target/bench/slide.svs
 * </pre>
 *
 * Formats: {@code tiff}, {@code bigtiff}, {@code svs}, {@code dicom} (a directory), {@code dicom-zip},
 * {@code dicom-file} (level 0 only), {@code striped-tiff} and {@code striped-bigtiff} (one image in strips, no
 * pyramid). Options: {@code --sparse} (DICOM TILED_SPARSE), {@code --no-artefacts}, {@code --no-truth} (skip the
 * ground-truth files), {@code --tile 256}, {@code --quality 0.85}, {@code --renderer primary|second-lab} (the second
 * laboratory's look draws no artefacts and defaults to quality 0.70), {@code --perturbation
 * none|stain|brightness|scanner-noise|all}; for striped TIFFs {@code --compression
 * jpeg|lzw|deflate|packbits|none} and {@code --rows-per-strip 16}. Prints size, time and checksum; writes {@code
 * <out>.truth.json} and {@code <out>.nuclei.csv}.
 */
public final class GenerateSlide {

    private static final Set<String> FLAGS = Set.of("--sparse", "--no-artefacts", "--no-truth", "--help");

    private GenerateSlide() {}

    public static void main(String[] args) {
        try {
            System.exit(run(args, System.out));
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
        } catch (IOException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
    }

    static int run(String[] args, PrintStream out) throws IOException {
        Map<String, String> options = parse(args);
        if (options.containsKey("--help")) {
            out.println(usage());
            return 0;
        }
        int width = integer(options, "--width", 40_000);
        int height = integer(options, "--height", 40_000);
        double mpp = number(options, "--mpp", 0.25);
        long seed = Long.parseLong(options.getOrDefault("--seed", "1"));
        String format = options.getOrDefault("--format", "svs").toLowerCase(Locale.ROOT);
        if (format.startsWith("striped-")) {
            StripedTiffWriter.Options striped = StripedTiffWriter.Options.of(compression(options), mpp)
                    .withBigTiff(format.equals("striped-bigtiff"))
                    .withRowsPerStrip(integer(options, "--rows-per-strip", 16));
            Path target = output(options, format);
            long start = System.nanoTime();
            SyntheticSlide slide = SyntheticSlideGenerator.generateStriped(target, width, height, seed, striped);
            report(out, slide, format + " (" + striped.compression() + ")", start);
            return 0;
        }
        SyntheticSlideOptions slideOptions = switch (format) {
            case "tiff" -> SyntheticSlideOptions.tiff();
            case "bigtiff" -> SyntheticSlideOptions.bigTiff();
            case "svs" -> SyntheticSlideOptions.svs();
            case "dicom" -> SyntheticSlideOptions.dicom();
            case "dicom-zip" -> SyntheticSlideOptions.dicomZip();
            case "dicom-file" -> SyntheticSlideOptions.dicomFile();
            default -> throw new IllegalArgumentException("unknown --format " + format);
        };
        RendererFamily family = switch (options.getOrDefault("--renderer", "primary")) {
            case "primary" -> RendererFamily.PRIMARY;
            case "second-lab" -> RendererFamily.SECOND_LAB;
            default ->
                throw new IllegalArgumentException(
                        "unknown --renderer " + options.get("--renderer") + ": use primary or second-lab");
        };
        slideOptions = slideOptions
                .withArtefacts(family == RendererFamily.PRIMARY && !options.containsKey("--no-artefacts"))
                .withRendererFamily(family)
                .withPerturbation(Perturbation.named(options.getOrDefault("--perturbation", "none")))
                .withSparse(options.containsKey("--sparse"))
                .withTileSize(integer(options, "--tile", 256))
                .withJpegQuality(
                        (float) number(options, "--quality", family == RendererFamily.SECOND_LAB ? 0.70 : 0.85));
        Path target = output(options, format);
        long start = System.nanoTime();
        SyntheticSlide slide = SyntheticSlideGenerator.generate(target, width, height, mpp, seed, slideOptions);
        report(out, slide, format + (slideOptions.sparse() ? " (sparse)" : ""), start);
        if (!options.containsKey("--no-truth")) {
            long truthStart = System.nanoTime();
            List<Path> files = slide.writeGroundTruth();
            out.printf(
                    Locale.ROOT,
                    "ground truth: %s, %s (%.1f s); nuclei %s%n",
                    files.get(0),
                    files.get(1),
                    (System.nanoTime() - truthStart) / 1e9,
                    slide.groundTruth().countNuclei(0, 0, width, height));
        }
        return 0;
    }

    private static Path output(Map<String, String> options, String format) throws IOException {
        Path target = Path.of(options.getOrDefault("--out", defaultName(format)));
        Files.createDirectories(target.toAbsolutePath().getParent());
        return target;
    }

    private static StripedTiffWriter.Compression compression(Map<String, String> options) {
        String name = options.getOrDefault("--compression", "jpeg").toUpperCase(Locale.ROOT);
        try {
            return StripedTiffWriter.Compression.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown --compression " + name.toLowerCase(Locale.ROOT), e);
        }
    }

    private static void report(PrintStream out, SyntheticSlide slide, String format, long start) {
        out.printf(
                Locale.ROOT,
                "slide %s: %dx%d at %.4f µm/px, %s, %d bytes (%.1f MiB), crc32c %s, %s, %.1f s%n",
                slide.path(),
                slide.width(),
                slide.height(),
                slide.mpp(),
                format,
                slide.sizeBytes(),
                slide.sizeBytes() / 1048576.0,
                slide.checksumBase64Crc32c(),
                slide.mediaType(),
                (System.nanoTime() - start) / 1e9);
    }

    private static String defaultName(String format) {
        return switch (format) {
            case "svs" -> "target/bench/slide.svs";
            case "dicom" -> "target/bench/slide-dicom";
            case "dicom-zip" -> "target/bench/slide.zip";
            case "dicom-file" -> "target/bench/slide.dcm";
            default -> "target/bench/slide.tiff";
        };
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (FLAGS.contains(arg)) {
                options.put(arg, "true");
            } else if (arg.startsWith("--") && i + 1 < args.length) {
                options.put(arg, args[++i]);
            } else {
                throw new IllegalArgumentException("unexpected argument " + arg);
            }
        }
        return options;
    }

    private static int integer(Map<String, String> options, String name, int fallback) {
        return parsed(options, name, fallback, Integer::valueOf, "an integer");
    }

    private static double number(Map<String, String> options, String name, double fallback) {
        return parsed(options, name, fallback, Double::valueOf, "a number");
    }

    private static <T> T parsed(
            Map<String, String> options, String name, T fallback, Function<String, T> parse, String what) {
        String value = options.get(name);
        try {
            return value == null ? fallback : parse.apply(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be " + what + ": " + value, e);
        }
    }

    static String usage() {
        return "usage: GenerateSlide [--width 40000] [--height 40000] [--mpp 0.25] [--seed 1]"
                + " [--format svs|tiff|bigtiff|dicom|dicom-zip|dicom-file|striped-tiff|striped-bigtiff] [--out PATH]"
                + " [--sparse] [--no-artefacts] [--no-truth] [--tile 256] [--quality 0.85]"
                + " [--compression jpeg|lzw|deflate|packbits|none] [--rows-per-strip 16]";
    }
}
