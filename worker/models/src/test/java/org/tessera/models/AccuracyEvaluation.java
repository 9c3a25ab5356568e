package org.tessera.models;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.tessera.imaging.synthetic.Nucleus;
import org.tessera.imaging.synthetic.Perturbation;
import org.tessera.imaging.synthetic.RendererFamily;
import org.tessera.imaging.synthetic.SyntheticSlide;
import org.tessera.models.cells.Cell;
import org.tessera.models.cells.CellClassifier;
import org.tessera.models.cells.CellExtractor;
import org.tessera.models.classes.CellClass;
import org.tessera.models.classes.TissueClass;
import org.tessera.models.stain.StainCorrection;

/**
 * The accuracy measures of the built-in models on one generated slide, as the worker runs them (stain normalization
 * first, when asked): tissue segmentation over the whole slide at 2 µm/px against the ground truth's classes, nucleus
 * detection and classification on a 1024 × 1024 level-0 region (0.5 µm/px) against its nuclei, a detection matching a
 * true nucleus within {@value #MATCH_UM} µm (greedy, closest pairs first, one to one). Shared by the floor tests and
 * {@code AccuracyBenchmark}.
 */
final class AccuracyEvaluation {

    static final double MATCH_UM = 4;
    static final int SIZE = 2048;
    private static final int TISSUE_CLASSES = TissueClass.values().length;
    private static final int CELL_CLASSES = CellClass.values().length;

    private AccuracyEvaluation() {}

    /** A slide to measure on: which renderer drew it, what its colours went through, its seed. */
    record Scenario(RendererFamily family, Perturbation perturbation, long seed) {
        SyntheticSlide slide() throws Exception {
            return GeneratedSlides.slide(SIZE, seed, family, perturbation);
        }

        String name() {
            return (family == RendererFamily.PRIMARY ? "primary" : "second-lab") + " / " + perturbation.name();
        }
    }

    /**
     * @param dice tissue (any class) against background
     * @param accuracy share of true tissue pixels given their class
     * @param recall per tissue class (index = {@link TissueClass#ordinal()}), NaN where the slide has too little
     */
    record TissueScores(double dice, double accuracy, double[] recall, long[][] confusion) {}

    /**
     * @param classRecall per cell class ({@link CellClass#ordinal()}), over matched cells; NaN where too few
     */
    record CellScores(
            double precision,
            double recall,
            double f1,
            double classAccuracy,
            double[] classRecall,
            long[][] confusion) {}

    /** The model the worker runs for a task of he-tme. */
    static byte[] builtIn(String task) throws java.io.IOException {
        return ModelRegistry.withBuiltInModels()
                .model("he-tme", "1.0.0", task)
                .orElseThrow()
                .load();
    }

    static StainCorrection correction(SyntheticSlide slide, boolean normalize) throws Exception {
        return normalize ? GeneratedSlides.stainCorrection(slide) : StainCorrection.skipped("not asked for");
    }

    static TissueScores tissue(SyntheticSlide slide, byte[] model, StainCorrection stain) throws Exception {
        int w = SIZE / 4;
        float[] chw = GeneratedSlides.readChw(slide, 2, 0, 0, w, w);
        stain.apply(chw, w * w);
        long[] predicted = GeneratedSlides.runLong(model, chw, w, w, "segmentation_class");
        byte[] truth = slide.groundTruth().tissueClassMap(4);
        long[][] confusion = new long[TISSUE_CLASSES][TISSUE_CLASSES];
        long both = 0;
        long predictedTissue = 0;
        long trueTissue = 0;
        int background = TissueClass.BACKGROUND.ordinal();
        for (int i = 0; i < truth.length; i++) {
            int t = truth[i];
            int p = (int) predicted[i];
            confusion[t][p]++;
            trueTissue += t != background ? 1 : 0;
            predictedTissue += p != background ? 1 : 0;
            both += t != background && p != background ? 1 : 0;
        }
        long right = 0;
        long all = 0;
        double[] recall = new double[TISSUE_CLASSES];
        for (int t = 0; t < TISSUE_CLASSES; t++) {
            long total = 0;
            for (int p = 0; p < TISSUE_CLASSES; p++) {
                total += confusion[t][p];
            }
            recall[t] = total < 200 ? Double.NaN : (double) confusion[t][t] / total;
            if (t != background) {
                all += total;
                right += confusion[t][t];
            }
        }
        return new TissueScores(2.0 * both / (predictedTissue + trueTissue), (double) right / all, recall, confusion);
    }

    /**
     * Detections matched to true nuclei within {@value #MATCH_UM} µm, greedy, closest pairs first, one to one: pairs
     * (index in {@code cells}, index in {@code truth}); {@code cells} in the region's pixels, the region at (x0, y0).
     */
    static List<int[]> match(List<Cell> cells, List<Nucleus> truth, int x0, int y0) {
        double maxDist = MATCH_UM / 0.5;
        List<double[]> pairs = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            for (int j = 0; j < truth.size(); j++) {
                double d = Math.hypot(
                        cells.get(i).x() + x0 - truth.get(j).x(),
                        cells.get(i).y() + y0 - truth.get(j).y());
                if (d <= maxDist) {
                    pairs.add(new double[] {d, i, j});
                }
            }
        }
        pairs.sort(Comparator.comparingDouble(p -> p[0]));
        boolean[] usedCell = new boolean[cells.size()];
        boolean[] usedTruth = new boolean[truth.size()];
        List<int[]> matches = new ArrayList<>();
        for (double[] p : pairs) {
            int i = (int) p[1];
            int j = (int) p[2];
            if (!usedCell[i] && !usedTruth[j]) {
                usedCell[i] = true;
                usedTruth[j] = true;
                matches.add(new int[] {i, j});
            }
        }
        return matches;
    }

    static CellScores cells(SyntheticSlide slide, byte[] model, CellClassifier classifier, StainCorrection stain)
            throws Exception {
        int x0 = 512;
        int y0 = 512;
        int size = 1024;
        float[] chw = GeneratedSlides.readChw(slide, 0, x0, y0, size, size);
        stain.apply(chw, size * size);
        float[][] nucleusOutputs = GeneratedSlides.runFloats(model, chw, size, size, "seeds", "stains");
        float[] seeds = nucleusOutputs[0];
        float[] stains = nucleusOutputs[1];
        List<Cell> cells =
                new CellExtractor(0.5, classifier).extract(seeds, stains, size, size, new int[] {0, 0, size, size});
        List<Nucleus> truth = slide.groundTruth().nucleiIn(x0, y0, size, size);
        int matched = 0;
        int rightClass = 0;
        long[][] confusion = new long[CELL_CLASSES][CELL_CLASSES];
        for (int[] m : match(cells, truth, x0, y0)) {
            matched++;
            int t = truth.get(m[1]).nucleusClass().ordinal();
            int c = cells.get(m[0]).cellClass().ordinal();
            confusion[t][c]++;
            rightClass += t == c ? 1 : 0;
        }
        double precision = cells.isEmpty() ? 0 : (double) matched / cells.size();
        double recall = truth.isEmpty() ? 0 : (double) matched / truth.size();
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        double[] classRecall = new double[CELL_CLASSES];
        for (int t = 0; t < CELL_CLASSES; t++) {
            long total = 0;
            for (int c = 0; c < CELL_CLASSES; c++) {
                total += confusion[t][c];
            }
            classRecall[t] = total < 10 ? Double.NaN : (double) confusion[t][t] / total;
        }
        return new CellScores(
                precision, recall, f1, matched == 0 ? 0 : (double) rightClass / matched, classRecall, confusion);
    }
}
