package org.tessera.loadtests;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.tessera.contracts.ContractsJson;
import org.tessera.contracts.Envelope;
import org.tessera.contracts.ItemFailed;
import org.tessera.contracts.ItemSucceeded;
import org.tessera.contracts.Payload;
import org.tessera.contracts.Topics;
import org.tessera.loadtests.fleet.FleetTally;
import org.tessera.loadtests.fleet.SimulatedFleet;
import org.tessera.loadtests.fleet.WorkerProfile;
import org.tessera.localstack.DemoClient;
import org.tessera.localstack.LocalStack;
import org.tessera.localstack.PlatformBooks;
import org.tessera.localstack.QuarkusService;
import org.tessera.localstack.StackOptions;

/**
 * The fleet at the Kafka level: one or two orchestrator processes on the real broker and database, and a fleet of
 * {@link SimulatedFleet simulated workers} speaking the slide-job / item-event contract. Runs of {@code run-size} slides
 * are submitted over REST (to the orchestrators in turn) until {@code slides} slides are in; the clock stops when every
 * run has ended. Then the books are read: every item event on the topic, every item and run row, every ledger row and
 * ledger message (see {@link Books}).
 *
 * <p>{@code load-tests/run fleet [orchestrators=1,2] [partitions=6,12] [workers=100] [slides=10000] [run-size=500]
 * [slide-ms=500] [failure-rate=0.02] [max-in-flight=100]}: one stack per (orchestrators, partitions) pair.
 */
public final class FleetSimulation {

    /** One simulation: the stack's shape and the load. */
    public record Config(
            int orchestrators,
            int partitions,
            int workers,
            int slides,
            int runSize,
            WorkerProfile profile,
            int maxInFlight,
            Duration timeout) {

        public Config {
            if (orchestrators < 1 || orchestrators > 2) {
                throw new IllegalArgumentException("orchestrators is 1 or 2, got " + orchestrators);
            }
            if (runSize < 1 || runSize > 500) {
                throw new IllegalArgumentException("run-size is 1 to 500 slides, got " + runSize);
            }
            if (slides < 1) {
                throw new IllegalArgumentException("slides must be at least 1, got " + slides);
            }
        }

        String label() {
            return orchestrators + " orchestrator" + (orchestrators > 1 ? "s" : "") + ", " + partitions + " partitions";
        }
    }

    /**
     * What the topic and the database say once every run has ended.
     *
     * @param eventsOnTopic item-event records on the topic, by type
     * @param itemsWithOneTerminal items with exactly one distinct terminal event id on the topic
     * @param itemsWithSeveralTerminals items whose terminal events carry more than one distinct event id
     * @param itemRows item rows of the runs
     * @param succeededRows items stored as SUCCEEDED; {@code ledgerRows} their ledger rows
     */
    public record Books(
            Map<String, Long> eventsOnTopic,
            int itemsWithOneTerminal,
            int itemsWithSeveralTerminals,
            int itemRows,
            int succeededRows,
            int userErrorRows,
            int ledgerRows,
            int ledgerMessages,
            PlatformBooks.Figures figures) {}

    /** A simulation's outcome: throughput, the progress curve (seconds, terminal items) and the books. */
    public record Result(
            Config config,
            List<String> runIds,
            double seconds,
            double slidesPerMinute,
            List<double[]> curve,
            FleetTally tally,
            Books books,
            String loadAverage) {}

    private FleetSimulation() {}

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = Harness.arguments(
                argv,
                List.of(
                        "orchestrators",
                        "partitions",
                        "workers",
                        "slides",
                        "run-size",
                        "slide-ms",
                        "failure-rate",
                        "max-in-flight",
                        "out"));
        Path root = Harness.root();
        Path out = root.resolve(args.getOrDefault("out", "load-tests/target/fleet"));
        int workers = Integer.parseInt(args.getOrDefault("workers", "100"));
        WorkerProfile profile = new WorkerProfile(
                Duration.ofMillis(Long.parseLong(args.getOrDefault("slide-ms", "500"))),
                0.5,
                Double.parseDouble(args.getOrDefault("failure-rate", "0.02")));
        List<Result> results = new ArrayList<>();
        for (String o : args.getOrDefault("orchestrators", "1,2").split(",")) {
            for (String p : args.getOrDefault("partitions", "6,12").split(",")) {
                Config config = new Config(
                        Integer.parseInt(o.strip()),
                        Integer.parseInt(p.strip()),
                        workers,
                        Integer.parseInt(args.getOrDefault("slides", "10000")),
                        Integer.parseInt(args.getOrDefault("run-size", "500")),
                        profile,
                        Integer.parseInt(args.getOrDefault("max-in-flight", Integer.toString(workers))),
                        Duration.ofMinutes(60));
                System.out.println("== " + config.label() + ", " + workers + " simulated workers, " + config.slides()
                        + " slides; load average " + Harness.loadAverage());
                try (SimulationStack stack = startStack(root, root.resolve(".local-stack-fleet"), config)) {
                    Result result = simulate(stack.stack(), config, stack.apis());
                    results.add(result);
                    System.out.println(row(result));
                }
            }
        }
        StringBuilder table = new StringBuilder(header());
        results.forEach(r -> table.append(row(r)).append('\n'));
        System.out.println();
        System.out.print(table);
        Harness.writeTable(out.resolve("fleet.md"), table.toString());
        SvgChart.bars(
                out.resolve("fleet-throughput.svg"),
                "Slides per minute, " + workers + " simulated workers, "
                        + profile.slideTime().toMillis() + " ms per slide",
                "slides per minute",
                results.stream().map(r -> r.config().label()).toList(),
                results.stream().map(Result::slidesPerMinute).toList());
        SvgChart.lines(
                out.resolve("fleet-progress.svg"),
                "Terminal items over time",
                "seconds since the first submission",
                "terminal items",
                results.stream()
                        .map(r -> new SvgChart.Series(r.config().label(), r.curve()))
                        .toList());
        System.out.println("charts and table in " + out);
    }

    static String header() {
        return "| orchestrators | partitions | simulated workers | slides (runs) | wall s | **slides/min** | item events"
                + " on the topic (started / progress / succeeded / failed) | items with one terminal event | item rows"
                + " (succeeded / user error) | ledger rows / messages | lost / counted twice / charged twice |"
                + " repeated jobs | load average |\n"
                + "|---:|---:|---:|---:|---:|---:|---|---:|---|---|---|---:|---|\n";
    }

    static String row(Result r) {
        Books b = r.books();
        Map<String, Long> e = b.eventsOnTopic();
        PlatformBooks.Figures f = b.figures();
        return String.format(
                Locale.ROOT,
                "| %d | %d | %d | %,d (%d) | %.0f | **%,.0f** | %,d / %,d / %,d / %,d | %,d | %,d (%,d / %,d) | %,d / %,d"
                        + " | %d / %d / %d | %d | %s |",
                r.config().orchestrators(),
                r.config().partitions(),
                r.config().workers(),
                r.config().slides(),
                r.runIds().size(),
                r.seconds(),
                r.slidesPerMinute(),
                e.getOrDefault("item.started", 0L),
                e.getOrDefault("item.progress", 0L),
                e.getOrDefault(ItemSucceeded.TYPE, 0L),
                e.getOrDefault(ItemFailed.TYPE, 0L),
                b.itemsWithOneTerminal(),
                b.itemRows(),
                b.succeededRows(),
                b.userErrorRows(),
                b.ledgerRows(),
                b.ledgerMessages(),
                f.lost(),
                f.countedTwice(),
                f.chargedTwice() + f.unchargedSucceeded(),
                r.tally().repeatedJobs(),
                r.loadAverage());
    }

    /** The stack of a simulation, and the API and management roots of its orchestrators, in order. */
    public record SimulationStack(LocalStack stack, List<URI> apis, List<URI> managementUrls) implements AutoCloseable {
        @Override
        public void close() {
            stack.close();
        }
    }

    /**
     * A stack for the simulation: topics with the configured partitions, the dispatcher allowed {@code max-in-flight}
     * items, test-app priced (a ledger entry per success), the real worker stopped, and a second orchestrator if asked.
     */
    public static SimulationStack startStack(Path root, Path stateDir, Config config) {
        StackOptions options = StackOptions.defaults(root, stateDir)
                .withStartTimeout(Duration.ofMinutes(4))
                .withTopicPartitions(config.partitions())
                .withOrchestratorConfig(
                        Map.of("tessera.scheduler.max-in-flight", Integer.toString(config.maxInFlight())));
        LocalStack stack = LocalStack.start(options, OrchestratorBenchmark.seed(), ProcessHandle.current(), m -> {});
        try {
            stack.stopWorker();
            List<URI> apis = new ArrayList<>(List.of(stack.apiUrl()));
            List<URI> management = new ArrayList<>(List.of(stack.orchestratorManagementUrl()));
            if (config.orchestrators() > 1) {
                QuarkusService second = stack.addOrchestrator("orchestrator-2", Map.of());
                apis.add(second.url());
                management.add(second.managementUrl());
            }
            Harness.priceTestApp(stack, "1.50");
            return new SimulationStack(stack, List.copyOf(apis), List.copyOf(management));
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    /** Starts the fleet, submits the slides (to the orchestrators in turn), waits for every run to end, reads the books. */
    public static Result simulate(LocalStack stack, Config config, List<URI> apis) throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(
                stack.kafkaBootstrapServers(), config.workers(), config.profile(), SimulatedFleet.rowsOnly())) {
            List<DemoClient> clients = apis.stream()
                    .map(api ->
                            new DemoClient(api, () -> stack.token(stack.seed().member())))
                    .toList();
            int runs = (config.slides() + config.runSize() - 1) / config.runSize();
            long start = System.nanoTime();
            List<String> runIds = submit(clients, runs, config);
            List<double[]> curve = new ArrayList<>();
            try (Connection db = Harness.database(stack)) {
                long deadline = start + config.timeout().toNanos();
                while (true) {
                    Harness.Progress progress = Harness.progress(db, runIds);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    curve.add(new double[] {seconds, progress.terminalItems()});
                    fleet.tally().rethrow();
                    if (progress.endedRuns() == runIds.size()) {
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(progress.endedRuns() + " of " + runIds.size()
                                + " runs ended within " + config.timeout() + " (" + progress.terminalItems()
                                + " items terminal)");
                    }
                    Thread.sleep(500);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            String load = Harness.loadAverage();
            Books books = books(stack, runIds);
            return new Result(
                    config, runIds, seconds, config.slides() / seconds * 60, curve, fleet.tally(), books, load);
        }
    }

    private static List<String> submit(List<DemoClient> clients, int runs, Config config) throws Exception {
        ExecutorService submitters = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> submitted = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                int index = r;
                int size = Math.min(config.runSize(), config.slides() - r * config.runSize());
                DemoClient client = clients.get(r % clients.size());
                submitted.add(submitters.submit(
                        () -> client.submitRun(OrchestratorBenchmark.runRequest("fleet-" + index, size))));
            }
            List<String> runIds = new ArrayList<>();
            for (Future<String> run : submitted) {
                runIds.add(run.get());
            }
            return Collections.unmodifiableList(runIds);
        } finally {
            submitters.shutdownNow();
        }
    }

    /** Every item event on the topic, the runs' item and ledger rows, and the ledger topic, for these runs. */
    static Books books(LocalStack stack, List<String> runIds) throws Exception {
        Set<UUID> runs = new HashSet<>();
        runIds.forEach(id -> runs.add(UUID.fromString(id)));
        Map<String, Long> byType = new TreeMap<>();
        Map<UUID, Set<UUID>> terminalIds = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.kafkaBootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                "false",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                "5000",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName()))) {
            for (ConsumerRecord<String, byte[]> record : PlatformBooks.readAll(consumer, Topics.ITEM_EVENTS)) {
                Envelope<Payload> event = ContractsJson.read(record.value());
                if (!runs.contains(event.runId())) {
                    continue;
                }
                byType.merge(event.type(), 1L, Long::sum);
                if (event.payload() instanceof ItemSucceeded || event.payload() instanceof ItemFailed) {
                    terminalIds
                            .computeIfAbsent(event.itemId(), i -> new HashSet<>())
                            .add(event.eventId());
                }
            }
        }
        PlatformBooks.Snapshot snapshot = PlatformBooks.read(stack, runIds);
        int one = 0;
        int several = 0;
        for (UUID item : snapshot.items().keySet()) {
            int ids = terminalIds.getOrDefault(item, Set.of()).size();
            one += ids == 1 ? 1 : 0;
            several += ids > 1 ? 1 : 0;
        }
        int succeeded = 0;
        int userErrors = 0;
        for (PlatformBooks.ItemRow item : snapshot.items().values()) {
            succeeded += item.state().equals("SUCCEEDED") ? 1 : 0;
            userErrors += item.state().equals("USER_ERROR") ? 1 : 0;
        }
        int ledgerRows = snapshot.ledgerRows().values().stream()
                .mapToInt(Integer::intValue)
                .sum();
        int ledgerMessages = snapshot.ledgerTopicEntries().values().stream()
                .mapToInt(Set::size)
                .sum();
        return new Books(
                byType,
                one,
                several,
                snapshot.items().size(),
                succeeded,
                userErrors,
                ledgerRows,
                ledgerMessages,
                PlatformBooks.figures(snapshot));
    }
}
