package org.tessera.models;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.tessera.imaging.synthetic.Perturbation;
import org.tessera.imaging.synthetic.RendererFamily;
import org.tessera.imaging.synthetic.SyntheticSlide;
import org.tessera.imaging.synthetic.SyntheticSlideGenerator;
import org.tessera.imaging.synthetic.SyntheticSlideOptions;
import org.tessera.models.stain.MacenkoStainEstimator;
import org.tessera.models.stain.StainCorrection;
import org.tessera.slides.SlideFormatException;
import org.tessera.slides.SlideReader;
import org.tessera.slides.SlideReaders;

/** Generated slides for model tests and fitting, read back through the slide readers the worker uses. */
final class GeneratedSlides {

    static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    private static final Map<String, SyntheticSlide> CACHE = new ConcurrentHashMap<>();

    private GeneratedSlides() {}

    /** A slide at 0.5 µm/px with artefacts, cached per (size, seed) for the JVM. */
    static SyntheticSlide slide(int size, long seed) throws IOException {
        return slide(size, seed, RendererFamily.PRIMARY, Perturbation.NONE);
    }

    /**
     * A slide at 0.5 µm/px drawn by a renderer family with a perturbation (artefacts with the primary renderer only),
     * cached for the JVM.
     */
    static SyntheticSlide slide(int size, long seed, RendererFamily family, Perturbation perturbation)
            throws IOException {
        String key = size + "/" + seed + "/" + family + "/" + perturbation.name();
        SyntheticSlide cached = CACHE.get(key);
        if (cached != null) {
            return cached;
        }
        Path dir = Files.createTempDirectory("tessera-models-");
        dir.toFile().deleteOnExit();
        Path file = dir.resolve("slide-" + seed + "-" + family + "-" + perturbation.name() + ".svs");
        SyntheticSlide slide = SyntheticSlideGenerator.generate(
                file,
                size,
                size,
                0.5,
                seed,
                SyntheticSlideOptions.svs()
                        .withArtefacts(family == RendererFamily.PRIMARY)
                        .withRendererFamily(family)
                        .withPerturbation(perturbation));
        file.toFile().deleteOnExit();
        CACHE.put(key, slide);
        return slide;
    }

    /** A region of one level as float32 CHW RGB 0..255. */
    static float[] readChw(SyntheticSlide slide, int level, int x, int y, int w, int h)
            throws IOException, SlideFormatException {
        int[] argb = new int[w * h];
        try (SlideReader reader = SlideReaders.builtIn().open(slide.path(), "test slide")) {
            reader.readPixels(level, x, y, w, h, argb);
        }
        float[] chw = new float[3 * w * h];
        int plane = w * h;
        for (int i = 0; i < plane; i++) {
            int p = argb[i];
            chw[i] = (p >> 16) & 0xFF;
            chw[plane + i] = (p >> 8) & 0xFF;
            chw[2 * plane + i] = p & 0xFF;
        }
        return chw;
    }

    /**
     * The slide's stain correction, estimated as the worker does: from the coarsest level at or under
     * {@value #STAIN_MPP} µm/px.
     */
    static StainCorrection stainCorrection(SyntheticSlide slide) throws IOException, SlideFormatException {
        try (SlideReader reader = SlideReaders.builtIn().open(slide.path(), "test slide")) {
            var levels = reader.info().levels();
            int level = 0;
            for (int i = 0; i < levels.size(); i++) {
                if (levels.get(i).downsample() * slide.mpp() <= STAIN_MPP) {
                    level = i;
                }
            }
            int w = levels.get(level).width();
            int h = levels.get(level).height();
            int[] argb = new int[w * h];
            reader.readPixels(level, 0, 0, w, h, argb);
            MacenkoStainEstimator estimator = new MacenkoStainEstimator();
            for (int p : argb) {
                estimator.add(p);
            }
            return StainCorrection.of(estimator);
        }
    }

    static final double STAIN_MPP = 2;

    /** Runs a model on one CHW image and returns the named float output, flattened. */
    static float[] runFloat(byte[] model, float[] chw, int w, int h, String output) throws OrtException {
        return runFloats(model, chw, w, h, output)[0];
    }

    /** Several float outputs of one run of the model, in the order asked for. */
    static float[][] runFloats(byte[] model, float[] chw, int w, int h, String... outputs) throws OrtException {
        try (OrtSession session = ENV.createSession(model, new OrtSession.SessionOptions());
                OnnxTensor input = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(chw), new long[] {1, 3, h, w});
                OrtSession.Result result = session.run(Map.of("rgb", input))) {
            float[][] values = new float[outputs.length][];
            for (int i = 0; i < outputs.length; i++) {
                FloatBuffer buffer = ((OnnxTensor) result.get(outputs[i]).orElseThrow()).getFloatBuffer();
                values[i] = new float[buffer.remaining()];
                buffer.get(values[i]);
            }
            return values;
        }
    }

    static long[] runLong(byte[] model, float[] chw, int w, int h, String output) throws OrtException {
        try (OrtSession session = ENV.createSession(model, new OrtSession.SessionOptions());
                OnnxTensor input = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(chw), new long[] {1, 3, h, w});
                OrtSession.Result result = session.run(Map.of("rgb", input))) {
            OnnxTensor t = (OnnxTensor) result.get(output).orElseThrow();
            java.nio.LongBuffer buffer = t.getLongBuffer();
            long[] out = new long[buffer.remaining()];
            buffer.get(out);
            return out;
        }
    }
}
