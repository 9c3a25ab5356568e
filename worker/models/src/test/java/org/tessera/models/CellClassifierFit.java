package org.tessera.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.tessera.imaging.synthetic.Nucleus;
import org.tessera.imaging.synthetic.SyntheticSlide;
import org.tessera.models.cells.Cell;
import org.tessera.models.cells.CellClassifier;
import org.tessera.models.cells.CellExtractor;
import org.tessera.models.classes.CellClass;
import org.tessera.models.stain.StainCorrection;

/**
 * Fits {@link CellClassifier#defaults()} on the primary renderer's fitting slides (the seeds of {@code
 * StainReferenceMain}; never the evaluation seeds 909 and 910, never the second laboratory's renderer): the nuclei the
 * built-in model finds on the whole of each 2,048² slide, stain-normalized as the worker runs it, matched to the
 * generator's nuclei within {@value AccuracyEvaluation#MATCH_UM} µm, give (area, elongation, mean haematoxylin, true
 * class). An exhaustive search over a fixed grid of the three thresholds maximises the mean recall over the classes
 * (each class counts the same, however rare); among the thresholds that reach the maximum, each parameter is the
 * median of its values there, the middle of the widest margin the fitting data leaves. Deterministic: same slides,
 * same grid, same result. Run: {@code load-tests/run fit-cells} (about a minute); it prints the thresholds for
 * {@code CellClassifier.defaults()}.
 */
public final class CellClassifierFit {

    private static final int CLASSES = CellClass.values().length;

    private CellClassifierFit() {}

    /** One matched nucleus: its measurements and its true class. */
    record Sample(double area, double elongation, double haematoxylin, int truth) {}

    public static void main(String[] args) throws Exception {
        byte[] model = AccuracyEvaluation.builtIn(ModelRegistry.CELL_DETECTION);
        List<Sample> samples = new ArrayList<>();
        for (long seed : StainReferenceMain.SEEDS) {
            samples.addAll(samples(GeneratedSlides.slide(AccuracyEvaluation.SIZE, seed), model));
        }
        int[] perClass = new int[CLASSES];
        for (Sample s : samples) {
            perClass[s.truth()]++;
        }
        System.out.printf(Locale.ROOT, "%d matched nuclei, per class %s%n", samples.size(), Arrays.toString(perClass));
        CellClassifier fitted = fit(samples);
        System.out.printf(
                Locale.ROOT,
                "fitted: new CellClassifier(%.2f, %.1f, %.2f), mean class recall %.4f, per class %s%n",
                fitted.spindleElongation(),
                fitted.tumourAreaUm2(),
                fitted.lymphocyteHaematoxylin(),
                meanRecall(samples, fitted),
                Arrays.toString(recalls(samples, fitted)));
        CellClassifier current = CellClassifier.defaults();
        System.out.printf(
                Locale.ROOT,
                "defaults() now: %s, mean class recall %.4f, per class %s%n",
                current,
                meanRecall(samples, current),
                Arrays.toString(recalls(samples, current)));
    }

    static CellClassifier fit(List<Sample> samples) {
        List<double[]> best = new ArrayList<>();
        double bestScore = -1;
        for (int e = 0; e <= 40; e++) {
            double elongation = 1.2 + 0.05 * e;
            for (int a = 0; a <= 120; a++) {
                double area = 30 + 0.5 * a;
                for (int h = 0; h <= 80; h++) {
                    double haematoxylin = 0.4 + 0.01 * h;
                    double score = meanRecall(samples, new CellClassifier(elongation, area, haematoxylin));
                    if (score > bestScore + 1e-12) {
                        bestScore = score;
                        best.clear();
                    }
                    if (score > bestScore - 1e-12) {
                        best.add(new double[] {elongation, area, haematoxylin});
                    }
                }
            }
        }
        return new CellClassifier(median(best, 0), median(best, 1), median(best, 2));
    }

    private static double median(List<double[]> points, int index) {
        double[] v = new double[points.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = points.get(i)[index];
        }
        Arrays.sort(v);
        return v[(v.length - 1) / 2];
    }

    static double[] recalls(List<Sample> samples, CellClassifier classifier) {
        int[][] counts = rightAndTotal(samples, classifier);
        double[] recall = new double[CLASSES];
        for (int c = 0; c < CLASSES; c++) {
            recall[c] = counts[1][c] == 0 ? Double.NaN : Math.round(1000.0 * counts[0][c] / counts[1][c]) / 1000.0;
        }
        return recall;
    }

    static double meanRecall(List<Sample> samples, CellClassifier classifier) {
        int[][] counts = rightAndTotal(samples, classifier);
        double sum = 0;
        int classes = 0;
        for (int c = 0; c < CLASSES; c++) {
            if (counts[1][c] > 0) {
                sum += (double) counts[0][c] / counts[1][c];
                classes++;
            }
        }
        return sum / classes;
    }

    /** Per true class: {@code [0]} the samples the classifier gets right, {@code [1]} all samples. */
    private static int[][] rightAndTotal(List<Sample> samples, CellClassifier classifier) {
        int[][] counts = new int[2][CLASSES];
        for (Sample s : samples) {
            counts[1][s.truth()]++;
            if (classifier.classify(s.area(), s.elongation(), s.haematoxylin()).ordinal() == s.truth()) {
                counts[0][s.truth()]++;
            }
        }
        return counts;
    }

    /** The matched nuclei of the whole slide, in four 1024² level-0 regions. */
    static List<Sample> samples(SyntheticSlide slide, byte[] model) throws Exception {
        StainCorrection stain = GeneratedSlides.stainCorrection(slide);
        int size = 1024;
        List<Sample> samples = new ArrayList<>();
        for (int y0 = 0; y0 < AccuracyEvaluation.SIZE; y0 += size) {
            for (int x0 = 0; x0 < AccuracyEvaluation.SIZE; x0 += size) {
                float[] chw = GeneratedSlides.readChw(slide, 0, x0, y0, size, size);
                stain.apply(chw, size * size);
                float[][] nucleusOutputs = GeneratedSlides.runFloats(model, chw, size, size, "seeds", "stains");
                float[] seeds = nucleusOutputs[0];
                float[] stains = nucleusOutputs[1];
                List<Cell> cells = new CellExtractor(0.5, CellClassifier.defaults())
                        .extract(seeds, stains, size, size, new int[] {0, 0, size, size});
                List<Nucleus> truth = slide.groundTruth().nucleiIn(x0, y0, size, size);
                for (int[] m : AccuracyEvaluation.match(cells, truth, x0, y0)) {
                    Cell c = cells.get(m[0]);
                    samples.add(new Sample(
                            c.areaUm2(),
                            c.elongation(),
                            c.meanHaematoxylin(),
                            truth.get(m[1]).nucleusClass().ordinal()));
                }
            }
        }
        return samples;
    }
}
