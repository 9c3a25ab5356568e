package org.tessera.loadtests;

import java.util.List;
import java.util.Locale;
import org.tessera.imaging.synthetic.NoiseTiles;
import org.tessera.models.ModelRegistry;
import org.tessera.worker.inference.InferenceEngine;
import org.tessera.worker.inference.InferenceEngine.ModelSession;

/**
 * Inference tiles/s of each built-in model through the worker's {@link InferenceEngine} (CPU, or CUDA when asked and
 * present), batches of the size the worker uses, on H&E-coloured noise: the graphs are convolutions, pools and
 * element-wise maths whose cost does not depend on the pixels. Prints a markdown table.
 *
 * <p>Arguments: {@code [seconds per model=5] [intra-op threads=2] [batch=4] [provider=CPU]}.
 */
public final class ModelSpeedBenchmark {

    private ModelSpeedBenchmark() {}

    private record Case(String model, String output, int tile) {}

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        InferenceEngine.Provider provider =
                args.length > 3 ? InferenceEngine.Provider.parse(args[3]) : InferenceEngine.Provider.CPU;
        InferenceEngine engine = InferenceEngine.create(new InferenceEngine.Settings(provider, batch, threads));
        ModelRegistry registry = ModelRegistry.withBuiltInModels();
        List<Case> cases = List.of(
                new Case(ModelRegistry.TISSUE_QC, "qc_class", 256),
                new Case(ModelRegistry.TISSUE_SEGMENTATION, "segmentation_class", 256),
                new Case(ModelRegistry.CELL_DETECTION, "seeds", 512));
        System.out.printf(
                Locale.ROOT,
                "%s, %d intra-op threads, batch %d%n%n| model | tile | tiles/s |%n|---|---|---:|%n",
                engine.usesCuda() ? "CUDA" : "CPU",
                threads,
                batch);
        for (Case c : cases) {
            float[] rgb = NoiseTiles.hematoxylinAndEosin(batch, c.tile());
            try (ModelSession session = engine.open(
                    registry.model("he-tme", "1.0.0", c.model()).orElseThrow().load())) {
                List<String> outputs = c.model().equals(ModelRegistry.CELL_DETECTION)
                        ? List.of("seeds", "stains")
                        : List.of(c.output());
                session.run(rgb, batch, c.tile(), outputs);
                long tiles = 0;
                long start = System.nanoTime();
                long deadline = start + (long) (seconds * 1e9);
                while (System.nanoTime() < deadline) {
                    session.run(rgb, batch, c.tile(), outputs);
                    tiles += batch;
                }
                double rate = tiles / ((System.nanoTime() - start) / 1e9);
                System.out.printf(Locale.ROOT, "| `%s` | %d² | %.1f |%n", c.model(), c.tile(), rate);
            }
        }
    }
}
