package org.tessera.worker.job;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Locale;
import org.tessera.models.Application;
import org.tessera.worker.common.ItemFailure;
import org.tessera.worker.inference.InferenceEngine;

/**
 * Prometheus metrics: {@code tessera_worker_slides_processed_total{application,outcome}},
 * {@code tessera_worker_failures_total{kind,code}}, {@code tessera_worker_processing_seconds{application,outcome}} and
 * {@code tessera_worker_dead_letters_total} and {@code tessera_worker_jobs_superseded_total} (stale redelivered jobs
 * skipped because a newer attempt of their item was already dispatched), and
 * {@code tessera_worker_inference_provider{provider,requested}}, 1 for the ONNX Runtime execution provider this worker
 * runs on ({@code cuda} or {@code cpu}) with the one it was configured to ask for ({@code auto}, {@code cpu},
 * {@code cuda}): {@code provider="cpu",requested="cuda"} is a GPU worker that fell back to the CPU.
 */
@Singleton
class WorkerMetrics implements JobListener {

    private final MeterRegistry registry;

    WorkerMetrics(MeterRegistry registry, InferenceEngine engine) {
        this.registry = registry;
        Gauge.builder("tessera.worker.inference.provider", () -> 1)
                .description("1 for the execution provider the worker's models run on, with the one requested")
                .tag("provider", engine.provider().toLowerCase(Locale.ROOT))
                .tag("requested", engine.settings().provider().name().toLowerCase(Locale.ROOT))
                .register(registry);
        // Registered up front so that dashboards and alerts see zeros instead of absent series.
        for (String application : Application.ids()) {
            for (String outcome : new String[] {"succeeded", "failed"}) {
                processed(application, outcome);
                processing(application, outcome);
            }
        }
        deadLetters();
        supersededJobs();
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
        deadLetters().increment();
    }

    void superseded() {
        supersededJobs().increment();
    }

    private Counter supersededJobs() {
        return Counter.builder("tessera.worker.jobs.superseded")
                .description("Redelivered slide jobs skipped because a newer attempt of their item was dispatched")
                .register(registry);
    }

    private Counter deadLetters() {
        return Counter.builder("tessera.worker.dead.letters")
                .description("Slide-job records that could not be read and went to the dead-letter topic")
                .register(registry);
    }

    private Counter processed(String application, String outcome) {
        return Counter.builder("tessera.worker.slides.processed")
                .description("Items that reached a terminal event")
                .tag("application", application)
                .tag("outcome", outcome)
                .register(registry);
    }

    private Timer processing(String application, String outcome) {
        return Timer.builder("tessera.worker.processing")
                .description("Wall time per item, from start to terminal event")
                .tag("application", application)
                .tag("outcome", outcome)
                .register(registry);
    }

    private void record(String applicationId, String outcome, Duration took) {
        String application = applicationId == null ? "unknown" : applicationId;
        processed(application, outcome).increment();
        processing(application, outcome).record(took);
    }
}
