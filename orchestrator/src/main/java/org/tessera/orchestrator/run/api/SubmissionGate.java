package org.tessera.orchestrator.run.api;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.tessera.orchestrator.common.api.ApiException;

/**
 * Takes run submissions in turn: at most {@link #concurrency()} are parsed, checked and stored at once, and the
 * others wait, first come first served.
 *
 * <p>A 500-item submission is CPU work on the orchestrator and on PostgreSQL from its first byte to its commit. Let
 * twenty of them run side by side on two cores and each one lasts as long as twenty, holds its parsed body and its
 * rows in memory all that time, and is caught by every collection pause and lock turn in between: the slowest wait
 * far longer than the mean. Taken a few at a time, each one is stored at the pace of the machine and the waiting is
 * shared out in order of arrival; what is in flight, and so in memory, stays small. Two at a time per core keeps the
 * orchestrator busy while PostgreSQL works on the other submission's rows.
 *
 * <p>A submission that waited {@code submission-queue-timeout} for its turn is answered 503 with a
 * {@code Retry-After}, having touched nothing: clients send it again (they retry 5xx).
 */
@Startup
@ApplicationScoped
public class SubmissionGate {

    /** A submission's work, done while it holds its turn. */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T run() throws E;
    }

    private final int concurrency;
    private final Semaphore turns;
    private final Duration timeout;
    private final Timer waited;

    /**
     * @param concurrency submissions handled at once; absent: two per core the orchestrator has; zero or less: no
     *     limit
     * @param timeout the longest a submission waits for its turn before it is answered 503
     */
    @Inject
    public SubmissionGate(
            @ConfigProperty(name = "tessera.orchestrator.submission-concurrency") Optional<Integer> concurrency,
            @ConfigProperty(name = "tessera.orchestrator.submission-queue-timeout", defaultValue = "PT20S")
                    Duration timeout,
            MeterRegistry metrics) {
        this.concurrency = concurrency.orElse(2 * Runtime.getRuntime().availableProcessors());
        this.turns = this.concurrency > 0 ? new Semaphore(this.concurrency, true) : null;
        this.timeout = timeout;
        this.waited = Timer.builder("tessera.runs.submission.queued")
                .description("How long a run submission waited for its turn before it was handled")
                .register(metrics);
        Gauge.builder("tessera.runs.submission.waiting", this, SubmissionGate::waiting)
                .description("Run submissions waiting for their turn now")
                .register(metrics);
    }

    /** How many submissions are handled at once; zero or less: no limit. */
    public int concurrency() {
        return concurrency;
    }

    /** How many submissions wait for their turn now (an estimate, as the JDK's semaphores give it). */
    public int waiting() {
        return turns == null ? 0 : turns.getQueueLength();
    }

    /**
     * Does the work once a turn is free, first come first served.
     *
     * @throws ApiException 503 {@code SERVICE.BUSY} when no turn came within the queue timeout; the work was not
     *     started
     */
    public <T, E extends Exception> T inTurn(Work<T, E> work) throws E {
        if (turns == null) {
            return work.run();
        }
        long start = System.nanoTime();
        boolean turn;
        try {
            turn = turns.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy("the orchestrator is shutting down");
        } finally {
            waited.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
        if (!turn) {
            throw busy("it waited " + timeout.toSeconds() + " s behind " + waiting() + " other submission(s)");
        }
        try {
            return work.run();
        } finally {
            turns.release();
        }
    }

    private static ApiException busy(String why) {
        return ApiException.busy(
                "SERVICE.BUSY",
                "The orchestrator is taking too many run submissions to take this one now (" + why
                        + "); nothing of it was stored. Send it again.",
                5);
    }
}
