package org.tessera.loadtests;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.tessera.dicom.FileTrees;
import org.tessera.imaging.synthetic.SyntheticSlideGenerator;
import org.tessera.imaging.synthetic.SyntheticSlideOptions;
import org.tessera.slides.SlideReaders;
import org.tessera.worker.common.ProgressSink;
import org.tessera.worker.inference.InferenceEngine;
import org.tessera.worker.pipeline.SlidePipeline;

/**
 * Wall time, tiles and peak memory of the worker's analysis of one slide, in-process: the same
 * {@link SlidePipeline#analyzeLocalFile} the worker runs between download and upload (slide readers, QC, tissue
 * segmentation, cells and readouts for {@code he-tme}, every output file written), without Kafka or HTTP. The slide is
 * a generated Aperio SVS at 0.25 µm/px, kept under {@code load-tests/target/bench/} and reused when present.
 *
 * <p>Arguments: {@code <application: test-app|he-tme> <slide side in pixels, or a slide file> [inference threads=2]};
 * system properties {@code tessera.bench.provider} (cpu|cuda|auto), {@code tessera.bench.batch} (4) and {@code
 * tessera.bench.spinning} (false) set the engine. Besides the row, prints (stderr) wall and process CPU time per stage,
 * each model's time inside ONNX Runtime and a CRC32C per output file. One JVM per
 * measurement, so that the peak RSS (VmHWM) and peak heap belong to that slide alone; prints one markdown row.
 */
public final class WorkerBenchmark {

    private WorkerBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: WorkerBenchmark <test-app|he-tme> <side-px> [threads=2]");
            System.exit(2);
        }
        String application = args[0];
        Path given = Path.of(args[1]);
        boolean isFile = Files.isRegularFile(given);
        int side = isFile ? 0 : Integer.parseInt(args[1]);
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        String version = "1.0.0";

        Path bench = Path.of("load-tests", "target", "bench");
        Files.createDirectories(bench);
        Path slide = isFile ? given : bench.resolve("synthetic-" + side + ".svs");
        if (!Files.exists(slide)) {
            System.err.printf(Locale.ROOT, "generating %s%n", slide);
            Path partial = bench.resolve("synthetic-" + side + ".svs.partial");
            SyntheticSlideGenerator.generate(partial, side, side, 0.25, 1, SyntheticSlideOptions.svs());
            Files.move(partial, slide);
        }
        InferenceEngine engine = InferenceEngine.create(new InferenceEngine.Settings(
                InferenceEngine.Provider.parse(System.getProperty("tessera.bench.provider", "cpu")),
                Integer.getInteger("tessera.bench.batch", 4),
                threads,
                Boolean.getBoolean("tessera.bench.spinning")));
        Path out = Files.createTempDirectory(bench, "outputs-");
        StageTimer progress = new StageTimer();
        long started = System.nanoTime();
        Map<String, Path> files;
        try {
            files = SlidePipeline.analyzeLocalFile(
                    engine, SlideReaders.discover(), slide, application, version, out, progress);
            progress.stage(ProgressSink.Stage.UPLOADING);
        } finally {
            progress.finish();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long outputBytes = 0;
        for (Map.Entry<String, Path> file : files.entrySet()) {
            outputBytes += Files.size(file.getValue());
            try (var in = Files.newInputStream(file.getValue())) {
                // Checksums let two runs (code before and after a change) be compared output by output.
                System.err.printf(
                        Locale.ROOT,
                        "output %s %d bytes crc32c %s%n",
                        file.getKey(),
                        Files.size(file.getValue()),
                        org.tessera.contracts.Crc32c.base64Of(in));
            }
        }
        FileTrees.deleteRecursively(out);
        System.err.println("breakdown (wall s / process CPU s): " + progress.breakdown());
        for (InferenceEngine.ModelTiming t : engine.timings()) {
            System.err.printf(
                    Locale.ROOT,
                    "model %s: %d tiles in %d runs, %.1f s inside ONNX Runtime (%.1f tiles/s)%n",
                    t.model(),
                    t.tiles(),
                    t.calls(),
                    t.nanos() / 1e9,
                    t.tiles() / (t.nanos() / 1e9));
        }

        System.out.printf(
                Locale.ROOT,
                "| %s | %s | %.1f | %s | %s | %.0f | %.0f | %.1f |%n",
                application,
                isFile ? slide.getFileName().toString() : String.format(Locale.ROOT, "%,d²", side),
                seconds,
                progress.tilesPerStage(),
                progress.secondsPerStage(),
                peakRssMiB(),
                peakHeapMiB(),
                outputBytes / 1048576.0);
    }

    /** Remembers the tile totals of each analysis pass and the time spent per stage. */
    private static final class StageTimer implements ProgressSink {
        private final Map<Stage, Long> nanos = new EnumMap<>(Stage.class);
        private final Map<Stage, Long> cpu = new EnumMap<>(Stage.class);
        private long cpuSince = processCpuNanos();
        private final List<Long> passTotals = new ArrayList<>();
        private final AtomicLong lastTotal = new AtomicLong(-1);
        private Stage current;
        private long since = System.nanoTime();

        @Override
        public synchronized void stage(Stage stage) {
            finish();
            current = stage;
        }

        synchronized void finish() {
            long now = System.nanoTime();
            long cpuNow = processCpuNanos();
            if (current != null) {
                nanos.merge(current, now - since, Long::sum);
                cpu.merge(current, cpuNow - cpuSince, Long::sum);
            }
            since = now;
            cpuSince = cpuNow;
            current = null;
        }

        @Override
        public synchronized void tiles(long done, long total) {
            // The analyser reports its coarse pass, then the cell pass with a larger total.
            if (current == Stage.TISSUE_DETECTION && total != lastTotal.get()) {
                lastTotal.set(total);
                passTotals.add(total);
            }
        }

        synchronized String tilesPerStage() {
            if (passTotals.isEmpty()) {
                return "-";
            }
            StringBuilder text = new StringBuilder();
            long previous = 0;
            for (long total : passTotals) {
                text.append(text.isEmpty() ? "" : " + ").append(String.format(Locale.ROOT, "%,d", total - previous));
                previous = total;
            }
            return text.toString();
        }

        synchronized String secondsPerStage() {
            return String.format(
                    Locale.ROOT,
                    "read %.1f, analyse %.1f, write %.1f",
                    seconds(Stage.READING),
                    seconds(Stage.TISSUE_DETECTION),
                    seconds(Stage.WRITING_OUTPUTS));
        }

        synchronized String breakdown() {
            StringBuilder text = new StringBuilder();
            nanos.forEach((stage, n) -> text.append(text.isEmpty() ? "" : ", ")
                    .append(String.format(
                            Locale.ROOT,
                            "%s %.1f / %.1f",
                            stage.name().toLowerCase(Locale.ROOT),
                            n / 1e9,
                            cpu.getOrDefault(stage, 0L) / 1e9)));
            return text.toString();
        }

        private double seconds(Stage stage) {
            return nanos.getOrDefault(stage, 0L) / 1e9;
        }
    }

    /** CPU time of the whole process (all threads, ONNX Runtime's native ones included), nanoseconds. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Peak resident set size of this process (VmHWM), MiB; -1 where /proc is missing. */
    static double peakRssMiB() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmHWM:")) {
                String[] parts = line.substring(6).trim().split("\\s+");
                return Long.parseLong(parts[0]) / 1024.0;
            }
        }
        return -1;
    }

    /** Sum of the heap pools' peak usage, MiB (an upper bound: pools peak at different moments). */
    static double peakHeapMiB() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return bytes / 1048576.0;
    }
}
