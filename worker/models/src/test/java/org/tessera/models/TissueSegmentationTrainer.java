package org.tessera.models;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.tessera.imaging.synthetic.SyntheticSlide;
import org.tessera.models.classes.TissueClass;
import org.tessera.models.stain.MacenkoStainEstimator;
import org.tessera.models.stain.StainCorrection;

/**
 * Fits the classifier of {@link TissueSegmentationModel} and writes {@link TissueSegmentationWeights#RESOURCE}. Data:
 * level 2 (2 µm/px) of the primary renderer's slides with seeds {@link #SEEDS} (with artefacts), each seen as it is and
 * through {@link #VARIANTS} variants: every variant with another staining run's and scanner's colours (optical density
 * scaled per channel, brightness, a blur half the time, sensor noise); after the first, each tissue class also with its
 * own haematoxylin and eosin strength and, for half the classes, its fine texture blurred away (another laboratory's
 * tissue need not keep this one's order of stain strengths between classes, nor show texture the scan does not
 * resolve). Every image is then stain-normalized as the worker normalizes a slide (its own Macenko estimate, mapped
 * onto the reference), and the variants' stain strengths are scaled once more by what normalization can leave over.
 * Labels come from the ground truth at each pixel's centre, every {@link #STRIDE}-th pixel, classes weighted to equal
 * total weight; then {@link Mlp#fit} with {@link #SETTINGS}. Nothing of the second renderer family is used. Everything
 * is seeded, single-threaded and in a fixed order: the same inputs give the same file byte for byte.
 *
 * <p>Run: {@code worker/models/refit-tissue-segmentation} (1.5–2.5 minutes on 2 shared cores). {@code
 * -Dtessera.fitCache=<dir>} keeps the generated slides' pixels between runs, and {@code -Dtessera.evaluate=<seeds>}
 * prints accuracy on the primary seed 909 and second-lab slides of those seeds, for trying features.
 */
public final class TissueSegmentationTrainer {

    static final long[] SEEDS = {101, 202, 303, 404};
    static final int SIZE = 3072;
    static final int STRIDE = 6;
    /** Colour variants per slide besides the slide itself. */
    static final int VARIANTS = 5;
    /** Variants after this one also have each tissue class's stains scaled and textures blurred on their own. */
    static final int CLASS_VARIANTS_FROM = 1;
    /** Range of the per-class haematoxylin factor. */
    static final double H_LOW = 0.7;

    static final double H_HIGH = 1.45;
    /** Range of the per-class eosin factor. */
    static final double E_LOW = 0.5;

    static final double E_HIGH = 2.2;

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
            for (int v = 0; v <= variants; v++) {
                int w = image.width();
                int h = image.height();
                int plane = w * h;
                float[] chw = v == 0
                        ? image.chw().clone()
                        : colourVariant(
                                v > CLASS_VARIANTS_FROM ? classVariant(image, random.split()) : image, random.split());
                normalize(chw, plane);
                if (v > 0) {
                    // What normalization leaves: its estimate of a slide's stain strength is off by some tens of %.
                    double gainH = 0.8 * StrictMath.pow(1.25 / 0.8, random.nextDouble());
                    double gainE = 0.7 * StrictMath.pow(1.4 / 0.7, random.nextDouble());
                    scaleStains(chw, plane, null, new double[] {gainH, gainH, gainH, gainH, gainH}, new double[] {
                        gainE, gainE, gainE, gainE, gainE
                    });
                }
                float[] features = features(model, chw, w, h);
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

    /** The feature graph on one image, on one thread (so that the sums come out the same on any machine's core count). */
    static float[] features(byte[] model, float[] chw, int w, int h) throws Exception {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            try (OrtSession session = GeneratedSlides.ENV.createSession(model, options);
                    OnnxTensor input = OnnxTensor.createTensor(
                            GeneratedSlides.ENV, FloatBuffer.wrap(chw), new long[] {1, 3, h, w});
                    OrtSession.Result result = session.run(Map.of("rgb", input))) {
                FloatBuffer buffer = ((OnnxTensor) result.get("features").orElseThrow()).getFloatBuffer();
                float[] out = new float[buffer.remaining()];
                buffer.get(out);
                return out;
            }
        }
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
     * The image with each tissue class's haematoxylin and eosin scaled by its own factor ({@link #H_LOW}–{@link
     * #H_HIGH}, {@link #E_LOW}–{@link #E_HIGH}, log-uniform), and half the classes blurred (σ 0.7–1.5 px).
     */
    static Image classVariant(Image image, SplittableRandom random) {
        int classes = TissueClass.values().length;
        double[] gainH = new double[classes];
        double[] gainE = new double[classes];
        for (int c = 1; c < classes; c++) {
            gainH[c] = H_LOW * StrictMath.pow(H_HIGH / H_LOW, random.nextDouble());
            gainE[c] = E_LOW * StrictMath.pow(E_HIGH / E_LOW, random.nextDouble());
        }
        float[] out = image.chw().clone();
        scaleStains(out, image.width() * image.height(), image.truth(), gainH, gainE);
        // Texture finer than the scan resolves: half the classes, drawn per image, lose theirs to a blur.
        for (int c = 1; c < classes; c++) {
            if (random.nextBoolean()) {
                blurClass(out, image, c, 0.7 + 0.8 * random.nextDouble());
            }
        }
        return new Image(out, image.truth(), image.width(), image.height());
    }

    /** Gaussian blur (σ in pixels) of the whole image, kept where the truth is {@code c}. */
    static void blurClass(float[] chw, Image image, int c, double sigma) {
        int w = image.width();
        int h = image.height();
        int plane = w * h;
        int radius = (int) Math.ceil(3 * sigma);
        double[] kernel = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            kernel[i + radius] = StrictMath.exp(-i * i / (2 * sigma * sigma));
            sum += kernel[i + radius];
        }
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] /= sum;
        }
        float[] rows = new float[plane];
        for (int k = 0; k < 3; k++) {
            int base = k * plane;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double s = 0;
                    for (int i = -radius; i <= radius; i++) {
                        s += kernel[i + radius] * chw[base + y * w + Math.min(w - 1, Math.max(0, x + i))];
                    }
                    rows[y * w + x] = (float) s;
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (image.truth()[y * w + x] != c) {
                        continue;
                    }
                    double s = 0;
                    for (int i = -radius; i <= radius; i++) {
                        s += kernel[i + radius] * rows[Math.min(h - 1, Math.max(0, y + i)) * w + x];
                    }
                    chw[base + y * w + x] = (float) Math.round(s);
                }
            }
        }
    }

    /**
     * Scales haematoxylin and eosin in place, per class when {@code truth} is given (background left alone), else
     * with the factors of class 0 everywhere.
     */
    static void scaleStains(float[] chw, int plane, byte[] truth, double[] gainH, double[] gainE) {
        double[][] stains = StainModels.stainMatrix();
        double[][] deconvolution = StainModels.invert(stains);
        float[] src = chw.clone();
        float[] out = chw;
        double[] od = new double[3];
        for (int i = 0; i < plane; i++) {
            int c = truth == null ? 0 : truth[i];
            if (truth != null && c == 0) {
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
            long both = 0;
            long predictedTissue = 0;
            long trueTissue = 0;
            for (int i = 0; i < predicted.length; i++) {
                both += image.truth()[i] != 0 && predicted[i] != 0 ? 1 : 0;
                predictedTissue += predicted[i] != 0 ? 1 : 0;
                trueTissue += image.truth()[i] != 0 ? 1 : 0;
            }
            System.out.printf(
                    Locale.ROOT,
                    "%-26s dice %.3f accuracy %.3f recall%s  %s%n",
                    names.get(k),
                    2.0 * both / (predictedTissue + trueTissue),
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
