package org.tessera.worker.manifest;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.tessera.contracts.manifest.ModelInput;
import org.tessera.worker.inference.InferenceEngine;

/**
 * A manifest's model, opened with the worker engine's settings (execution provider, intra-op threads): feeds tiles as
 * the manifest says (channel order, normalization, the model's input name) and returns the named outputs flattened.
 * A model with a fixed batch size gets full batches, padded with white tiles.
 */
final class ManifestSession implements AutoCloseable {

    private final OrtEnvironment env;
    private final OrtSession session;
    private final ModelInput input;
    private final long fixedBatch;

    private ManifestSession(OrtEnvironment env, OrtSession session, ModelInput input, long fixedBatch) {
        this.env = env;
        this.session = session;
        this.input = input;
        this.fixedBatch = fixedBatch;
    }

    static ManifestSession open(InferenceEngine engine, byte[] model, ModelInput input) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (engine.settings().threads() > 0) {
                options.setIntraOpNumThreads(engine.settings().threads());
            }
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (engine.usesCuda()) {
                options.addCUDA(0);
            }
            OrtSession session = env.createSession(model, options);
            NodeInfo info = session.getInputInfo().get(input.name());
            long batch =
                    info != null && info.getInfo() instanceof TensorInfo t && t.getShape()[0] > 0 ? t.getShape()[0] : 0;
            return new ManifestSession(env, session, input, batch);
        }
    }

    /** Tiles per inference call: the model's fixed batch, else the engine's. */
    int batchSize(int engineBatch) {
        return fixedBatch > 0 ? Math.toIntExact(fixedBatch) : engineBatch;
    }

    /**
     * @param rgb {@code n} tiles, CHW RGB 0..255, as the tile decoder gives them
     * @return each output by name: {@code float[]} or {@code long[]}, first dimension {@code n}
     */
    Map<String, Object> run(float[] rgb, int n, List<String> outputs) throws OrtException {
        int size = input.tileSize();
        int plane = size * size;
        int batch = fixedBatch > 0 ? Math.toIntExact(fixedBatch) : n;
        float[] fed = new float[batch * 3 * plane];
        Arrays.fill(fed, 255f);
        System.arraycopy(rgb, 0, fed, 0, n * 3 * plane);
        normalize(fed, batch, plane);
        try (OnnxTensor tensor =
                        OnnxTensor.createTensor(env, FloatBuffer.wrap(fed), new long[] {batch, 3, size, size});
                OrtSession.Result result = session.run(Map.of(input.name(), tensor), new HashSet<>(outputs))) {
            Map<String, Object> out = new HashMap<>();
            for (String name : outputs) {
                OnnxTensor t = (OnnxTensor) result.get(name).orElseThrow();
                if (t.getInfo().type == OnnxJavaType.INT64) {
                    LongBuffer b = t.getLongBuffer();
                    long[] v = new long[b.remaining() / batch * n];
                    b.get(v);
                    out.put(name, v);
                } else {
                    FloatBuffer b = t.getFloatBuffer();
                    float[] v = new float[b.remaining() / batch * n];
                    b.get(v);
                    out.put(name, v);
                }
            }
            return out;
        }
    }

    /** Channel order and {@code (v * scale - mean) / std}, in place; nothing to do for RGB 0..255. */
    private void normalize(float[] tiles, int n, int plane) {
        ModelInput.Normalization norm = input.normalizationOrIdentity();
        boolean bgr = ModelInput.BGR.equals(input.channelOrder());
        boolean identity = norm.scale() == 1
                && norm.mean().stream().allMatch(m -> m == 0)
                && norm.std().stream().allMatch(s -> s == 1);
        if (!bgr && identity) {
            return;
        }
        float[] red = new float[plane];
        for (int k = 0; k < n; k++) {
            int base = k * 3 * plane;
            if (bgr) {
                System.arraycopy(tiles, base, red, 0, plane);
                System.arraycopy(tiles, base + 2 * plane, tiles, base, plane);
                System.arraycopy(red, 0, tiles, base + 2 * plane, plane);
            }
            for (int c = 0; c < 3; c++) {
                float scale = (float) norm.scale();
                float mean = norm.mean().get(c).floatValue();
                float std = norm.std().get(c).floatValue();
                int from = base + c * plane;
                for (int i = from; i < from + plane; i++) {
                    tiles[i] = (tiles[i] * scale - mean) / std;
                }
            }
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
