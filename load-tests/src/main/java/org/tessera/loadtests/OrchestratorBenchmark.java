package org.tessera.loadtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.tessera.contracts.ContractsJson;
import org.tessera.contracts.Envelope;
import org.tessera.contracts.ItemProgress;
import org.tessera.contracts.ItemStarted;
import org.tessera.contracts.ItemSucceeded;
import org.tessera.contracts.OutputArtifact;
import org.tessera.contracts.Payload;
import org.tessera.contracts.RunState;
import org.tessera.contracts.RunStateChanged;
import org.tessera.contracts.Topics;
import org.tessera.localstack.DemoClient;
import org.tessera.localstack.LocalStack;
import org.tessera.localstack.PostgresService;
import org.tessera.localstack.Seed;
import org.tessera.localstack.StackOptions;
import org.tessera.localstack.StackUser;

/**
 * Measures the orchestrator on a real local stack (Kafka, PostgreSQL, orchestrator; the worker is stopped so that
 * nothing but this harness produces item events), in three stacks started one after the other:
 *
 * <ol>
 *   <li>submission latency with quotas on: {@code POST /v1/runs} with 500 items, first sequentially, then from
 *       concurrent submitters (closed loop: each sends its next request as soon as the previous one is answered), all
 *       in an organization with monthly, per-run and parallel-run limits, so every request takes the quota lock. The
 *       stack is brought to a steady state first (an open loop below saturation, then the closed loop unmeasured), and
 *       each submitter writes prebuilt requests on a connection of its own ({@link PlainHttpConnection}), so that the
 *       cores go to the stack; the CPU each process, each orchestrator thread group and each PostgreSQL role used is
 *       read from {@code /proc} around the measured phase;
 *   <li>the filtered run list: runs seeded straight into PostgreSQL for the caller (and some for another
 *       organization's user, with matching metadata), then {@code GET /v1/runs?custom_metadata=<jsonpath>} over HTTP;
 *   <li>item-event ingestion, in a fresh stack with the cost ledger on (a priced test-app) and in another with it off
 *       ({@code tessera.billing.ledger-enabled=false}): with several 500-item runs scheduled, every item's started,
 *       progress and succeeded events are produced to Kafka as fast as a producer can, and the clock stops when the
 *       orchestrator has published COMPLETED for every run (de-duplication, state changes, ledger and outbox included).
 * </ol>
 *
 * Arguments, each {@code name=value}, all optional: {@code submitters=20 rounds=5 items=500 warm-up-seconds=60
 * warm-up-rate=10 warm-up-rounds=<rounds> paced=5,10,15 paced-seconds=30 list-runs=100000 ingestion-runs=10
 * ingestion-rounds=3 ledger-first=on phases=submission,list,ingestion}; {@code ledger-first=off} measures ingestion
 * with the ledger off first.
 */
public final class OrchestratorBenchmark {

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);

    /** The organization the benchmark submits in: every quota set, none of them in the way. */
    static final String ORGANIZATION = "bench";

    static final String OTHER_ORGANIZATION = "elsewhere";

    private final Map<String, String> args;
    private final Path root;
    private final List<String[]> table = new ArrayList<>();

    private OrchestratorBenchmark(Map<String, String> args, Path root) {
        this.args = args;
        this.root = root;
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new LinkedHashMap<>();
        for (String arg : argv) {
            int eq = arg.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("arguments are name=value, e.g. submitters=20; got " + arg);
            }
            args.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        Path root = Path.of(System.getProperty("tessera.root", "."))
                .toAbsolutePath()
                .normalize();
        new OrchestratorBenchmark(args, root).run();
    }

    private int intArg(String name, int fallback) {
        return Integer.parseInt(args.getOrDefault(name, Integer.toString(fallback)));
    }

    private void run() throws Exception {
        int submitters = intArg("submitters", 20);
        int rounds = intArg("rounds", 5);
        int warmUpRounds = intArg("warm-up-rounds", rounds);
        int warmUpSeconds = intArg("warm-up-seconds", 60);
        double warmUpRate = Double.parseDouble(args.getOrDefault("warm-up-rate", "10"));
        int items = intArg("items", 500);
        int listRuns = intArg("list-runs", 100_000);
        int ingestionRuns = intArg("ingestion-runs", 10);
        int ingestionRounds = intArg("ingestion-rounds", 3);
        Set<String> phases =
                Set.of(args.getOrDefault("phases", "submission,list,ingestion").split(","));
        System.out.printf(
                Locale.ROOT,
                "machine: %d cores, %s; load average %s%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                loadAverage());

        if (phases.contains("submission") || phases.contains("list")) {
            try (LocalStack stack = start(Map.of())) {
                if (phases.contains("submission")) {
                    submission(stack, submitters, warmUpSeconds, warmUpRate, warmUpRounds, rounds, items);
                    String rates = args.getOrDefault("paced", "5,10,15");
                    if (!rates.isBlank() && !rates.equals("0")) {
                        for (String rate : rates.split(",")) {
                            paced(stack, submitters, Double.parseDouble(rate), intArg("paced-seconds", 30), items);
                        }
                    }
                }
                if (phases.contains("list")) {
                    list(stack, listRuns);
                }
            }
        }
        if (phases.contains("ingestion")) {
            // The machine's speed drifts within minutes, so the order can be turned round to tell drift from cost.
            boolean offFirst = "off".equals(args.getOrDefault("ledger-first", "on"));
            double on;
            double off;
            if (offFirst) {
                off = ingestionWithLedger(false, ingestionRuns, items, ingestionRounds);
                on = ingestionWithLedger(true, ingestionRuns, items, ingestionRounds);
            } else {
                on = ingestionWithLedger(true, ingestionRuns, items, ingestionRounds);
                off = ingestionWithLedger(false, ingestionRuns, items, ingestionRounds);
            }
            row(
                    "ingestion: cost of the ledger (quota give-backs are per run end, none here)",
                    String.format(Locale.ROOT, "%+.1f %% (median on vs median off)", (off / on - 1) * 100),
                    "");
        }

        System.out.println();
        System.out.println("| what | figure | load average (1/5/15 min) |");
        System.out.println("|---|---|---|");
        for (String[] row : table) {
            System.out.println("| " + String.join(" | ", row) + " |");
        }
    }

    private LocalStack start(Map<String, String> extraConfig) {
        Map<String, String> config = new HashMap<>(extraConfig);
        // Nothing must be re-queued while the harness plays the worker.
        config.put("tessera.orchestrator.item-lease-timeout", "PT1H");
        StackOptions options =
                StackOptions.defaults(root, root.resolve(".local-stack-bench")).withOrchestratorConfig(config);
        System.out.println("starting the local stack (Kafka, PostgreSQL, orchestrator) " + extraConfig + " ...");
        LocalStack stack = LocalStack.start(options, seed(), ProcessHandle.current(), message -> {});
        stack.stopWorker();
        return stack;
    }

    /**
     * {@code bench}: limits on everything (monthly WSIs, WSIs per run, parallel runs) set high enough for the whole
     * benchmark, so that every submission goes through the quota checks without being refused or held back; and
     * {@code elsewhere}, whose runs the list filter must never show to a {@code bench} user.
     */
    static Seed seed() {
        return new Seed(
                List.of(
                        organization(ORGANIZATION, 10_000_000, 100_000, 500),
                        // Also the visibility probe's organization in the client load and the soak (a run at a time).
                        organization(OTHER_ORGANIZATION, 10_000_000, 5, 500)),
                new StackUser("operator", Seed.OPERATOR_ORGANIZATION, "super_admin", "operator@ops.tessera.local"));
    }

    private static Seed.Organization organization(String id, int monthly, int parallel, int perRun) {
        String domain = id + ".tessera.local";
        return new Seed.Organization(
                id,
                id + " laboratory",
                domain,
                monthly,
                parallel,
                perRun,
                List.of("he-tme:1.0.0"),
                new StackUser(id + "-admin", id, "admin", "admin@" + domain),
                new StackUser(id + "-member", id, "member", "member@" + domain));
    }

    // ------------------------------------------------------------------------------------------------------------
    // Submission
    // ------------------------------------------------------------------------------------------------------------

    private void submission(
            LocalStack stack,
            int submitters,
            int warmUpSeconds,
            double warmUpRate,
            int warmUpRounds,
            int rounds,
            int items)
            throws Exception {
        Http http = new Http(stack.apiUrl(), stack.token(stack.seed().member()));
        for (int i = 0; i < 3; i++) {
            http.submit(body("warm-up-" + i, items));
        }
        // Warm-up below saturation first: with both cores busy the JIT compilers fall behind for good (a thousand runs
        // into a closed loop they still took a sixth of the orchestrator's CPU, and hot code stayed in its profiling
        // tier). Then the closed loop itself, as long as the measured phase by default.
        if (warmUpSeconds > 0) {
            openLoop(stack, submitters, warmUpRate, warmUpSeconds, items, "warm-up-open");
        }
        concurrently(http, submitters, warmUpRounds, requests(http, submitters * warmUpRounds, items, "warm-up-c"));
        int sequential = 10;
        double[] alone = new double[sequential];
        for (int i = 0; i < sequential; i++) {
            byte[] body = body("sequential-" + i, items);
            long start = System.nanoTime();
            http.submit(body);
            alone[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(alone);
        String load = loadAverage();
        row(
                "`POST /v1/runs`, " + items + " items, " + sequential + " sequential requests",
                String.format(
                        Locale.ROOT,
                        "p50 %.0f ms, p95 %.0f ms, max %.0f ms",
                        percentile(alone, 0.50),
                        percentile(alone, 0.95),
                        alone[alone.length - 1]),
                load);

        Path stateDir = stack.options().stateDir();
        List<byte[]> measured = requests(http, submitters * rounds, items, "concurrent");
        Map<String, Double> cpuBefore = ProcessCpu.read(stateDir);
        Map<String, Double> threadsBefore = ProcessCpu.orchestratorThreads();
        Map<String, Double> postgresBefore = ProcessCpu.postgresRoles(stateDir);
        Map<String, double[]> timersBefore = serverTimers(stack);
        long start = System.nanoTime();
        double[] millis = concurrently(http, submitters, rounds, measured);
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Double> cpu = ProcessCpu.since(cpuBefore, ProcessCpu.read(stateDir));
        Map<String, Double> threads = ProcessCpu.since(threadsBefore, ProcessCpu.orchestratorThreads());
        Map<String, Double> postgres = ProcessCpu.since(postgresBefore, ProcessCpu.postgresRoles(stateDir));
        Map<String, double[]> timersAfter = serverTimers(stack);
        Arrays.sort(millis);
        row(
                "`POST /v1/runs`, " + items + " items, " + submitters + " concurrent submitters × " + rounds
                        + " requests (quotas on)",
                String.format(
                        Locale.ROOT,
                        "p50 %.0f ms, p95 %.0f ms, **p99 %.0f ms**, max %.0f ms; %.1f runs/s = %,.0f items/s",
                        percentile(millis, 0.50),
                        percentile(millis, 0.95),
                        percentile(millis, 0.99),
                        millis[millis.length - 1],
                        millis.length / seconds,
                        millis.length * items / seconds),
                loadAverage());
        int runs = millis.length;
        StringBuilder where = new StringBuilder();
        double total = 0;
        for (Map.Entry<String, Double> part : cpu.entrySet()) {
            total += part.getValue();
            where.append(String.format(Locale.ROOT, "%s %.0f ms, ", part.getKey(), part.getValue() * 1000 / runs));
        }
        row(
                "CPU per 500-item run during the concurrent phase (all processes of the stack)",
                String.format(
                        Locale.ROOT,
                        "%stotal %.0f ms; %.0f %% of the %d cores' %.1f s",
                        where,
                        total * 1000 / runs,
                        total / (seconds * Runtime.getRuntime().availableProcessors()) * 100,
                        Runtime.getRuntime().availableProcessors(),
                        seconds),
                "");
        row("the orchestrator's CPU per run in that phase, by thread", perRun(threads, runs), "");
        row("PostgreSQL's CPU per run in that phase, by process", perRun(postgres, runs), "");
        double queued = meanMillis(timersBefore, timersAfter, "queued");
        row(
                "server-side time per `POST /v1/runs` in the concurrent phase (means)",
                String.format(
                        Locale.ROOT,
                        "whole request %.0f ms, of which %s, validation %.1f ms and storing (one transaction) %.1f ms",
                        meanMillis(timersBefore, timersAfter, "http"),
                        Double.isNaN(queued)
                                ? "no wait for a turn (no submission gate)"
                                : String.format(Locale.ROOT, "waiting for a turn %.0f ms", queued),
                        meanMillis(timersBefore, timersAfter, "validation"),
                        meanMillis(timersBefore, timersAfter, "store")),
                "");
        row(
                "the orchestrator's garbage-collection pauses in that phase",
                pauses(timersBefore, timersAfter, seconds),
                "");
    }

    /**
     * Young and full collections between two scrapes: how many, and how long they stopped the orchestrator in all.
     * Each pause holds up every request in flight, so they show in the closed loop's tail.
     */
    private static String pauses(Map<String, double[]> before, Map<String, double[]> after, double seconds) {
        StringBuilder text = new StringBuilder();
        double paused = 0;
        for (String kind : List.of("young", "full")) {
            double[] was = before.getOrDefault(kind, new double[2]);
            double[] is = after.getOrDefault(kind, new double[2]);
            long count = Math.round(is[1] - was[1]);
            double millis = (is[0] - was[0]) * 1000;
            paused += millis;
            if (!text.isEmpty()) {
                text.append("; ");
            }
            text.append(String.format(
                    Locale.ROOT,
                    "%d %s, %.0f ms in all%s",
                    count,
                    kind,
                    millis,
                    count > 0 ? String.format(Locale.ROOT, " (%.0f ms each on average)", millis / count) : ""));
        }
        return text.append(String.format(Locale.ROOT, "; stopped for %.1f %% of the phase", paused / 10 / seconds))
                .toString();
    }

    /** Milliseconds per run of each part that used at least half a millisecond per run, largest first. */
    private static String perRun(Map<String, Double> seconds, int runs) {
        return seconds.entrySet().stream()
                .filter(e -> e.getValue() * 1000 / runs >= 0.5)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(e -> String.format(Locale.ROOT, "%s %.1f ms", e.getKey(), e.getValue() * 1000 / runs))
                .collect(Collectors.joining(", "));
    }

    /** Sum and count of the orchestrator's submission timers, from its Prometheus endpoint. */
    private static Map<String, double[]> serverTimers(LocalStack stack) {
        Map<String, double[]> timers = new HashMap<>();
        String body;
        try {
            body = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(
                                            stack.orchestratorManagementUrl().resolve("/q/metrics"))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            return timers;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return timers;
        }
        for (String line : body.lines().toList()) {
            String name = null;
            if (line.startsWith("http_server_requests_seconds_")
                    && line.contains("method=\"POST\"")
                    && line.contains("/v1/runs\"")) {
                name = "http";
            } else if (line.startsWith("tessera_runs_submission_queued_seconds_")) {
                name = "queued";
            } else if (line.startsWith("tessera_runs_submission_validation_seconds_")) {
                name = "validation";
            } else if (line.startsWith("tessera_runs_submission_store_seconds_")) {
                name = "store";
            } else if (line.startsWith("jvm_gc_pause_seconds_")) {
                name = line.contains("action=\"end of major GC\"") ? "full" : "young";
            }
            if (name == null) {
                continue;
            }
            double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            double[] sumAndCount = timers.computeIfAbsent(name, n -> new double[2]);
            if (line.contains("_seconds_sum")) {
                sumAndCount[0] += value;
            } else if (line.contains("_seconds_count")) {
                sumAndCount[1] += value;
            }
        }
        return timers;
    }

    private static double meanMillis(Map<String, double[]> before, Map<String, double[]> after, String timer) {
        double[] a = after.getOrDefault(timer, new double[2]);
        double[] b = before.getOrDefault(timer, new double[2]);
        double count = a[1] - b[1];
        return count <= 0 ? Double.NaN : (a[0] - b[0]) / count * 1000;
    }

    /**
     * Open loop: {@code submitters} clients together submit {@code runsPerSecond} runs a second for {@code seconds},
     * each on a fixed schedule of its own (client k at k/rate, then every submitters/rate seconds). Latency counts
     * from the scheduled moment, so a request that waits for its client's previous one is charged the wait (no
     * coordinated omission). This is what a latency target measures: the closed loop above measures throughput.
     */
    private void paced(LocalStack stack, int submitters, double runsPerSecond, int seconds, int items)
            throws Exception {
        Path stateDir = stack.options().stateDir();
        Map<String, Double> cpuBefore = ProcessCpu.read(stateDir);
        long start = System.nanoTime();
        double[] millis = openLoop(stack, submitters, runsPerSecond, seconds, items, "paced-" + runsPerSecond);
        double elapsed = (System.nanoTime() - start) / 1e9;
        Map<String, Double> cpu = ProcessCpu.since(cpuBefore, ProcessCpu.read(stateDir));
        double total = cpu.values().stream().mapToDouble(Double::doubleValue).sum();
        Arrays.sort(millis);
        row(
                String.format(
                        Locale.ROOT,
                        "`POST /v1/runs`, %d items, %d submitters at %.0f runs/s together (%,.0f WSIs/s), open loop, %d s",
                        items,
                        submitters,
                        runsPerSecond,
                        runsPerSecond * items,
                        seconds),
                String.format(
                        Locale.ROOT,
                        "p50 %.0f ms, p95 %.0f ms, **p99 %.0f ms**, max %.0f ms; %d runs in %.1f s; the 2 cores %.0f %% busy",
                        percentile(millis, 0.50),
                        percentile(millis, 0.95),
                        percentile(millis, 0.99),
                        millis[millis.length - 1],
                        millis.length,
                        elapsed,
                        total / (elapsed * Runtime.getRuntime().availableProcessors()) * 100),
                loadAverage());
    }

    /** The open loop of {@link #paced}: every request's latency from its scheduled moment, in ms, unsorted. */
    private static double[] openLoop(
            LocalStack stack, int submitters, double runsPerSecond, int seconds, int items, String prefix)
            throws Exception {
        Http http = new Http(stack.apiUrl(), stack.token(stack.seed().member()));
        int perSubmitter = Math.max(1, (int) Math.round(runsPerSecond * seconds / submitters));
        long intervalNanos = (long) (submitters / runsPerSecond * 1e9);
        double[] millis = new double[submitters * perSubmitter];
        List<byte[]> requests = new ArrayList<>();
        for (int i = 0; i < millis.length; i++) {
            requests.add(http.runSubmission(body(prefix + "-" + i, items)));
        }
        long start = System.nanoTime() + 100_000_000L;
        onSubmitters(submitters, submitter -> {
            try (PlainHttpConnection connection = http.connection()) {
                for (int r = 0; r < perSubmitter; r++) {
                    long due = start + (long) (submitter / runsPerSecond * 1e9) + r * intervalNanos;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    int index = submitter * perSubmitter + r;
                    http.submit(connection, requests.get(index));
                    millis[index] = (System.nanoTime() - due) / 1e6;
                }
            }
        });
        return millis;
    }

    /** {@code count} run submissions with external ids of their own, built before any clock starts. */
    private static List<byte[]> requests(Http http, int count, int items, String prefix) {
        List<byte[]> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            requests.add(http.runSubmission(body(prefix + "-" + i, items)));
        }
        return requests;
    }

    /**
     * Each submitter sends its {@code rounds} requests one after the other; returns every request's latency in ms.
     */
    private static double[] concurrently(Http http, int submitters, int rounds, List<byte[]> requests)
            throws InterruptedException {
        double[] millis = new double[submitters * rounds];
        onSubmitters(submitters, submitter -> {
            try (PlainHttpConnection connection = http.connection()) {
                for (int r = 0; r < rounds; r++) {
                    int index = submitter * rounds + r;
                    long start = System.nanoTime();
                    http.submit(connection, requests.get(index));
                    millis[index] = (System.nanoTime() - start) / 1e6;
                }
            }
        });
        return millis;
    }

    /** What one submitter thread does; {@code submitter} is its number, 0-based. */
    private interface Submitter {
        void run(int submitter) throws InterruptedException;
    }

    /** Runs the submitters on threads of their own, released together; rethrows the first failure once all ended. */
    private static void onSubmitters(int submitters, Submitter work) throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < submitters; s++) {
            int submitter = s;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                    work.run(submitter);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    private static byte[] body(String externalPrefix, int items) {
        try {
            return DemoClient.json().writeValueAsBytes(runRequest(externalPrefix, items));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Filtered run list
    // ------------------------------------------------------------------------------------------------------------

    /** A filter of the list benchmark and how many of the caller's seeded runs it matches. */
    private record Filter(String path, String what) {}

    private void list(LocalStack stack, int runs) throws Exception {
        StackUser caller = stack.seed().member();
        StackUser other = stack.seed().organizations().get(1).member();
        int others = Math.max(1, runs / 10);
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), PostgresService.USER, "")) {
            long start = System.nanoTime();
            seedRuns(c, caller, runs, false);
            seedRuns(c, other, others, true);
            try (Statement s = c.createStatement()) {
                s.execute("VACUUM ANALYZE run");
            }
            System.out.printf(
                    Locale.ROOT,
                    "seeded %,d runs of %s and %,d of %s in %.1f s%n",
                    runs,
                    caller.subject(),
                    others,
                    other.subject(),
                    (System.nanoTime() - start) / 1e9);
        }
        Http http = new Http(stack.apiUrl(), stack.token(caller));
        List<Filter> filters = List.of(
                new Filter("$.sdk.tags[*] ? (@ == \"bench\")", "every run matches"),
                new Filter("$.study ? (@ == \"study-42\")", "1 % match"),
                new Filter("$.sdk.tags[*] ? (@ == \"batch-420\")", "0.1 % match"),
                new Filter("$.slides ? (@ >= 495)", "range, 1 % match"),
                new Filter("$.study ? (@ == \"no-such-study\")", "nothing matches"),
                new Filter("$.slides ? (@ > 100000)", "range, nothing matches"),
                new Filter("$.owner ? (@ == \"elsewhere\")", "only another organization's runs match"));
        for (Filter filter : filters) {
            String query =
                    "runs?page_size=50&custom_metadata=" + URLEncoder.encode(filter.path(), StandardCharsets.UTF_8);
            for (int i = 0; i < 5; i++) {
                http.get(query);
            }
            int calls = 40;
            double[] millis = new double[calls];
            int returned = 0;
            for (int i = 0; i < calls; i++) {
                long start = System.nanoTime();
                JsonNode page = http.get(query);
                millis[i] = (System.nanoTime() - start) / 1e6;
                returned = page.size();
                for (JsonNode run : page) {
                    if (!caller.subject().equals(run.path("submitted_by").asText())) {
                        throw new IllegalStateException("the filter " + filter.path() + " showed " + caller.subject()
                                + " a run of " + run.path("submitted_by").asText());
                    }
                }
            }
            Arrays.sort(millis);
            row(
                    String.format(
                            Locale.ROOT,
                            "`GET /v1/runs?custom_metadata=%s` over %,d runs (%s; page of %d)",
                            filter.path().replace("|", "\\|"),
                            runs,
                            filter.what(),
                            returned),
                    String.format(
                            Locale.ROOT,
                            "p50 %.1f ms, **p95 %.1f ms**, max %.1f ms",
                            percentile(millis, 0.50),
                            percentile(millis, 0.95),
                            millis[millis.length - 1]),
                    loadAverage());
        }
    }

    /**
     * Terminated test-app runs, one per 10 seconds back from now; their metadata: {@code study} (100 values),
     * {@code slides} (0-499), {@code sdk.tags} ({@code bench} and one of 1,000 batches), {@code owner}.
     */
    private static void seedRuns(Connection c, StackUser user, int runs, boolean elsewhere) throws SQLException {
        String metadata = "jsonb_build_object('study', 'study-' || (i % 100), 'slides', i % 500,"
                + " 'sdk', jsonb_build_object('tags', jsonb_build_array('bench', 'batch-' || (i % 1000))),"
                + " 'owner', '" + (elsewhere ? OTHER_ORGANIZATION : ORGANIZATION) + "')";
        try (Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO run (run_id, application_id, version_number, state, custom_metadata,"
                    + " custom_metadata_text, custom_metadata_checksum, organization_id, submitted_by, submitted_at,"
                    + " updated_at, terminated_at, item_count, pending_count, succeeded_count)"
                    + " SELECT gen_random_uuid(), 'test-app', '1.0.0', 'COMPLETED', m, m::text, md5(m::text), '"
                    + user.organizationId() + "', '" + user.subject() + "', at, at, at + interval '5 minutes', 1, 0, 1"
                    + " FROM (SELECT " + metadata + " AS m, now() - i * interval '10 seconds' - interval '1 hour' AS at"
                    + " FROM generate_series(1, " + runs + ") AS i) AS seeded");
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Ingestion
    // ------------------------------------------------------------------------------------------------------------

    /** Ingestion in a fresh stack with the cost ledger on (test-app priced at 1.50 EUR per WSI) or off. */
    private double ingestionWithLedger(boolean ledger, int runs, int items, int rounds) throws Exception {
        if (!ledger) {
            try (LocalStack stack = start(Map.of("tessera.billing.ledger-enabled", "false"))) {
                return ingestion(stack, "ledger off", runs, items, rounds);
            }
        }
        try (LocalStack stack = start(Map.of())) {
            setPrice(stack, "test-app", testAppVersion(stack), "1.50");
            return ingestion(stack, "ledger on (test-app at 1.50 EUR per WSI)", runs, items, rounds);
        }
    }

    /** A warm-up round, then {@code rounds} measured ones; returns the median events/s. */
    private double ingestion(LocalStack stack, String label, int runs, int items, int rounds) throws Exception {
        DemoClient client =
                new DemoClient(stack.apiUrl(), tokenOnce(stack, stack.seed().member()));
        ingestionRound(stack, client, 2, items, "warm-up");
        double[] rates = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            rates[r] = ingestionRound(stack, client, runs, items, "round-" + r);
        }
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        double median = percentile(sorted, 0.5);
        row(
                String.format(
                        Locale.ROOT,
                        "item-event ingestion, %s: %,d events per round (%d runs × %d items × 3), %d rounds",
                        label,
                        runs * items * 3,
                        runs,
                        items,
                        rounds),
                String.format(
                        Locale.ROOT,
                        "**%,.0f events/s** median (rounds: %s)",
                        median,
                        String.join(
                                ", ",
                                Arrays.stream(rates)
                                        .mapToObj(v -> String.format(Locale.ROOT, "%,.0f", v))
                                        .toList())),
                loadAverage());
        return median;
    }

    private static double ingestionRound(LocalStack stack, DemoClient client, int runs, int items, String prefix)
            throws Exception {
        try (KafkaConsumer<String, byte[]> runEvents = runEventConsumer(stack.kafkaBootstrapServers())) {
            List<String> runIds = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                runIds.add(client.submitRun(runRequest(prefix + "-ingest-" + r, items)));
            }
            awaitRunStates(runEvents, new HashSet<>(runIds), RunState.SCHEDULED);
            Map<String, List<String>> itemIds = new HashMap<>();
            for (String runId : runIds) {
                itemIds.put(
                        runId,
                        client.items(runId).stream()
                                .map(i -> i.path("item_id").asText())
                                .toList());
            }

            List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
            Instant now = Instant.now();
            for (String runId : runIds) {
                UUID run = UUID.fromString(runId);
                for (String itemId : itemIds.get(runId)) {
                    UUID item = UUID.fromString(itemId);
                    String key = "outputs/" + runId + "/" + itemId + "/tissue_qc_csv_class_information.csv";
                    for (Payload payload : List.<Payload>of(
                            new ItemStarted(1, "bench"),
                            new ItemProgress(1, "bench", "TILING", 50, 100),
                            new ItemSucceeded(
                                    1,
                                    "bench",
                                    List.of(new OutputArtifact(
                                            "tissue_qc:csv_class_information", key, "text/csv", 42, "AAAAAA=="))))) {
                        Envelope<Payload> envelope = Envelope.of(UUID.randomUUID(), now, run, item, payload);
                        records.add(new ProducerRecord<>(Topics.ITEM_EVENTS, runId, ContractsJson.toBytes(envelope)));
                    }
                }
            }

            long start = System.nanoTime();
            try (KafkaProducer<String, byte[]> producer = producer(stack.kafkaBootstrapServers())) {
                records.forEach(producer::send);
                producer.flush();
            }
            double producedSeconds = (System.nanoTime() - start) / 1e9;
            awaitRunStates(runEvents, new HashSet<>(runIds), RunState.COMPLETED);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "%s: %d events (%d runs x %d items x 3) applied in %.2f s = %.0f events/s"
                            + " (producing them took %.2f s); load average %s%n",
                    prefix,
                    records.size(),
                    runs,
                    items,
                    seconds,
                    records.size() / seconds,
                    producedSeconds,
                    loadAverage());
            return records.size() / seconds;
        }
    }

    private static String testAppVersion(LocalStack stack) {
        DemoClient client =
                new DemoClient(stack.apiUrl(), tokenOnce(stack, stack.seed().member()));
        JsonNode versions = client.application("test-app").path("versions");
        return versions.get(versions.size() - 1).path("number").asText();
    }

    private static void setPrice(LocalStack stack, String application, String version, String price) throws Exception {
        Http http = new Http(stack.apiUrl(), stack.token(stack.seed().operator()));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(stack.apiUrl()
                        .resolve("/api/admin/v1/applications/" + application + "/versions/" + version + "/price"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"price_per_wsi\": \"" + price + "\"}")));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("setting the price of " + application + " " + version + " answered "
                    + response.statusCode() + ": " + response.body());
        }
    }

    private static java.util.function.Supplier<String> tokenOnce(LocalStack stack, StackUser user) {
        String token = stack.token(user);
        return () -> token;
    }

    private static void awaitRunStates(KafkaConsumer<String, byte[]> consumer, Set<String> runIds, RunState state) {
        Set<String> waiting = new HashSet<>(runIds);
        long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
        while (!waiting.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(waiting.size() + " runs did not reach " + state + " in " + RUN_TIMEOUT);
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                Envelope<Payload> envelope = ContractsJson.read(record.value());
                if (envelope.payload() instanceof RunStateChanged changed && changed.state() == state) {
                    waiting.remove(envelope.runId().toString());
                }
            }
        }
    }

    private static KafkaConsumer<String, byte[]> runEventConsumer(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "benchmark-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.RUN_EVENTS));
        return consumer;
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /** A test-app run whose items point at URLs that are never fetched (the worker is stopped). */
    static JsonNode runRequest(String externalPrefix, int items) {
        ObjectNode request = DemoClient.object();
        request.put("application_id", "test-app");
        request.putNull("version_number");
        request.putObject("custom_metadata").putObject("sdk").putArray("tags").add("benchmark");
        ArrayNode list = request.putArray("items");
        for (int i = 0; i < items; i++) {
            ObjectNode item = list.addObject();
            item.put("external_id", externalPrefix + "-slide-" + i);
            ObjectNode artifact = item.putArray("input_artifacts").addObject();
            artifact.put("name", "whole_slide_image");
            artifact.put(
                    "download_url", "https://slides.example.org/bucket/" + externalPrefix + "/" + i + ".svs?sig=x");
            ObjectNode metadata = artifact.putObject("metadata");
            metadata.put("checksum_base64_crc32c", "AAAAAA==");
            metadata.put("width_px", 40_000);
            metadata.put("height_px", 30_000);
            metadata.put("resolution_mpp", 0.25);
            metadata.put("media_type", "application/octet-stream");
        }
        return request;
    }

    private void row(String what, String figure, String load) {
        System.out.println(what + ": " + figure + (load.isEmpty() ? "" : " (load average " + load + ")"));
        table.add(new String[] {what, figure, load});
    }

    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " / " + fields[1] + " / " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private static double percentile(double[] sorted, double p) {
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** Plain HTTP/1.1 calls with one token, so that the timed part is the request and nothing else. */
    private static final class Http {
        private final URI api;
        private final String token;
        private final HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();

        Http(URI root, String token) {
            String base = root.toString();
            this.api = URI.create((base.endsWith("/") ? base : base + "/") + "api/v1/");
            this.token = token;
        }

        void submit(byte[] body) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(api.resolve("runs"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
            if (response.statusCode() != 201) {
                throw new IllegalStateException(
                        "POST /v1/runs answered " + response.statusCode() + ": " + response.body());
            }
        }

        /** A connection of its own for one submitter thread (see {@link PlainHttpConnection}). */
        PlainHttpConnection connection() {
            return new PlainHttpConnection(api.resolve("runs"), token);
        }

        /** {@code POST /v1/runs} with this body, head and all, ready for {@link #submit(PlainHttpConnection, byte[])}. */
        byte[] runSubmission(byte[] body) {
            return new PlainHttpConnection(api.resolve("runs"), token).postRequest(body);
        }

        void submit(PlainHttpConnection connection, byte[] request) {
            PlainHttpConnection.Answer answer;
            try {
                answer = connection.send(request);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (answer.status() != 201) {
                throw new IllegalStateException("POST /v1/runs answered " + answer.status() + ": " + answer.body());
            }
        }

        JsonNode get(String path) {
            HttpResponse<String> response =
                    send(HttpRequest.newBuilder(api.resolve(path)).GET());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(
                        "GET " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            try {
                return DemoClient.json().readTree(response.body());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        HttpResponse<String> send(HttpRequest.Builder request) {
            try {
                return client.send(
                        request.header("Authorization", "Bearer " + token)
                                .header("Accept", "application/json")
                                .timeout(Duration.ofSeconds(60))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
