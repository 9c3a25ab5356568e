package org.tessera.orchestrator.run.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.tessera.orchestrator.run.domain.WaitingLine;

/**
 * The API's waiting line is shared among reads for its configured age, recomputed in the background (the reader
 * answered from the line it has) once older, and recomputed by the reader itself only after a long quiet spell.
 */
class QueuePositionsTest {

    private static final Duration MAX_AGE = Duration.ofSeconds(1);

    /** A queue whose every line is new (one more waiting run each time), counting the computations. */
    private static final class CountingQueue extends DispatchQueue {
        final AtomicInteger computed = new AtomicInteger();
        volatile CountDownLatch gate = new CountDownLatch(0);

        @Override
        public WaitingLine line(Connection c, Instant now) {
            try {
                assertThat(gate.await(10, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            int n = computed.incrementAndGet();
            List<WaitingLine.WaitingRun> runs = java.util.stream.IntStream.range(0, n)
                    .mapToObj(i -> new WaitingLine.WaitingRun(UUID.randomUUID(), "org", null, now, 1))
                    .toList();
            return new WaitingLine(runs, Map.of());
        }
    }

    private final CountingQueue queue = new CountingQueue();
    private final AtomicLong now = new AtomicLong();
    private final QueuePositions positions = positions();

    private QueuePositions positions() {
        QueuePositions p = new QueuePositions() {
            @Override
            WaitingLine computeInOwnTransaction() {
                return QueuePositionsTest.this.queue.line(null, Instant.EPOCH);
            }
        };
        p.queue = queue;
        p.clock = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);
        p.settings = settings();
        p.nanoTime = now::get;
        return p;
    }

    @Test
    void readsWithinTheAgeShareOneLine() throws Exception {
        WaitingLine first = positions.line(null);
        now.addAndGet(MAX_AGE.toNanos() - 1);
        assertThat(positions.line(null)).isSameAs(first);
        assertThat(queue.computed).hasValue(1);
    }

    @Test
    void anOlderLineIsAnsweredWhileANewOneIsComputedInTheBackground() throws Exception {
        WaitingLine first = positions.line(null);
        queue.gate = new CountDownLatch(1);
        now.addAndGet(MAX_AGE.toNanos() + 1);

        // The reader gets the line it had at once although the recomputation is held at the gate.
        assertThat(positions.line(null)).isSameAs(first);
        assertThat(positions.line(null)).isSameAs(first);
        queue.gate.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> positions.line(null) != first);
        assertThat(queue.computed)
                .as("one background recomputation for both reads")
                .hasValue(2);
    }

    @Test
    void aLineOlderThanItsStaleLimitIsRecomputedByTheReader() throws Exception {
        WaitingLine first = positions.line(null);
        now.addAndGet(MAX_AGE.toNanos() * QueuePositions.STALE_FACTOR);
        WaitingLine second = positions.line(null);
        assertThat(second).isNotSameAs(first);
        assertThat(queue.computed).hasValue(2);
    }

    private static DispatchSettings settings() {
        return new DispatchSettings() {
            @Override
            public int maxInFlight() {
                return 16;
            }

            @Override
            public Duration pollInterval() {
                return Duration.ofSeconds(1);
            }

            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public Duration queuePositionsMaxAge() {
                return MAX_AGE;
            }

            @Override
            public Duration deadlineCheckInterval() {
                return Duration.ofSeconds(10);
            }
        };
    }
}
