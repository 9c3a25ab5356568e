package org.tessera.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tessera.imaging.synthetic.Nucleus;
import org.tessera.imaging.synthetic.SyntheticSlide;
import org.tessera.models.cells.Cell;
import org.tessera.models.cells.CellClassifier;
import org.tessera.models.cells.CellExtractor;
import org.tessera.models.stain.StainCorrection;

/**
 * The nucleus detector's parameters over a grid (smoothing, peak radius, haematoxylin and contrast thresholds) on the
 * primary renderer's fitting slides (seeds 101/202/303/404, the 1,024² region at (512, 512), stain-normalized as the
 * worker runs): pooled precision and recall and the mean F1 over the four slides at 4 µm, with the built-in ink
 * screen and classifier. Run: {@code load-tests/run nucleus-grid} (about 10 minutes on 2 cores).
 */
public final class NucleusDetectorGrid {

    private NucleusDetectorGrid() {}

    public static void main(String[] args) throws Exception {
        long[] seeds = {101, 202, 303, 404};
        float[][] inputs = new float[seeds.length][];
        List<List<Nucleus>> truths = new ArrayList<>();
        int size = 1024, x0 = 512, y0 = 512;
        for (int i = 0; i < seeds.length; i++) {
            SyntheticSlide slide = GeneratedSlides.slide(2048, seeds[i]);
            StainCorrection c = GeneratedSlides.stainCorrection(slide);
            inputs[i] = GeneratedSlides.readChw(slide, 0, x0, y0, size, size);
            c.apply(inputs[i], size * size);
            truths.add(slide.groundTruth().nucleiIn(x0, y0, size, size));
        }
        for (double sigma : new double[] {2.0, 2.5, 3.0}) {
            for (double radius : new double[] {2.5, 3.0, 3.5}) {
                for (float minH : new float[] {0.2f, 0.3f, 0.4f}) {
                    for (float contrast : new float[] {0.04f, 0.08f, 0.12f}) {
                        byte[] model = NucleusDetectionModel.build(
                                new NucleusDetectionModel.Parameters(sigma, radius, minH, contrast));
                        int cells = 0, truth = 0, matched = 0;
                        double f1sum = 0;
                        for (int i = 0; i < seeds.length; i++) {
                            float[][] nucleusOutputs =
                                    GeneratedSlides.runFloats(model, inputs[i], size, size, "seeds", "stains");
                            float[] s = nucleusOutputs[0];
                            float[] st = nucleusOutputs[1];
                            List<Cell> found = new CellExtractor(0.5, CellClassifier.defaults())
                                    .extract(s, st, size, size, new int[] {0, 0, size, size});
                            int m = AccuracyEvaluation.match(found, truths.get(i), x0, y0)
                                    .size();
                            cells += found.size();
                            truth += truths.get(i).size();
                            matched += m;
                            double p = found.isEmpty() ? 0 : (double) m / found.size(),
                                    r = (double) m / truths.get(i).size();
                            f1sum += p + r == 0 ? 0 : 2 * p * r / (p + r);
                        }
                        System.out.printf(
                                Locale.ROOT,
                                "sigma %.1f radius %.1f minH %.2f contrast %.2f: P %.3f R %.3f meanF1 %.4f%n",
                                sigma,
                                radius,
                                minH,
                                contrast,
                                (double) matched / cells,
                                (double) matched / truth,
                                f1sum / seeds.length);
                    }
                }
            }
        }
    }
}
