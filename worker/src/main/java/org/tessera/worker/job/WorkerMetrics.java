package org.tessera.worker.job;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.tessera.worker.pipeline.ItemFailure;

/**
 * Prometheus metrics: {@code tessera_worker_slides_processed_total{application,outcome}},
 * {@code tessera_worker_failures_total{kind,code}}, {@code tessera_worker_processing_seconds{application,outcome}} and
 * {@code tessera_worker_dead_letters_total}.
 */
final class WorkerMetrics implements JobListener {

    private final MeterRegistry registry;

    WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void succeeded(String applicationId, Duration took) {
        record(applicationId, "succeeded", took);
    }

    @Override
    public void failed(String applicationId, ItemFailure failure, Duration took) {
        record(applicationId, "failed", took);
        Counter.builder("tessera.worker.failures")
                .description("Items that ended failed, by failure kind and error code")
                .tag("kind", failure.kind().name())
                .tag("code", failure.code())
                .register(registry)
                .increment();
    }

    void deadLettered() {
        Counter.builder("tessera.worker.dead.letters")
                .description("Slide-job records that could not be read and went to the dead-letter topic")
                .register(registry)
                .increment();
    }

    private void record(String applicationId, String outcome, Duration took) {
        String application = applicationId == null ? "unknown" : applicationId;
        Counter.builder("tessera.worker.slides.processed")
                .description("Items that reached a terminal event")
                .tag("application", application)
                .tag("outcome", outcome)
                .register(registry)
                .increment();
        Timer.builder("tessera.worker.processing")
                .description("Wall time per item, from start to terminal event")
                .tag("application", application)
                .tag("outcome", outcome)
                .register(registry)
                .record(took);
    }
}
