package org.tessera.models;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tessera.imaging.synthetic.NoiseTiles;

/**
 * Tiles/s of the tissue segmentation graph on CPU (256² tiles, batch 4, 2 intra-op threads, as the worker runs it),
 * the shipped graph against other graphs given as {@code .onnx} files (e.g. an earlier version), interleaved in rounds
 * in one JVM so that the machine's load weighs on all alike; also the process's CPU time per tile, which a busy machine
 * disturbs less than wall time. Run: {@code java -cp <test classpath>
 * org.tessera.models.TissueSegmentationSpeed [seconds per round=4] [rounds=3] [other.onnx ...]}.
 */
public final class TissueSegmentationSpeed {

    private TissueSegmentationSpeed() {}

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 4;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<String> names = new ArrayList<>();
        List<byte[]> models = new ArrayList<>();
        names.add("shipped");
        models.add(TissueSegmentationModel.build(TissueSegmentationWeights.weights()));
        for (int i = 2; i < args.length; i++) {
            names.add(args[i]);
            models.add(Files.readAllBytes(Path.of(args[i])));
        }
        int batch = 4;
        int tile = 256;
        float[] rgb = NoiseTiles.hematoxylinAndEosin(batch, tile);
        double[][] rates = new double[models.size()][rounds];
        double[][] cpu = new double[models.size()][rounds];
        var os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(2);
        List<OrtSession> sessions = new ArrayList<>();
        for (byte[] model : models) {
            sessions.add(GeneratedSlides.ENV.createSession(model, options));
        }
        try (OnnxTensor input = OnnxTensor.createTensor(
                GeneratedSlides.ENV, FloatBuffer.wrap(rgb), new long[] {batch, 3, tile, tile})) {
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < sessions.size(); k++) {
                    OrtSession session = sessions.get(k);
                    session.run(Map.of("rgb", input)).close();
                    long tiles = 0;
                    long cpuStart = os.getProcessCpuTime();
                    long start = System.nanoTime();
                    long deadline = start + (long) (seconds * 1e9);
                    while (System.nanoTime() < deadline) {
                        session.run(Map.of("rgb", input), java.util.Set.of("segmentation_class"))
                                .close();
                        tiles += batch;
                    }
                    rates[k][r] = tiles / ((System.nanoTime() - start) / 1e9);
                    cpu[k][r] = (os.getProcessCpuTime() - cpuStart) / 1e6 / tiles;
                }
            }
        }
        for (OrtSession session : sessions) {
            session.close();
        }
        System.out.println(
                "| graph | 256² tiles/s per round (batch 4, 2 intra-op threads) | CPU ms per tile, per round |");
        System.out.println("|---|---|---|");
        for (int k = 0; k < models.size(); k++) {
            StringBuilder s = new StringBuilder();
            for (double rate : rates[k]) {
                s.append(String.format(Locale.ROOT, "%s%.1f", s.isEmpty() ? "" : ", ", rate));
            }
            StringBuilder c = new StringBuilder();
            for (double ms : cpu[k]) {
                c.append(String.format(Locale.ROOT, "%s%.1f", c.isEmpty() ? "" : ", ", ms));
            }
            System.out.printf(Locale.ROOT, "| %s | %s | %s |%n", names.get(k), s, c);
        }
    }
}
