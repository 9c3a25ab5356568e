package org.tessera.worker.job;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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
import org.tessera.contracts.tracing.TraceAttributes;
import org.tessera.worker.common.ItemFailure;
import org.tessera.worker.common.ProgressSink;
import org.tessera.worker.pipeline.SlidePipeline;

/**
 * Runs one slide job to a terminal event: ItemStarted, ItemProgress on every stage change and as a heartbeat at a fixed
 * interval while working, then ItemSucceeded or ItemFailed. System errors are retried here with exponential backoff a
 * bounded number of times; user errors are reported at once. Returns normally once the terminal event is published;
 * throws only when it could not be published (the caller must then not commit the job).
 *
 * <p>The heartbeat carries the item's counters (stage, tiles, downloaded bytes), so the orchestrator can tell an item
 * that progresses from one that only ticks. Work after the download is bounded by the processing deadline, counted
 * from the first time the item leaves {@code DOWNLOADING} and covering every retry: when it passes, the processing
 * thread is interrupted, the next progress report throws, and the item ends as SYSTEM_ITEM_DEADLINE_EXCEEDED
 * (not retried). The download has its own deadline in the fetcher, so one item holds the worker for at most the
 * download deadline plus the processing deadline.
 *
 * <p>Every event is sent in the trace context current when {@link #run} is called (the job's span), heartbeats from
 * the scheduler's thread included; a failure is recorded on that span with its code.
 */
public final class JobRunner {

    private static final System.Logger LOG = System.getLogger(JobRunner.class.getName());

    /** Processes one item; {@link SlidePipeline#process} in production. */
    @FunctionalInterface
    public interface ItemProcessor {
        List<OutputArtifact> process(UUID runId, UUID itemId, int attempt, SlideJob job, ProgressSink progress)
                throws Exception;
    }

    /**
     * @param workerId names this worker in events
     * @param heartbeatInterval the longest gap between two ItemProgress events while an item is held
     * @param systemRetries how often a system error is retried before it is reported
     * @param retryBackoff pause before the first retry, doubled for each further one
     * @param processingDeadline the longest the item may be worked on once its download is done
     */
    public record Settings(
            String workerId,
            Duration heartbeatInterval,
            int systemRetries,
            Duration retryBackoff,
            Duration processingDeadline) {
        public Settings {
            Objects.requireNonNull(workerId, "workerId");
            Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
            Objects.requireNonNull(retryBackoff, "retryBackoff");
            Objects.requireNonNull(processingDeadline, "processingDeadline");
            if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
                throw new IllegalArgumentException("heartbeat interval must be positive");
            }
            if (processingDeadline.isNegative() || processingDeadline.isZero()) {
                throw new IllegalArgumentException("processing deadline must be positive");
            }
        }

        /** Without a practical processing deadline (tests). */
        public Settings(String workerId, Duration heartbeatInterval, int systemRetries, Duration retryBackoff) {
            this(workerId, heartbeatInterval, systemRetries, retryBackoff, Duration.ofDays(365));
        }
    }

    /** Thrown into the pipeline by a progress report once the processing deadline has passed. */
    static final class DeadlineExceeded extends RuntimeException {
        DeadlineExceeded() {
            super("processing deadline exceeded", null, false, false);
        }
    }

    private final ItemProcessor processor;
    private final ItemEventSink sink;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Settings settings;
    private final JobListener listener;

    public JobRunner(
            ItemProcessor processor,
            ItemEventSink sink,
            Clock clock,
            ScheduledExecutorService scheduler,
            Settings settings,
            JobListener listener) {
        this.processor = Objects.requireNonNull(processor, "processor");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    public void run(Envelope<SlideJob> envelope) throws IOException, InterruptedException {
        SlideJob job = envelope.payload();
        UUID runId = envelope.runId();
        UUID itemId = envelope.itemId();
        int attempt = job.attempt();
        Instant started = clock.instant();
        publish(runId, itemId, attempt, "started", new ItemStarted(attempt, settings.workerId()));

        Heartbeat heartbeat = new Heartbeat(runId, itemId, attempt, Thread.currentThread());
        heartbeat.start();
        List<OutputArtifact> artifacts = null;
        ItemFailure failure = null;
        try {
            Duration backoff = settings.retryBackoff();
            for (int tries = 0; ; tries++) {
                try {
                    artifacts = processor.process(runId, itemId, attempt, job, heartbeat);
                    break;
                } catch (InterruptedException e) {
                    if (!heartbeat.finish()) {
                        throw e;
                    }
                    failure = deadlineExceeded();
                    break;
                } catch (Exception | LinkageError | OutOfMemoryError | StackOverflowError e) {
                    if (heartbeat.finish()) {
                        // Whatever the interrupted work threw on its way out, the deadline is why it stopped.
                        failure = deadlineExceeded();
                        LOG.log(System.Logger.Level.WARNING, "item " + itemId + ": " + failure.message());
                        break;
                    }
                    // Errors too: a decompression bomb or a pathological file must end as a failed item, not a dead
                    // worker thread.
                    failure = ItemFailure.of(e);
                    if (failure.retryable()) {
                        LOG.log(
                                System.Logger.Level.WARNING,
                                "item " + itemId + " attempt " + attempt + " failed (try " + (tries + 1) + ")",
                                e);
                    } else {
                        LOG.log(
                                System.Logger.Level.INFO,
                                "item " + itemId + " rejected: " + failure.code() + " " + failure.message());
                    }
                    if (!failure.retryable() || tries >= settings.systemRetries()) {
                        break;
                    }
                    failure = null;
                    try {
                        Thread.sleep(backoff);
                    } catch (InterruptedException interrupted) {
                        if (!heartbeat.finish()) {
                            throw interrupted;
                        }
                        failure = deadlineExceeded();
                        break;
                    }
                    backoff = backoff.multipliedBy(2);
                }
            }
            if (artifacts != null && heartbeat.finish()) {
                // Done just as the deadline passed: the work is complete, so it counts.
                LOG.log(System.Logger.Level.INFO, "item " + itemId + " finished at its processing deadline");
            }
        } finally {
            heartbeat.stop();
        }
        Duration took = Duration.between(started, clock.instant());
        if (artifacts != null) {
            publish(
                    runId,
                    itemId,
                    attempt,
                    ItemSucceeded.TYPE,
                    new ItemSucceeded(attempt, settings.workerId(), artifacts));
            listener.succeeded(job.applicationId(), took);
        } else {
            Span span = Span.current();
            span.setAttribute(TraceAttributes.ERROR_CODE, failure.code());
            span.setAttribute(TraceAttributes.ERROR_KIND, failure.kind().name());
            span.setStatus(StatusCode.ERROR, failure.code() + ": " + failure.message());
            publish(
                    runId,
                    itemId,
                    attempt,
                    ItemFailed.TYPE,
                    new ItemFailed(attempt, settings.workerId(), failure.kind(), failure.code(), failure.message()));
            listener.failed(job.applicationId(), failure, took);
        }
    }

    private ItemFailure deadlineExceeded() {
        return new ItemFailure(
                FailureKind.SYSTEM_ERROR,
                ErrorCodes.SYSTEM_ITEM_DEADLINE_EXCEEDED,
                "processing the slide took longer than this platform's limit of " + settings.processingDeadline()
                        + " after its download");
    }

    private void publish(UUID runId, UUID itemId, int attempt, String kind, ItemEvent event) throws IOException {
        sink.publish(
                Envelope.of(DerivedIds.itemEvent(runId, itemId, attempt, kind), clock.instant(), runId, itemId, event));
    }

    /**
     * The item's progress as last reported, sent as ItemProgress on each stage change and on every tick. Ticks and
     * stage changes are serialised, and {@link #stop()} waits for a tick in flight, so no progress event can follow
     * the terminal one.
     */
    private final class Heartbeat implements ProgressSink {
        private final UUID runId;
        private final UUID itemId;
        private final int attempt;
        private final Thread worker;
        /** The job's trace context, in which every progress event is sent whichever thread sends it. */
        private final Context trace = Context.current();

        private ProgressSink.Stage stage = ProgressSink.Stage.DOWNLOADING;
        private long done;
        private long total;
        private long bytesDone;
        private long bytesTotal;
        private long sequence;
        private boolean stopped;
        private boolean finished;
        private boolean expired;
        private ScheduledFuture<?> ticks;
        private ScheduledFuture<?> deadline;

        Heartbeat(UUID runId, UUID itemId, int attempt, Thread worker) {
            this.runId = runId;
            this.itemId = itemId;
            this.attempt = attempt;
            this.worker = worker;
        }

        void start() {
            long millis = settings.heartbeatInterval().toMillis();
            ticks = scheduler.scheduleAtFixedRate(this::tick, millis, millis, TimeUnit.MILLISECONDS);
        }

        synchronized void stop() {
            stopped = true;
            finished = true;
            ticks.cancel(false);
            if (deadline != null) {
                deadline.cancel(false);
            }
            // An interrupt the deadline sent after the work returned must not reach the publishing that follows.
            Thread.interrupted();
        }

        /** Ends the processing window; true when it ended because the deadline passed. */
        synchronized boolean finish() {
            finished = true;
            if (expired) {
                Thread.interrupted();
            }
            return expired;
        }

        private synchronized void expire() {
            if (!finished) {
                expired = true;
                worker.interrupt();
            }
        }

        private void checkDeadline() {
            if (expired) {
                throw new DeadlineExceeded();
            }
        }

        @Override
        public synchronized void stage(ProgressSink.Stage newStage) {
            checkDeadline();
            if (deadline == null && newStage != ProgressSink.Stage.DOWNLOADING) {
                deadline = scheduler.schedule(
                        this::expire, settings.processingDeadline().toMillis(), TimeUnit.MILLISECONDS);
            }
            stage = newStage;
            done = 0;
            total = 0;
            send();
        }

        @Override
        public synchronized void tiles(long tilesDone, long tilesTotal) {
            checkDeadline();
            done = tilesDone;
            total = tilesTotal;
        }

        @Override
        public synchronized void bytes(long received, long length) {
            checkDeadline();
            bytesDone = received;
            bytesTotal = length;
        }

        private synchronized void tick() {
            send();
        }

        private void send() {
            if (stopped) {
                return;
            }
            ItemProgress progress =
                    new ItemProgress(attempt, settings.workerId(), stage.name(), done, total, bytesDone, bytesTotal);
            String kind = "progress/" + sequence++;
            Scope scope = trace.makeCurrent();
            try {
                sink.offer(Envelope.of(
                        DerivedIds.itemEvent(runId, itemId, attempt, kind), clock.instant(), runId, itemId, progress));
            } catch (RuntimeException e) {
                // A lost heartbeat is survivable; the next tick tries again.
                LOG.log(System.Logger.Level.WARNING, "could not publish progress of item " + itemId, e);
            } finally {
                scope.close();
            }
        }
    }
}
