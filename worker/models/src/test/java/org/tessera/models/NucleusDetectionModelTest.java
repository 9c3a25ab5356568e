package org.tessera.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.tessera.imaging.synthetic.SyntheticSlide;

class NucleusDetectionModelTest {

    /** The separable pools must find the same nuclei as the square ones they replaced, border windows included. */
    @Test
    void separablePoolsGiveTheSameSeedsAndStainsAsSquareOnes() throws Exception {
        SyntheticSlide slide = GeneratedSlides.slide(2048, CellDetectionAccuracyTest.SEED);
        int size = 512;
        float[] chw = GeneratedSlides.readChw(slide, 0, 512, 512, size, size);
        var parameters = NucleusDetectionModel.Parameters.defaults();
        byte[] separable = NucleusDetectionModel.build(parameters);
        byte[] square = NucleusDetectionModel.build(parameters, false);

        float[] seeds = GeneratedSlides.runFloat(separable, chw, size, size, "seeds");
        float[] reference = GeneratedSlides.runFloat(square, chw, size, size, "seeds");
        int referenceSeeds = 0;
        int differing = 0;
        for (int i = 0; i < seeds.length; i++) {
            referenceSeeds += reference[i] > 0 ? 1 : 0;
            differing += seeds[i] != reference[i] ? 1 : 0;
        }
        assertThat(referenceSeeds).as("the region holds nuclei").isGreaterThan(5);
        // Summation order differs, so a seed whose contrast sits exactly on the threshold may flip; no more.
        assertThat(differing).isLessThanOrEqualTo(1);
        assertThat(GeneratedSlides.runFloat(separable, chw, size, size, "stains"))
                .containsExactly(GeneratedSlides.runFloat(square, chw, size, size, "stains"));
    }

    /**
     * Tiles/s of both graphs, interleaved in one JVM so that both see the same machine load; a figure, not an
     * assertion. {@code ./mvnw -B test -pl models -Dtest=NucleusDetectionModelTest -Dtessera.bench=true}
     */
    @Test
    @EnabledIfSystemProperty(named = "tessera.bench", matches = "true")
    void tilesPerSecondOfSquareAndSeparablePools() throws Exception {
        int size = 512;
        int batch = 4;
        SyntheticSlide slide = GeneratedSlides.slide(2048, CellDetectionAccuracyTest.SEED);
        float[] one = GeneratedSlides.readChw(slide, 0, 512, 512, size, size);
        float[] chw = new float[batch * one.length];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(one, 0, chw, b * one.length, one.length);
        }
        var parameters = NucleusDetectionModel.Parameters.defaults();
        double[] rates = new double[2];
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(2);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            for (int round = 0; round < 3; round++) {
                for (int variant = 0; variant < 2; variant++) {
                    byte[] model = NucleusDetectionModel.build(parameters, variant == 1);
                    try (OrtSession session = GeneratedSlides.ENV.createSession(model, options);
                            OnnxTensor input = OnnxTensor.createTensor(
                                    GeneratedSlides.ENV, FloatBuffer.wrap(chw), new long[] {batch, 3, size, size})) {
                        session.run(Map.of("rgb", input)).close();
                        long start = System.nanoTime();
                        int runs = 3;
                        for (int i = 0; i < runs; i++) {
                            session.run(Map.of("rgb", input)).close();
                        }
                        rates[variant] += runs * batch / ((System.nanoTime() - start) / 1e9) / 3;
                    }
                }
            }
        }
        System.out.printf(
                Locale.ROOT,
                "nucleus_detection 512², batch %d, 2 intra-op threads: square pools %.1f tiles/s, separable %.1f"
                        + " tiles/s%n",
                batch,
                rates[0],
                rates[1]);
    }
}
