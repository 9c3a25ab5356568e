package org.tessera.loadtests;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tessera.localstack.DemoClient;
import org.tessera.localstack.LocalStack;
import org.tessera.localstack.SlideSet;
import org.tessera.localstack.StackOptions;

/**
 * Worker scaling on this machine: the same synthetic slides analysed by one real worker process, then by two (the
 * second started beside the first, in the same consumer group), on one real stack. Each measurement submits one run of
 * all the slides and times it from submission to the run's end; slides per minute is slides over that time.
 *
 * <p>{@code load-tests/run worker-scaling [slides=12] [side=4096] [app=test-app] [rounds=1]}
 */
public final class WorkerScaling {

    private WorkerScaling() {}

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = Harness.arguments(argv, List.of("slides", "side", "app", "rounds", "out"));
        Path root = Harness.root();
        Path out = root.resolve(args.getOrDefault("out", "load-tests/target/worker-scaling"));
        int count = Integer.parseInt(args.getOrDefault("slides", "12"));
        int side = Integer.parseInt(args.getOrDefault("side", "4096"));
        String app = args.getOrDefault("app", "test-app");
        int rounds = Integer.parseInt(args.getOrDefault("rounds", "1"));
        Path stateDir = root.resolve(".local-stack-worker-scaling");
        StackOptions options = StackOptions.defaults(root, stateDir)
                .withStartTimeout(Duration.ofMinutes(4))
                .withWorkerConfig(Map.of("tessera.worker.heartbeat-interval", "PT5S"));
        System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores; load average "
                + Harness.loadAverage());
        List<String> rows = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        try (LocalStack stack =
                LocalStack.start(options, OrchestratorBenchmark.seed(), ProcessHandle.current(), m -> {})) {
            DemoClient member = new DemoClient(stack.apiUrl(), ClientLoad.cachedToken(stack));
            List<SlideSet.Spec> specs = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                specs.add(SlideSet.Spec.good("slide-" + i, side, side * 3 / 4, 0.5));
            }
            Path slidesDir = stateDir.resolve("slides");
            Files.createDirectories(slidesDir);
            long generating = System.nanoTime();
            SlideSet slides = SlideSet.generate(slidesDir, specs, 11L)
                    .upload(member, SlideSet.UrlSigning.of(stack.objectStore()), "uploads/worker-scaling");
            System.out.printf(
                    Locale.ROOT,
                    "%d slides of %d x %d generated and uploaded in %.1f s%n",
                    count,
                    side,
                    side * 3 / 4,
                    (System.nanoTime() - generating) / 1e9);
            // A warm-up run of two slides: the worker's first slide pays for class loading and model sessions.
            ObjectNode warmUp = slides.runRequest(app, null);
            ArrayNode warmUpItems = (ArrayNode) warmUp.get("items");
            while (warmUpItems.size() > 2) {
                warmUpItems.remove(warmUpItems.size() - 1);
            }
            System.out.printf(Locale.ROOT, "warm-up run of 2 slides: %.1f s%n", timeRun(stack, member, warmUp));
            for (int workers = 1; workers <= 2; workers++) {
                if (workers == 2) {
                    stack.addWorker("worker-2", Map.of());
                }
                for (int round = 1; round <= rounds; round++) {
                    double seconds = timeRun(stack, member, slides.runRequest(app, null));
                    double perMinute = count / seconds * 60;
                    String load = Harness.loadAverage();
                    String row = String.format(
                            Locale.ROOT,
                            "| %d | %s | %d × %d × %d | %.1f | **%.2f** | %s |",
                            workers,
                            app,
                            count,
                            side,
                            side * 3 / 4,
                            seconds,
                            perMinute,
                            load);
                    System.out.println(row);
                    rows.add(row);
                    labels.add(workers + " worker" + (workers > 1 ? "s" : "") + (rounds > 1 ? " #" + round : ""));
                    rates.add(perMinute);
                }
            }
        }
        StringBuilder table = new StringBuilder(
                "| worker processes | application | slides (count × width × height) | wall s | slides/min |"
                        + " load average |\n|---:|---|---|---:|---:|---|\n");
        rows.forEach(r -> table.append(r).append('\n'));
        System.out.println();
        System.out.print(table);
        Harness.writeTable(out.resolve("worker-scaling.md"), table.toString());
        SvgChart.bars(
                out.resolve("worker-scaling.svg"),
                "Slides per minute, " + count + " slides of " + side + " px, " + app,
                "slides per minute",
                labels,
                rates);
    }

    /** Submits one run of every slide and waits for it to end; returns the seconds from submission to the end. */
    private static double timeRun(LocalStack stack, DemoClient member, ObjectNode request) throws Exception {
        long start = System.nanoTime();
        String runId = member.submitRun(request);
        return Harness.awaitRunEnd(stack, runId, start, Duration.ofHours(1), Duration.ofMillis(200));
    }
}
