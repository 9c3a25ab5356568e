package org.tessera.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.tessera.contracts.Topics;

/**
 * The real platform end to end: a Kafka broker and PostgreSQL as processes, the orchestrator and a worker from their
 * packaged {@code quarkus-run.jar}, the object store and token issuer, all started by {@link LocalStack} exactly as
 * {@code ./local-stack} starts them, and driven only through the REST API and signed URLs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackEndToEndTest {

    /** The worker's consumer group ({@code tessera.worker.group-id}). */
    private static final String WORKER_GROUP = "tessera-workers";
    /** The orchestrator's item-event consumer group ({@code mp.messaging.incoming.item-events.group.id}). */
    private static final String ORCHESTRATOR_ITEMS_GROUP = "tessera-orchestrator-items";

    /** A second member of the seeded organization, known to the orchestrator but given nothing. */
    private static final String COLLEAGUE = "demo-colleague";

    /** Generous for a 2-core CI machine shared with the build: the runs themselves take seconds. */
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);

    private OtlpReceiver traces;
    private LocalStack stack;
    private DemoClient member;
    private DemoClient admin;
    private DemoClient colleague;
    private Path work;

    @BeforeAll
    void startStack() throws IOException {
        Path root = EndToEnd.projectRoot();
        Path stateDir = root.resolve("deploy/local-stack/launcher/target/e2e-stack");
        work = stateDir.resolve("work");
        traces = OtlpReceiver.start();
        Map<String, String> orchestratorConfig = new HashMap<>(colleagueSeed());
        orchestratorConfig.putAll(traces.exportSettings());
        stack = LocalStack.start(StackOptions.defaults(root, stateDir)
                .withStartTimeout(Duration.ofMinutes(3))
                .withOrchestratorConfig(orchestratorConfig)
                .withWorkerConfig(traces.exportSettings()));
        member = new DemoClient(stack.apiUrl(), () -> stack.token(stack.seed().member()));
        admin = new DemoClient(stack.apiUrl(), () -> stack.token(stack.seed().admin()));
        colleague = new DemoClient(
                stack.apiUrl(),
                () -> stack.token(COLLEAGUE, stack.seed().primary().id(), "member"));
        Files.createDirectories(work);
    }

    /** Seeds {@link #COLLEAGUE} in the orchestrator beside the stack's own users. */
    private static Map<String, String> colleagueSeed() {
        String prefix = "tessera.seed.users." + COLLEAGUE;
        return Map.of(
                prefix + ".organization", Seed.standard().primary().id(),
                prefix + ".role", "MEMBER",
                prefix + ".email", "colleague@demo.tessera.local");
    }

    @AfterAll
    void stopStack() {
        if (stack != null) {
            stack.close();
        }
        if (traces != null) {
            traces.close();
        }
    }

    @Test
    @Order(0)
    void theOrchestratorsHeapHoldsItsRequestsInFlightAndTheWorkersIsHalfYoung() {
        assertThat(jvmArguments(LocalStack.ORCHESTRATOR))
                .containsSubsequence("-Xmx512m", "-Xmn320m", "-XX:SurvivorRatio=6", "-XX:TargetSurvivorRatio=90")
                .doesNotContain("-XX:NewRatio=1");
        assertThat(jvmArguments(LocalStack.WORKER))
                .contains("-XX:NewRatio=1")
                .noneMatch(argument -> argument.startsWith("-Xmn"));
    }

    /** The command-line arguments of the stack's process {@code name}, as the operating system reports them. */
    private List<String> jvmArguments(String name) {
        StackState.Pid pid = StackState.read(stack.options().stateDir()).orElseThrow().pids().stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow();
        return List.of(pid.handle().orElseThrow().info().arguments().orElseThrow());
    }

    @Test
    @Order(0)
    void theTwoSeededLaboratoriesSeeWhatTheirOrganizationHas() {
        Seed.Organization northside = stack.seed().organizations().get(1);
        DemoClient northsideMember = member.as(() -> stack.token(northside.member()));

        assertThat(northsideMember.me().path("organization").path("id").asText())
                .isEqualTo(northside.id());
        assertThat(northsideMember.applications().findValuesAsText("application_id"))
                .containsExactly("test-app");
        assertThat(member.applications().findValuesAsText("application_id")).contains("test-app", "he-tme");
    }

    @Test
    @Order(1)
    void aRunWithOneCorruptSlideEndsPartialWithTheGoodResultsDownloadableAndTheBadItemAUserError() throws IOException {
        SlideSet slides = SlideSet.generate(
                        work.resolve("mixed"),
                        List.of(
                                SlideSet.Spec.good("good-1", 2048, 1536, 0.5),
                                SlideSet.Spec.good("good-2", 1536, 1024, 0.25),
                                SlideSet.Spec.corrupt("corrupt-3")),
                        7L)
                .upload(member, SlideSet.UrlSigning.of(stack.objectStore()), "uploads/demo/" + UUID.randomUUID());

        String runId = member.submitRun(slides.runRequest(Demo.APPLICATION, null));
        JsonNode run = EndToEnd.awaitTerminated(member, runId, RUN_TIMEOUT);

        assertThat(run.path("state").asText()).isEqualTo("TERMINATED");
        assertThat(run.path("termination_reason").asText()).isEqualTo("ALL_ITEMS_PROCESSED");
        assertThat(run.path("output").asText()).isEqualTo("PARTIAL");
        assertThat(run.path("submitted_by").asText())
                .isEqualTo(stack.seed().member().subject());
        assertThat(RunStatistics.of(run))
                .isEqualTo(Map.of(
                        "item_count", 3,
                        "item_pending_count", 0,
                        "item_processing_count", 0,
                        "item_succeeded_count", 2,
                        "item_user_error_count", 1,
                        "item_system_error_count", 0,
                        "item_skipped_count", 0));

        Map<String, JsonNode> items = byExternalId(member.items(runId));
        JsonNode corrupt = items.get("corrupt-3");
        assertThat(corrupt.path("state").asText()).isEqualTo("TERMINATED");
        assertThat(corrupt.path("termination_reason").asText()).isEqualTo("USER_ERROR");
        assertThat(corrupt.path("output").asText()).isEqualTo("NONE");
        assertThat(corrupt.path("error_code").asText()).startsWith("INPUT_");
        assertThat(corrupt.path("error_message").asText()).isNotBlank();

        for (String good : List.of("good-1", "good-2")) {
            JsonNode item = items.get(good);
            assertThat(item.path("termination_reason").asText()).as(good).isEqualTo("SUCCEEDED");
            assertThat(item.path("output").asText()).as(good).isEqualTo("FULL");
            assertThat(item.path("output_artifacts")).as(good).isNotEmpty();
        }

        List<ResultDownloader.Download> downloads =
                ResultDownloader.downloadAll(member, runId, work.resolve("results"));
        int availableArtifacts = items.get("good-1").path("output_artifacts").size()
                + items.get("good-2").path("output_artifacts").size();
        assertThat(downloads).hasSize(availableArtifacts);
        assertThat(downloads).extracting(ResultDownloader.Download::externalId).containsOnly("good-1", "good-2");
        for (ResultDownloader.Download download : downloads) {
            assertThat(download.download().redirectStatus())
                    .as(download.artifactName())
                    .isEqualTo(307);
            // The file came from the object store's signed URL, fetched without the bearer token.
            assertThat(download.download().location().toString()).startsWith(stack.objectStoreUrl() + "/objects/");
            assertThat(Files.size(download.file())).isPositive();
            assertThat(EndToEnd.checksumOf(download.file()))
                    .isEqualTo(EndToEnd.statedChecksum(items.get(download.externalId()), download.artifactName()));
        }

        // A run is private to its submitter and readable by their organization's admins; another member of the
        // organization, without a grant, gets 404.
        assertThat(colleague.runStatus(runId)).isEqualTo(404);
        assertThat(admin.runStatus(runId)).isEqualTo(200);
        assertThat(member.runStatus(runId)).isEqualTo(200);
    }

    /**
     * Cancelling is only deterministic while the items are still pending. Stopping the worker first guarantees it: no
     * consumer takes the run's slide jobs, so every item stays PENDING until the cancel, whatever the machine's speed.
     * The jobs stay on Kafka, so the restarted worker then works on them anyway: its late events must change nothing.
     */
    @Test
    @Order(2)
    void aCancelledRunEndsCancelledByUserWithItsPendingItemsSkipped() throws Exception {
        SlideSet slides = SlideSet.generate(
                        work.resolve("cancel"),
                        List.of(SlideSet.Spec.good("c-1", 1024, 768, 0.5), SlideSet.Spec.good("c-2", 1024, 768, 0.5)),
                        11L)
                .upload(member, SlideSet.UrlSigning.of(stack.objectStore()), "uploads/demo/" + UUID.randomUUID());
        stack.stopWorker();
        try {
            String runId = member.submitRun(slides.runRequest(Demo.APPLICATION, null));
            assertThat(member.run(runId).path("state").asText()).isEqualTo("PENDING");

            assertThat(member.cancel(runId)).isEqualTo(202);

            JsonNode run = EndToEnd.awaitTerminated(member, runId, RUN_TIMEOUT);
            assertCancelledWithSkippedItems(runId, run);
            assertThat(member.cancel(runId)).as("cancelling a terminated run").isEqualTo(409);
            assertThat(colleague.runStatus(runId)).isEqualTo(404);

            stack.startWorker();
            // The worker commits a job only after publishing its terminal event, and the orchestrator commits item
            // events only after applying them: once both groups have caught up, every late event was seen.
            awaitCaughtUp(WORKER_GROUP, Topics.SLIDE_JOBS);
            awaitCaughtUp(ORCHESTRATOR_ITEMS_GROUP, Topics.ITEM_EVENTS);
            assertCancelledWithSkippedItems(runId, member.run(runId));
        } finally {
            stack.startWorker();
        }
    }

    /**
     * One slide's trace across both services: the REST submission is the root; the run request goes through the
     * outbox and admission; the dispatcher's span for the slide job hangs under the submission, the relay publishes the
     * job under it, the worker continues the trace from the record's traceparent header through its stages (download,
     * read, each model, write, upload) and sends the terminal event under it, and the orchestrator's consumer ends the
     * trace with the item's move to its terminal state.
     */
    @Test
    @Order(3)
    void oneSlidesSpansShareOneTraceFromTheSubmissionThroughTheWorkerToItsTerminalState() throws IOException {
        SlideSet slides = SlideSet.generate(
                        work.resolve("traced"), List.of(SlideSet.Spec.good("traced-1", 1024, 768, 0.5)), 13L)
                .upload(member, SlideSet.UrlSigning.of(stack.objectStore()), "uploads/demo/" + UUID.randomUUID());
        String runId = member.submitRun(slides.runRequest(Demo.APPLICATION, null));
        EndToEnd.awaitTerminated(member, runId, RUN_TIMEOUT);
        String itemId = member.items(runId).getFirst().path("item_id").asText();

        // The orchestrator's span of the item's terminal state is the last one of the slide's trace to be exported.
        OtlpReceiver.ReceivedSpan terminated;
        try {
            terminated = await("the item's terminal-state span")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> only(traces.spans(), "item terminated", itemId), span -> span != null);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    "no terminal-state span of item " + itemId + "; received " + traces + ", undecodable "
                            + traces.problems(),
                    e);
        }
        List<OtlpReceiver.ReceivedSpan> trace = traces.trace(terminated.traceId());
        assertThat(traces.problems()).isEmpty();

        OtlpReceiver.ReceivedSpan submission = trace.stream()
                .filter(span -> span.parentSpanId().isEmpty())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no root span in " + trace));
        assertThat(submission.service()).isEqualTo("tessera-orchestrator");
        assertThat(submission.kind()).isEqualTo(OtlpReceiver.SERVER);
        assertThat(submission.name()).startsWith("POST").contains("runs");

        assertThat(childOf(trace, submission, "tessera-orchestrator", "admit run")
                        .attribute("tessera.run.id"))
                .isEqualTo(runId);

        OtlpReceiver.ReceivedSpan dispatched = childOf(trace, submission, "tessera-orchestrator", "dispatch slide job");
        assertThat(dispatched.attribute("tessera.item.id")).isEqualTo(itemId);
        assertThat(dispatched.attribute("tessera.run.id")).isEqualTo(runId);
        OtlpReceiver.ReceivedSpan jobPublished =
                childOf(trace, dispatched, "tessera-orchestrator", "tessera.slide-jobs.v1 publish");
        assertThat(jobPublished.kind()).isEqualTo(OtlpReceiver.PRODUCER);

        OtlpReceiver.ReceivedSpan job = childOf(trace, jobPublished, "tessera-worker", "tessera.slide-jobs.v1 process");
        assertThat(job.kind()).isEqualTo(OtlpReceiver.CONSUMER);
        assertThat(job.attribute("tessera.item.id")).isEqualTo(itemId);
        assertThat(childOf(trace, job, "tessera-worker", "download slide").longAttribute("tessera.bytes"))
                .isEqualTo(slides.slides().getFirst().slide().sizeBytes());
        assertThat(childOf(trace, job, "tessera-worker", "read slide").longAttribute("tessera.slide.width_px"))
                .isEqualTo(1024);
        for (String model : List.of("model tissue_qc", "model tissue_segmentation")) {
            assertThat(childOf(trace, job, "tessera-worker", model).longAttribute("tessera.tiles"))
                    .as(model)
                    .isPositive();
        }
        assertThat(childOf(trace, job, "tessera-worker", "write outputs").longAttribute("tessera.outputs"))
                .isPositive();
        assertThat(childOf(trace, job, "tessera-worker", "upload outputs").longAttribute("tessera.outputs"))
                .isPositive();
        OtlpReceiver.ReceivedSpan succeeded = trace.stream()
                .filter(span -> span.name().equals("tessera.item-events.v1 publish")
                        && "item.succeeded".equals(span.attribute("tessera.event.type")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no item.succeeded publish span in " + trace));
        assertThat(succeeded.parentSpanId()).isEqualTo(job.spanId());

        OtlpReceiver.ReceivedSpan applied =
                childOf(trace, succeeded, "tessera-orchestrator", "tessera.item-events.v1 process");
        assertThat(terminated.parentSpanId()).isEqualTo(applied.spanId());
        assertThat(terminated.attribute("tessera.item.state")).isEqualTo("SUCCEEDED");
        assertThat(terminated.attribute("tessera.run.state")).isEqualTo("COMPLETED");
    }

    /** The one span named {@code name} about item {@code itemId}, or null while there is none. */
    private static OtlpReceiver.ReceivedSpan only(List<OtlpReceiver.ReceivedSpan> spans, String name, String itemId) {
        List<OtlpReceiver.ReceivedSpan> found = spans.stream()
                .filter(span -> span.name().equals(name) && itemId.equals(span.attribute("tessera.item.id")))
                .toList();
        assertThat(found).as(name + " spans of item " + itemId).hasSizeLessThanOrEqualTo(1);
        return found.isEmpty() ? null : found.getFirst();
    }

    /** The span named {@code name} of {@code service} whose parent is {@code parent}, in the same trace. */
    private static OtlpReceiver.ReceivedSpan childOf(
            List<OtlpReceiver.ReceivedSpan> trace, OtlpReceiver.ReceivedSpan parent, String service, String name) {
        return trace.stream()
                .filter(span -> span.name().equals(name)
                        && span.service().equals(service)
                        && span.parentSpanId().equals(parent.spanId()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(
                        "no " + service + " span '" + name + "' under " + parent + " in the trace: " + trace));
    }

    private void assertCancelledWithSkippedItems(String runId, JsonNode run) {
        assertThat(run.path("state").asText()).isEqualTo("TERMINATED");
        assertThat(run.path("termination_reason").asText()).isEqualTo("CANCELED_BY_USER");
        assertThat(run.path("output").asText()).isEqualTo("NONE");
        assertThat(run.path("statistics").path("item_skipped_count").asInt()).isEqualTo(2);
        assertThat(member.items(runId)).hasSize(2).allSatisfy(item -> {
            assertThat(item.path("state").asText()).isEqualTo("TERMINATED");
            assertThat(item.path("termination_reason").asText()).isEqualTo("SKIPPED");
            assertThat(item.path("output_artifacts")).isEmpty();
        });
    }

    /** Waits until the consumer group has committed every record of the topic. */
    private void awaitCaughtUp(String group, String topic) {
        try (Admin kafka =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers()))) {
            await(group + " to consume all of " + topic)
                    .atMost(RUN_TIMEOUT)
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> ConsumerLag.of(kafka, group, topic) == 0);
        }
    }

    private static Map<String, JsonNode> byExternalId(List<JsonNode> items) {
        return items.stream()
                .collect(Collectors.toMap(item -> item.path("external_id").asText(), Function.identity()));
    }
}
