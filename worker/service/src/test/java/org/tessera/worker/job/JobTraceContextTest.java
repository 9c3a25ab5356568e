package org.tessera.worker.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tessera.contracts.Envelope;
import org.tessera.contracts.ItemEvent;
import org.tessera.contracts.SlideJob;
import org.tessera.worker.common.ProgressSink;

/** The job's trace context reaches every item event, heartbeats sent from the scheduler's thread included. */
class JobTraceContextTest {

    private static final SpanContext JOB = SpanContext.create(
            "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", TraceFlags.getSampled(), TraceState.getDefault());

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void everyEventOfAJobIsSentInTheJobsTraceContext() throws Exception {
        Map<String, SpanContext> contexts = new ConcurrentHashMap<>();
        ItemEventSink sink = new ItemEventSink() {
            @Override
            public void publish(Envelope<? extends ItemEvent> event) {
                contexts.put(
                        event.type() + "@" + event.eventId(), Span.current().getSpanContext());
            }
        };
        JobRunner runner = new JobRunner(
                (run, item, attempt, job, progress) -> {
                    progress.stage(ProgressSink.Stage.DOWNLOADING);
                    // Heartbeats tick on the scheduler's thread while the job waits here.
                    await().atMost(Duration.ofSeconds(10)).until(() -> contexts.size() >= 4);
                    return List.of();
                },
                sink,
                Clock.systemUTC(),
                scheduler,
                new JobRunner.Settings("w-1", Duration.ofMillis(20), 0, Duration.ofMillis(1)),
                JobListener.NONE);
        SlideJob job = new SlideJob("ext", "test-app", "1.0.0", "org", 1, List.of(), "outputs/r/i");

        Scope scope = Context.root().with(Span.wrap(JOB)).makeCurrent();
        try {
            runner.run(Envelope.of(
                    UUID.randomUUID(), Clock.systemUTC().instant(), UUID.randomUUID(), UUID.randomUUID(), job));
        } finally {
            scope.close();
        }

        assertThat(contexts.keySet()).anyMatch(k -> k.startsWith("item.started@"));
        assertThat(contexts.keySet()).anyMatch(k -> k.startsWith("item.succeeded@"));
        assertThat(contexts.keySet().stream().filter(k -> k.startsWith("item.progress@")))
                .hasSizeGreaterThanOrEqualTo(2);
        assertThat(contexts.values()).allSatisfy(context -> assertThat(context).isEqualTo(JOB));
    }
}
