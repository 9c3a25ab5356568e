package org.tessera.loadtests;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.tessera.contracts.Crc32c;
import org.tessera.contracts.OutputArtifact;
import org.tessera.loadtests.fleet.ArtifactWriter;
import org.tessera.loadtests.fleet.FleetTally;
import org.tessera.loadtests.fleet.SimulatedFleet;
import org.tessera.loadtests.fleet.WorkerProfile;
import org.tessera.localstack.DemoClient;
import org.tessera.localstack.LocalStack;
import org.tessera.localstack.StackUser;

/**
 * Client load: simulated SDK users ({@link SdkUsers}) against a real stack (Kafka, PostgreSQL, one orchestrator) whose
 * slides are worked by a {@link SimulatedFleet simulated fleet} that writes each result to the object store, so that
 * downloads are real. Three measurements:
 *
 * <ol>
 *   <li>steady load: {@code users} users polling every {@code poll-s} seconds, after a warm-up; latency percentiles
 *       per kind of request, and per 10-second window for the chart;
 *   <li>result visibility: a probe submits small runs and reads their items every 50 ms; for each succeeded item, the
 *       time from the worker publishing {@code item.succeeded} to the API showing it (within ~50 ms);
 *   <li>saturation: the users stop, then {@code connections} closed-loop connections read runs (then item pages of
 *       100) back to back for {@code saturation-s} seconds each: requests/s and latency.
 * </ol>
 *
 * <p>{@code load-tests/run clients [users=200] [poll-s=5] [seconds=180] [warmup-s=30] [connections=200]
 * [saturation-s=20] [workers=24] [partitions=12] [slide-ms=200] [failure-rate=0.02]}
 */
public final class ClientLoad {

    /** Latency percentiles of one kind of request. */
    public record Figure(String what, int count, double perSecond, double p50, double p95, double p99, double max) {}

    /** A measurement's figures, its latency windows (seconds, p99 ms per kind), and what the clients did. */
    public record Result(
            List<Figure> figures,
            Map<String, List<double[]>> p99Windows,
            long submittedSlides,
            long downloads,
            long errors,
            String firstError,
            String loadAverage) {}

    static final List<String> ARGUMENTS = List.of(
            "users",
            "poll-s",
            "seconds",
            "warmup-s",
            "connections",
            "saturation-s",
            "workers",
            "partitions",
            "slide-ms",
            "failure-rate",
            "out");

    private ClientLoad() {}

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = Harness.arguments(argv, ARGUMENTS);
        Path root = Harness.root();
        Path out = root.resolve(args.getOrDefault("out", "load-tests/target/clients"));
        int users = Integer.parseInt(args.getOrDefault("users", "200"));
        Duration poll = Duration.ofSeconds(Long.parseLong(args.getOrDefault("poll-s", "5")));
        Duration steady = Duration.ofSeconds(Long.parseLong(args.getOrDefault("seconds", "180")));
        Duration warmup = Duration.ofSeconds(Long.parseLong(args.getOrDefault("warmup-s", "30")));
        int connections = Integer.parseInt(args.getOrDefault("connections", "200"));
        Duration saturation = Duration.ofSeconds(Long.parseLong(args.getOrDefault("saturation-s", "20")));
        int workers = Integer.parseInt(args.getOrDefault("workers", "24"));
        FleetSimulation.Config config = new FleetSimulation.Config(
                1,
                Integer.parseInt(args.getOrDefault("partitions", "12")),
                workers,
                1,
                500,
                new WorkerProfile(
                        Duration.ofMillis(Long.parseLong(args.getOrDefault("slide-ms", "200"))),
                        0.5,
                        Double.parseDouble(args.getOrDefault("failure-rate", "0.02"))),
                workers,
                Duration.ofHours(2));
        System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores; load average "
                + Harness.loadAverage());
        try (FleetSimulation.SimulationStack stack =
                        FleetSimulation.startStack(root, root.resolve(".local-stack-clients"), config);
                SimulatedFleet fleet = SimulatedFleet.start(
                        stack.stack().kafkaBootstrapServers(),
                        workers,
                        config.profile(),
                        objectStoreArtifacts(stack.stack()))) {
            Supplier<String> token = cachedToken(stack.stack());
            SdkUsers.Latencies latencies = new SdkUsers.Latencies();
            Result result;
            List<Figure> saturationFigures;
            try (SdkUsers clients = new SdkUsers(stack.stack().apiUrl(), token, poll, 500, latencies)) {
                clients.start(users, 1);
                result = steady(
                        clients,
                        latencies,
                        fleet.tally(),
                        stack.stack().apiUrl(),
                        token,
                        probeToken(stack.stack()),
                        warmup,
                        steady);
                clients.stop();
                saturationFigures = saturate(stack.stack().apiUrl(), token, clients.runIds(), connections, saturation);
            }
            StringBuilder table = new StringBuilder();
            table.append(String.format(
                    Locale.ROOT,
                    "%d simulated SDK users polling every %d s for %d s (after %d s of warm-up); %d simulated workers,"
                            + " %d partitions, %d ms per slide; %,d slides submitted, %,d artifacts downloaded,"
                            + " %d errors%s%n%n",
                    users,
                    poll.toSeconds(),
                    steady.toSeconds(),
                    warmup.toSeconds(),
                    workers,
                    config.partitions(),
                    config.profile().slideTime().toMillis(),
                    result.submittedSlides(),
                    result.downloads(),
                    result.errors(),
                    result.firstError() == null ? "" : " (first: " + result.firstError() + ")"));
            table.append(tableOf(result.figures(), result.loadAverage()));
            table.append(String.format(
                    Locale.ROOT,
                    "%nSaturation: %d closed-loop connections, %d s per kind%n%n",
                    connections,
                    saturation.toSeconds()));
            table.append(tableOf(saturationFigures, Harness.loadAverage()));
            System.out.println();
            System.out.print(table);
            Harness.writeTable(out.resolve("clients.md"), table.toString());
            List<SvgChart.Series> series = new ArrayList<>();
            result.p99Windows().forEach((kind, points) -> series.add(new SvgChart.Series(kind, points)));
            SvgChart.lines(
                    out.resolve("clients-p99.svg"),
                    "p99 latency per 10 s window, " + users + " SDK users polling every " + poll.toSeconds() + " s",
                    "seconds",
                    "p99 ms",
                    series);
            System.out.println("table and chart in " + out);
        }
    }

    static String tableOf(List<Figure> figures, String load) {
        StringBuilder table = new StringBuilder(
                "| request | count | per second | p50 ms | p95 ms | **p99 ms** | max ms | load average |\n"
                        + "|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (Figure f : figures) {
            table.append(String.format(
                    Locale.ROOT,
                    "| %s | %,d | %,.1f | %.1f | %.1f | **%.1f** | %.1f | %s |%n",
                    f.what(),
                    f.count(),
                    f.perSecond(),
                    f.p50(),
                    f.p95(),
                    f.p99(),
                    f.max(),
                    load));
        }
        return table.toString();
    }

    /**
     * Lets the users warm up, then measures for {@code duration}: latencies per kind (and per 10-second window), and
     * the visibility of results through a probe of its own.
     */
    static Result steady(
            SdkUsers clients,
            SdkUsers.Latencies latencies,
            FleetTally tally,
            URI api,
            Supplier<String> token,
            Supplier<String> probeToken,
            Duration warmup,
            Duration duration)
            throws InterruptedException {
        Thread.sleep(warmup);
        latencies.drain();
        VisibilityProbe probe = new VisibilityProbe(api, probeToken, tally);
        Thread probing = Thread.ofVirtual().name("visibility-probe").start(probe);
        Map<String, List<double[]>> all = new HashMap<>();
        Map<String, List<double[]>> windows = new HashMap<>();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(10_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            double at = (System.nanoTime() - start) / 1e9;
            latencies.drain().forEach((kind, values) -> {
                all.computeIfAbsent(kind, k -> new ArrayList<>()).add(values);
                if (values.length > 0) {
                    windows.computeIfAbsent(kind, k -> new ArrayList<>())
                            .add(new double[] {at, Harness.percentile(values, 0.99)});
                }
            });
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        probe.stop();
        probing.join(Duration.ofSeconds(30));
        String load = Harness.loadAverage();
        List<Figure> figures = new ArrayList<>();
        for (String kind : List.of(SdkUsers.RUN_READ, SdkUsers.ITEM_PAGE, SdkUsers.SUBMIT, SdkUsers.DOWNLOAD)) {
            double[] values = concat(all.getOrDefault(kind, List.of()));
            figures.add(figure(kind, values, seconds));
        }
        figures.add(figure(
                "result visible to the client after the worker published it (probe, 50 ms polls)",
                probe.visibility(),
                seconds));
        return new Result(
                figures,
                new java.util.TreeMap<>(windows),
                clients.submittedSlides(),
                clients.downloads(),
                clients.errors(),
                clients.firstError(),
                load);
    }

    static Figure figure(String what, double[] sorted, double seconds) {
        if (sorted.length == 0) {
            return new Figure(what, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Figure(
                what,
                sorted.length,
                sorted.length / seconds,
                Harness.percentile(sorted, 0.50),
                Harness.percentile(sorted, 0.95),
                Harness.percentile(sorted, 0.99),
                sorted[sorted.length - 1]);
    }

    private static double[] concat(List<double[]> parts) {
        double[] all = parts.stream().flatMapToDouble(Arrays::stream).toArray();
        Arrays.sort(all);
        return all;
    }

    /**
     * Closed loop: {@code connections} virtual threads, each sending its next request when the last is answered,
     * first run reads, then item pages of 100, over the given runs.
     */
    static List<Figure> saturate(
            URI apiRoot, Supplier<String> token, List<String> runIds, int connections, Duration duration)
            throws InterruptedException {
        List<Figure> figures = new ArrayList<>();
        List<String> runs = List.copyOf(runIds);
        if (runs.isEmpty()) {
            return figures;
        }
        String base = apiRoot.toString();
        URI api = URI.create((base.endsWith("/") ? base : base + "/") + "api/v1/");
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        String bearer = "Bearer " + token.get();
        for (String kind : List.of(SdkUsers.RUN_READ, SdkUsers.ITEM_PAGE)) {
            SdkUsers.Latencies latencies = new SdkUsers.Latencies();
            AtomicLong failures = new AtomicLong();
            long end = System.nanoTime() + duration.toNanos();
            List<Thread> threads = new ArrayList<>();
            long start = System.nanoTime();
            for (int c = 0; c < connections; c++) {
                int offset = c;
                threads.add(Thread.ofVirtual().start(() -> {
                    int i = offset;
                    while (System.nanoTime() < end) {
                        String run = runs.get(i++ % runs.size());
                        String path = kind.equals(SdkUsers.RUN_READ)
                                ? "runs/" + run
                                : "runs/" + run + "/items?page=1&page_size=100";
                        long sent = System.nanoTime();
                        try {
                            HttpResponse<byte[]> response = http.send(
                                    HttpRequest.newBuilder(api.resolve(path))
                                            .header("Authorization", bearer)
                                            .timeout(Duration.ofSeconds(60))
                                            .GET()
                                            .build(),
                                    HttpResponse.BodyHandlers.ofByteArray());
                            latencies.record(kind, (System.nanoTime() - sent) / 1e6);
                            if (response.statusCode() != 200) {
                                failures.incrementAndGet();
                            }
                        } catch (IOException e) {
                            failures.incrementAndGet();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double[] values = latencies.drain().getOrDefault(kind, new double[0]);
            Figure f = figure(kind + ", closed loop", values, seconds);
            figures.add(f);
            System.out.printf(
                    Locale.ROOT,
                    "saturation %s: %,.0f requests/s, p99 %.0f ms, %d failed; load average %s%n",
                    kind,
                    f.perSecond(),
                    f.p99(),
                    failures.get(),
                    Harness.loadAverage());
        }
        return figures;
    }

    /** Artifacts the simulated workers really store (a small CSV), so that clients download real objects. */
    static ArtifactWriter objectStoreArtifacts(LocalStack stack) {
        byte[] csv = "class,area_um2\ntissue,1234.5\n".getBytes(StandardCharsets.UTF_8);
        Path file;
        try {
            file = Files.createTempFile("simulated-artifact", ".csv");
            Files.write(file, csv);
            file.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String checksum = Crc32c.base64Of(csv);
        return key -> {
            try {
                stack.objectStore().put(key, file, "text/csv");
            } catch (IOException e) {
                throw new UncheckedIOException("could not store " + key, e);
            }
            return new OutputArtifact("tissue_qc:csv_class_information", key, "text/csv", csv.length, checksum);
        };
    }

    /** The member's token, fetched again every ten minutes (long soaks outlive one token). */
    static Supplier<String> cachedToken(LocalStack stack) {
        return cachedToken(stack, stack.seed().member());
    }

    /**
     * The token of the visibility probe: a member of the stack's second organization, so that fair scheduling across
     * organizations serves the probe's runs beside the users' backlog instead of behind it, as it would any other
     * laboratory's.
     */
    static Supplier<String> probeToken(LocalStack stack) {
        return cachedToken(stack, stack.seed().organizations().get(1).member());
    }

    private static Supplier<String> cachedToken(LocalStack stack, StackUser user) {
        return new Supplier<>() {
            private String token;
            private long fetchedAt;

            @Override
            public synchronized String get() {
                if (token == null
                        || System.nanoTime() - fetchedAt
                                > Duration.ofMinutes(10).toNanos()) {
                    token = stack.token(user);
                    fetchedAt = System.nanoTime();
                }
                return token;
            }
        };
    }

    /**
     * Submits runs of 20 slides one after another and reads each run's items every 50 ms until it ends, noting when
     * each item first shows as succeeded; its visibility, recorded at once, is that moment minus the worker's publishing
     * of the event.
     */
    static final class VisibilityProbe implements Runnable {
        private final URI api;
        private final Supplier<String> token;
        private final FleetTally tally;
        private final List<Double> visibility = new ArrayList<>();
        private volatile boolean running = true;

        VisibilityProbe(URI api, Supplier<String> token, FleetTally tally) {
            this.api = api;
            this.token = token;
            this.tally = tally;
        }

        @Override
        public void run() {
            DemoClient client = new DemoClient(api, token);
            SdkUsers.Latencies ignored = new SdkUsers.Latencies();
            SdkUsers reader = new SdkUsers(api, token, Duration.ZERO, 20, ignored);
            int round = 0;
            while (running) {
                String runId = client.submitRun(OrchestratorBenchmark.runRequest("probe-" + round++, 20));
                Map<UUID, Instant> seen = new HashMap<>();
                while (running) {
                    JsonNode items = reader.get(SdkUsers.ITEM_PAGE, "runs/" + runId + "/items?page_size=100");
                    Instant now = Instant.now();
                    int terminal = 0;
                    if (items != null) {
                        for (JsonNode item : items) {
                            if ("TERMINATED".equals(item.path("state").asText())) {
                                terminal++;
                                UUID itemId =
                                        UUID.fromString(item.path("item_id").asText());
                                if ("FULL".equals(item.path("output").asText())
                                        && seen.putIfAbsent(itemId, now) == null) {
                                    record(itemId, now);
                                }
                            }
                        }
                    }
                    if (terminal == 20) {
                        break;
                    }
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }

        /** The item's visibility: when the probe first saw it succeeded, less when the worker published that. */
        private void record(UUID itemId, Instant seenAt) {
            Instant published = tally.terminalSentAt(itemId);
            if (published != null) {
                synchronized (visibility) {
                    visibility.add(Duration.between(published, seenAt).toNanos() / 1e6);
                }
            }
        }

        void stop() {
            running = false;
        }

        double[] visibility() {
            synchronized (visibility) {
                double[] values =
                        visibility.stream().mapToDouble(Double::doubleValue).toArray();
                Arrays.sort(values);
                return values;
            }
        }
    }
}
