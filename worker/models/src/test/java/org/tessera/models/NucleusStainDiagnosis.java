package org.tessera.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tessera.imaging.synthetic.Nucleus;
import org.tessera.imaging.synthetic.PenStroke;
import org.tessera.imaging.synthetic.Perturbation;
import org.tessera.imaging.synthetic.RendererFamily;
import org.tessera.imaging.synthetic.SyntheticSlide;
import org.tessera.models.AccuracyEvaluation.Scenario;
import org.tessera.models.cells.Cell;
import org.tessera.models.cells.CellClassifier;
import org.tessera.models.cells.CellExtractor;
import org.tessera.models.stain.StainCorrection;
import org.tessera.models.stain.StainVectors;

/**
 * What stain normalization makes of the nuclei, per slide (docs/benchmarks.md, "Nuclei under perturbed stains"): the
 * slide's estimated stains and how far apart they are, then on the evaluation region once normalized, the nucleus
 * model's seeds, the cells kept, and the haematoxylin and eosin per unit of haematoxylin at the true nuclei's centres
 * (medians; the model's lightly smoothed stain maps, 5 × 5 pixels around each centre). Then the ink screen as the
 * worker meets it: whole 2,048² slides in 512² tiles overlapping by 64 pixels, as many outlines as a tile gives, each
 * counted in every tile that holds it; an outline is ink when its centroid lies in a marker stroke of the ground
 * truth, a nucleus when a true nucleus lies within 4 µm. Run: {@code load-tests/run nucleus-stains [seed=909]}.
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
            float[][] nucleusOutputs = GeneratedSlides.runFloats(model, chw, size, size, "seeds", "stains");
            float[] seeds = nucleusOutputs[0];
            float[] stains = nucleusOutputs[1];
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
        inkScreen(model);
    }

    /**
     * Ink kept and nuclei dropped by the screen: old (negative eosin), against the tile's median, and against the
     * slide's reference (measured on {@link CellExtractor#referenceTiles} of the region's tiles, as the worker does).
     */
    static void inkScreen(byte[] model) throws Exception {
        System.out.println();
        System.out.println("| slides (512² tiles) | ink outlines | kept: old rule / tile median / slide reference"
                + " | nuclei | dropped: old rule / tile median / slide reference |");
        System.out.println("|---|---:|---:|---:|---:|");
        long[] primary = {101, 202, 303, 404, 505, 606, 707, 808, 909, 910};
        List<Scenario> first = new ArrayList<>();
        for (long seed : primary) {
            first.add(new Scenario(RendererFamily.PRIMARY, Perturbation.NONE, seed));
        }
        List<Scenario> perturbed = new ArrayList<>();
        List<Scenario> plain = new ArrayList<>();
        for (long seed : new long[] {909, 910, 101, 202}) {
            perturbed.add(new Scenario(RendererFamily.SECOND_LAB, Perturbation.STAIN, seed));
            perturbed.add(new Scenario(RendererFamily.SECOND_LAB, Perturbation.ALL, seed));
        }
        for (long seed : new long[] {909, 910}) {
            plain.add(new Scenario(RendererFamily.SECOND_LAB, Perturbation.NONE, seed));
            plain.add(new Scenario(RendererFamily.SECOND_LAB, Perturbation.BRIGHTNESS, seed));
            plain.add(new Scenario(RendererFamily.SECOND_LAB, Perturbation.SCANNER_NOISE, seed));
        }
        inkScreen(model, "primary, seeds 101–808, 909, 910", first);
        inkScreen(model, "second-lab / stain and all, seeds 909, 910, 101, 202", perturbed);
        inkScreen(model, "second-lab / none, brightness, scanner-noise, seeds 909, 910", plain);
    }

    private static void inkScreen(byte[] model, String name, List<Scenario> scenarios) throws Exception {
        int tile = 512;
        int[] origins = {0, 448, 896, 1344, AccuracyEvaluation.SIZE - tile};
        CellExtractor none = new CellExtractor(0.5, CellClassifier.defaults(), Double.POSITIVE_INFINITY);
        CellExtractor old = new CellExtractor(0.5, CellClassifier.defaults(), Double.NEGATIVE_INFINITY);
        CellExtractor now = new CellExtractor(0.5, CellClassifier.defaults());
        long[] ink = new long[4];
        long[] nuclei = new long[4];
        int[] keep = {0, 0, tile, tile};
        for (Scenario s : scenarios) {
            SyntheticSlide slide = s.slide();
            StainCorrection correction = AccuracyEvaluation.correction(slide, true);
            List<Nucleus> truth = slide.groundTruth().nucleiIn(0, 0, AccuracyEvaluation.SIZE, AccuracyEvaluation.SIZE);
            List<int[]> tiles = new ArrayList<>();
            for (int y0 : origins) {
                for (int x0 : origins) {
                    tiles.add(new int[] {x0, y0});
                }
            }
            Map<int[], float[][]> outputs = new IdentityHashMap<>();
            for (int[] t : tiles) {
                float[] chw = GeneratedSlides.readChw(slide, 0, t[0], t[1], tile, tile);
                correction.apply(chw, tile * tile);
                outputs.put(t, GeneratedSlides.runFloats(model, chw, tile, tile, "seeds", "stains"));
            }
            List<Cell> sampled = new ArrayList<>();
            for (int[] t : CellExtractor.referenceTiles(tiles)) {
                sampled.addAll(none.outlines(outputs.get(t)[0], outputs.get(t)[1], tile, tile));
            }
            CellExtractor slideWide = now.withSlideReference(CellExtractor.slideReference(sampled));
            CellExtractor[] rules = {none, old, now, slideWide};
            for (int[] t : tiles) {
                float[][] out = outputs.get(t);
                for (int r = 0; r < rules.length; r++) {
                    for (Cell c : rules[r].extract(out[0], out[1], tile, tile, keep)) {
                        double x = c.x() + t[0];
                        double y = c.y() + t[1];
                        boolean inked = false;
                        for (PenStroke stroke : slide.groundTruth().penStrokes()) {
                            inked |= stroke.containsPixel((int) x, (int) y);
                        }
                        if (inked) {
                            ink[r]++;
                        } else if (nearTrueNucleus(truth, x, y)) {
                            nuclei[r]++;
                        }
                    }
                }
            }
        }
        System.out.printf(
                Locale.ROOT,
                "| %s | %d | %d / %d / %d | %d | %s / %s / %s |%n",
                name,
                ink[0],
                ink[1],
                ink[2],
                ink[3],
                nuclei[0],
                dropped(nuclei, 1),
                dropped(nuclei, 2),
                dropped(nuclei, 3));
    }

    private static String dropped(long[] nuclei, int rule) {
        long d = nuclei[0] - nuclei[rule];
        return String.format(Locale.ROOT, "%d (%.1f %%)", d, 100.0 * d / nuclei[0]);
    }

    private static boolean nearTrueNucleus(List<Nucleus> truth, double x, double y) {
        double reach = AccuracyEvaluation.MATCH_UM / 0.5;
        for (Nucleus n : truth) {
            if (Math.abs(n.x() - x) <= reach
                    && Math.abs(n.y() - y) <= reach
                    && Math.hypot(n.x() - x, n.y() - y) <= reach) {
                return true;
            }
        }
        return false;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length == 0 ? Double.NaN : v[v.length / 2];
    }
}
