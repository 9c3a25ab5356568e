package org.tessera.orchestrator.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.tessera.orchestrator.flow.FlowSupport.awaitRunState;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tessera.contracts.ContractsJson;
import org.tessera.contracts.Envelope;
import org.tessera.contracts.Payload;
import org.tessera.contracts.RunState;
import org.tessera.contracts.SlideJob;
import org.tessera.contracts.Topics;
import org.tessera.orchestrator.run.dispatch.DispatchQueue;
import org.tessera.orchestrator.run.dispatch.Dispatcher;
import org.tessera.orchestrator.run.progress.LeaseWatchdog;
import org.tessera.orchestrator.support.KafkaProbe;
import org.tessera.orchestrator.support.ObjectStoreTestResource;
import org.tessera.orchestrator.support.Organizations;
import org.tessera.orchestrator.support.TestApi;
import org.tessera.orchestrator.support.Workers;
import org.tessera.orchestrator.tenancy.domain.Role;
import org.tessera.testkit.JwtTestResource;
import org.tessera.testkit.KafkaTestResource;
import org.tessera.testkit.PostgresTestResource;

/**
 * The dispatcher with four places, on a database of its own (other test classes leave runs open without a worker,
 * which would hold places here): one organization's large run cannot starve another organization's single slide, due
 * dates order an organization's work, the API's queue positions are the dispatch order, and concurrent rounds (as from
 * two replicas) never exceed the limit nor dispatch an attempt twice.
 */
@QuarkusTest
@TestProfile(FairSchedulingTest.FourPlaces.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(
        value = PostgresTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "fair_scheduling"))
@WithTestResource(JwtTestResource.class)
@WithTestResource(ObjectStoreTestResource.class)
class FairSchedulingTest {

    /** {@code tessera.scheduler.max-in-flight} here. */
    static final int MAX_IN_FLIGHT = 4;

    public static class FourPlaces implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Queue positions read exactly as the line stands at each step.
            return Map.of(
                    "tessera.scheduler.max-in-flight",
                    Integer.toString(MAX_IN_FLIGHT),
                    "tessera.scheduler.queue-positions-max-age",
                    "PT0S");
        }
    }

    @Inject
    Dispatcher dispatcher;

    @Inject
    DispatchQueue queue;

    @Inject
    LeaseWatchdog leases;

    @Inject
    AgroalDataSource dataSource;

    /** Runs each test cancels when it ends, so that the next one starts with every place free. */
    private final List<Runnable> cleanUp = new ArrayList<>();

    @AfterEach
    void cancelOpenRuns() {
        cleanUp.forEach(Runnable::run);
        await().atMost(Duration.ofSeconds(30)).until(() -> inFlight() == 0);
    }

    @Test
    void anotherOrganizationsSingleSlideStartsAfterAtMostMaxInFlightSlidesOfALargeRun() throws SQLException {
        String orgA = Organizations.create("fair-a");
        String orgB = Organizations.create("fair-b");
        String alice = Organizations.user(orgA, Role.MEMBER);
        String bob = Organizations.user(orgB, Role.MEMBER);
        try (SlowWorker worker = new SlowWorker(Set.of(orgA, orgB))) {
            UUID large = submit(alice, orgA, TestApi.testRun(100));
            // Only as many of the 100 jobs as there are places reach Kafka...
            worker.awaitJobs(MAX_IN_FLIGHT);
            UUID single = submit(bob, orgB, TestApi.testRun(1));
            awaitRunState(single, RunState.SCHEDULED);
            assertThat(dispatcher.dispatch()).isZero();
            assertThat(inFlight()).isEqualTo(MAX_IN_FLIGHT);

            // ...and B's slide is first in the platform's line: A has four in flight, B none.
            JsonPath b = run(bob, orgB, single);
            assertThat(b.getInt("num_preceding_items_platform")).isZero();
            assertThat(b.getInt("num_preceding_items_org")).isZero();
            JsonPath a = run(alice, orgA, large);
            assertThat(a.getInt("num_preceding_items_platform")).isEqualTo(1);
            assertThat(a.getInt("num_preceding_items_org")).isZero();
            assertThat(item(bob, orgB, single, "slide-0").getInt("queue_position_platform"))
                    .isEqualTo(1);
            JsonPath aItems = items(alice, orgA, large);
            for (int i = 0; i < MAX_IN_FLIGHT; i++) {
                assertThat(aItems.getString("[" + i + "].queue_position_org"))
                        .as("dispatched")
                        .isNull();
                assertThat(aItems.getString("[" + i + "].queue_position_platform"))
                        .isNull();
            }
            for (int i = MAX_IN_FLIGHT; i < 10; i++) {
                assertThat(aItems.getInt("[" + i + "].queue_position_org")).isEqualTo(i - MAX_IN_FLIGHT + 1);
                assertThat(aItems.getInt("[" + i + "].queue_position_platform")).isEqualTo(i - MAX_IN_FLIGHT + 2);
            }

            // One slow worker, one job at a time, in the order the jobs reached the topic.
            int largeRunSlidesStartedFirst = 0;
            int finished = 0;
            while (true) {
                Envelope<SlideJob> job = worker.take();
                Workers.started(job.runId(), job.itemId(), job.payload().attempt());
                if (job.runId().equals(single)) {
                    break;
                }
                largeRunSlidesStartedFirst++;
                assertThat(largeRunSlidesStartedFirst)
                        .as("B's slide waits behind at most max-in-flight of A's slides")
                        .isLessThanOrEqualTo(MAX_IN_FLIGHT);
                Workers.succeeded(job.runId(), job.itemId());
                finished++;
                // The slow part: the worker looks for its next job only once the freed place was filled again.
                worker.awaitJobs(MAX_IN_FLIGHT + finished);
                assertThat(worker.jobsSeen()).isLessThanOrEqualTo(MAX_IN_FLIGHT + finished);
            }

            assertThat(largeRunSlidesStartedFirst).isLessThanOrEqualTo(MAX_IN_FLIGHT);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> "PROCESSING".equals(run(bob, orgB, single).getString("state")));
            JsonPath started = run(bob, orgB, single);
            assertThat(started.getString("num_preceding_items_platform")).isNull();
            assertThat(item(bob, orgB, single, "slide-0").getString("queue_position_platform"))
                    .isNull();
            assertThat(run(alice, orgA, large).getInt("statistics.item_succeeded_count"))
                    .isEqualTo(finished);
        }
    }

    @Test
    void withinAnOrganizationEarlierDueDatesGoFirstAndPositionsSayWhereItemsStand() throws SQLException {
        String filler = Organizations.create("fair-fill");
        String org = Organizations.create("fair-due");
        String fred = Organizations.user(filler, Role.MEMBER);
        String carol = Organizations.user(org, Role.MEMBER);
        UUID occupying = submit(fred, filler, TestApi.testRun(MAX_IN_FLIGHT));
        await().atMost(Duration.ofSeconds(30)).until(() -> inFlight() == MAX_IN_FLIGHT);

        UUID later = submit(carol, org, TestApi.testRun(3));
        UUID dueTomorrow = submit(carol, org, withDueDate(3, Instant.now().plus(1, ChronoUnit.DAYS)));
        UUID dueSoon = submit(carol, org, withDueDate(2, Instant.now().plus(1, ChronoUnit.HOURS)));
        for (UUID runId : List.of(later, dueTomorrow, dueSoon)) {
            awaitRunState(runId, RunState.SCHEDULED);
        }

        // Carol's line: the two items due soon, the three due tomorrow, then the three without a due date.
        assertThat(run(carol, org, dueSoon).getInt("num_preceding_items_org")).isZero();
        assertThat(run(carol, org, dueTomorrow).getInt("num_preceding_items_org"))
                .isEqualTo(2);
        assertThat(run(carol, org, later).getInt("num_preceding_items_org")).isEqualTo(5);
        assertThat(run(carol, org, later).getInt("num_preceding_items_platform"))
                .isEqualTo(5);
        JsonPath laterItems = items(carol, org, later);
        assertThat(laterItems.getList("queue_position_org", Integer.class)).containsExactly(6, 7, 8);
        assertThat(laterItems.getList("queue_position_platform", Integer.class)).containsExactly(6, 7, 8);

        Organizations.as(fred, filler)
                .post("/api/v1/runs/{id}/cancel", occupying)
                .then()
                .statusCode(202);

        // Four places freed: the two items due soon and the first two due tomorrow get them.
        List<Envelope<SlideJob>> jobs = awaitJobs(Set.of(dueSoon, dueTomorrow), MAX_IN_FLIGHT);
        assertThat(jobs)
                .extracting(e -> e.payload().externalId() + "@" + (e.runId().equals(dueSoon) ? "soon" : "tomorrow"))
                .containsExactlyInAnyOrder("slide-0@soon", "slide-1@soon", "slide-0@tomorrow", "slide-1@tomorrow");
        assertThat(dispatcher.dispatch()).isZero();
        assertThat(jobsOf(Set.of(later))).isEmpty();
        assertThat(run(carol, org, dueTomorrow).getInt("num_preceding_items_org"))
                .isZero();
        assertThat(run(carol, org, later).getInt("num_preceding_items_org")).isEqualTo(1);
        assertThat(run(carol, org, dueSoon).getString("num_preceding_items_org"))
                .isNull();
    }

    @Test
    void concurrentRoundsNeverExceedTheLimitNorDispatchAnAttemptTwiceAndLeaseRequeuesQueueAgain() throws Exception {
        String org = Organizations.create("fair-race");
        String erin = Organizations.user(org, Role.MEMBER);
        ExecutorService replicas = Executors.newFixedThreadPool(8);
        UUID runId;
        try {
            runId = submit(erin, org, TestApi.testRun(20));
            awaitRunState(runId, RunState.SCHEDULED);
            List<Future<Integer>> rounds = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                rounds.add(replicas.submit(dispatcher::dispatch));
            }
            for (Future<Integer> round : rounds) {
                round.get();
            }
        } finally {
            replicas.shutdownNow();
        }

        List<Envelope<SlideJob>> jobs = awaitJobs(Set.of(runId), MAX_IN_FLIGHT);
        assertThat(inFlight()).isEqualTo(MAX_IN_FLIGHT);
        assertThat(jobsOf(Set.of(runId))).hasSize(MAX_IN_FLIGHT);
        assertThat(jobs).extracting(Envelope::itemId).doesNotHaveDuplicates();
        assertThat(jobs)
                .extracting(e -> e.payload().externalId())
                .containsExactlyInAnyOrder("slide-0", "slide-1", "slide-2", "slide-3");

        // A silent worker's item goes back in line under attempt 2 and, first in its run's line, gets the freed place.
        UUID silent = jobs.getFirst().itemId();
        Workers.started(runId, silent, 1);
        String silentSlide = jobs.getFirst().payload().externalId();
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        "PROCESSING".equals(item(erin, org, runId, silentSlide).getString("state")));
        leaseExpires(silent);
        leases.expireSilentItems();

        List<Envelope<SlideJob>> retried = awaitJobs(Set.of(runId), MAX_IN_FLIGHT + 1);
        assertThat(retried)
                .filteredOn(e -> e.itemId().equals(silent))
                .extracting(e -> e.payload().attempt())
                .containsExactlyInAnyOrder(1, 2);
        assertThat(dispatcher.dispatch()).isZero();
        assertThat(jobsOf(Set.of(runId))).hasSize(MAX_IN_FLIGHT + 1);
        assertThat(inFlight()).isEqualTo(MAX_IN_FLIGHT);
    }

    private UUID submit(String user, String org, Map<String, Object> body) {
        UUID runId = Organizations.submit(user, org, body);
        cleanUp.add(() -> Organizations.as(user, org).post("/api/v1/runs/{id}/cancel", runId));
        return runId;
    }

    private int inFlight() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return queue.inFlight(c);
        }
    }

    private void leaseExpires(UUID item) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "UPDATE item SET last_event_at = now() - interval '1 hour' WHERE item_id = ?")) {
            ps.setObject(1, item);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    private static Map<String, Object> withDueDate(int items, Instant dueDate) {
        Map<String, Object> body = new LinkedHashMap<>(TestApi.testRun(items));
        body.put("scheduling", Map.of("due_date", dueDate.toString()));
        return body;
    }

    private static JsonPath run(String user, String org, UUID runId) {
        return Organizations.as(user, org)
                .get("/api/v1/runs/{id}", runId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static JsonPath items(String user, String org, UUID runId) {
        return Organizations.as(user, org)
                .queryParam("page_size", 10)
                .get("/api/v1/runs/{id}/items", runId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static JsonPath item(String user, String org, UUID runId, String externalId) {
        return Organizations.as(user, org)
                .get("/api/v1/runs/{id}/items/{ext}", runId, externalId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static List<Envelope<SlideJob>> awaitJobs(Set<UUID> runIds, int count) {
        return KafkaProbe.awaitEnvelopes(Topics.SLIDE_JOBS, SlideJob.class, e -> runIds.contains(e.runId()), count);
    }

    private static List<Envelope<SlideJob>> jobsOf(Set<UUID> runIds) {
        List<Envelope<SlideJob>> jobs = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : KafkaProbe.records(Topics.SLIDE_JOBS)) {
            Envelope<Payload> envelope = ContractsJson.read(record.value());
            if (envelope.payload() instanceof SlideJob && runIds.contains(envelope.runId())) {
                jobs.add(ContractsJson.read(record.value(), SlideJob.class));
            }
        }
        return jobs;
    }

    /**
     * Plays one worker of the given organizations: it reads slide jobs in the order they reach the topic (each is
     * written alone, when a place frees up, so that order is the dispatch order) and works on one at a time.
     */
    private static final class SlowWorker implements AutoCloseable {

        private final Set<String> organizations;
        private final KafkaConsumer<String, byte[]> consumer;
        private final Deque<Envelope<SlideJob>> fetched = new ArrayDeque<>();
        private int seen;

        SlowWorker(Set<String> organizations) {
            this.organizations = organizations;
            Properties props = new Properties();
            props.put(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    KafkaTestResource.broker().bootstrapServers());
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "slow-worker-" + UUID.randomUUID());
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.SLIDE_JOBS, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(Topics.SLIDE_JOBS, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        /** Polls until the topic has given this worker {@code count} jobs in all. */
        void awaitJobs(int count) {
            await().atMost(Duration.ofSeconds(30))
                    .pollInSameThread()
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                            Envelope<Payload> envelope = ContractsJson.read(record.value());
                            if (envelope.payload() instanceof SlideJob job
                                    && organizations.contains(job.organizationId())) {
                                fetched.addLast(ContractsJson.read(record.value(), SlideJob.class));
                                seen++;
                            }
                        }
                        return seen >= count;
                    });
        }

        int jobsSeen() {
            return seen;
        }

        Envelope<SlideJob> take() {
            assertThat(fetched).as("a job waiting for the worker").isNotEmpty();
            return fetched.removeFirst();
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
