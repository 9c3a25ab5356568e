package org.tessera.loadtests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.tessera.contracts.ContractsJson;
import org.tessera.contracts.Envelope;
import org.tessera.contracts.ItemEvent;
import org.tessera.contracts.ItemStarted;
import org.tessera.contracts.ItemSucceeded;
import org.tessera.contracts.Payload;
import org.tessera.contracts.Topics;
import org.tessera.localstack.DemoClient;
import org.tessera.localstack.LocalStack;
import org.tessera.localstack.PlatformBooks;
import org.tessera.localstack.PostgresService;
import org.tessera.localstack.SlideSet;
import org.tessera.localstack.StackOptions;
import org.tessera.localstack.TopicReplay;

/**
 * Faults, measured: each scenario runs against the real local stack (Kafka broker, PostgreSQL, orchestrator and worker
 * as separate processes on 127.0.0.1) with a multi-slide run in flight, injects its fault, waits for the runs to end and
 * reads the platform's books from PostgreSQL, the ledger topic and the object store: items lost, items counted twice,
 * items charged twice, duplicate artifacts, and the time the platform took to complete an item again.
 *
 * <p>{@code load-tests/run faults [scenarios] [worker-kill repeats]}; scenarios: {@code worker-kill},
 * {@code orchestrator-kill}, {@code kafka-restart}, {@code postgres-restart}, {@code stale-redelivery},
 * {@code replay} (comma-separated, in that order by default).
 */
public final class FaultSuite {

    static final List<String> SCENARIOS = List.of(
            "worker-kill", "orchestrator-kill", "kafka-restart", "postgres-restart", "stale-redelivery", "replay");

    private static final Duration LEASE = Duration.ofSeconds(8);
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final Duration DOWN = Duration.ofSeconds(5);
    private static final int ITEMS_PER_RUN = 5;

    private final LocalStack stack;
    private final DemoClient member;
    private final SlideSet slides;
    private final List<String> allRuns = new ArrayList<>();
    private final List<String> rows = new ArrayList<>();

    private FaultSuite(LocalStack stack, SlideSet slides) {
        this.stack = stack;
        this.member =
                new DemoClient(stack.apiUrl(), () -> stack.token(stack.seed().member()));
        this.slides = slides;
    }

    public static void main(String[] args) throws Exception {
        List<String> scenarios = args.length > 0 && !args[0].isBlank() ? Arrays.asList(args[0].split(",")) : SCENARIOS;
        for (String scenario : scenarios) {
            if (!SCENARIOS.contains(scenario)) {
                System.err.println("unknown scenario " + scenario + "; known: " + String.join(",", SCENARIOS));
                System.exit(2);
            }
        }
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path root = Path.of(System.getProperty("tessera.root", "."))
                .toAbsolutePath()
                .normalize();
        Path stateDir = root.resolve(".local-stack-faults");
        StackOptions options = StackOptions.defaults(root, stateDir)
                .withStartTimeout(Duration.ofMinutes(3))
                .withOrchestratorConfig(Map.of(
                        "tessera.orchestrator.item-lease-timeout", LEASE.toString(),
                        "tessera.orchestrator.lease-check-interval", "PT1S",
                        "tessera.orchestrator.max-attempts", "4",
                        // A killed orchestrator's consumers hold their partitions until their session times out.
                        "mp.messaging.incoming.item-events.session.timeout.ms", "6000",
                        "mp.messaging.incoming.run-requests.session.timeout.ms", "6000"))
                .withWorkerConfig(Map.of(
                        "tessera.worker.heartbeat-interval", "PT2S",
                        "tessera.worker.kafka.session-timeout", "PT6S"));
        Instant began = Instant.now();
        System.out.println("starting the local stack in " + stateDir + " ...");
        try (LocalStack stack = LocalStack.start(options)) {
            Path slidesDir = stateDir.resolve("slides");
            Files.createDirectories(slidesDir);
            List<SlideSet.Spec> specs = new ArrayList<>();
            for (int i = 1; i <= ITEMS_PER_RUN; i++) {
                specs.add(SlideSet.Spec.good("slide-" + i, 1536, 1152, 0.5));
            }
            DemoClient uploader = new DemoClient(
                    stack.apiUrl(), () -> stack.token(stack.seed().member()));
            SlideSet slides = SlideSet.generate(slidesDir, specs, 5L)
                    .upload(uploader, SlideSet.UrlSigning.of(stack.objectStore()), "uploads/faults");
            FaultSuite suite = new FaultSuite(stack, slides);
            for (String scenario : scenarios) {
                System.out.println("== " + scenario);
                switch (scenario) {
                    case "worker-kill" -> suite.workerKills(repeats);
                    case "orchestrator-kill" ->
                        suite.restartMidRun(
                                "SIGKILL the orchestrator, restart it",
                                stack::killOrchestrator,
                                stack::startOrchestrator);
                    case "kafka-restart" ->
                        suite.restartMidRun(
                                "stop the Kafka broker " + DOWN.toSeconds() + " s, restart it",
                                () -> stack.restartKafka(DOWN),
                                () -> {});
                    case "postgres-restart" ->
                        suite.restartMidRun(
                                "stop PostgreSQL " + DOWN.toSeconds() + " s, restart it",
                                () -> stack.restartPostgres(DOWN),
                                () -> {});
                    case "stale-redelivery" -> suite.staleRedelivery();
                    case "replay" -> suite.replay();
                    default -> throw new IllegalArgumentException(scenario);
                }
            }
            System.out.println();
            System.out.println("| scenario | faults | runs / items | items lost | counted twice | charged twice"
                    + " | duplicate artifacts | time to recover | notes |");
            System.out.println("|---|---:|---|---:|---:|---:|---:|---|---|");
            suite.rows.forEach(System.out::println);
            System.out.printf(
                    Locale.ROOT,
                    "%nsuite took %d s on %d cores (load average now %s)%n",
                    Duration.between(began, Instant.now()).toSeconds(),
                    Runtime.getRuntime().availableProcessors(),
                    Files.readString(Path.of("/proc/loadavg")).strip());
        }
    }

    /** SIGKILL the worker while it holds an item, restart it, wait for that item to end; {@code repeats} times. */
    private void workerKills(int repeats) throws Exception {
        List<String> runs = new ArrayList<>();
        List<Duration> recoveries = new ArrayList<>();
        int requeued = 0;
        int notes = 0;
        for (int i = 0; i < repeats; i++) {
            UUID item = awaitProcessing(runs);
            Instant killedAt = Instant.now();
            stack.killWorker();
            stack.startWorker();
            Optional<Instant> ended = awaitTerminal(item, WAIT);
            if (ended.isEmpty()) {
                notes++;
                System.out.println("  kill " + (i + 1) + ": item " + item + " did not end within " + WAIT);
                continue;
            }
            Duration recovery = Duration.between(killedAt, ended.get());
            recoveries.add(recovery);
            int attempt = attemptOf(item);
            requeued += attempt > 1 ? 1 : 0;
            System.out.printf(
                    Locale.ROOT,
                    "  kill %d: item %s ended %.1f s after the kill (attempt %d)%n",
                    i + 1,
                    item,
                    recovery.toMillis() / 1000.0,
                    attempt);
        }
        awaitRunsEnded(runs);
        row(
                "worker SIGKILL mid-slide, restart",
                repeats,
                runs,
                recoveries,
                "kill → killed item terminal; " + requeued + " handed out again under a new attempt"
                        + (notes > 0 ? "; " + notes + " items did not end in time" : ""));
    }

    /** Starts a run, waits until it is mid-way, injects the fault, and measures until an item completes again. */
    private void restartMidRun(String label, Runnable fault, Runnable recover) throws Exception {
        List<String> runs = new ArrayList<>();
        runs.add(submit());
        awaitMidRun(runs);
        int terminalBefore = terminalCount(runs);
        Instant faultAt = Instant.now();
        fault.run();
        recover.run();
        Instant backAt = Instant.now();
        Instant again = awaitTerminalCountAbove(runs, terminalBefore, WAIT);
        awaitRunsEnded(runs);
        Duration recovery = Duration.between(faultAt, again);
        System.out.printf(
                Locale.ROOT,
                "  %s: component back after %.1f s, next item ended %.1f s after the fault%n",
                label,
                Duration.between(faultAt, backAt).toMillis() / 1000.0,
                recovery.toMillis() / 1000.0);
        row(
                label,
                1,
                runs,
                List.of(recovery),
                String.format(
                        Locale.ROOT,
                        "fault → next item terminal (down %.1f s incl. restart); %d item(s) handed out again",
                        Duration.between(faultAt, backAt).toMillis() / 1000.0,
                        requeuedItems(runs)));
    }

    private int requeuedItems(List<String> runs) {
        Integer count = query(
                "SELECT count(*) FROM item WHERE run_id = ANY (?) AND attempt > 1",
                runs,
                rows -> rows.next() ? rows.getInt(1) : 0);
        return count == null ? -1 : count;
    }

    /**
     * The worker dies mid-slide and stays down until the orchestrator has handed the item out again (attempt 2); then
     * it restarts and Kafka redelivers the uncommitted attempt 1, which must be skipped, not processed again.
     */
    private void staleRedelivery() throws Exception {
        List<String> runs = new ArrayList<>();
        UUID item = awaitProcessing(runs);
        Instant killedAt = Instant.now();
        stack.killWorker();
        Instant deadline = Instant.now().plus(WAIT);
        while (attemptOf(item) < 2 && Instant.now().isBefore(deadline) && !isTerminal(item)) {
            Thread.sleep(200);
        }
        int attempt = attemptOf(item);
        stack.startWorker();
        Optional<Instant> ended = awaitTerminal(item, WAIT);
        awaitRunsEnded(runs);
        long staleStarts = 0;
        long staleSuccesses = 0;
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            for (ConsumerRecord<String, byte[]> record : PlatformBooks.readAll(consumer, Topics.ITEM_EVENTS)) {
                Envelope<Payload> event = ContractsJson.read(record.value());
                if (item.equals(event.itemId()) && event.payload() instanceof ItemEvent e && e.attempt() == 1) {
                    staleStarts += e instanceof ItemStarted ? 1 : 0;
                    staleSuccesses += e instanceof ItemSucceeded ? 1 : 0;
                }
            }
        }
        double superseded = metric(stack.workerManagementUrl(), "tessera_worker_jobs_superseded_total");
        System.out.printf(
                Locale.ROOT,
                "  item %s: attempt %d when the worker came back; attempt 1 started %d time(s) and succeeded %d"
                        + " time(s) on the topic; the worker skipped %.0f superseded job(s)%n",
                item,
                attempt,
                staleStarts,
                staleSuccesses,
                superseded);
        row(
                "worker SIGKILL, back after the lease expired",
                1,
                runs,
                ended.map(at -> List.of(Duration.between(killedAt, at))).orElse(List.of()),
                String.format(
                        Locale.ROOT,
                        "stale attempt 1 processed again: %s (its starts on the topic: %d, successes: %d; jobs skipped"
                                + " as superseded: %.0f)",
                        staleStarts > 1 || staleSuccesses > 0 ? "yes" : "no",
                        staleStarts,
                        staleSuccesses,
                        superseded));
    }

    /** Every item event of every run so far, twice and shuffled: the books must not change. */
    private void replay() throws Exception {
        if (allRuns.isEmpty()) {
            List<String> runs = new ArrayList<>();
            runs.add(submit());
            awaitRunsEnded(runs);
        }
        awaitRunsEnded(allRuns);
        PlatformBooks.Snapshot before = PlatformBooks.read(stack, allRuns);
        Instant start = Instant.now();
        int replayed = TopicReplay.duplicateAndShuffle(stack.kafkaBootstrapServers(), Topics.ITEM_EVENTS, 2, 17L);
        TopicReplay.awaitConsumed(
                stack.kafkaBootstrapServers(), "tessera-orchestrator-items", Topics.ITEM_EVENTS, WAIT);
        Duration took = Duration.between(start, Instant.now());
        PlatformBooks.Snapshot after = PlatformBooks.read(stack, allRuns);
        boolean unchanged = after.equals(before);
        System.out.printf(
                Locale.ROOT,
                "  replayed %d item events (every one twice, shuffled) in %.1f s; books %s%n",
                replayed,
                took.toMillis() / 1000.0,
                unchanged ? "unchanged" : "CHANGED");
        row(
                "duplicate + reorder + replay " + Topics.ITEM_EVENTS,
                replayed,
                allRuns,
                List.of(took),
                "consumed to the end in the time shown; books (runs, items, ledger, artifacts, objects) "
                        + (unchanged ? "unchanged" : "CHANGED"));
    }

    private void row(String label, int faults, List<String> runs, List<Duration> recoveries, String note) {
        PlatformBooks.Figures figures = PlatformBooks.figures(PlatformBooks.read(stack, runs));
        String recovery;
        if (recoveries.isEmpty()) {
            recovery = "—";
        } else if (recoveries.size() == 1) {
            recovery = seconds(recoveries.getFirst());
        } else {
            List<Duration> sorted = recoveries.stream().sorted().toList();
            recovery = "median " + seconds(sorted.get(sorted.size() / 2)) + ", max " + seconds(sorted.getLast());
        }
        String line = String.format(
                Locale.ROOT,
                "| %s | %d | %d / %d | %d | %d | %d | %d | %s | %s |",
                label,
                faults,
                runs.size(),
                figures.items(),
                figures.lost(),
                figures.countedTwice(),
                figures.chargedTwice() + figures.unchargedSucceeded(),
                figures.duplicateArtifacts(),
                recovery,
                note);
        System.out.println(line);
        rows.add(line);
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    private String submit() {
        String runId = member.submitRun(slides.runRequest("test-app", null));
        allRuns.add(runId);
        return runId;
    }

    /** An item of the runs that the worker holds now; submits a new run when the last one has ended. */
    private UUID awaitProcessing(List<String> runs) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            if (runs.isEmpty() || openItems(runs) == 0) {
                runs.add(submit());
            }
            Optional<UUID> processing = query(
                    "SELECT item_id FROM item WHERE run_id = ANY (?) AND state = 'PROCESSING' LIMIT 1", runs, rows -> {
                        return rows.next() ? Optional.of(rows.getObject(1, UUID.class)) : Optional.<UUID>empty();
                    });
            if (processing != null && processing.isPresent()) {
                return processing.get();
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no item of " + runs + " was processing within " + WAIT);
    }

    /** Waits until at least one item of the runs has ended and another is being processed. */
    private void awaitMidRun(List<String> runs) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            Integer processing = query(
                    "SELECT count(*) FROM item WHERE run_id = ANY (?) AND state = 'PROCESSING'",
                    runs,
                    rows -> rows.next() ? rows.getInt(1) : 0);
            if (processing != null && processing > 0 && terminalCount(runs) > 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("runs " + runs + " did not get mid-way within " + WAIT);
    }

    private int openItems(List<String> runs) {
        Integer open = query(
                "SELECT count(*) FROM item WHERE run_id = ANY (?) AND state IN ('PENDING', 'PROCESSING')",
                runs,
                rows -> rows.next() ? rows.getInt(1) : 0);
        return open == null ? 1 : open;
    }

    private int terminalCount(List<String> runs) {
        Integer count = query(
                "SELECT count(*) FROM item WHERE run_id = ANY (?) AND state NOT IN ('PENDING', 'PROCESSING')",
                runs,
                rows -> rows.next() ? rows.getInt(1) : 0);
        return count == null ? -1 : count;
    }

    private Instant awaitTerminalCountAbove(List<String> runs, int before, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (terminalCount(runs) > before) {
                return Instant.now();
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no item of " + runs + " ended within " + timeout + " of the fault");
    }

    private Optional<Instant> awaitTerminal(UUID item, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            Optional<Instant> ended = query(
                    "SELECT terminated_at FROM item WHERE item_id = ? AND state NOT IN ('PENDING', 'PROCESSING')",
                    item,
                    rows -> {
                        if (!rows.next()) {
                            return Optional.<Instant>empty();
                        }
                        Timestamp at = rows.getTimestamp(1);
                        return Optional.of(at == null ? Instant.now() : at.toInstant());
                    });
            if (ended != null && ended.isPresent()) {
                return ended;
            }
            Thread.sleep(100);
        }
        return Optional.empty();
    }

    private boolean isTerminal(UUID item) {
        Boolean terminal = query(
                "SELECT state NOT IN ('PENDING', 'PROCESSING') FROM item WHERE item_id = ?",
                item,
                rows -> rows.next() && rows.getBoolean(1));
        return terminal != null && terminal;
    }

    private int attemptOf(UUID item) {
        Integer attempt =
                query("SELECT attempt FROM item WHERE item_id = ?", item, rows -> rows.next() ? rows.getInt(1) : 0);
        return attempt == null ? 0 : attempt;
    }

    private void awaitRunsEnded(Collection<String> runs) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            Integer open = query(
                    "SELECT count(*) FROM run WHERE run_id = ANY (?) AND state IN ('RECEIVED', 'SCHEDULED', 'RUNNING')",
                    List.copyOf(runs),
                    rows -> rows.next() ? rows.getInt(1) : 1);
            if (open != null && open == 0) {
                return;
            }
            Thread.sleep(250);
        }
        System.out.println("  runs still open after " + WAIT + " (counted as lost below)");
    }

    private interface Rows<T> {
        T read(ResultSet rows) throws SQLException;
    }

    /** Runs a query with one parameter (a list of run ids or an item id); null while the database cannot answer. */
    private <T> T query(String sql, Object parameter, Rows<T> reader) {
        try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), PostgresService.USER, "");
                PreparedStatement statement = db.prepareStatement(sql)) {
            if (parameter instanceof List<?> runs) {
                statement.setArray(
                        1,
                        db.createArrayOf(
                                "uuid",
                                runs.stream()
                                        .map(r -> UUID.fromString((String) r))
                                        .toArray()));
            } else {
                statement.setObject(1, parameter);
            }
            try (ResultSet rows = statement.executeQuery()) {
                return reader.read(rows);
            }
        } catch (SQLException e) {
            return null;
        }
    }

    private KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
    }

    private static double metric(URI service, String name) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            String body = http.send(
                            HttpRequest.newBuilder(service.resolve("/q/metrics"))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            double total = 0;
            for (String line : body.lines().toList()) {
                if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                    total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return total;
        }
    }
}
