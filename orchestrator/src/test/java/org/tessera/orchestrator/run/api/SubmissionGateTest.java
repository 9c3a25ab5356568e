package org.tessera.orchestrator.run.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.tessera.orchestrator.support.HeldTurns.awaitWaiting;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tessera.orchestrator.common.api.ApiException;
import org.tessera.orchestrator.support.HeldTurns;

class SubmissionGateTest {

    private final ExecutorService submitters = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        submitters.shutdownNow();
    }

    @Test
    void noMoreThanItsConcurrencyRunAtOnceAndTheNextStartsWhenOneEnds() throws Exception {
        SubmissionGate gate = gate(2, Duration.ofSeconds(30));
        try (HeldTurns held = HeldTurns.take(gate, 2)) {
            AtomicBoolean third = new AtomicBoolean();
            Future<String> queued = submitters.submit(() -> gate.inTurn(() -> {
                third.set(true);
                return "stored";
            }));

            awaitWaiting(gate, 1);
            assertThat(third).isFalse();
            assertThat(queued).isNotDone();

            held.release();
            assertThat(queued.get(10, TimeUnit.SECONDS)).isEqualTo("stored");
            assertThat(gate.waiting()).isZero();
        }
    }

    @Test
    void submissionsWaitingForATurnGetItInTheOrderTheyArrived() throws Exception {
        SubmissionGate gate = gate(1, Duration.ofSeconds(30));
        try (HeldTurns held = HeldTurns.take(gate, 1)) {
            List<String> order = new CopyOnWriteArrayList<>();
            List<Future<?>> waiting = new ArrayList<>();
            for (String name : List.of("first", "second", "third")) {
                waiting.add(submitters.submit(() -> gate.inTurn(() -> order.add(name))));
                awaitWaiting(gate, waiting.size());
            }

            held.release();
            for (Future<?> submission : waiting) {
                submission.get(10, TimeUnit.SECONDS);
            }
            assertThat(order).containsExactly("first", "second", "third");
        }
    }

    @Test
    void aSubmissionThatWaitedTooLongIsTurnedAwayWith503AndIsNeverRun() throws Exception {
        SubmissionGate gate = gate(1, Duration.ofMillis(200));
        try (HeldTurns _ = HeldTurns.take(gate, 1)) {
            AtomicBoolean ran = new AtomicBoolean();

            assertThatThrownBy(() -> gate.inTurn(() -> {
                        ran.set(true);
                        return null;
                    }))
                    .isInstanceOfSatisfying(ApiException.class, refused -> {
                        assertThat(refused.status()).isEqualTo(503);
                        assertThat(refused.code()).isEqualTo("SERVICE.BUSY");
                        assertThat(refused.retryAfterSeconds()).hasValue(5);
                        assertThat(refused.getMessage()).contains("nothing of it was stored");
                    });
            assertThat(ran).isFalse();
        }
    }

    @Test
    void aTurnIsGivenBackWhenTheWorkFails() throws Exception {
        SubmissionGate gate = gate(1, Duration.ofMillis(200));

        assertThatThrownBy(() -> gate.inTurn(() -> {
                    throw new IllegalStateException("refused by validation");
                }))
                .hasMessage("refused by validation");
        assertThat(gate.inTurn(() -> "next")).isEqualTo("next");
    }

    @Test
    void withoutALimitEverySubmissionGoesThrough() throws Exception {
        SubmissionGate gate = gate(0, Duration.ofMillis(1));
        // take() asserts that all eight are running at once.
        try (HeldTurns _ = HeldTurns.take(gate, 8)) {
            assertThat(gate.waiting()).isZero();
        }
    }

    @Test
    void byDefaultTwoSubmissionsPerCoreAreTakenAtOnce() {
        SubmissionGate gate = new SubmissionGate(Optional.empty(), Duration.ofSeconds(1), new SimpleMeterRegistry());
        assertThat(gate.concurrency()).isEqualTo(2 * Runtime.getRuntime().availableProcessors());
    }

    private static SubmissionGate gate(int concurrency, Duration timeout) {
        return new SubmissionGate(Optional.of(concurrency), timeout, new SimpleMeterRegistry());
    }
}
