package org.tessera.orchestrator.application.manifest;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tessera.contracts.manifest.ManifestTask;
import org.tessera.contracts.manifest.ModelInput;
import org.tessera.contracts.manifest.ModelOutput;

/**
 * Checks a model file against its task in the manifest with ONNX Runtime, as the worker will run it: the checksum, the
 * input (its name, float32, rank 4, three channels, the tile size where the model fixes it), the output tensors (their
 * names, element types and ranks), and then one real run on a tile of the manifest's size whose outputs must have the
 * tile's size and one channel per class the manifest names (for class values: no value beyond the classes).
 */
public final class ModelCheck {

    private ModelCheck() {}

    /**
     * @param taskIndex the task's position in the manifest, for the reasons' paths
     * @throws ManifestRefusedException the model does not match its task, with every reason found
     */
    public static void check(int taskIndex, ManifestTask task, byte[] model) throws ManifestRefusedException {
        List<Object> modelPath = List.of("tasks", taskIndex, "model");
        String actual = sha256(model);
        if (!actual.equals(task.model().sha256())) {
            throw ManifestRefusedException.of(
                    path(modelPath, "sha256"),
                    ManifestRefusedException.CHECKSUM_MISMATCH,
                    "model file " + task.model().file() + " has SHA-256 " + actual + ", the manifest says "
                            + task.model().sha256());
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                OrtSession session = open(env, options, model, modelPath, task)) {
            List<ManifestRefusedException.Reason> reasons = new ArrayList<>();
            long batch = checkInput(session, task.model().input(), path(modelPath, "input"), reasons);
            checkDeclaredOutputs(session, task.model().output(), path(modelPath, "output"), reasons);
            if (reasons.isEmpty()) {
                checkRun(env, session, task, batch, path(modelPath, "output"), reasons);
            }
            if (!reasons.isEmpty()) {
                throw new ManifestRefusedException(reasons);
            }
        } catch (OrtException e) {
            throw ManifestRefusedException.of(
                    modelPath,
                    ManifestRefusedException.MODEL_UNREADABLE,
                    "ONNX Runtime could not run model file " + task.model().file() + ": " + e.getMessage());
        }
    }

    private static OrtSession open(
            OrtEnvironment env, OrtSession.SessionOptions options, byte[] model, List<Object> path, ManifestTask task)
            throws ManifestRefusedException {
        try {
            // One white tile is all a check runs: no thread pool worth starting.
            options.setIntraOpNumThreads(1);
            return env.createSession(model, options);
        } catch (OrtException | RuntimeException e) {
            throw ManifestRefusedException.of(
                    path,
                    ManifestRefusedException.MODEL_UNREADABLE,
                    "model file " + task.model().file() + " is not a model ONNX Runtime can load: " + e.getMessage());
        }
    }

    /** Returns the batch size a run may use: the model's fixed one, or 1. */
    private static long checkInput(
            OrtSession session, ModelInput input, List<Object> path, List<ManifestRefusedException.Reason> reasons)
            throws OrtException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        if (!inputs.containsKey(input.name())) {
            reasons.add(new ManifestRefusedException.Reason(
                    path(path, "name"),
                    ManifestRefusedException.INPUT_MISMATCH,
                    "the model has no input '" + input.name() + "'; its inputs are " + inputs.keySet()));
            return 1;
        }
        if (inputs.size() != 1) {
            reasons.add(new ManifestRefusedException.Reason(
                    path(path, "name"),
                    ManifestRefusedException.INPUT_MISMATCH,
                    "the model takes " + inputs.size() + " inputs " + inputs.keySet()
                            + "; the worker feeds exactly one, the tiles"));
        }
        if (!(inputs.get(input.name()).getInfo() instanceof TensorInfo info)) {
            reasons.add(new ManifestRefusedException.Reason(
                    path(path, "name"), ManifestRefusedException.INPUT_MISMATCH, "input is not a tensor"));
            return 1;
        }
        long[] shape = info.getShape();
        if (info.type != OnnxJavaType.FLOAT || shape.length != 4) {
            reasons.add(new ManifestRefusedException.Reason(
                    path(path, "name"),
                    ManifestRefusedException.INPUT_MISMATCH,
                    "input '" + input.name() + "' is " + info.type + " of shape " + Arrays.toString(shape)
                            + "; the worker feeds float32 [N, 3, " + input.tileSize() + ", " + input.tileSize() + "]"));
            return 1;
        }
        if (shape[1] != 3 && shape[1] >= 0) {
            reasons.add(new ManifestRefusedException.Reason(
                    path(path, "channel_order"),
                    ManifestRefusedException.INPUT_MISMATCH,
                    "input '" + input.name() + "' takes " + shape[1] + " channels; tiles have 3 ("
                            + (input.channelOrder() == null ? ModelInput.RGB : input.channelOrder()) + ")"));
        }
        for (int axis = 2; axis < 4; axis++) {
            if (shape[axis] >= 0 && shape[axis] != input.tileSize()) {
                reasons.add(new ManifestRefusedException.Reason(
                        path(path, "tile_size"),
                        ManifestRefusedException.INPUT_MISMATCH,
                        "input '" + input.name() + "' has shape " + Arrays.toString(shape) + ": tiles of " + shape[2]
                                + "x" + shape[3] + ", the manifest says tile_size " + input.tileSize()));
                break;
            }
        }
        return shape[0] > 0 ? shape[0] : 1;
    }

    private static void checkDeclaredOutputs(
            OrtSession session, ModelOutput output, List<Object> path, List<ManifestRefusedException.Reason> reasons)
            throws OrtException {
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        List<String> needed = new ArrayList<>();
        needed.add(output.tensor());
        if (output.outlines() != null) {
            needed.add(output.outlines().tensor());
        }
        for (int i = 0; i < needed.size(); i++) {
            String name = needed.get(i);
            List<Object> at = i == 0 ? path(path, "tensor") : path(path(path, "outlines"), "tensor");
            if (!outputs.containsKey(name)) {
                reasons.add(new ManifestRefusedException.Reason(
                        at,
                        ManifestRefusedException.OUTPUT_MISMATCH,
                        "the model has no output '" + name + "'; its outputs are " + outputs.keySet()));
            } else if (!(outputs.get(name).getInfo() instanceof TensorInfo)) {
                reasons.add(new ManifestRefusedException.Reason(
                        at, ManifestRefusedException.OUTPUT_MISMATCH, "output '" + name + "' is not a tensor"));
            }
        }
    }

    /** Runs the model on white tiles and checks what comes out against the manifest. */
    private static void checkRun(
            OrtEnvironment env,
            OrtSession session,
            ManifestTask task,
            long batch,
            List<Object> path,
            List<ManifestRefusedException.Reason> reasons)
            throws OrtException {
        ModelInput input = task.model().input();
        ModelOutput output = task.model().output();
        int size = input.tileSize();
        float[] tiles = new float[Math.toIntExact(batch * 3 * size * size)];
        Arrays.fill(tiles, 255f);
        Set<String> names = new LinkedHashSet<>();
        names.add(output.tensor());
        if (output.outlines() != null) {
            names.add(output.outlines().tensor());
        }
        try (OnnxTensor tensor =
                        OnnxTensor.createTensor(env, FloatBuffer.wrap(tiles), new long[] {batch, 3, size, size});
                OrtSession.Result result = session.run(Map.of(input.name(), tensor), new HashSet<>(names))) {
            OnnxTensor main = (OnnxTensor) result.get(output.tensor()).orElseThrow();
            checkMainOutput(main, output, batch, size, path(path, "tensor"), reasons);
            if (output.outlines() != null) {
                OnnxTensor stains =
                        (OnnxTensor) result.get(output.outlines().tensor()).orElseThrow();
                long[] shape = stains.getInfo().getShape();
                if (stains.getInfo().type != OnnxJavaType.FLOAT
                        || !Arrays.equals(shape, new long[] {batch, 2, size, size})) {
                    reasons.add(new ManifestRefusedException.Reason(
                            path(path(path, "outlines"), "tensor"),
                            ManifestRefusedException.OUTPUT_MISMATCH,
                            "output '" + output.outlines().tensor() + "' gave " + stains.getInfo().type + " "
                                    + Arrays.toString(shape) + " for a tile; outlines need float32 [" + batch + ", 2, "
                                    + size + ", " + size + "] (haematoxylin, eosin)"));
                }
            }
        }
    }

    private static void checkMainOutput(
            OnnxTensor tensor,
            ModelOutput output,
            long batch,
            int size,
            List<Object> path,
            List<ManifestRefusedException.Reason> reasons)
            throws OrtException {
        long[] shape = tensor.getInfo().getShape();
        OnnxJavaType type = tensor.getInfo().type;
        int classes = output.classes().size();
        String got = "output '" + output.tensor() + "' gave " + type + " " + Arrays.toString(shape) + " for a tile";
        boolean labels = ModelOutput.CLASS_MAP.equals(output.kind()) && ModelOutput.LABELS.equals(output.encoding());
        if (labels) {
            boolean rank3 = shape.length == 3 && shape[1] == size && shape[2] == size;
            boolean rank4 = shape.length == 4 && shape[1] == 1 && shape[2] == size && shape[3] == size;
            if (type != OnnxJavaType.INT64 || shape[0] != batch || !(rank3 || rank4)) {
                reasons.add(new ManifestRefusedException.Reason(
                        path,
                        ManifestRefusedException.OUTPUT_MISMATCH,
                        got + "; class values need int64 [N, " + size + ", " + size + "] or [N, 1, " + size + ", "
                                + size + "]"));
                return;
            }
            LongBuffer values = tensor.getLongBuffer();
            long max = 0;
            while (values.hasRemaining()) {
                max = Math.max(max, values.get());
            }
            if (max >= classes) {
                reasons.add(new ManifestRefusedException.Reason(
                        path(path.subList(0, path.size() - 1), "classes"),
                        ManifestRefusedException.CLASS_COUNT_MISMATCH,
                        "output '" + output.tensor() + "' gave class value " + max + " for a white tile; the manifest"
                                + " names " + classes + " classes (values 0.." + (classes - 1) + ")"));
            }
            return;
        }
        if (type != OnnxJavaType.FLOAT
                || shape.length != 4
                || shape[0] != batch
                || shape[2] != size
                || shape[3] != size) {
            reasons.add(new ManifestRefusedException.Reason(
                    path,
                    ManifestRefusedException.OUTPUT_MISMATCH,
                    got + "; " + output.kind() + " scores need float32 [N, " + classes + ", " + size + ", " + size
                            + "] (one channel per class, the tile's size)"));
            return;
        }
        if (shape[1] != classes) {
            reasons.add(new ManifestRefusedException.Reason(
                    path(path.subList(0, path.size() - 1), "classes"),
                    ManifestRefusedException.CLASS_COUNT_MISMATCH,
                    "output '" + output.tensor() + "' has " + shape[1] + " channels, the manifest names " + classes
                            + " classes"));
        }
    }

    private static List<Object> path(List<Object> base, Object element) {
        List<Object> longer = new ArrayList<>(base);
        longer.add(element);
        return longer;
    }

    static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
