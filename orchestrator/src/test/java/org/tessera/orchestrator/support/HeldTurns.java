package org.tessera.orchestrator.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.tessera.orchestrator.run.api.SubmissionGate;

/** Turns of a {@link SubmissionGate} taken by work that lasts until {@link #release} or {@link #close}. */
public final class HeldTurns implements AutoCloseable {

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);

    private HeldTurns() {}

    /** Takes this many turns and returns once every one of them is held. */
    public static HeldTurns take(SubmissionGate gate, int turns) throws InterruptedException {
        HeldTurns held = new HeldTurns();
        CountDownLatch taken = new CountDownLatch(turns);
        for (int i = 0; i < turns; i++) {
            held.threads.submit(() -> gate.inTurn(() -> {
                taken.countDown();
                return held.release.await(60, TimeUnit.SECONDS);
            }));
        }
        assertThat(taken.await(10, TimeUnit.SECONDS))
                .as("%d turns taken", turns)
                .isTrue();
        return held;
    }

    /** Waits (at most 10 s) until this many submissions wait for a turn at the gate. */
    public static void awaitWaiting(SubmissionGate gate, int submissions) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (gate.waiting() != submissions) {
            assertThat(System.nanoTime())
                    .as("%d submission(s) waiting at the gate", submissions)
                    .isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    /** Ends the work holding the turns. */
    public void release() {
        release.countDown();
    }

    @Override
    public void close() {
        release.countDown();
        threads.shutdownNow();
    }
}
