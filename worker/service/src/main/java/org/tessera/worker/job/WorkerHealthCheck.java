package org.tessera.worker.job;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.tessera.slides.SlideReaders;
import org.tessera.worker.inference.InferenceEngine;

/**
 * Up while the slide-job poll loop is alive and polling. A long job does not make it unhealthy: the loop keeps polling
 * (with its partitions paused) however long the slide takes. The details say what this worker decodes and infers
 * with: the JPEG decoder of TIFF slides, whether OpenSlide is there, the inference provider and its settings.
 */
@Liveness
@Readiness
@ApplicationScoped
public class WorkerHealthCheck implements HealthCheck {

    private final SlideJobConsumer consumer;
    private final WorkerId workerId;
    private final SlideReaders readers;
    private final InferenceEngine engine;

    WorkerHealthCheck(SlideJobConsumer consumer, WorkerId workerId, SlideReaders readers, InferenceEngine engine) {
        this.consumer = consumer;
        this.workerId = workerId;
        this.readers = readers;
        this.engine = engine;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("slide-job-consumer")
                .status(consumer.healthy())
                .withData("worker", workerId.value())
                .withData(
                        "jpeg-decoder",
                        readers.jpegDecoder().map(Object::toString).orElse("none: no TIFF backend"))
                .withData("openslide", readers.openSlide())
                .withData("inference", engine.describe())
                .build();
    }
}
