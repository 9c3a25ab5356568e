package org.tessera.worker.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * ONNX Runtime for the worker: one environment, the execution provider decided once (CUDA when the GPU build of ONNX
 * Runtime and a device are there, else CPU) and logged, sessions created with the configured intra-op threads.
 */
public final class InferenceEngine {

    private static final System.Logger LOG = System.getLogger(InferenceEngine.class.getName());

    /** Which execution provider to use. */
    public enum Provider {
        AUTO,
        CPU,
        CUDA;

        public static Provider parse(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "tessera.worker.inference.provider must be auto, cpu or cuda, not '" + value + "'", e);
            }
        }
    }

    /**
     * @param provider requested provider
     * @param batchSize tiles per inference call
     * @param threads intra-op threads per session (0 lets ONNX Runtime decide)
     * @param spinning whether idle intra-op threads spin (ONNX Runtime's default) instead of sleeping; spinning burns
     *     cores that tile decoding and post-processing share, so the worker turns it off
     */
    public record Settings(Provider provider, int batchSize, int threads, boolean spinning) {
        public Settings {
            Objects.requireNonNull(provider, "provider");
            if (batchSize < 1 || threads < 0) {
                throw new IllegalArgumentException(
                        "batch size >= 1 and threads >= 0 needed: " + batchSize + "/" + threads);
            }
        }

        /** Without spinning. */
        public Settings(Provider provider, int batchSize, int threads) {
            this(provider, batchSize, threads, false);
        }

        public static Settings defaults() {
            return new Settings(Provider.AUTO, 4, defaultThreads());
        }

        /** Half the available cores: inference shares the machine with tile decoding. */
        public static int defaultThreads() {
            return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        }
    }

    /** Time spent in one model's runs since the engine started: calls, tiles and wall nanoseconds inside ONNX Runtime. */
    public record ModelTiming(String model, long calls, long tiles, long nanos) {}

    private final OrtEnvironment env;
    private final java.util.concurrent.ConcurrentMap<String, long[]> timings =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final Settings settings;
    private final boolean cuda;
    private final String reason;

    private InferenceEngine(Settings settings) {
        this.env = OrtEnvironment.getEnvironment();
        this.settings = settings;
        Choice choice = choose(
                settings.provider(),
                OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA),
                InferenceEngine::probeCuda);
        this.cuda = choice.cuda();
        this.reason = choice.reason();
        if (choice.fallback()) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "inference: CUDA requested (tessera.worker.inference.provider=cuda) but running on the CPU: "
                            + reason);
        }
        LOG.log(System.Logger.Level.INFO, "inference: execution provider " + describe());
    }

    /**
     * The provider the engine runs on and why.
     *
     * @param cuda whether sessions get the CUDA execution provider
     * @param reason why, in words: what was requested, or what kept CUDA from being used
     * @param fallback whether CUDA was requested explicitly and the CPU is used instead
     */
    record Choice(boolean cuda, String reason, boolean fallback) {}

    /**
     * Decides the provider: CPU when asked for; otherwise CUDA when this ONNX Runtime build has the CUDA provider and
     * device 0 accepts it ({@code probe} answers the error that kept it from doing so, empty when it did), else CPU.
     */
    static Choice choose(Provider requested, boolean cudaBuild, Supplier<Optional<String>> probe) {
        if (requested == Provider.CPU) {
            return new Choice(false, "CPU requested (tessera.worker.inference.provider=cpu)", false);
        }
        String why;
        if (!cudaBuild) {
            why = "this ONNX Runtime build has no CUDA provider (the worker's CUDA image is built with -Pgpu,"
                    + " for onnxruntime_gpu)";
        } else {
            Optional<String> error = probe.get();
            if (error.isEmpty()) {
                return new Choice(
                        true,
                        requested == Provider.CUDA ? "CUDA requested, device 0 available" : "CUDA device 0 available",
                        false);
            }
            why = "the CUDA provider is present but device 0 is unusable: " + error.get();
        }
        return new Choice(false, why, requested == Provider.CUDA);
    }

    /** Whether device 0 takes the CUDA provider: empty when it does, else the error (no driver, no libraries). */
    private static Optional<String> probeCuda() {
        try (OrtSession.SessionOptions probe = new OrtSession.SessionOptions()) {
            probe.addCUDA(0);
            return Optional.empty();
        } catch (OrtException | RuntimeException | LinkageError e) {
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }

    /** An engine with its own settings; the worker's comes from CDI, built once from its configuration. */
    public static InferenceEngine create(Settings settings) {
        return new InferenceEngine(settings);
    }

    public Settings settings() {
        return settings;
    }

    public boolean usesCuda() {
        return cuda;
    }

    public String providerReason() {
        return reason;
    }

    /** The provider sessions run on: {@code CUDA} or {@code CPU}. */
    public String provider() {
        return cuda ? "CUDA" : "CPU";
    }

    /** E.g. {@code CPU (CPU requested ...), batch size 4, intra-op threads 2}, for logs and health checks. */
    public String describe() {
        return provider() + " (" + reason + "), batch size " + settings.batchSize() + ", intra-op threads "
                + settings.threads() + (settings.spinning() ? ", spinning" : "");
    }

    /** Opens a session on model bytes. */
    public ModelSession open(byte[] model) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (settings.threads() > 0) {
                options.setIntraOpNumThreads(settings.threads());
            }
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (!settings.spinning()) {
                options.addConfigEntry("session.intra_op.allow_spinning", "0");
            }
            if (cuda) {
                options.addCUDA(0);
            }
            OrtSession session = env.createSession(model, options);
            String name;
            try {
                name = session.getMetadata().getGraphName();
            } catch (OrtException e) {
                name = "model";
            }
            return new ModelSession(env, session, timings.computeIfAbsent(name, k -> new long[3]));
        }
    }

    /** Per-model time inside ONNX Runtime since the engine started, by graph name (benchmarks' breakdowns). */
    public List<ModelTiming> timings() {
        List<ModelTiming> list = new java.util.ArrayList<>();
        timings.forEach((name, t) -> {
            synchronized (t) {
                list.add(new ModelTiming(name, t[0], t[1], t[2]));
            }
        });
        list.sort(java.util.Comparator.comparing(ModelTiming::model));
        return list;
    }

    /** One loaded model; {@link #run} may be called from several threads. */
    public static final class ModelSession implements AutoCloseable {
        private final OrtEnvironment env;
        private final OrtSession session;
        private final long[] timing;

        ModelSession(OrtEnvironment env, OrtSession session, long[] timing) {
            this.env = env;
            this.session = session;
            this.timing = timing;
        }

        private void record(int tiles, long nanos) {
            synchronized (timing) {
                timing[0]++;
                timing[1] += tiles;
                timing[2] += nanos;
            }
        }

        /**
         * Runs a batch {@code [n, 3, size, size]} of RGB tiles (0..255) and returns the named outputs flattened:
         * {@code float[]} for float tensors, {@code long[]} for int64 ones.
         */
        public Map<String, Object> run(float[] rgb, int n, int size, List<String> outputs) throws OrtException {
            long started = System.nanoTime();
            try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(rgb), new long[] {n, 3, size, size});
                    OrtSession.Result result = session.run(Map.of("rgb", input), new java.util.HashSet<>(outputs))) {
                Map<String, Object> out = new HashMap<>();
                for (String name : outputs) {
                    OnnxTensor t = (OnnxTensor) result.get(name).orElseThrow();
                    if (t.getInfo().type == ai.onnxruntime.OnnxJavaType.INT64) {
                        java.nio.LongBuffer b = t.getLongBuffer();
                        long[] v = new long[b.remaining()];
                        b.get(v);
                        out.put(name, v);
                    } else {
                        FloatBuffer b = t.getFloatBuffer();
                        float[] v = new float[b.remaining()];
                        b.get(v);
                        out.put(name, v);
                    }
                }
                return out;
            } finally {
                record(n, System.nanoTime() - started);
            }
        }

        @Override
        public void close() throws OrtException {
            session.close();
        }
    }
}
