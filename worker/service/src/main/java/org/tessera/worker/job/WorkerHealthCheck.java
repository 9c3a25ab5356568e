package org.tessera.worker.job;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * Up while the slide-job poll loop is alive and polling. A long job does not make it unhealthy: the loop keeps polling
 * (with its partitions paused) however long the slide takes.
 */
@Liveness
@Readiness
@ApplicationScoped
public class WorkerHealthCheck implements HealthCheck {

    private final SlideJobConsumer consumer;

    WorkerHealthCheck(SlideJobConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("slide-job-consumer")
                .status(consumer.healthy())
                .withData("worker", String.valueOf(consumer.workerId()))
                .build();
    }
}
