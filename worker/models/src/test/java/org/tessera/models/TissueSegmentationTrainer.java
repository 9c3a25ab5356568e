package org.tessera.models;

import java.util.Locale;
import org.tessera.imaging.synthetic.SyntheticSlide;
import org.tessera.models.classes.TissueClass;

/**
 * Fits {@link TissueSegmentationWeights} from generated slides: features of level 2 (2 µm/px) of slides with seeds
 * {@link #SEEDS}, labels from the ground truth at each pixel's centre, every {@link #STRIDE}-th pixel, classes weighted
 * to equal total weight. Prints the Java constants. Run: {@code ./mvnw -B -q -pl models test-compile exec:java} is not
 * wired; run it from the IDE or with {@code java -cp} on the test classpath.
 */
public final class TissueSegmentationTrainer {

    static final long[] SEEDS = {101, 202, 303, 404};
    static final int SIZE = 3072;
    static final int STRIDE = 3;

    private TissueSegmentationTrainer() {}

    public static void main(String[] args) throws Exception {
        LogisticRegression.Fit fit = fit();
        StringBuilder s = new StringBuilder();
        s.append("    static final float[] WEIGHTS = {\n");
        for (int i = 0; i < fit.weights().length; i++) {
            s.append(String.format(Locale.ROOT, "%s%.7ef,", i % 4 == 0 ? "\n        " : " ", fit.weights()[i]));
        }
        s.append("\n    };\n    static final float[] BIAS = {");
        for (float b : fit.bias()) {
            s.append(String.format(Locale.ROOT, "%.7ef, ", b));
        }
        s.append("};\n");
        System.out.println(s);
    }

    static LogisticRegression.Fit fit() throws Exception {
        int features = TissueSegmentationModel.FEATURES.size();
        int classes = TissueClass.values().length;
        java.util.List<double[]> xs = new java.util.ArrayList<>();
        java.util.List<Integer> ys = new java.util.ArrayList<>();
        byte[] model = TissueSegmentationModel.featureModel();
        for (long seed : SEEDS) {
            SyntheticSlide slide = GeneratedSlides.slide(SIZE, seed);
            int w = SIZE / 4;
            float[] chw = GeneratedSlides.readChw(slide, 2, 0, 0, w, w);
            float[] f = GeneratedSlides.runFloat(model, chw, w, w, "features");
            byte[] truth = slide.groundTruth().tissueClassMap(4);
            int plane = w * w;
            for (int y = 0; y < w; y += STRIDE) {
                for (int x = 0; x < w; x += STRIDE) {
                    int i = y * w + x;
                    double[] row = new double[features];
                    for (int k = 0; k < features; k++) {
                        row[k] = f[k * plane + i];
                    }
                    xs.add(row);
                    ys.add((int) truth[i]);
                }
            }
        }
        double[][] x = xs.toArray(double[][]::new);
        int[] y = ys.stream().mapToInt(Integer::intValue).toArray();
        double[] counts = new double[classes];
        for (int label : y) {
            counts[label]++;
        }
        double[] classWeight = new double[classes];
        for (int c = 0; c < classes; c++) {
            classWeight[c] = counts[c] == 0 ? 0 : y.length / (classes * counts[c]);
        }
        return LogisticRegression.fit(x, y, classes, classWeight, 400, 1e-4);
    }
}
