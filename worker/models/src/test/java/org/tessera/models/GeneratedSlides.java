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
import org.tessera.imaging.synthetic.SyntheticSlide;
import org.tessera.imaging.synthetic.SyntheticSlideGenerator;
import org.tessera.imaging.synthetic.SyntheticSlideOptions;
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
        String key = size + "/" + seed;
        SyntheticSlide cached = CACHE.get(key);
        if (cached != null) {
            return cached;
        }
        Path dir = Files.createTempDirectory("tessera-models-");
        dir.toFile().deleteOnExit();
        Path file = dir.resolve("slide-" + seed + ".svs");
        SyntheticSlide slide = SyntheticSlideGenerator.generate(
                file, size, size, 0.5, seed, SyntheticSlideOptions.svs().withArtefacts(true));
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

    /** Runs a model on one CHW image and returns the named float output, flattened. */
    static float[] runFloat(byte[] model, float[] chw, int w, int h, String output) throws OrtException {
        try (OrtSession session = ENV.createSession(model, new OrtSession.SessionOptions());
                OnnxTensor input = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(chw), new long[] {1, 3, h, w});
                OrtSession.Result result = session.run(Map.of("rgb", input))) {
            OnnxTensor t = (OnnxTensor) result.get(output).orElseThrow();
            FloatBuffer buffer = t.getFloatBuffer();
            float[] out = new float[buffer.remaining()];
            buffer.get(out);
            return out;
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
