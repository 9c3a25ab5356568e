package org.tessera.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.tessera.dicom.FileTrees;
import org.tessera.objectstore.ObjectStore;
import org.tessera.objectstore.ObjectStoreServer;
import org.tessera.objectstore.SigningScope;
import org.tessera.testkit.TokenIssuer;

/**
 * The whole platform on one machine: a Kafka broker, PostgreSQL, the object store, a local token issuer, the
 * orchestrator and one worker, all on 127.0.0.1. {@link #start(StackOptions)} returns once every service answers its
 * readiness check; {@link #close()} stops them in reverse order. Used by {@code ./local-stack} and by the end-to-end
 * test alike.
 */
public final class LocalStack implements AutoCloseable {

    public static final String ORCHESTRATOR = "orchestrator";
    public static final String WORKER = "worker";
    public static final String ORCHESTRATOR_HEALTH = "/health";
    public static final String WORKER_HEALTH = "/q/health/ready";
    /**
     * Environment variable through which each service receives its object store signing key: the key of its
     * {@link SigningScope}, derived from the master key this stack draws at random on every start.
     */
    public static final String SIGNING_KEY_ENV = "TESSERA_OBJECTSTORE_SIGNING_KEY";

    private final StackOptions options;
    private final Consumer<String> progress;
    private final PortPlan ports;
    private final Seed seed;
    private final StackState state;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final TokenIssuer issuer;
    private final String signingKey;
    private KafkaService kafka;
    private PostgresService postgres;
    private ObjectStoreServer objectStoreServer;
    private AccessServer access;
    private QuarkusService orchestrator;
    private QuarkusService worker;
    private Path jwksFile;
    private boolean closed;
    private final Thread shutdownHook = new Thread(this::close, "stop-local-stack");

    private LocalStack(StackOptions options, PortPlan ports, Seed seed, Consumer<String> progress) {
        this.options = options;
        this.progress = progress;
        this.ports = ports;
        this.seed = seed;
        this.state = StackState.empty();
        this.issuer = new TokenIssuer();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.signingKey = HexFormat.of().formatHex(key);
    }

    /** Starts every service and waits until each is ready; on failure, stops what it started and throws. */
    public static LocalStack start(StackOptions options) {
        return start(options, Seed.standard(), ProcessHandle.current(), message -> {});
    }

    /**
     * @param supervisor the process recorded as the stack's launcher: the one that {@code down} signals first
     * @param progress told about each step, for people watching the start
     */
    public static LocalStack start(
            StackOptions options, Seed seed, ProcessHandle supervisor, Consumer<String> progress) {
        refuseIfRunning(options.stateDir());
        PortPlan ports = options.ports().resolve();
        LocalStack stack = new LocalStack(options, ports, seed, progress);
        stack.state
                .status(StackState.Status.STARTING)
                .set("state-dir", options.stateDir().toString());
        stack.state.pid(
                "launcher", supervisor.pid(), supervisor.info().startInstant().orElse(Instant.EPOCH));
        // A launcher that exits or gets SIGTERM or Ctrl-C (a test JVM ending, `down`), even halfway through the start,
        // still stops every service it started.
        Runtime.getRuntime().addShutdownHook(stack.shutdownHook);
        try {
            stack.startAll();
            return stack;
        } catch (RuntimeException | IOException e) {
            stack.removeShutdownHook();
            synchronized (stack) {
                stack.state.status(StackState.Status.FAILED).set("error", firstLine(e.getMessage()));
                stack.state.write(options.stateDir());
                stack.stopAll();
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        }
    }

    private static void refuseIfRunning(Path stateDir) {
        StackState.read(stateDir).ifPresent(existing -> {
            boolean running = existing.pids().stream()
                    .filter(pid -> pid.pid() != ProcessHandle.current().pid())
                    .anyMatch(pid -> pid.handle().isPresent());
            if (running) {
                throw new StackException(
                        "launcher",
                        "a stack is already running from " + stateDir + " ("
                                + existing.get("api-url").orElse("starting")
                                + "); stop it first with ./local-stack down");
            }
        });
    }

    private void startAll() throws IOException {
        for (Path jar : List.of(options.orchestratorJar(), options.workerJar())) {
            if (!Files.isRegularFile(jar)) {
                throw new StackException(
                        "launcher",
                        "no " + jar + "; build the services first: ./mvnw -B -q install -DskipTests"
                                + " (./local-stack demo and up do that by themselves)");
            }
        }
        Path data = options.stateDir().resolve("data");
        FileTrees.deleteRecursively(data);
        Files.createDirectories(options.logDir());
        // Each start begins fresh logs; launcher.log is not ours to clear (`up` writes it before the stack starts).
        for (String service :
                List.of(KafkaService.NAME, KafkaService.NAME + "-format", PostgresService.NAME, ORCHESTRATOR, WORKER)) {
            Files.deleteIfExists(options.logDir().resolve(service + ".log"));
        }
        state.write(options.stateDir());

        // PostgreSQL initialises its cluster while the broker's JVM boots; both are needed before the services.
        progress.accept("starting Kafka (KRaft) on 127.0.0.1:" + ports.kafka() + " and PostgreSQL on 127.0.0.1:"
                + ports.postgres());
        CompletableFuture<PostgresService> postgresStart = CompletableFuture.supplyAsync(() -> {
            try {
                return PostgresService.start(options, ports.postgres());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            kafka = track(KafkaService.start(options, ports.kafka(), ports.kafkaController()));
            record(KafkaService.NAME, kafka.process());
        } finally {
            try {
                postgres = track(postgresStart.join());
            } catch (CompletionException e) {
                if (kafka != null) {
                    throw unwrap(e);
                }
            }
        }
        postgres.pid()
                .ifPresent(pid -> state.pid(
                        PostgresService.NAME,
                        pid,
                        ProcessHandle.of(pid)
                                .flatMap(h -> h.info().startInstant())
                                .orElse(Instant.EPOCH)));
        state.set("kafka-bootstrap", kafka.bootstrapServers()).set("postgres-jdbc-url", postgres.jdbcUrl());
        progress.accept("Kafka and PostgreSQL are ready");

        Path objects = data.resolve("objects");
        Files.createDirectories(objects);
        objectStoreServer = track(ObjectStoreServer.start(
                objects, signingKey, new InetSocketAddress(Ports.LOOPBACK_HOST, ports.objectStore()), null));
        jwksFile = issuer.writeJwks(options.stateDir().resolve("jwks.json"));
        access = track(AccessServer.start(ports.access(), issuer, seed, objectStoreServer.store()));
        state.set("objectstore-url", objectStoreUrl().toString())
                .set("access-url", accessUrl().toString());
        state.write(options.stateDir());

        // Both service JVMs boot side by side; each is then awaited on its own health endpoint.
        progress.accept("object store on " + objectStoreUrl() + ", tokens on " + accessUrl()
                + "; starting orchestrator and worker");
        launchOrchestrator();
        launchWorker();
        state.write(options.stateDir());
        orchestrator.awaitReady(options.startTimeout());
        progress.accept("orchestrator is ready at " + orchestrator.url());
        worker.awaitReady(options.startTimeout());
        progress.accept("worker is ready");

        state.set("api-url", apiUrl().toString())
                .set(
                        "metrics-url",
                        orchestratorManagementUrl().resolve("/q/metrics").toString())
                .set(
                        "worker-metrics-url",
                        workerManagementUrl().resolve("/q/metrics").toString())
                .status(StackState.Status.READY);
        state.write(options.stateDir());
    }

    private void launchOrchestrator() throws IOException {
        orchestrator = track(QuarkusService.launch(
                ORCHESTRATOR,
                options.orchestratorJar(),
                ports.orchestrator(),
                ports.orchestratorManagement(),
                ORCHESTRATOR_HEALTH,
                orchestratorConfig(),
                Map.of(SIGNING_KEY_ENV, SigningScope.ORCHESTRATOR.deriveKey(signingKey)),
                QuarkusService.HeapLayout.REQUESTS,
                options));
        record(ORCHESTRATOR, orchestrator.process());
    }

    private void launchWorker() throws IOException {
        worker = track(QuarkusService.launch(
                WORKER,
                options.workerJar(),
                ports.worker(),
                ports.workerManagement(),
                WORKER_HEALTH,
                workerConfig(),
                Map.of(SIGNING_KEY_ENV, SigningScope.WORKER_OUTPUT.deriveKey(signingKey)),
                QuarkusService.HeapLayout.HALF_YOUNG,
                options));
        record(WORKER, worker.process());
    }

    /** Configuration both services share: where Kafka, the object store and the token issuer's keys are. */
    private Map<String, String> commonConfig(int httpPort, int managementPort) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.http.host", Ports.LOOPBACK_HOST);
        config.put("quarkus.http.port", Integer.toString(httpPort));
        config.put("quarkus.management.host", Ports.LOOPBACK_HOST);
        config.put("quarkus.management.port", Integer.toString(managementPort));
        config.put("quarkus.devservices.enabled", "false");
        config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        config.put("tessera.objectstore.root", objectStoreServer.store().root().toString());
        config.put("tessera.objectstore.public-url", objectStoreUrl().toString());
        return config;
    }

    Map<String, String> orchestratorConfig() {
        Map<String, String> config = commonConfig(ports.orchestrator(), ports.orchestratorManagement());
        config.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl());
        config.put("quarkus.datasource.username", PostgresService.USER);
        config.putAll(issuer.verificationConfig(jwksFile));
        // The dashboard signs people in at the local issuer (authorization code with PKCE).
        config.put("tessera.dashboard.oidc.authorization-endpoint", accessUrl() + "/authorize");
        config.put("tessera.dashboard.oidc.token-endpoint", accessUrl() + "/token");
        config.putAll(SeedConfig.orchestratorProperties(seed));
        config.put("tessera.kafka.topic-partitions", Integer.toString(options.topicPartitions()));
        config.putAll(options.orchestratorConfig());
        return config;
    }

    Map<String, String> workerConfig() {
        Map<String, String> config = commonConfig(ports.worker(), ports.workerManagement());
        // The demo's slides are served by the object store on 127.0.0.1, which the worker refuses by default.
        config.put("tessera.worker.fetch.allow-loopback", "true");
        config.put(
                "tessera.worker.work-dir",
                options.stateDir().resolve("data/worker-scratch").toString());
        config.putAll(options.workerConfig());
        return config;
    }

    /**
     * Starts one more orchestrator beside the first, on free ports, with the same configuration (database, broker,
     * consumer groups, keys) plus {@code extraConfig}; returns once it is ready. Its Kafka consumers join the first
     * one's groups, so the two share the partitions; it stops with the stack.
     */
    public synchronized QuarkusService addOrchestrator(String name, Map<String, String> extraConfig) {
        PortPlan free = PortPlan.anyFree().resolve();
        Map<String, String> config = orchestratorConfig();
        config.putAll(commonPorts(free.orchestrator(), free.orchestratorManagement()));
        config.putAll(extraConfig);
        return addService(
                name,
                options.orchestratorJar(),
                free.orchestrator(),
                free.orchestratorManagement(),
                ORCHESTRATOR_HEALTH,
                config,
                SigningScope.ORCHESTRATOR,
                QuarkusService.HeapLayout.REQUESTS);
    }

    /**
     * Starts one more worker beside the first (same consumer group, its own id, scratch folder and free ports) and
     * returns once it is ready; it stops with the stack.
     */
    public synchronized QuarkusService addWorker(String name, Map<String, String> extraConfig) {
        PortPlan free = PortPlan.anyFree().resolve();
        Map<String, String> config = workerConfig();
        config.putAll(commonPorts(free.worker(), free.workerManagement()));
        config.put("tessera.worker.id", name);
        config.put(
                "tessera.worker.work-dir",
                options.stateDir().resolve("data/" + name + "-scratch").toString());
        config.putAll(extraConfig);
        return addService(
                name,
                options.workerJar(),
                free.worker(),
                free.workerManagement(),
                WORKER_HEALTH,
                config,
                SigningScope.WORKER_OUTPUT,
                QuarkusService.HeapLayout.HALF_YOUNG);
    }

    private static Map<String, String> commonPorts(int httpPort, int managementPort) {
        return Map.of(
                "quarkus.http.port", Integer.toString(httpPort),
                "quarkus.management.port", Integer.toString(managementPort));
    }

    private QuarkusService addService(
            String name,
            Path jar,
            int port,
            int managementPort,
            String health,
            Map<String, String> config,
            SigningScope scope,
            QuarkusService.HeapLayout heap) {
        QuarkusService service;
        try {
            service = track(QuarkusService.launch(
                    name,
                    jar,
                    port,
                    managementPort,
                    health,
                    config,
                    Map.of(SIGNING_KEY_ENV, scope.deriveKey(signingKey)),
                    heap,
                    options));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        record(name, service.process());
        state.write(options.stateDir());
        return service.awaitReady(options.startTimeout());
    }

    private void record(String name, ChildProcess process) {
        state.pid(name, process.pid(), process.startedAt());
    }

    private synchronized <T extends AutoCloseable> T track(T service) {
        if (closed) {
            // Stopped (Ctrl-C, SIGTERM) while this service was starting: it must not outlive the launcher.
            try {
                service.close();
            } catch (Exception e) {
                throw new StackException("launcher", "stopped while starting; closing a service failed: " + e);
            }
            throw new StackException("launcher", "stopped while starting");
        }
        started.push(service);
        return service;
    }

    /** Stops the worker (SIGTERM, then wait), e.g. to keep a run's items pending. */
    public synchronized void stopWorker() {
        if (worker != null) {
            started.remove(worker);
            worker.close();
            worker = null;
            state.removePid(WORKER);
            state.write(options.stateDir());
        }
    }

    /**
     * Kills the worker with SIGKILL, as a crash would: it neither finishes nor reports its current item, leaves its
     * Kafka group only when its session times out, and commits nothing. Start it again with {@link #startWorker()}.
     */
    public synchronized void killWorker() {
        if (worker != null) {
            started.remove(worker);
            worker.process().kill();
            worker = null;
            state.removePid(WORKER);
            state.write(options.stateDir());
        }
    }

    /** Starts the worker again after {@link #stopWorker()} or {@link #killWorker()} and waits until it is ready. */
    public synchronized void startWorker() {
        if (worker == null) {
            try {
                launchWorker();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            state.write(options.stateDir());
            worker.awaitReady(options.startTimeout());
        }
    }

    /**
     * Kills the orchestrator with SIGKILL, as a crash would: open transactions roll back, nothing it had not committed
     * survives, its Kafka consumers leave their groups only when their sessions time out. Start it again with
     * {@link #startOrchestrator()}.
     */
    public synchronized void killOrchestrator() {
        if (orchestrator != null) {
            started.remove(orchestrator);
            orchestrator.process().kill();
            orchestrator = null;
            state.removePid(ORCHESTRATOR);
            state.write(options.stateDir());
        }
    }

    /** Starts the orchestrator again after {@link #killOrchestrator()}, on the same port, and waits until it is ready. */
    public synchronized void startOrchestrator() {
        if (orchestrator == null) {
            try {
                launchOrchestrator();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            state.write(options.stateDir());
            orchestrator.awaitReady(options.startTimeout());
        }
    }

    /**
     * Stops the Kafka broker (SIGTERM: it flushes and closes its logs), keeps it down for {@code down}, and starts it
     * again on the same ports and storage; returns once it answers metadata requests again. The services are not told:
     * their clients reconnect by themselves.
     */
    public synchronized void restartKafka(Duration down) {
        started.remove(kafka);
        kafka.close();
        state.removePid(KafkaService.NAME);
        state.write(options.stateDir());
        pause(down);
        try {
            kafka = trackLast(KafkaService.restart(options, ports.kafka(), ports.kafkaController()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        record(KafkaService.NAME, kafka.process());
        state.write(options.stateDir());
    }

    /**
     * Stops PostgreSQL ({@code pg_ctl stop}, fast mode: open sessions are ended, their transactions roll back), keeps it
     * down for {@code down}, and starts it again on the same port and data; returns once it accepts connections.
     */
    public synchronized void restartPostgres(Duration down) {
        started.remove(postgres);
        postgres.close();
        state.removePid(PostgresService.NAME);
        state.write(options.stateDir());
        pause(down);
        try {
            postgres = trackLast(PostgresService.restart(options, ports.postgres()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        postgres.pid()
                .ifPresent(pid -> state.pid(
                        PostgresService.NAME,
                        pid,
                        ProcessHandle.of(pid)
                                .flatMap(h -> h.info().startInstant())
                                .orElse(Instant.EPOCH)));
        state.write(options.stateDir());
    }

    /** Like {@link #track}, for infrastructure restarted later: it still stops after the services that use it. */
    private <T extends AutoCloseable> T trackLast(T service) {
        track(service);
        started.remove(service);
        started.addLast(service);
        return service;
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("launcher", "interrupted while a service was down");
        }
    }

    public URI apiUrl() {
        return orchestrator.url();
    }

    public URI workerUrl() {
        return worker.url();
    }

    /** The orchestrator's management interface: {@code /q/health}, {@code /q/metrics}. */
    public URI orchestratorManagementUrl() {
        return orchestrator.managementUrl();
    }

    /** The worker's management interface: {@code /q/health}, {@code /q/metrics}. */
    public URI workerManagementUrl() {
        return worker.managementUrl();
    }

    public URI objectStoreUrl() {
        return URI.create("http://" + Ports.LOOPBACK_HOST + ":" + objectStoreServer.port());
    }

    public URI accessUrl() {
        return access.url();
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String jdbcUrl() {
        return postgres.jdbcUrl();
    }

    public Seed seed() {
        return seed;
    }

    public PortPlan ports() {
        return ports;
    }

    public StackOptions options() {
        return options;
    }

    /** A bearer token for a seeded user. */
    public String token(StackUser user) {
        return access.token(user);
    }

    /** A token for any subject and organization, e.g. a user the stack does not know. */
    public String token(String subject, String organizationId, String role) {
        return issuer.token(subject, organizationId, role);
    }

    /** The object store as a client with the organization's signing keys sees it: it can sign PUT and GET URLs. */
    public ObjectStore objectStore() {
        return objectStoreServer.store();
    }

    /** Where the object store keeps its objects (a key is a relative path below it). */
    public Path objectRoot() {
        return objectStoreServer.store().root();
    }

    /** Each service's log, by name. */
    public Map<String, Path> logs() {
        Map<String, Path> logs = new LinkedHashMap<>();
        Stream.of(KafkaService.NAME, PostgresService.NAME, ORCHESTRATOR, WORKER)
                .forEach(name -> logs.put(name, options.logDir().resolve(name + ".log")));
        return logs;
    }

    public StackState state() {
        return state;
    }

    /** Stops every service in reverse start order and removes the state file. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        removeShutdownHook();
        state.status(StackState.Status.STOPPING);
        state.write(options.stateDir());
        stopAll();
        StackState.delete(options.stateDir());
    }

    private void removeShutdownHook() {
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down: the hook is running or about to.
            }
        }
    }

    private void stopAll() {
        List<Throwable> failures = new ArrayList<>();
        // The services go first and together: each drains its consumers while the broker is still there.
        List<QuarkusService> services = Stream.of(worker, orchestrator)
                .filter(service -> service != null && started.contains(service))
                .toList();
        services.forEach(service -> service.process().terminate());
        while (!started.isEmpty()) {
            AutoCloseable service = started.pop();
            try {
                service.close();
            } catch (Exception e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            StackException error = new StackException("launcher", "some services did not stop cleanly");
            failures.forEach(error::addSuppressed);
            throw error;
        }
    }

    private static RuntimeException unwrap(CompletionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof UncheckedIOException io) {
            return new StackException(PostgresService.NAME, io.getCause().getMessage(), null, io);
        }
        return cause instanceof RuntimeException runtime ? runtime : e;
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
