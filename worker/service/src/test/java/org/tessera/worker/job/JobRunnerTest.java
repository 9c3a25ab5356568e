package org.tessera.worker.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tessera.contracts.DerivedIds;
import org.tessera.contracts.Envelope;
import org.tessera.contracts.ErrorCodes;
import org.tessera.contracts.FailureKind;
import org.tessera.contracts.ItemEvent;
import org.tessera.contracts.ItemFailed;
import org.tessera.contracts.ItemProgress;
import org.tessera.contracts.ItemStarted;
import org.tessera.contracts.ItemSucceeded;
import org.tessera.contracts.OutputArtifact;
import org.tessera.contracts.SlideJob;
import org.tessera.worker.common.InputRejectedException;
import org.tessera.worker.common.ProgressSink;

class JobRunnerTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
    private static final UUID RUN = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    private static final UUID ITEM = UUID.fromString("00000000-0000-0000-0000-00000000000b");
    private static final List<OutputArtifact> OUTPUTS =
            List.of(new OutputArtifact("tissue_qc:csv_class_information", "k/x.csv", "text/csv", 10, "AAAAAA=="));

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<Envelope<? extends ItemEvent>> published = new CopyOnWriteArrayList<>();
    private final ItemEventSink sink = published::add;

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private JobRunner runner(JobRunner.ItemProcessor processor, Duration heartbeat, int retries) {
        return new JobRunner(
                processor,
                sink,
                CLOCK,
                scheduler,
                new JobRunner.Settings("w-1", heartbeat, retries, Duration.ofMillis(1)),
                JobListener.NONE);
    }

    private static Envelope<SlideJob> job(int attempt) {
        SlideJob job = new SlideJob("ext", "test-app", "1.0.0", "org", attempt, List.of(), "outputs/r/i");
        return Envelope.of(UUID.randomUUID(), CLOCK.instant(), RUN, ITEM, job);
    }

    private List<ItemEvent> payloads() {
        return published.stream().<ItemEvent>map(Envelope::payload).toList();
    }

    @Test
    void successIsStartedProgressSucceededWithStableIds() throws Exception {
        runner(
                        (run, item, attempt, job, progress) -> {
                            progress.stage(ProgressSink.Stage.DOWNLOADING);
                            progress.stage(ProgressSink.Stage.UPLOADING);
                            return OUTPUTS;
                        },
                        Duration.ofHours(1),
                        2)
                .run(job(3));

        assertThat(payloads())
                .containsExactlyElementsOf(List.<ItemEvent>of(
                        new ItemStarted(3, "w-1"),
                        new ItemProgress(3, "w-1", "DOWNLOADING", 0, 0),
                        new ItemProgress(3, "w-1", "UPLOADING", 0, 0),
                        new ItemSucceeded(3, "w-1", OUTPUTS)));
        assertThat(published).allSatisfy(e -> {
            assertThat(e.runId()).isEqualTo(RUN);
            assertThat(e.itemId()).isEqualTo(ITEM);
        });
        assertThat(published.getLast().eventId()).isEqualTo(DerivedIds.itemEvent(RUN, ITEM, 3, ItemSucceeded.TYPE));
        assertThat(published.getFirst().eventId()).isEqualTo(DerivedIds.itemEvent(RUN, ITEM, 3, "started"));
        assertThat(DerivedIds.itemEvent(RUN, ITEM, 4, ItemSucceeded.TYPE))
                .isNotEqualTo(published.getLast().eventId());
    }

    @Test
    void userErrorIsReportedOnceWithoutRetry() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        runner(
                        (run, item, attempt, job, progress) -> {
                            calls.incrementAndGet();
                            throw new InputRejectedException(ErrorCodes.INPUT_UNREADABLE, "slide is broken");
                        },
                        Duration.ofHours(1),
                        3)
                .run(job(1));

        assertThat(calls).hasValue(1);
        assertThat(published.getLast().payload())
                .isEqualTo(new ItemFailed(
                        1, "w-1", FailureKind.USER_ERROR, ErrorCodes.INPUT_UNREADABLE, "slide is broken"));
    }

    @Test
    void systemErrorIsRetriedABoundedNumberOfTimesThenReported() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        runner(
                        (run, item, attempt, job, progress) -> {
                            calls.incrementAndGet();
                            throw new IOException("disk full");
                        },
                        Duration.ofHours(1),
                        2)
                .run(job(1));

        assertThat(calls).hasValue(3);
        ItemFailed failed = (ItemFailed) published.getLast().payload();
        assertThat(failed.kind()).isEqualTo(FailureKind.SYSTEM_ERROR);
        assertThat(failed.errorCode()).isEqualTo(ErrorCodes.SYSTEM_INTERNAL);
        assertThat(published).filteredOn(e -> e.payload() instanceof ItemFailed).hasSize(1);
    }

    @Test
    void systemErrorThatGoesAwaySucceeds() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        runner(
                        (run, item, attempt, job, progress) -> {
                            if (calls.incrementAndGet() == 1) {
                                throw new IllegalStateException("flaky");
                            }
                            return OUTPUTS;
                        },
                        Duration.ofHours(1),
                        2)
                .run(job(1));
        assertThat(published.getLast().payload()).isInstanceOf(ItemSucceeded.class);
    }

    @Test
    void heartbeatKeepsReportingTheCurrentStageWhileWorkingAndStopsBeforeTheEnd() throws Exception {
        CountDownLatch beats = new CountDownLatch(3);
        ItemEventSink counting = event -> {
            published.add(event);
            if (event.payload() instanceof ItemProgress) {
                beats.countDown();
            }
        };
        new JobRunner(
                        (run, item, attempt, job, progress) -> {
                            progress.stage(ProgressSink.Stage.TISSUE_DETECTION);
                            progress.tiles(5, 20);
                            assertThat(beats.await(10, TimeUnit.SECONDS)).isTrue();
                            return OUTPUTS;
                        },
                        counting,
                        CLOCK,
                        scheduler,
                        new JobRunner.Settings("w-1", Duration.ofMillis(20), 0, Duration.ofMillis(1)),
                        JobListener.NONE)
                .run(job(1));

        assertThat(payloads())
                .filteredOn(ItemProgress.class::isInstance)
                .contains(new ItemProgress(1, "w-1", "TISSUE_DETECTION", 5, 20));
        int size = published.size();
        assertThat(published.getLast().payload()).isInstanceOf(ItemSucceeded.class);
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(() -> published.size() == size);
        assertThat(published.stream().map(Envelope::eventId).distinct()).hasSize(published.size());
    }

    @Test
    void heartbeatsCarryTheDownloadsByteCounters() throws Exception {
        CountDownLatch beats = new CountDownLatch(2);
        ItemEventSink counting = event -> {
            published.add(event);
            if (event.payload() instanceof ItemProgress) {
                beats.countDown();
            }
        };
        new JobRunner(
                        (run, item, attempt, job, progress) -> {
                            progress.stage(ProgressSink.Stage.DOWNLOADING);
                            progress.bytes(4096, 10_000);
                            assertThat(beats.await(10, TimeUnit.SECONDS)).isTrue();
                            return OUTPUTS;
                        },
                        counting,
                        CLOCK,
                        scheduler,
                        new JobRunner.Settings("w-1", Duration.ofMillis(20), 0, Duration.ofMillis(1)),
                        JobListener.NONE)
                .run(job(1));

        assertThat(payloads())
                .filteredOn(ItemProgress.class::isInstance)
                .contains(new ItemProgress(1, "w-1", "DOWNLOADING", 0, 0, 4096, 10_000));
    }

    @Test
    void workThatOverrunsTheProcessingDeadlineIsStoppedAndReportedOnceWithoutRetry() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        new JobRunner(
                        (run, item, attempt, job, progress) -> {
                            calls.incrementAndGet();
                            progress.stage(ProgressSink.Stage.DOWNLOADING);
                            progress.stage(ProgressSink.Stage.TISSUE_DETECTION);
                            // Stuck in work that only an interrupt ends (a blocked read, a wait).
                            Thread.sleep(Duration.ofMinutes(10));
                            return OUTPUTS;
                        },
                        sink,
                        CLOCK,
                        scheduler,
                        new JobRunner.Settings(
                                "w-1", Duration.ofHours(1), 2, Duration.ofMillis(1), Duration.ofMillis(300)),
                        JobListener.NONE)
                .run(job(1));

        assertThat(calls).hasValue(1);
        ItemFailed failed = (ItemFailed) published.getLast().payload();
        assertThat(failed.kind()).isEqualTo(FailureKind.SYSTEM_ERROR);
        assertThat(failed.errorCode()).isEqualTo(ErrorCodes.SYSTEM_ITEM_DEADLINE_EXCEEDED);
        assertThat(failed.message()).contains("PT0.3S");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void workThatIgnoresInterruptsIsStoppedAtItsNextProgressReport() throws Exception {
        new JobRunner(
                        (run, item, attempt, job, progress) -> {
                            progress.stage(ProgressSink.Stage.TISSUE_DETECTION);
                            for (long tile = 0; ; tile++) {
                                busy(Duration.ofMillis(5));
                                progress.tiles(tile, 1_000_000);
                            }
                        },
                        sink,
                        CLOCK,
                        scheduler,
                        new JobRunner.Settings(
                                "w-1", Duration.ofHours(1), 2, Duration.ofMillis(1), Duration.ofMillis(300)),
                        JobListener.NONE)
                .run(job(1));

        ItemFailed failed = (ItemFailed) published.getLast().payload();
        assertThat(failed.errorCode()).isEqualTo(ErrorCodes.SYSTEM_ITEM_DEADLINE_EXCEEDED);
    }

    @Test
    void theDownloadDoesNotCountAgainstTheProcessingDeadline() throws Exception {
        new JobRunner(
                        (run, item, attempt, job, progress) -> {
                            progress.stage(ProgressSink.Stage.DOWNLOADING);
                            Thread.sleep(600);
                            progress.stage(ProgressSink.Stage.READING);
                            return OUTPUTS;
                        },
                        sink,
                        CLOCK,
                        scheduler,
                        new JobRunner.Settings(
                                "w-1", Duration.ofHours(1), 0, Duration.ofMillis(1), Duration.ofMillis(300)),
                        JobListener.NONE)
                .run(job(1));
        assertThat(published.getLast().payload()).isInstanceOf(ItemSucceeded.class);
    }

    /** Spins without sleeping, so that an interrupt does not end it. */
    private static void busy(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
