package org.tessera.loadtests;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tessera.imaging.synthetic.NoiseTiles;
import org.tessera.models.ModelRegistry;
import org.tessera.worker.inference.InferenceEngine;
import org.tessera.worker.inference.InferenceEngine.ModelSession;

/**
 * Writes the built-in models of {@code he-tme} 1.0.0 as {@code .onnx} files, with a {@code models.tsv} naming each
 * file's task, tile side and the outputs {@link ModelSpeedBenchmark} asks for, so that a machine without Java (the
 * GPU machine of {@code load-tests/gpu/run-gpu-bench}) runs exactly the graphs the worker runs. Beside each model it
 * writes a reference: two tiles of {@link ModelSpeedBenchmark}'s noise ({@code <task>.input.f32}) and what the
 * worker's {@link InferenceEngine} on the CPU returns for them ({@code <task>.<output>.f32} or {@code .i64}), raw
 * little-endian, so that another runtime's results can be checked against ONNX Runtime's before they are timed.
 *
 * <p>Arguments: {@code <folder>}.
 */
public final class ModelExport {

    private ModelExport() {}

    /** Tiles in each reference batch. */
    private static final int REFERENCE_TILES = 2;

    private record Case(String task, int tile, String outputs) {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: ModelExport <folder>");
            System.exit(2);
        }
        Path folder = Files.createDirectories(Path.of(args[0]));
        ModelRegistry registry = ModelRegistry.withBuiltInModels();
        List<Case> cases = List.of(
                new Case(ModelRegistry.TISSUE_QC, 256, "qc_class"),
                new Case(ModelRegistry.TISSUE_SEGMENTATION, 256, "segmentation_class"),
                new Case(ModelRegistry.CELL_DETECTION, 512, "seeds,stains"));
        InferenceEngine engine =
                InferenceEngine.create(new InferenceEngine.Settings(InferenceEngine.Provider.CPU, REFERENCE_TILES, 2));
        List<String> lines = new ArrayList<>();
        lines.add("task\tfile\ttile\toutputs\tsha256");
        for (Case c : cases) {
            ModelRegistry.ModelFile model =
                    registry.model("he-tme", "1.0.0", c.task()).orElseThrow();
            String file = c.task() + ".onnx";
            byte[] bytes = model.load();
            Files.write(folder.resolve(file), bytes);
            float[] input = NoiseTiles.hematoxylinAndEosin(REFERENCE_TILES, c.tile());
            write(folder.resolve(c.task() + ".input.f32"), input);
            try (ModelSession session = engine.open(bytes)) {
                Map<String, Object> outputs = session.run(
                        input, REFERENCE_TILES, c.tile(), List.of(c.outputs().split(",")));
                for (Map.Entry<String, Object> output : outputs.entrySet()) {
                    String name = c.task() + "." + output.getKey();
                    switch (output.getValue()) {
                        case float[] values -> write(folder.resolve(name + ".f32"), values);
                        case long[] values -> write(folder.resolve(name + ".i64"), values);
                        default -> throw new IllegalStateException("unexpected output type " + output.getValue());
                    }
                }
            }
            lines.add(String.join("\t", c.task(), file, Integer.toString(c.tile()), c.outputs(), model.sha256()));
        }
        Files.write(folder.resolve("models.tsv"), lines);
        System.out.printf(Locale.ROOT, "wrote %d models to %s%n", cases.size(), folder);
    }

    private static void write(Path file, float[] values) throws java.io.IOException {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        Files.write(file, buffer.array());
    }

    private static void write(Path file, long[] values) throws java.io.IOException {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asLongBuffer().put(values);
        Files.write(file, buffer.array());
    }
}
