package org.tessera.loadtests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.tessera.contracts.Topics;
import org.tessera.loadtests.fleet.SimulatedFleet;
import org.tessera.loadtests.fleet.WorkerProfile;
import org.tessera.localstack.ConsumerLag;
import org.tessera.localstack.StackState;

/**
 * A soak: steady client load ({@link SdkUsers}, simulated fleet writing real results) for a bounded time and a
 * bounded number of slides, with the services' memory, the consumers' lag and the outbox's age sampled over time
 * ({@link Sample}); at the end the users stop, the open runs are waited for, and the books of every run are read.
 *
 * <p>{@code load-tests/run soak [minutes=60] [users=50] [poll-s=5] [sample-s=10] [max-slides=200000]
 * [orchestrators=1] [workers=12] [partitions=12] [slide-ms=300] [failure-rate=0.02]}
 */
public final class Soak {

    /** The consumer groups whose lag is sampled, with the topic each consumes. */
    static final Map<String, String> GROUPS = orderedGroups();

    /**
     * One sample: seconds since the start; per service, heap used (MiB, Quarkus services from {@code /q/metrics}) and
     * proportional set size (MiB, the process and its children: PostgreSQL's backends share memory, so their RSS
     * would count it many times); per consumer group, its lag in records; the outbox's rows and the age of its oldest
     * row (s); items terminal so far; the 1-minute load average.
     */
    public record Sample(
            double seconds,
            Map<String, Double> heapMiB,
            Map<String, Double> pssMiB,
            Map<String, Long> lag,
            long outboxRows,
            double outboxAgeSeconds,
            long terminalItems,
            double load) {}

    /** What a soak recorded, and the books of its runs once they ended. */
    public record Result(
            List<Sample> samples, int runs, long slides, FleetSimulation.Books books, ClientLoad.Result clients) {}

    /** The soak's bounds and load. */
    public record Config(
            Duration duration,
            int users,
            Duration poll,
            Duration sampleEvery,
            long maxSlides,
            int maxRunSize,
            WorkerProfile profile,
            int workers) {}

    private Soak() {}

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = Harness.arguments(
                argv,
                List.of(
                        "minutes",
                        "users",
                        "poll-s",
                        "sample-s",
                        "max-slides",
                        "orchestrators",
                        "workers",
                        "partitions",
                        "slide-ms",
                        "failure-rate",
                        "out"));
        Path root = Harness.root();
        Path out = root.resolve(args.getOrDefault("out", "load-tests/target/soak"));
        int workers = Integer.parseInt(args.getOrDefault("workers", "12"));
        Config config = new Config(
                Duration.ofSeconds(Math.round(Double.parseDouble(args.getOrDefault("minutes", "60")) * 60)),
                Integer.parseInt(args.getOrDefault("users", "50")),
                Duration.ofSeconds(Long.parseLong(args.getOrDefault("poll-s", "5"))),
                Duration.ofSeconds(Long.parseLong(args.getOrDefault("sample-s", "10"))),
                Long.parseLong(args.getOrDefault("max-slides", "200000")),
                500,
                new WorkerProfile(
                        Duration.ofMillis(Long.parseLong(args.getOrDefault("slide-ms", "300"))),
                        0.5,
                        Double.parseDouble(args.getOrDefault("failure-rate", "0.02"))),
                workers);
        FleetSimulation.Config stackConfig = new FleetSimulation.Config(
                Integer.parseInt(args.getOrDefault("orchestrators", "1")),
                Integer.parseInt(args.getOrDefault("partitions", "12")),
                workers,
                1,
                500,
                config.profile(),
                workers,
                Duration.ofHours(2));
        System.out.println("soak of " + config.duration() + " with " + config.users() + " users; load average "
                + Harness.loadAverage());
        try (FleetSimulation.SimulationStack stack =
                FleetSimulation.startStack(root, root.resolve(".local-stack-soak"), stackConfig)) {
            Result result = soak(stack, config);
            report(result, config, out);
        }
    }

    /** Runs the soak on the stack and writes nothing; {@link #report} writes the CSV, table and charts. */
    public static Result soak(FleetSimulation.SimulationStack stack, Config config) throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(
                        stack.stack().kafkaBootstrapServers(),
                        config.workers(),
                        config.profile(),
                        ClientLoad.objectStoreArtifacts(stack.stack()));
                Sampler sampler = new Sampler(stack);
                Connection db = Harness.database(stack.stack())) {
            var token = ClientLoad.cachedToken(stack.stack());
            SdkUsers.Latencies latencies = new SdkUsers.Latencies();
            List<Sample> samples = new ArrayList<>();
            ClientLoad.Result clients;
            List<String> runIds;
            try (SdkUsers users =
                    new SdkUsers(stack.stack().apiUrl(), token, config.poll(), config.maxRunSize(), latencies)) {
                users.start(config.users(), 7);
                long start = System.nanoTime();
                long end = start + config.duration().toNanos();
                Map<String, List<double[]>> all = new LinkedHashMap<>();
                while (System.nanoTime() < end && users.submittedSlides() < config.maxSlides()) {
                    Thread.sleep(Math.min(
                            config.sampleEvery().toMillis(), Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                    Sample sample = sampler.sample((System.nanoTime() - start) / 1e9, db);
                    samples.add(sample);
                    latencies
                            .drain()
                            .forEach((kind, values) -> all.computeIfAbsent(kind, k -> new ArrayList<>())
                                    .add(values));
                    System.out.println(line(sample));
                    fleet.tally().rethrow();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                users.stop();
                List<ClientLoad.Figure> figures = new ArrayList<>();
                for (String kind : List.of(SdkUsers.RUN_READ, SdkUsers.ITEM_PAGE, SdkUsers.SUBMIT, SdkUsers.DOWNLOAD)) {
                    double[] values = all.getOrDefault(kind, List.of()).stream()
                            .flatMapToDouble(java.util.Arrays::stream)
                            .sorted()
                            .toArray();
                    figures.add(ClientLoad.figure(kind, values, seconds));
                }
                clients = new ClientLoad.Result(
                        figures,
                        Map.of(),
                        users.submittedSlides(),
                        users.downloads(),
                        users.errors(),
                        users.firstError(),
                        Harness.loadAverage());
                runIds = List.copyOf(users.runIds());
            }
            // The users are gone; their open runs still finish, then every run's books are read.
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (Harness.progress(db, runIds).endedRuns() < runIds.size()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the soak's runs did not all end within 10 minutes of its end");
                }
                Thread.sleep(500);
            }
            FleetSimulation.Books books = FleetSimulation.books(stack.stack(), runIds);
            return new Result(samples, runIds.size(), clients.submittedSlides(), books, clients);
        }
    }

    static void report(Result result, Config config, Path out) throws IOException {
        List<Sample> samples = result.samples();
        Files.createDirectories(out);
        StringBuilder csv = new StringBuilder("seconds");
        Sample first = samples.getFirst();
        first.heapMiB().keySet().forEach(s -> csv.append(",heap_mib_").append(s));
        first.pssMiB().keySet().forEach(s -> csv.append(",pss_mib_").append(s));
        first.lag().keySet().forEach(g -> csv.append(",lag_").append(g));
        csv.append(",outbox_rows,outbox_age_s,terminal_items,load1\n");
        for (Sample s : samples) {
            csv.append(String.format(Locale.ROOT, "%.1f", s.seconds()));
            s.heapMiB().values().forEach(v -> csv.append(String.format(Locale.ROOT, ",%.1f", v)));
            s.pssMiB().values().forEach(v -> csv.append(String.format(Locale.ROOT, ",%.1f", v)));
            s.lag().values().forEach(v -> csv.append(',').append(v));
            csv.append(String.format(
                    Locale.ROOT,
                    ",%d,%.2f,%d,%.2f%n",
                    s.outboxRows(),
                    s.outboxAgeSeconds(),
                    s.terminalItems(),
                    s.load()));
        }
        Files.writeString(out.resolve("soak.csv"), csv);

        List<SvgChart.Series> memory = new ArrayList<>();
        for (String service : first.pssMiB().keySet()) {
            memory.add(series(service + " PSS", samples, s -> s.pssMiB().getOrDefault(service, 0.0)));
        }
        for (String service : first.heapMiB().keySet()) {
            memory.add(series(service + " heap", samples, s -> s.heapMiB().getOrDefault(service, 0.0)));
        }
        SvgChart.lines(out.resolve("soak-memory.svg"), "Memory of each service", "minutes", "MiB", memory);
        List<SvgChart.Series> lag = new ArrayList<>();
        for (String group : first.lag().keySet()) {
            lag.add(series(group, samples, s -> (double) s.lag().getOrDefault(group, 0L)));
        }
        SvgChart.lines(out.resolve("soak-lag.svg"), "Consumer lag (records)", "minutes", "records", lag);
        SvgChart.lines(
                out.resolve("soak-outbox.svg"),
                "Outbox: age of the oldest unpublished row",
                "minutes",
                "seconds",
                List.of(series("oldest row age (s)", samples, Sample::outboxAgeSeconds)));

        StringBuilder table = new StringBuilder();
        Sample last = samples.getLast();
        table.append(String.format(
                Locale.ROOT,
                "Soak: %.1f min, %d users polling every %d s, %d simulated workers (%d ms per slide); %,d slides in %d"
                        + " runs; %d samples%n%n",
                last.seconds() / 60,
                config.users(),
                config.poll().toSeconds(),
                config.workers(),
                config.profile().slideTime().toMillis(),
                result.slides(),
                result.runs(),
                samples.size()));
        table.append("| series | first sample | last sample | max |\n|---|---:|---:|---:|\n");
        for (String service : first.heapMiB().keySet()) {
            table.append(
                    stat(service + " heap used (MiB)", samples, s -> s.heapMiB().get(service)));
        }
        for (String service : first.pssMiB().keySet()) {
            table.append(stat(service + " PSS (MiB)", samples, s -> s.pssMiB().get(service)));
        }
        for (String group : first.lag().keySet()) {
            table.append(stat("lag of " + group + " (records)", samples, s ->
                    (double) s.lag().get(group)));
        }
        table.append(stat("outbox rows", samples, s -> (double) s.outboxRows()));
        table.append(stat("outbox oldest row age (s)", samples, Sample::outboxAgeSeconds));
        table.append(stat("load average (1 min)", samples, Sample::load));
        FleetSimulation.Books b = result.books();
        table.append(String.format(
                Locale.ROOT,
                "%nBooks after the soak: %,d item rows (%,d succeeded, %,d user errors), %,d ledger rows, %,d ledger"
                        + " messages; lost %d, counted twice %d, charged twice %d%n%n",
                b.itemRows(),
                b.succeededRows(),
                b.userErrorRows(),
                b.ledgerRows(),
                b.ledgerMessages(),
                b.figures().lost(),
                b.figures().countedTwice(),
                b.figures().chargedTwice() + b.figures().unchargedSucceeded()));
        table.append(
                ClientLoad.tableOf(result.clients().figures(), result.clients().loadAverage()));
        Files.writeString(out.resolve("soak.md"), table);
        System.out.println();
        System.out.print(table);
        System.out.println("CSV, table and charts in " + out);
    }

    private static SvgChart.Series series(
            String name, List<Sample> samples, java.util.function.ToDoubleFunction<Sample> value) {
        List<double[]> points = new ArrayList<>();
        for (Sample s : samples) {
            points.add(new double[] {s.seconds() / 60, value.applyAsDouble(s)});
        }
        return new SvgChart.Series(name, points);
    }

    private static String stat(String what, List<Sample> samples, java.util.function.Function<Sample, Double> value) {
        double max = samples.stream()
                .map(value)
                .filter(v -> v != null)
                .mapToDouble(Double::doubleValue)
                .max()
                .orElse(Double.NaN);
        return String.format(
                Locale.ROOT,
                "| %s | %.1f | %.1f | %.1f |%n",
                what,
                Optional.ofNullable(value.apply(samples.getFirst())).orElse(Double.NaN),
                Optional.ofNullable(value.apply(samples.getLast())).orElse(Double.NaN),
                max);
    }

    private static String line(Sample s) {
        return String.format(
                Locale.ROOT,
                "%6.0f s  heap %s  pss %s  lag %s  outbox %d rows, oldest %.1f s  terminal items %,d  load %.1f",
                s.seconds(),
                s.heapMiB(),
                s.pssMiB(),
                s.lag(),
                s.outboxRows(),
                s.outboxAgeSeconds(),
                s.terminalItems(),
                s.load());
    }

    private static Map<String, String> orderedGroups() {
        Map<String, String> groups = new LinkedHashMap<>();
        groups.put("tessera-orchestrator-admission", Topics.RUN_REQUESTS);
        groups.put("tessera-orchestrator-items", Topics.ITEM_EVENTS);
        groups.put(SimulatedFleet.WORKER_GROUP, Topics.SLIDE_JOBS);
        return groups;
    }

    /** Reads one {@link Sample} at a time from the processes, the broker and the database. */
    static final class Sampler implements AutoCloseable {
        private final FleetSimulation.SimulationStack stack;
        private final Admin admin;
        private final HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        Sampler(FleetSimulation.SimulationStack stack) {
            this.stack = stack;
            this.admin = Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.stack().kafkaBootstrapServers()));
        }

        Sample sample(double seconds, Connection db) throws Exception {
            Map<String, Double> heap = new LinkedHashMap<>();
            for (int i = 0; i < stack.managementUrls().size(); i++) {
                heap.put(
                        i == 0 ? "orchestrator" : "orchestrator-" + (i + 1),
                        heapMiB(stack.managementUrls().get(i)));
            }
            Map<String, Double> pss = new LinkedHashMap<>();
            for (StackState.Pid pid : stack.stack().state().pids()) {
                if (!pid.name().equals("launcher")) {
                    pid.handle().ifPresent(handle -> pss.put(pid.name(), pssMiB(handle)));
                }
            }
            Map<String, Long> lag = new LinkedHashMap<>();
            for (Map.Entry<String, String> group : GROUPS.entrySet()) {
                lag.put(group.getKey(), ConsumerLag.of(admin, group.getKey(), group.getValue()));
            }
            long rows;
            double age;
            long terminal;
            try (Statement s = db.createStatement();
                    ResultSet r =
                            // created_at comes from the orchestrator's clock, now() from the database's: a row
                            // written a moment ago can read a few milliseconds "in the future", which is age 0.
                            s.executeQuery("SELECT count(*), greatest(coalesce(extract(epoch FROM now()"
                                    + " - min(created_at)), 0), 0) FROM outbox")) {
                r.next();
                rows = r.getLong(1);
                age = r.getDouble(2);
            }
            try (Statement s = db.createStatement();
                    ResultSet r = s.executeQuery("SELECT count(*) FROM item WHERE state IN ('SUCCEEDED', 'USER_ERROR',"
                            + " 'SYSTEM_ERROR', 'SKIPPED')")) {
                r.next();
                terminal = r.getLong(1);
            }
            double load = Double.parseDouble(
                    Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
            return new Sample(seconds, heap, pss, lag, rows, age, terminal, load);
        }

        /** Heap in use: the sum of {@code jvm_memory_used_bytes} over the heap's pools. */
        private double heapMiB(URI management) throws IOException, InterruptedException {
            HttpResponse<String> metrics = http.send(
                    HttpRequest.newBuilder(management.resolve("/q/metrics"))
                            .timeout(Duration.ofSeconds(10))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            double bytes = metrics.body()
                    .lines()
                    .filter(line -> line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\""))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                    .sum();
            return bytes / (1 << 20);
        }

        /** Proportional set size of the process and its descendants ({@code /proc/<pid>/smaps_rollup}). */
        private static double pssMiB(ProcessHandle process) {
            long kib = Stream.concat(Stream.of(process), process.descendants())
                    .mapToLong(p -> pssKiB(p.pid()))
                    .sum();
            return kib / 1024.0;
        }

        private static long pssKiB(long pid) {
            try {
                return Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup")).stream()
                        .filter(line -> line.startsWith("Pss:"))
                        .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))
                        .sum();
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }

        @Override
        public void close() {
            admin.close(Duration.ofSeconds(5));
        }
    }
}
