package org.tessera.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tessera.imaging.synthetic.Perturbation;
import org.tessera.imaging.synthetic.RendererFamily;
import org.tessera.imaging.synthetic.SyntheticSlide;
import org.tessera.models.AccuracyEvaluation.CellScores;
import org.tessera.models.AccuracyEvaluation.Scenario;
import org.tessera.models.AccuracyEvaluation.TissueScores;
import org.tessera.models.cells.CellClassifier;
import org.tessera.models.stain.StainCorrection;

/**
 * The accuracy table of docs/benchmarks.md: the built-in models on slides of both renderer families under every
 * perturbation, with stain normalization on (as the worker runs) and off, on seeds the models were not fitted on.
 * Run: {@code load-tests/run accuracy [seeds=909,910]}.
 */
public final class AccuracyBenchmark {

    private AccuracyBenchmark() {}

    public static void main(String[] args) throws Exception {
        List<Long> seeds = new ArrayList<>();
        for (String s : (args.length > 0 ? args[0] : "909,910").split(",")) {
            seeds.add(Long.parseLong(s.trim()));
        }
        List<Scenario> scenarios = new ArrayList<>();
        for (long seed : seeds) {
            scenarios.add(new Scenario(RendererFamily.PRIMARY, Perturbation.NONE, seed));
            for (Perturbation p : List.of(
                    Perturbation.NONE,
                    Perturbation.STAIN,
                    Perturbation.BRIGHTNESS,
                    Perturbation.SCANNER_NOISE,
                    Perturbation.ALL)) {
                scenarios.add(new Scenario(RendererFamily.SECOND_LAB, p, seed));
            }
        }
        byte[] segmentation = AccuracyEvaluation.builtIn(ModelRegistry.TISSUE_SEGMENTATION);
        byte[] nuclei = AccuracyEvaluation.builtIn(ModelRegistry.CELL_DETECTION);
        System.out.println("| slide (renderer / perturbation, seed) | stain normalization | tissue Dice | tissue class"
                + " accuracy | recall tumor / stroma / necrosis / other | cell P / R / F1 at 4 µm | cell class accuracy |"
                + " recall lymphocyte / tumor / stromal / other |");
        System.out.println("|---|---|---:|---:|---|---|---:|---|");
        for (Scenario scenario : scenarios) {
            SyntheticSlide slide = scenario.slide();
            for (boolean normalize : new boolean[] {true, false}) {
                StainCorrection stain = AccuracyEvaluation.correction(slide, normalize);
                TissueScores t = AccuracyEvaluation.tissue(slide, segmentation, stain);
                CellScores c = AccuracyEvaluation.cells(slide, nuclei, CellClassifier.defaults(), stain);
                System.out.printf(
                        Locale.ROOT,
                        "| %s, %d | %s | %.3f | %.3f | %s | %.3f / %.3f / %.3f | %.3f | %s |%n",
                        scenario.name(),
                        scenario.seed(),
                        normalize ? stain.status() : "off",
                        t.dice(),
                        t.accuracy(),
                        recalls(t.recall(), 1),
                        c.precision(),
                        c.recall(),
                        c.f1(),
                        c.classAccuracy(),
                        recalls(c.classRecall(), 0));
            }
        }
    }

    private static String recalls(double[] values, int from) {
        StringBuilder s = new StringBuilder();
        for (int i = from; i < values.length; i++) {
            if (i > from) {
                s.append(" / ");
            }
            s.append(Double.isNaN(values[i]) ? "–" : String.format(Locale.ROOT, "%.2f", values[i]));
        }
        return s.toString();
    }
}
