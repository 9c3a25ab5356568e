package org.tessera.models;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.tessera.imaging.synthetic.Nucleus;
import org.tessera.imaging.synthetic.Perturbation;
import org.tessera.imaging.synthetic.RendererFamily;
import org.tessera.imaging.synthetic.SyntheticSlide;
import org.tessera.models.AccuracyEvaluation.Scenario;
import org.tessera.models.cells.CellClassifier;
import org.tessera.models.cells.CellExtractor;
import org.tessera.models.stain.StainCorrection;
import org.tessera.models.stain.StainVectors;

/**
 * What stain normalization makes of the nuclei, per slide (docs/benchmarks.md, "Nuclei under perturbed stains"): the
 * slide's estimated stains and how far apart they are, then on the evaluation region once normalized, the nucleus
 * model's seeds, the cells kept, and the haematoxylin and eosin per unit of haematoxylin at the true nuclei's centres
 * (medians; the model's lightly smoothed stain maps, 5 × 5 pixels around each centre). Run: {@code load-tests/run
 * nucleus-stains [seed=909]}.
 */
public final class NucleusStainDiagnosis {

    private NucleusStainDiagnosis() {}

    public static void main(String[] args) throws Exception {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 909;
        byte[] model = AccuracyEvaluation.builtIn(ModelRegistry.CELL_DETECTION);
        System.out.println("| slide | estimated H / E (max) | H–E angle | seeds | cells kept | true nuclei |"
                + " H at nuclei | E / H at nuclei |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|");
        for (Scenario s : List.of(
                new Scenario(RendererFamily.PRIMARY, Perturbation.NONE, seed),
                new Scenario(RendererFamily.SECOND_LAB, Perturbation.NONE, seed),
                new Scenario(RendererFamily.SECOND_LAB, Perturbation.STAIN, seed),
                new Scenario(RendererFamily.SECOND_LAB, Perturbation.ALL, seed))) {
            SyntheticSlide slide = s.slide();
            StainCorrection correction = AccuracyEvaluation.correction(slide, true);
            StainVectors v = correction.normalizer().orElseThrow().source();
            int size = 1024;
            int x0 = 512;
            int y0 = 512;
            float[] chw = GeneratedSlides.readChw(slide, 0, x0, y0, size, size);
            correction.apply(chw, size * size);
            float[] seeds = GeneratedSlides.runFloat(model, chw, size, size, "seeds");
            float[] stains = GeneratedSlides.runFloat(model, chw, size, size, "stains");
            int seedCount = 0;
            for (float f : seeds) {
                seedCount += f != 0 ? 1 : 0;
            }
            int kept = new CellExtractor(0.5, CellClassifier.defaults())
                    .extract(seeds, stains, size, size, new int[] {0, 0, size, size})
                    .size();
            List<Nucleus> truth = slide.groundTruth().nucleiIn(x0, y0, size, size);
            double[] h = new double[truth.size()];
            double[] ratio = new double[truth.size()];
            int plane = size * size;
            for (int i = 0; i < truth.size(); i++) {
                int x = (int) truth.get(i).x() - x0;
                int y = (int) truth.get(i).y() - y0;
                double hs = 0;
                double es = 0;
                for (int dy = -2; dy <= 2; dy++) {
                    for (int dx = -2; dx <= 2; dx++) {
                        int xx = Math.min(size - 1, Math.max(0, x + dx));
                        int yy = Math.min(size - 1, Math.max(0, y + dy));
                        hs += stains[yy * size + xx];
                        es += stains[plane + yy * size + xx];
                    }
                }
                h[i] = hs / 25;
                ratio[i] = es / hs;
            }
            System.out.printf(
                    Locale.ROOT,
                    "| %s, %d | (%.2f, %.2f, %.2f) %.2f / (%.2f, %.2f, %.2f) %.2f | %.1f° | %d | %d | %d | %.2f | %.2f |%n",
                    s.name(),
                    seed,
                    v.haematoxylin()[0],
                    v.haematoxylin()[1],
                    v.haematoxylin()[2],
                    v.maxHaematoxylin(),
                    v.eosin()[0],
                    v.eosin()[1],
                    v.eosin()[2],
                    v.maxEosin(),
                    v.separation(),
                    seedCount,
                    kept,
                    truth.size(),
                    median(h),
                    median(ratio));
        }
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length == 0 ? Double.NaN : v[v.length / 2];
    }
}
