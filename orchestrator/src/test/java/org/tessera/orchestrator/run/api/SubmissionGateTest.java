package org.tessera.orchestrator.run.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tessera.orchestrator.common.api.ApiException;

class SubmissionGateTest {

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        threads.shutdownNow();
    }

    @Test
    void noMoreThanItsConcurrencyRunAtOnceAndTheNextStartsWhenOneEnds() throws Exception {
        SubmissionGate gate = gate(2, Duration.ofSeconds(30));
        occupy(gate, 2);
        AtomicBoolean third = new AtomicBoolean();
        Future<String> queued = threads.submit(() -> gate.inTurn(() -> {
            third.set(true);
            return "stored";
        }));

        awaitTrue(() -> gate.waiting() == 1);
        assertThat(third).isFalse();
        assertThat(queued).isNotDone();

        release.countDown();
        assertThat(queued.get(10, TimeUnit.SECONDS)).isEqualTo("stored");
        assertThat(gate.waiting()).isZero();
    }

    @Test
    void submissionsWaitingForATurnGetItInTheOrderTheyArrived() throws Exception {
        SubmissionGate gate = gate(1, Duration.ofSeconds(30));
        occupy(gate, 1);
        List<String> order = new CopyOnWriteArrayList<>();
        List<Future<?>> waiting = new ArrayList<>();
        for (String name : List.of("first", "second", "third")) {
            int ahead = waiting.size();
            waiting.add(threads.submit(() -> gate.inTurn(() -> order.add(name))));
            awaitTrue(() -> gate.waiting() == ahead + 1);
        }

        release.countDown();
        for (Future<?> submission : waiting) {
            submission.get(10, TimeUnit.SECONDS);
        }
        assertThat(order).containsExactly("first", "second", "third");
    }

    @Test
    void aSubmissionThatWaitedTooLongIsTurnedAwayWith503AndIsNeverRun() throws Exception {
        SubmissionGate gate = gate(1, Duration.ofMillis(200));
        occupy(gate, 1);
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
        CountDownLatch all = new CountDownLatch(8);
        for (int i = 0; i < 8; i++) {
            threads.submit(() -> gate.inTurn(() -> {
                all.countDown();
                return release.await(10, TimeUnit.SECONDS);
            }));
        }
        assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void byDefaultTwoSubmissionsPerCoreAreTakenAtOnce() {
        SubmissionGate gate = new SubmissionGate(Optional.empty(), Duration.ofSeconds(1), new SimpleMeterRegistry());
        assertThat(gate.concurrency()).isEqualTo(2 * Runtime.getRuntime().availableProcessors());
    }

    private static SubmissionGate gate(int concurrency, Duration timeout) {
        return new SubmissionGate(Optional.of(concurrency), timeout, new SimpleMeterRegistry());
    }

    /** Takes this many turns with work that lasts until {@link #release}. */
    private void occupy(SubmissionGate gate, int turns) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(turns);
        for (int i = 0; i < turns; i++) {
            threads.submit(() -> gate.inTurn(() -> {
                started.countDown();
                return release.await(30, TimeUnit.SECONDS);
            }));
        }
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 10 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
