package org.tessera.loadtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.tessera.contracts.ItemFailed;
import org.tessera.contracts.ItemSucceeded;
import org.tessera.loadtests.fleet.SimulatedFleet;
import org.tessera.loadtests.fleet.WorkerProfile;
import org.tessera.localstack.LocalStack;
import org.tessera.localstack.StackOptions;

/**
 * The load scenarios of {@code load-tests/run}, short, on one real stack (Kafka broker, PostgreSQL, two orchestrator
 * processes; the real worker stopped): the fleet simulation with exact books, the SDK clients' load, and a soak of
 * about 30 seconds. They check that each scenario works and that what it counts adds up; speed is measured by the
 * long versions, never asserted here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShortLoadScenariosTest {

    private static final int WORKERS = 10;
    private static final int SLIDES = 300;

    private FleetSimulation.SimulationStack stack;
    private Path out;

    @BeforeAll
    void startStack() throws Exception {
        Path root = projectRoot();
        Path stateDir = root.resolve("load-tests/target/short-scenarios-stack");
        out = root.resolve("load-tests/target/short-scenarios");
        Files.createDirectories(out);
        stack = FleetSimulation.startStack(root, stateDir, fleetConfig());
    }

    @AfterAll
    void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    private static FleetSimulation.Config fleetConfig() {
        return new FleetSimulation.Config(
                2,
                6,
                WORKERS,
                SLIDES,
                100,
                new WorkerProfile(Duration.ofMillis(40), 0.5, 0.1),
                WORKERS,
                Duration.ofMinutes(5));
    }

    @Test
    @Order(1)
    void fleetOfSimulatedWorkersOnTwoOrchestratorsLosesAndDoublesNothing() throws Exception {
        FleetSimulation.Result result = FleetSimulation.simulate(stack.stack(), fleetConfig(), stack.apis());

        FleetSimulation.Books books = result.books();
        assertThat(result.runIds()).hasSize(3);
        assertThat(books.itemRows()).isEqualTo(SLIDES);
        assertThat(books.figures().clean())
                .as("lost, counted twice, charged twice: %s", books.figures())
                .isTrue();
        // Every item ended exactly once on the topic, and the rows agree with what the workers reported.
        assertThat(books.itemsWithOneTerminal()).isEqualTo(SLIDES);
        assertThat(books.itemsWithSeveralTerminals()).isZero();
        long succeededEvents = books.eventsOnTopic().getOrDefault(ItemSucceeded.TYPE, 0L);
        long failedEvents = books.eventsOnTopic().getOrDefault(ItemFailed.TYPE, 0L);
        assertThat(succeededEvents + failedEvents)
                .isEqualTo(SLIDES + result.tally().repeatedJobs());
        assertThat(books.succeededRows() + books.userErrorRows()).isEqualTo(SLIDES);
        assertThat(books.succeededRows()).isEqualTo(result.tally().succeeded());
        assertThat(books.userErrorRows()).isEqualTo(result.tally().failed());
        assertThat(books.userErrorRows()).isPositive();
        // One ledger row and one ledger message per succeeded item, none for the failed ones.
        assertThat(books.ledgerRows()).isEqualTo(books.succeededRows());
        assertThat(books.ledgerMessages()).isEqualTo(books.succeededRows());
        assertThat(result.slidesPerMinute()).isPositive();

        SvgChart.lines(
                out.resolve("fleet-progress.svg"),
                "Terminal items over time",
                "s",
                "items",
                List.of(new SvgChart.Series("short fleet", result.curve())));
        assertThat(Files.readString(out.resolve("fleet-progress.svg"))).contains("<polyline");
    }

    @Test
    @Order(2)
    void sdkUsersPollListAndDownloadAndSeeResultsPublishedByTheWorkers() throws Exception {
        LocalStack local = stack.stack();
        try (SimulatedFleet fleet = SimulatedFleet.start(
                local.kafkaBootstrapServers(),
                WORKERS,
                new WorkerProfile(Duration.ofMillis(40), 0.5, 0.0),
                ClientLoad.objectStoreArtifacts(local))) {
            Supplier<String> token = ClientLoad.cachedToken(local);
            SdkUsers.Latencies latencies = new SdkUsers.Latencies();
            ClientLoad.Result result;
            List<String> runIds;
            try (SdkUsers users = new SdkUsers(local.apiUrl(), token, Duration.ofSeconds(1), 20, latencies)) {
                users.start(20, 3);
                result = ClientLoad.steady(
                        users,
                        latencies,
                        fleet.tally(),
                        local.apiUrl(),
                        token,
                        ClientLoad.probeToken(local),
                        Duration.ofSeconds(3),
                        Duration.ofSeconds(12));
                users.stop();
                runIds = users.runIds();
                assertThat(users.firstSeenSucceeded()).isNotEmpty();
            }
            assertThat(result.errors())
                    .as("first error: %s", result.firstError())
                    .isZero();
            assertThat(result.downloads()).isPositive();
            Map<String, ClientLoad.Figure> figures = new java.util.HashMap<>();
            result.figures().forEach(f -> figures.put(f.what(), f));
            assertThat(figures.get(SdkUsers.RUN_READ).count()).isPositive();
            assertThat(figures.get(SdkUsers.ITEM_PAGE).count()).isPositive();
            ClientLoad.Figure visibility = result.figures().getLast();
            // The probe submits as another organization, so fair scheduling serves its slides beside the users'
            // backlog: within the 12 s it sees results the workers published.
            assertThat(visibility.what()).startsWith("result visible");
            assertThat(visibility.count()).isPositive();
            assertThat(result.p99Windows()).containsKey(SdkUsers.RUN_READ);

            List<ClientLoad.Figure> saturation =
                    ClientLoad.saturate(local.apiUrl(), token, runIds, 8, Duration.ofSeconds(2));
            assertThat(saturation)
                    .hasSize(2)
                    .allSatisfy(f -> assertThat(f.count()).isPositive());
            Files.writeString(
                    out.resolve("clients.md"),
                    ClientLoad.tableOf(result.figures(), result.loadAverage())
                            + ClientLoad.tableOf(saturation, result.loadAverage()));
        }
    }

    @Test
    @Order(3)
    void shortSoakSamplesMemoryLagAndOutboxAndKeepsTheBooks() throws Exception {
        Soak.Config config = new Soak.Config(
                Duration.ofSeconds(30),
                10,
                Duration.ofSeconds(1),
                Duration.ofSeconds(3),
                100_000,
                20,
                new WorkerProfile(Duration.ofMillis(40), 0.5, 0.05),
                WORKERS);

        Soak.Result result = Soak.soak(stack, config);

        assertThat(result.samples()).hasSizeGreaterThanOrEqualTo(2);
        Soak.Sample last = result.samples().getLast();
        assertThat(last.heapMiB()).containsOnlyKeys("orchestrator", "orchestrator-2");
        assertThat(last.heapMiB().values()).allSatisfy(heap -> assertThat(heap).isPositive());
        assertThat(last.pssMiB()).containsKeys("kafka", "postgres", "orchestrator", "orchestrator-2");
        assertThat(last.pssMiB().values()).allSatisfy(pss -> assertThat(pss).isPositive());
        assertThat(last.lag()).containsOnlyKeys(Soak.GROUPS.keySet().toArray(String[]::new));
        assertThat(last.lag().values()).allSatisfy(lag -> assertThat(lag).isNotNegative());
        assertThat(result.samples())
                .allSatisfy(s -> assertThat(s.outboxAgeSeconds()).isNotNegative());
        assertThat(last.terminalItems())
                .isGreaterThan(result.samples().getFirst().terminalItems());
        assertThat(result.runs()).isPositive();
        assertThat(result.books().itemRows()).isEqualTo((int) result.slides());
        assertThat(result.books().figures().clean())
                .as("books after the soak: %s", result.books().figures())
                .isTrue();
        assertThat(result.books().ledgerRows()).isEqualTo(result.books().succeededRows());

        Soak.report(result, config, out.resolve("soak"));
        assertThat(out.resolve("soak/soak.csv")).isNotEmptyFile();
        assertThat(Files.readString(out.resolve("soak/soak-memory.svg"))).contains("orchestrator-2 heap");
    }

    static Path projectRoot() {
        return StackOptions.repositoryRoot();
    }
}
