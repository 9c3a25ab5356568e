package org.tessera.loadtests;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tessera.contracts.Crc32c;
import org.tessera.localstack.DemoClient;
import org.tessera.localstack.LocalStack;
import org.tessera.localstack.OtlpReceiver;
import org.tessera.localstack.OtlpReceiver.ReceivedSpan;
import org.tessera.localstack.SlideSet;
import org.tessera.localstack.StackOptions;
import org.tessera.slides.SlideInfo;
import org.tessera.slides.SlideReader;
import org.tessera.slides.SlideReaders;

/**
 * One slide end to end through the API on a real local stack: the slide is uploaded to the stack's object store
 * through a signed PUT, a one-item run is submitted with its signed GET URL, and the time from {@code POST /v1/runs}
 * to the run's end is measured (Kafka, the worker's download, read, models, writing and upload of the outputs, the
 * orchestrator's bookkeeping). Twice per application: on a stack without tracing (the wall times), then on a stack
 * whose services export their spans to an in-process OTLP receiver, which gives the breakdown per stage from the
 * slide's trace and the cost of tracing. Each stack first runs a small warm-up slide per application, so that class
 * loading and model sessions are not counted.
 *
 * <p>{@code load-tests/run e2e [slide=load-tests/target/bench/he-40000-q90.tiff] [apps=test-app,he-tme] [mpp=0.25]
 * [rounds=1]}
 */
public final class SlideEndToEnd {

    private SlideEndToEnd() {}

    /** One measured run: its wall seconds and, when traced, the stages under the worker's job span. */
    private record Measured(String app, boolean traced, double seconds, List<String> stages) {}

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = Harness.arguments(argv, List.of("slide", "apps", "mpp", "rounds", "out"));
        Path root = Harness.root();
        Path slide = root.resolve(args.getOrDefault("slide", "load-tests/target/bench/he-40000-q90.tiff"));
        if (!Files.isRegularFile(slide)) {
            throw new IllegalArgumentException(slide + " does not exist: make it with `load-tests/run he-slide`");
        }
        List<String> apps = List.of(args.getOrDefault("apps", "test-app,he-tme").split(","));
        int rounds = Integer.parseInt(args.getOrDefault("rounds", "1"));
        Path out = root.resolve(args.getOrDefault("out", "load-tests/target/e2e"));
        Described described = describe(slide, Double.parseDouble(args.getOrDefault("mpp", "0.25")));
        System.out.printf(
                Locale.ROOT,
                "machine: %d cores; load average %s; slide %s: %d × %d, %.1f MiB%n",
                Runtime.getRuntime().availableProcessors(),
                Harness.loadAverage(),
                slide.getFileName(),
                described.width(),
                described.height(),
                described.sizeBytes() / 1048576.0);

        List<Measured> measured = new ArrayList<>();
        for (boolean traced : List.of(false, true)) {
            try (OtlpReceiver receiver = OtlpReceiver.start()) {
                Path stateDir = root.resolve(".local-stack-e2e");
                StackOptions options = StackOptions.defaults(root, stateDir).withStartTimeout(Duration.ofMinutes(4));
                if (traced) {
                    options = options.withOrchestratorConfig(receiver.exportSettings())
                            .withWorkerConfig(receiver.exportSettings());
                }
                try (LocalStack stack =
                        LocalStack.start(options, OrchestratorBenchmark.seed(), ProcessHandle.current(), m -> {})) {
                    DemoClient member = new DemoClient(stack.apiUrl(), ClientLoad.cachedToken(stack));
                    SlideSet.UrlSigning signing = SlideSet.UrlSigning.of(stack.objectStore());
                    SlideSet warmUp = SlideSet.generate(
                                    stateDir.resolve("warm-up"),
                                    List.of(SlideSet.Spec.good("warm-up", 4096, 3072, 0.25)),
                                    5L)
                            .upload(member, signing, "uploads/e2e/warm-up");
                    SlideSet.Slide warmUpSlide = warmUp.slides().getFirst();
                    Described warmUpDescribed = describe(warmUpSlide.slide().path(), 0.25);
                    for (String app : apps) {
                        long started = System.nanoTime();
                        String runId = member.submitRun(request(
                                app, warmUpDescribed, warmUpSlide.downloadUrl().toString()));
                        System.out.printf(
                                Locale.ROOT,
                                "warm-up %s (4096 × 3072): %.1f s%n",
                                app,
                                awaitEnd(stack, runId, started));
                    }
                    String key = "uploads/e2e/" + slide.getFileName();
                    member.upload(signing.sign("PUT", key, Duration.ofMinutes(30)), slide, SlideSet.MEDIA_TYPE);
                    URI download = signing.sign("GET", key, Duration.ofHours(6));
                    for (String app : apps) {
                        for (int round = 0; round < rounds; round++) {
                            ObjectNode request = request(app, described, download.toString());
                            long started = System.nanoTime();
                            String runId = member.submitRun(request);
                            double seconds = awaitEnd(stack, runId, started);
                            List<String> stages = traced ? stages(receiver, member, runId) : List.of();
                            Measured m = new Measured(app, traced, seconds, stages);
                            measured.add(m);
                            System.out.printf(
                                    Locale.ROOT,
                                    "%s%s: %.1f s%s (load average %s)%n",
                                    app,
                                    traced ? " (traced)" : "",
                                    seconds,
                                    stages.isEmpty() ? "" : "; " + String.join(", ", stages),
                                    Harness.loadAverage());
                        }
                    }
                }
            }
        }
        StringBuilder table = new StringBuilder(
                "| application | tracing | submission → run ended, s | where the traced time went (worker spans, s) |\n"
                        + "|---|---|---:|---|\n");
        for (Measured m : measured) {
            table.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %.1f | %s |%n",
                    m.app(),
                    m.traced() ? "on" : "off",
                    m.seconds(),
                    m.stages().isEmpty() ? "" : String.join(", ", m.stages())));
        }
        System.out.println();
        System.out.print(table);
        Harness.writeTable(out.resolve("e2e.md"), table.toString());
    }

    /** What the run request says about the slide. */
    private record Described(String name, int width, int height, double mpp, long sizeBytes, String checksum) {}

    /** The slide's size, checksum and pixel spacing, read as the worker reads them (the given mpp if it has none). */
    private static Described describe(Path slide, double fallbackMpp) throws Exception {
        SlideInfo info;
        try (SlideReader reader =
                SlideReaders.discover().open(slide, slide.getFileName().toString())) {
            info = reader.info();
        }
        String checksum;
        try (InputStream in = Files.newInputStream(slide)) {
            checksum = Crc32c.base64Of(in);
        }
        return new Described(
                slide.getFileName().toString(),
                info.width(),
                info.height(),
                info.mpp().orElse(fallbackMpp),
                Files.size(slide),
                checksum);
    }

    private static ObjectNode request(String app, Described slide, String downloadUrl) {
        ObjectNode request = DemoClient.object();
        request.put("application_id", app);
        request.putObject("custom_metadata").putObject("sdk").put("note", "load-tests e2e");
        ObjectNode item = request.putArray("items").addObject();
        item.put("external_id", slide.name());
        ObjectNode artifact = item.putArray("input_artifacts").addObject();
        artifact.put("name", SlideSet.INPUT_ARTIFACT);
        artifact.put("download_url", downloadUrl);
        ObjectNode metadata = artifact.putObject("metadata");
        metadata.put("checksum_base64_crc32c", slide.checksum());
        metadata.put("width_px", slide.width());
        metadata.put("height_px", slide.height());
        metadata.put("resolution_mpp", slide.mpp());
        metadata.put("media_type", SlideSet.MEDIA_TYPE);
        if (!app.equals("test-app")) {
            // What the H&E applications' input schema asks of a slide beyond its file.
            metadata.put("staining_method", "H&E");
            metadata.putObject("specimen").put("tissue", "BREAST").put("disease", "BREAST_CANCER");
        }
        return request;
    }

    /** Waits for the run to end; the seconds since {@code started}. */
    private static double awaitEnd(LocalStack stack, String runId, long started) throws Exception {
        return Harness.awaitRunEnd(stack, runId, started, Duration.ofMinutes(30), Duration.ofMillis(50));
    }

    /**
     * The worker's stages from the slide's trace: the spans under the job span in start order, plus the time from
     * the submission span's start to the job's start (queueing: outbox, admission, Kafka) and from the job's end to
     * the item's terminal-state span's end (the result's way back).
     */
    private static List<String> stages(OtlpReceiver receiver, DemoClient member, String runId) throws Exception {
        String itemId = member.items(runId).getFirst().path("item_id").asText();
        // Each service exports its spans in batches of its own: wait until the orchestrator's terminal span and the
        // worker's job span have both arrived (the job span can come seconds after the item's end).
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        ReceivedSpan terminated = null;
        List<ReceivedSpan> trace = List.of();
        ReceivedSpan root = null;
        ReceivedSpan job = null;
        while (System.nanoTime() < deadline) {
            terminated = receiver.spans().stream()
                    .filter(s -> s.name().equals("item terminated") && itemId.equals(s.attribute("tessera.item.id")))
                    .findFirst()
                    .orElse(null);
            if (terminated != null) {
                trace = receiver.trace(terminated.traceId());
                root = trace.stream()
                        .filter(s -> s.parentSpanId().isEmpty())
                        .findFirst()
                        .orElse(null);
                job = trace.stream()
                        .filter(s -> s.service().equals("tessera-worker") && s.kind() == OtlpReceiver.CONSUMER)
                        .findFirst()
                        .orElse(null);
                if (root != null && job != null) {
                    break;
                }
            }
            Thread.sleep(200);
        }
        if (terminated == null) {
            return List.of("no trace received for item " + itemId);
        }
        if (root == null || job == null) {
            return List.of("incomplete trace: " + trace);
        }
        String jobSpan = job.spanId();
        List<String> stages = new ArrayList<>();
        stages.add(String.format(Locale.ROOT, "to the worker %.2f", (job.startNanos() - root.startNanos()) / 1e9));
        trace.stream()
                .filter(s -> s.parentSpanId().equals(jobSpan) && s.kind() == OtlpReceiver.INTERNAL)
                .sorted(Comparator.comparingLong(ReceivedSpan::startNanos))
                .forEach(s -> stages.add(String.format(Locale.ROOT, "%s %.2f", s.name(), s.seconds())));
        stages.add(String.format(Locale.ROOT, "job %.2f", job.seconds()));
        stages.add(String.format(Locale.ROOT, "back to the run %.2f", (terminated.endNanos() - job.endNanos()) / 1e9));
        return stages;
    }
}
