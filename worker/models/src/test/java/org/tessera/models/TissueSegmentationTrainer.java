package org.tessera.models;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.tessera.imaging.synthetic.SyntheticSlide;
import org.tessera.models.classes.TissueClass;
import org.tessera.models.stain.MacenkoStainEstimator;
import org.tessera.models.stain.StainCorrection;

/**
 * Fits the classifier of {@link TissueSegmentationModel} and writes {@link TissueSegmentationWeights#RESOURCE}: level 2
 * (2 µm/px) of primary-renderer slides with seeds {@link #SEEDS}, each seen as it is and through {@link #VARIANTS}
 * colour changes (stain strength per channel, brightness, blur, sensor noise), every variant stain-normalized as the
 * worker normalizes a slide (its own Macenko estimate, mapped onto the reference); labels from the ground truth at each
 * pixel's centre, every {@link #STRIDE}-th pixel, classes weighted to equal total weight; then {@link Mlp#fit} with
 * {@link #SETTINGS}. Everything is seeded, single-threaded and in a fixed order: the same build gives the same file.
 *
 * <p>Run: {@code worker/models/refit-tissue-segmentation} (a few minutes on 2 cores).
 */
public final class TissueSegmentationTrainer {

    static final long[] SEEDS = {101, 202, 303, 404};
    static final int SIZE = 3072;
    static final int STRIDE = 6;
    /** Colour variants per slide besides the slide itself. */
    static final int VARIANTS = Integer.getInteger("tessera.variants", 3);

    /** Variants above this one also have each tissue class's stains scaled on their own. */
    static final int CLASS_STAINED_FROM = Integer.getInteger("tessera.classStainedFrom", 1);

    static final double H_LOW = Double.parseDouble(System.getProperty("tessera.hLow", "0.8"));
    static final double H_HIGH = Double.parseDouble(System.getProperty("tessera.hHigh", "1.25"));
    static final double E_LOW = Double.parseDouble(System.getProperty("tessera.eLow", "0.6"));
    static final double E_HIGH = Double.parseDouble(System.getProperty("tessera.eHigh", "1.6"));

    static final Mlp.Settings SETTINGS = new Mlp.Settings(24, 12, 256, 0.003, 1e-4, 20_261_204L);

    private TissueSegmentationTrainer() {}

    /** Level 2 of one slide: pixels (CHW, 0..255) and ground-truth class per pixel. */
    record Image(float[] chw, byte[] truth, int width, int height) {}

    /** Samples ready to fit: features per sample and the true class. */
    record Samples(double[][] x, int[] y) {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(
                args.length > 0
                        ? args[0]
                        : "worker/models/src/main/resources/org/tessera/models/" + TissueSegmentationWeights.RESOURCE);
        long start = System.nanoTime();
        Samples samples = samples(images(SEEDS, SIZE), VARIANTS, STRIDE);
        System.out.printf(Locale.ROOT, "%d samples in %.1f s%n", samples.y().length, (System.nanoTime() - start) / 1e9);
        String dropSets = System.getProperty("tessera.dropSets");
        if (dropSets != null) {
            for (String set : dropSets.split(";")) {
                List<String> drop = List.of(set.split(","));
                double[][] x = new double[samples.x().length][];
                for (int i = 0; i < x.length; i++) {
                    x[i] = samples.x()[i].clone();
                    for (int j = 0; j < x[i].length; j++) {
                        if (drop.contains(TissueSegmentationModel.FEATURES.get(j))) {
                            x[i][j] = 0;
                        }
                    }
                }
                System.out.println("without " + drop);
                evaluate(fit(new Samples(x, samples.y()), SETTINGS));
            }
            return;
        }
        Mlp.Weights w = fit(samples, SETTINGS);
        System.out.printf(Locale.ROOT, "fitted in %.1f s%n", (System.nanoTime() - start) / 1e9);
        Files.writeString(out, text(w), StandardCharsets.UTF_8);
        System.out.println("wrote " + out + ", sha-256 " + sha256(text(w)));
        if (System.getProperty("tessera.evaluate") != null) {
            evaluate(w);
        }
    }

    static String text(Mlp.Weights w) {
        return TissueSegmentationWeights.format(
                w,
                TissueSegmentationModel.FEATURES,
                List.of(
                        "Tissue segmentation classifier, written by TissueSegmentationTrainer (worker/models test"
                                + " sources); do not edit.",
                        "Refit: worker/models/refit-tissue-segmentation"));
    }

    static String sha256(String text) throws Exception {
        byte[] digest =
                java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(digest);
    }

    static Mlp.Weights fit(Samples samples, Mlp.Settings settings) {
        int classes = TissueClass.values().length;
        double[] counts = new double[classes];
        for (int label : samples.y()) {
            counts[label]++;
        }
        double[] classWeight = new double[classes];
        for (int c = 0; c < classes; c++) {
            classWeight[c] = counts[c] == 0 ? 0 : samples.y().length / (classes * counts[c]);
        }
        return Mlp.fit(samples.x(), samples.y(), classes, classWeight, settings);
    }

    /** Level 2 of the primary renderer's slides (with artefacts) of the given seeds. */
    static List<Image> images(long[] seeds, int size) throws Exception {
        List<Image> images = new ArrayList<>();
        for (long seed : seeds) {
            images.add(cached("primary-" + size + "-" + seed, () -> {
                SyntheticSlide slide = GeneratedSlides.slide(size, seed);
                int w = size / 4;
                return new Image(
                        GeneratedSlides.readChw(slide, 2, 0, 0, w, w),
                        slide.groundTruth().tissueClassMap(4),
                        w,
                        w);
            }));
        }
        return images;
    }

    interface ImageSource {
        Image load() throws Exception;
    }

    /** Under -Dtessera.fitCache=dir, level-2 images are kept between runs (for trying features quickly). */
    static Image cached(String key, ImageSource source) throws Exception {
        String dir = System.getProperty("tessera.fitCache");
        if (dir == null) {
            return source.load();
        }
        Path file = Path.of(dir, key + ".bin");
        if (Files.exists(file)) {
            try (DataInputStream in =
                    new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
                int w = in.readInt();
                int h = in.readInt();
                float[] chw = new float[3 * w * h];
                for (int i = 0; i < chw.length; i++) {
                    chw[i] = in.readFloat();
                }
                byte[] truth = new byte[w * h];
                in.readFully(truth);
                return new Image(chw, truth, w, h);
            }
        }
        Image image = source.load();
        Files.createDirectories(file.getParent());
        try (DataOutputStream out =
                new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(image.width());
            out.writeInt(image.height());
            for (float v : image.chw()) {
                out.writeFloat(v);
            }
            out.write(image.truth());
        }
        return image;
    }

    /**
     * Features of every image and its colour variants, normalized as the worker normalizes, at every {@code stride}-th
     * pixel (the grid shifted per variant).
     */
    static Samples samples(List<Image> images, int variants, int stride) throws Exception {
        byte[] model = TissueSegmentationModel.featureModel();
        int f = TissueSegmentationModel.FEATURES.size();
        List<double[]> xs = new ArrayList<>();
        List<Integer> ys = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(SETTINGS.seed() ^ 0xC0105L);
        for (Image image : images) {
            int w = image.width();
            int h = image.height();
            int plane = w * h;
            for (int v = 0; v <= variants; v++) {
                float[] chw = v == 0
                        ? image.chw().clone()
                        : colourVariant(
                                v > CLASS_STAINED_FROM ? classStained(image, random.split()) : image, random.split());
                normalize(chw, plane);
                float[] features = GeneratedSlides.runFloat(model, chw, w, h, "features");
                int offset = v % stride;
                for (int y = offset; y < h; y += stride) {
                    for (int x = (v * 2) % stride; x < w; x += stride) {
                        int i = y * w + x;
                        double[] row = new double[f];
                        for (int k = 0; k < f; k++) {
                            row[k] = features[k * plane + i];
                        }
                        xs.add(row);
                        ys.add((int) image.truth()[i]);
                    }
                }
            }
        }
        return new Samples(
                xs.toArray(double[][]::new),
                ys.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Stain normalization as the worker applies it: estimated from these very pixels (level 2 is 2 µm/px). */
    static void normalize(float[] chw, int plane) {
        MacenkoStainEstimator estimator = new MacenkoStainEstimator();
        for (int i = 0; i < plane; i++) {
            estimator.add(0xFF000000 | ((int) chw[i] << 16) | ((int) chw[plane + i] << 8) | (int) chw[2 * plane + i]);
        }
        StainCorrection.of(estimator).apply(chw, plane);
    }

    /**
     * The image with each tissue class's haematoxylin and eosin scaled by its own factor (eosin 0.6–1.6, haematoxylin
     * 0.8–1.25): another laboratory's tissue need not keep this one's order of stain strengths between classes, so the
     * classifier should not lean on it.
     */
    static Image classStained(Image image, SplittableRandom random) {
        int classes = TissueClass.values().length;
        double[] gainH = new double[classes];
        double[] gainE = new double[classes];
        for (int c = 1; c < classes; c++) {
            gainH[c] = H_LOW * StrictMath.pow(H_HIGH / H_LOW, random.nextDouble());
            gainE[c] = E_LOW * StrictMath.pow(E_HIGH / E_LOW, random.nextDouble());
        }
        double[][] stains = StainModels.stainMatrix();
        double[][] deconvolution = StainModels.invert(stains);
        int plane = image.width() * image.height();
        float[] src = image.chw();
        float[] out = src.clone();
        double[] od = new double[3];
        for (int i = 0; i < plane; i++) {
            int c = image.truth()[i];
            if (c == 0) {
                continue;
            }
            for (int k = 0; k < 3; k++) {
                od[k] = -StrictMath.log10((src[k * plane + i] + 1) / 256.0);
            }
            double ch = 0;
            double ce = 0;
            for (int k = 0; k < 3; k++) {
                ch += od[k] * deconvolution[0][k];
                ce += od[k] * deconvolution[1][k];
            }
            ch = Math.max(0, ch);
            ce = Math.max(0, ce);
            for (int k = 0; k < 3; k++) {
                double changed = od[k] + (gainH[c] - 1) * ch * stains[0][k] + (gainE[c] - 1) * ce * stains[1][k];
                out[k * plane + i] =
                        (float) Math.max(0, Math.min(255, Math.round(256 * StrictMath.pow(10, -changed) - 1)));
            }
        }
        return new Image(out, image.truth(), image.width(), image.height());
    }

    /**
     * The image as another staining run and scanner could show it: optical density scaled per channel (0.75–1.35),
     * brightness × 0.94–1.08 plus 0–12, half the time a 3 × 3 blur, sensor noise σ 0–4; rounded to 8 bits.
     */
    static float[] colourVariant(Image image, SplittableRandom random) {
        int w = image.width();
        int h = image.height();
        int plane = w * h;
        double[] gain = {
            0.75 + 0.6 * random.nextDouble(), 0.75 + 0.6 * random.nextDouble(), 0.75 + 0.6 * random.nextDouble()
        };
        double brightness = 0.94 + 0.14 * random.nextDouble();
        double offset = 12 * random.nextDouble();
        boolean blur = random.nextBoolean();
        double noise = 4 * random.nextDouble();
        float[] src = image.chw();
        float[] out = new float[3 * plane];
        for (int c = 0; c < 3; c++) {
            float[] table = new float[256];
            for (int v = 0; v < 256; v++) {
                double od = -StrictMath.log10((v + 0.5) / 256.0);
                table[v] = (float) ((256 * StrictMath.pow(10, -od * gain[c]) - 0.5) * brightness + offset);
            }
            for (int i = 0; i < plane; i++) {
                out[c * plane + i] = table[(int) src[c * plane + i]];
            }
            if (blur) {
                float[] copy = java.util.Arrays.copyOfRange(out, c * plane, (c + 1) * plane);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        float sum = 0;
                        for (int dy = -1; dy <= 1; dy++) {
                            for (int dx = -1; dx <= 1; dx++) {
                                int yy = Math.min(h - 1, Math.max(0, y + dy));
                                int xx = Math.min(w - 1, Math.max(0, x + dx));
                                sum += copy[yy * w + xx];
                            }
                        }
                        out[c * plane + y * w + x] = sum / 9;
                    }
                }
            }
        }
        for (int i = 0; i < out.length; i++) {
            double g = (random.nextDouble() + random.nextDouble() + random.nextDouble() - 1.5) * 2 * noise;
            out[i] = (float) Math.max(0, Math.min(255, Math.round(out[i] + g)));
        }
        return out;
    }

    /**
     * Measures fitted weights on slides nothing was fitted on (for trying features; the accuracy table proper is
     * {@code AccuracyBenchmark}): primary seed 909 and second-lab slides of -Dtessera.evaluate's seeds.
     */
    static void evaluate(Mlp.Weights w) throws Exception {
        byte[] model = TissueSegmentationModel.build(w);
        List<String> names = new ArrayList<>();
        List<Image> images = new ArrayList<>();
        names.add("primary / none 909");
        images.add(cached("eval-primary-909", () -> evalImage(GeneratedSlides.slide(2048, 909))));
        for (String s : System.getProperty("tessera.evaluate").split(",")) {
            long seed = Long.parseLong(s.trim());
            for (var p : List.of(
                    org.tessera.imaging.synthetic.Perturbation.NONE, org.tessera.imaging.synthetic.Perturbation.ALL)) {
                names.add("second-lab / " + p.name() + " " + seed);
                images.add(cached(
                        "eval-second-" + p.name() + "-" + seed,
                        () -> evalImage(GeneratedSlides.slide(
                                2048, seed, org.tessera.imaging.synthetic.RendererFamily.SECOND_LAB, p))));
            }
        }
        for (int k = 0; k < images.size(); k++) {
            Image image = images.get(k);
            long[] predicted =
                    GeneratedSlides.runLong(model, image.chw(), image.width(), image.height(), "segmentation_class");
            int classes = TissueClass.values().length;
            long[][] confusion = new long[classes][classes];
            for (int i = 0; i < predicted.length; i++) {
                confusion[image.truth()[i]][(int) predicted[i]]++;
            }
            long right = 0;
            long all = 0;
            StringBuilder recall = new StringBuilder();
            for (int t = 1; t < classes; t++) {
                long total = 0;
                for (int p = 0; p < classes; p++) {
                    total += confusion[t][p];
                }
                all += total;
                right += confusion[t][t];
                recall.append(String.format(
                        Locale.ROOT, " %.2f", total == 0 ? Double.NaN : (double) confusion[t][t] / total));
            }
            System.out.printf(
                    Locale.ROOT,
                    "%-26s accuracy %.3f recall%s  %s%n",
                    names.get(k),
                    (double) right / all,
                    recall,
                    java.util.Arrays.deepToString(confusion));
        }
    }

    /** Level 2 of a 2048² evaluation slide, normalized as the worker normalizes it. */
    private static Image evalImage(SyntheticSlide slide) throws Exception {
        int w = 512;
        float[] chw = GeneratedSlides.readChw(slide, 2, 0, 0, w, w);
        GeneratedSlides.stainCorrection(slide).apply(chw, w * w);
        return new Image(chw, slide.groundTruth().tissueClassMap(4), w, w);
    }
}
