package org.tessera.worker.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.tessera.worker.inference.InferenceEngine.Choice;
import org.tessera.worker.inference.InferenceEngine.Provider;

/** Which execution provider the worker runs its models on, and what it says about it. */
class InferenceEngineTest {

    private final AtomicInteger probes = new AtomicInteger();

    private Supplier<Optional<String>> probe(Optional<String> answer) {
        return () -> {
            probes.incrementAndGet();
            return answer;
        };
    }

    @Test
    void cpuRequestedNeverProbesTheGpu() {
        Choice c = InferenceEngine.choose(Provider.CPU, true, probe(Optional.empty()));
        assertThat(c.cuda()).isFalse();
        assertThat(c.fallback()).isFalse();
        assertThat(c.reason()).contains("provider=cpu");
        assertThat(probes).hasValue(0);
    }

    @Test
    void cudaRequestedOnACpuBuildFallsBackAndSaysWhy() {
        Choice c = InferenceEngine.choose(Provider.CUDA, false, probe(Optional.empty()));
        assertThat(c.cuda()).isFalse();
        assertThat(c.fallback()).isTrue();
        assertThat(c.reason()).contains("no CUDA provider").contains("-Pgpu");
        assertThat(probes).hasValue(0);
    }

    @Test
    void cudaRequestedWithAnUnusableDeviceFallsBackWithTheDevicesError() {
        Choice c = InferenceEngine.choose(
                Provider.CUDA, true, probe(Optional.of("libcudnn.so.9: cannot open shared object file")));
        assertThat(c.cuda()).isFalse();
        assertThat(c.fallback()).isTrue();
        assertThat(c.reason()).contains("device 0 is unusable").contains("libcudnn.so.9");
    }

    @Test
    void cudaIsUsedWhenTheBuildAndTheDeviceHaveIt() {
        assertThat(InferenceEngine.choose(Provider.CUDA, true, probe(Optional.empty())))
                .isEqualTo(new Choice(true, "CUDA requested, device 0 available", false));
        assertThat(InferenceEngine.choose(Provider.AUTO, true, probe(Optional.empty())))
                .isEqualTo(new Choice(true, "CUDA device 0 available", false));
    }

    @Test
    void autoOnACpuBuildIsNoFallback() {
        Choice c = InferenceEngine.choose(Provider.AUTO, false, probe(Optional.empty()));
        assertThat(c.cuda()).isFalse();
        assertThat(c.fallback()).isFalse();
    }

    /** This build is ONNX Runtime's CPU one: asking for CUDA runs on the CPU, with a warning that names the cause. */
    @Test
    void theEngineLogsItsProviderAndTheReasonForFallingBack() {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger logger = Logger.getLogger(InferenceEngine.class.getName());
        logger.addHandler(capture);
        try {
            InferenceEngine engine = InferenceEngine.create(new InferenceEngine.Settings(Provider.CUDA, 4, 1));
            assertThat(engine.usesCuda()).isFalse();
            assertThat(engine.provider()).isEqualTo("CPU");
            assertThat(engine.describe()).startsWith("CPU (this ONNX Runtime build has no CUDA provider");
            assertThat(records)
                    .anySatisfy(r -> {
                        assertThat(r.getLevel()).isEqualTo(Level.WARNING);
                        assertThat(r.getMessage())
                                .contains("CUDA requested")
                                .contains("running on the CPU")
                                .contains("no CUDA provider");
                    })
                    .anySatisfy(r -> {
                        assertThat(r.getLevel()).isEqualTo(Level.INFO);
                        assertThat(r.getMessage()).startsWith("inference: execution provider CPU (");
                    });
        } finally {
            logger.removeHandler(capture);
        }
    }

    @Test
    void anUnknownProviderIsRefusedByName() {
        assertThat(Provider.parse(" Cuda ")).isEqualTo(Provider.CUDA);
        assertThatThrownBy(() -> Provider.parse("gpu"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tessera.worker.inference.provider")
                .hasMessageContaining("'gpu'");
    }
}
