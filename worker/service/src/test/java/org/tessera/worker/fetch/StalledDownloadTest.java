package org.tessera.worker.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.contracts.ErrorCodes;
import org.tessera.worker.common.InputRejectedException;
import org.tessera.worker.common.ProgressSink;
import org.tessera.worker.testing.TricklingServer;

/**
 * Downloads that would hold a worker: a body that goes silent after its headers, one that trickles, one that is fast
 * enough but never ends in time, and hosts that refuse. Each against a real server on 127.0.0.1; each test is bounded
 * by a JUnit timeout, so a fetcher that waits forever fails instead of hanging the build.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StalledDownloadTest {

    @TempDir
    Path dir;

    private static SlideFetcher.Settings settings(
            int retries, Duration idle, long minBytesPerSecond, Duration window, Duration deadline) {
        return new SlideFetcher.Settings(
                10_000_000,
                retries,
                Duration.ofMillis(200),
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                idle,
                minBytesPerSecond,
                window,
                deadline,
                Duration.ofMinutes(10));
    }

    private static SlideFetcher fetcher(SlideFetcher.Settings settings) {
        return new SlideFetcher(new AddressPolicy(true, false), settings);
    }

    private static final SlideFetcher.Settings PATIENT =
            settings(1, Duration.ofSeconds(30), 0, Duration.ofSeconds(30), Duration.ofMinutes(5));

    @Test
    void aBodyThatGoesSilentAfterItsHeadersEndsAsTooSlowAfterTheIdleTimeout() throws Exception {
        try (TricklingServer stalled = new TricklingServer(1_000_000, 10, null)) {
            SlideFetcher fetcher =
                    fetcher(settings(2, Duration.ofMillis(500), 0, Duration.ofSeconds(30), Duration.ofMinutes(5)));

            InputRejectedException e = rejected(() -> fetcher.fetch(stalled.url("slide"), dir.resolve("a"), null));

            assertThat(e.code()).isEqualTo(ErrorCodes.INPUT_URL_TOO_SLOW);
            assertThat(e.getMessage()).contains("sent nothing for PT0.5S").contains("after 10 bytes");
            // A stalled store is the client's to fix: not retried.
            assertThat(stalled.connections()).isEqualTo(1);
            assertThat(dir.resolve("a")).doesNotExist();
        }
    }

    @Test
    void aBodyThatTricklesBelowTheMinimumThroughputEndsAsTooSlow() throws Exception {
        // One byte every 50 ms: never idle for the 5 s idle timeout, but 20 bytes/s against a minimum of 10 KB/s.
        try (TricklingServer trickle = new TricklingServer(1_000_000, 1, Duration.ofMillis(50))) {
            SlideFetcher fetcher =
                    fetcher(settings(2, Duration.ofSeconds(5), 10_000, Duration.ofMillis(500), Duration.ofMinutes(5)));

            InputRejectedException e = rejected(() -> fetcher.fetch(trickle.url("slide"), dir.resolve("b"), null));

            assertThat(e.code()).isEqualTo(ErrorCodes.INPUT_URL_TOO_SLOW);
            assertThat(e.getMessage()).contains("below this platform's minimum of 10000 bytes per second");
            assertThat(trickle.connections()).isEqualTo(1);
        }
    }

    @Test
    void aSteadyDownloadThatCannotFinishInTimeEndsAtTheDownloadDeadline() throws Exception {
        // 8 KB every 20 ms keeps well above the 1 KB/s minimum, but 10 MB would take 25 s.
        try (TricklingServer steady = new TricklingServer(10_000_000, 8192, Duration.ofMillis(20))) {
            SlideFetcher fetcher =
                    fetcher(settings(2, Duration.ofSeconds(5), 1_000, Duration.ofMillis(200), Duration.ofSeconds(1)));

            InputRejectedException e = rejected(() -> fetcher.fetch(steady.url("slide"), dir.resolve("c"), null));

            assertThat(e.code()).isEqualTo(ErrorCodes.INPUT_URL_TOO_SLOW);
            assertThat(e.getMessage()).contains("was not downloaded within PT1S");
        }
    }

    @Test
    void progressReportsTheBytesReceivedAndTheLength() throws Exception {
        try (TricklingServer server = new TricklingServer(100_000, 10_000, Duration.ofMillis(1))) {
            List<long[]> reports = new CopyOnWriteArrayList<>();
            ProgressSink progress = new ProgressSink() {
                @Override
                public void stage(Stage stage) {}

                @Override
                public void tiles(long done, long total) {}

                @Override
                public void bytes(long done, long total) {
                    reports.add(new long[] {done, total});
                }
            };

            fetcher(PATIENT).fetch(UUID.randomUUID(), server.url("slide"), dir.resolve("d"), null, progress);

            assertThat(reports.getFirst()).containsExactly(0, 100_000);
            assertThat(reports.getLast()).containsExactly(100_000, 100_000);
            assertThat(reports.stream().mapToLong(r -> r[0])).isSorted();
        }
    }

    @Test
    void aRefusedConnectionIsNotRetriedAndFailsTheRunsOtherItemsOnThatHostWithoutTrying() throws Exception {
        int port = closedPort();
        CountingResolver resolver = new CountingResolver(Map.of("refusing.test", "127.0.0.1"));
        SlideFetcher fetcher = new SlideFetcher(
                new AddressPolicy(true, false, resolver),
                settings(3, Duration.ofSeconds(5), 0, Duration.ofSeconds(5), Duration.ofMinutes(1)));
        UUID run = UUID.randomUUID();
        String url = "http://refusing.test:" + port + "/slide";

        InputRejectedException first =
                rejected(() -> fetcher.fetch(run, url, dir.resolve("e"), null, ProgressSink.NONE));
        assertThat(first.code()).isEqualTo(ErrorCodes.INPUT_URL_UNREACHABLE);
        assertThat(first.getMessage()).contains("refusing.test:" + port + " refused the connection");
        assertThat(resolver.calls()).as("refused once, not retried").isEqualTo(1);

        InputRejectedException second = rejected(
                () -> fetcher.fetch(run, url.replace("/slide", "/other"), dir.resolve("f"), null, ProgressSink.NONE));
        assertThat(second.code()).isEqualTo(ErrorCodes.INPUT_URL_UNREACHABLE);
        assertThat(second.getMessage()).contains("refused the connection").contains("earlier item of this run");
        assertThat(resolver.calls()).as("the run's second item was not tried").isEqualTo(1);

        // Another run learns for itself.
        rejected(() -> fetcher.fetch(UUID.randomUUID(), url, dir.resolve("g"), null, ProgressSink.NONE));
        assertThat(resolver.calls()).isEqualTo(2);
    }

    @Test
    void anUnknownHostIsNotRetriedAndIsRemembered() throws Exception {
        CountingResolver resolver = new CountingResolver(Map.of());
        SlideFetcher fetcher = new SlideFetcher(
                new AddressPolicy(true, false, resolver),
                settings(3, Duration.ofSeconds(5), 0, Duration.ofSeconds(5), Duration.ofMinutes(1)));
        UUID run = UUID.randomUUID();

        InputRejectedException e =
                rejected(() -> fetcher.fetch(run, "https://nowhere.test/a", dir.resolve("h"), null, ProgressSink.NONE));
        assertThat(e.code()).isEqualTo(ErrorCodes.INPUT_URL_UNREACHABLE);
        assertThat(e.getMessage()).contains("nowhere.test is unknown");
        rejected(() -> fetcher.fetch(run, "https://nowhere.test/b", dir.resolve("i"), null, ProgressSink.NONE));
        assertThat(resolver.calls()).isEqualTo(1);
    }

    @Test
    void aFailedTlsHandshakeIsUnreachableAndRemembered() throws Exception {
        // An https URL pointing at a plain-HTTP server: the handshake fails.
        try (TricklingServer plain = new TricklingServer(10, 10, Duration.ofMillis(1))) {
            SlideFetcher fetcher = fetcher(PATIENT);
            UUID run = UUID.randomUUID();
            String url = "https://127.0.0.1:" + plain.port() + "/slide";

            InputRejectedException e =
                    rejected(() -> fetcher.fetch(run, url, dir.resolve("j"), null, ProgressSink.NONE));
            assertThat(e.code()).isEqualTo(ErrorCodes.INPUT_URL_UNREACHABLE);
            assertThat(e.getMessage()).contains("TLS");
            int connections = plain.connections();
            rejected(() -> fetcher.fetch(run, url, dir.resolve("k"), null, ProgressSink.NONE));
            assertThat(plain.connections()).isEqualTo(connections);
        }
    }

    @Test
    void theConnectionGoesToTheCheckedAddressAndCarriesTheUrlsHostName() throws Exception {
        try (TricklingServer server = new TricklingServer(1000, 1000, Duration.ofMillis(1))) {
            // The system resolver does not know this name: only a fetcher that connects to the address its policy
            // checked can reach the server.
            CountingResolver resolver = new CountingResolver(Map.of("slides.example.test", "127.0.0.1"));
            SlideFetcher fetcher = new SlideFetcher(new AddressPolicy(true, false, resolver), PATIENT);

            SlideFetcher.FetchedFile file =
                    fetcher.fetch("http://slides.example.test:" + server.port() + "/s", dir.resolve("l"), null);

            assertThat(file.sizeBytes()).isEqualTo(1000);
            assertThat(resolver.calls()).as("resolved once, for the check").isEqualTo(1);
            assertThat(server.hostHeaders()).containsExactly("slides.example.test:" + server.port());
        }
    }

    @Test
    void aNameThatResolvesToAnInternalAddressIsRefusedWithoutNamingTheAddress() {
        CountingResolver resolver = new CountingResolver(Map.of("internal.test", "10.1.2.3"));
        SlideFetcher fetcher = new SlideFetcher(new AddressPolicy(true, false, resolver), PATIENT);

        InputRejectedException e = rejected(() -> fetcher.fetch("http://internal.test/s", dir.resolve("m"), null));

        assertThat(e.code()).isEqualTo(ErrorCodes.INPUT_URL_NOT_ALLOWED);
        assertThat(e.getMessage())
                .contains("internal.test")
                .contains("a private address")
                .doesNotContain("10.1.2.3");
    }

    private static InputRejectedException rejected(ThrowingCall call) {
        Throwable thrown = null;
        try {
            call.run();
        } catch (Throwable t) {
            thrown = t;
        }
        assertThat(thrown).isInstanceOf(InputRejectedException.class);
        return (InputRejectedException) thrown;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Exception;
    }

    /** A fixed table of names, counting lookups. */
    static final class CountingResolver implements AddressPolicy.Resolver {
        private final Map<String, String> table;
        private int calls;

        CountingResolver(Map<String, String> table) {
            this.table = table;
        }

        synchronized int calls() {
            return calls;
        }

        @Override
        public synchronized InetAddress[] resolve(String host) throws UnknownHostException {
            calls++;
            String address = table.get(host);
            if (address == null) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[] {InetAddress.getByName(address)};
        }
    }
}
