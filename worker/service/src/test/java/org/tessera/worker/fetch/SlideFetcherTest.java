package org.tessera.worker.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.contracts.Crc32c;
import org.tessera.contracts.ErrorCodes;
import org.tessera.worker.common.InputRejectedException;
import org.tessera.worker.testing.SlideServer;

class SlideFetcherTest {

    private static SlideServer server;
    private static Path file;
    private static byte[] bytes;

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    @BeforeAll
    static void serve() throws IOException {
        bytes = new byte[300_000];
        new Random(1).nextBytes(bytes);
        file = shared.resolve("slide.bin");
        Files.write(file, bytes);
        server = new SlideServer();
        server.route("good", SlideServer.Route.file(file));
        server.route("chunked", SlideServer.Route.chunked(file));
        server.route("forbidden", SlideServer.Route.status(403));
        server.route("expired", SlideServer.Route.status(401));
        server.route("gone", SlideServer.Route.status(410));
        server.route("broken", SlideServer.Route.status(503));
        server.route("teapot", SlideServer.Route.status(418));
        server.route("moved", SlideServer.Route.redirect("/good"));
        server.route("to-metadata", SlideServer.Route.redirect("http://169.254.169.254/latest/meta-data/"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static SlideFetcher fetcher(long maxBytes, boolean allowLoopback) {
        return new SlideFetcher(new AddressPolicy(allowLoopback, false), settings(maxBytes));
    }

    private static SlideFetcher.Settings settings(long maxBytes) {
        return new SlideFetcher.Settings(
                maxBytes,
                1,
                Duration.ofMillis(10),
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                0,
                Duration.ofSeconds(5),
                Duration.ofMinutes(1),
                Duration.ofMinutes(1));
    }

    @Test
    void downloadsTheFileAndItsChecksumMatches() throws Exception {
        Path target = dir.resolve("in");
        SlideFetcher.FetchedFile fetched =
                fetcher(1_000_000, true).fetch(server.url("good"), target, Crc32c.base64Of(bytes));
        assertThat(fetched.sizeBytes()).isEqualTo(bytes.length);
        assertThat(fetched.checksumBase64Crc32c()).isEqualTo(Crc32c.base64Of(bytes));
        assertThat(Files.readAllBytes(target)).isEqualTo(bytes);
    }

    @Test
    void followsRedirectsButChecksEveryHop() throws Exception {
        SlideFetcher fetcher = fetcher(1_000_000, true);
        assertThat(fetcher.fetch(server.url("moved"), dir.resolve("in"), Crc32c.base64Of(bytes))
                        .sizeBytes())
                .isEqualTo(bytes.length);
        assertCode(
                () -> fetcher.fetch(server.url("to-metadata"), dir.resolve("x"), null),
                ErrorCodes.INPUT_URL_NOT_ALLOWED);
    }

    @Test
    void wrongChecksumIsRejected() {
        assertCode(
                () -> fetcher(1_000_000, true).fetch(server.url("good"), dir.resolve("in"), "AAAAAA=="),
                ErrorCodes.INPUT_CHECKSUM_MISMATCH);
    }

    @Test
    void statusCodesMapToTheirErrors() {
        SlideFetcher fetcher = fetcher(1_000_000, true);
        assertCode(
                () -> fetcher.fetch(server.url("forbidden"), dir.resolve("a"), null), ErrorCodes.INPUT_URL_FORBIDDEN);
        assertCode(() -> fetcher.fetch(server.url("expired"), dir.resolve("b"), null), ErrorCodes.INPUT_URL_FORBIDDEN);
        assertCode(
                () -> fetcher.fetch(server.url("nothing-here"), dir.resolve("c"), null),
                ErrorCodes.INPUT_URL_NOT_FOUND);
        assertCode(() -> fetcher.fetch(server.url("gone"), dir.resolve("d"), null), ErrorCodes.INPUT_URL_NOT_FOUND);
        assertCode(() -> fetcher.fetch(server.url("broken"), dir.resolve("e"), null), ErrorCodes.INPUT_URL_UNREACHABLE);
        assertCode(() -> fetcher.fetch(server.url("teapot"), dir.resolve("f"), null), ErrorCodes.INPUT_URL_UNREACHABLE);
    }

    @Test
    void declaredLengthAboveTheCapIsRefusedBeforeTheBody() {
        Path target = dir.resolve("big");
        assertCode(() -> fetcher(100_000, true).fetch(server.url("good"), target, null), ErrorCodes.INPUT_TOO_LARGE);
        assertThat(target).doesNotExist();
    }

    @Test
    void streamWithoutLengthStopsAtTheCap() {
        Path target = dir.resolve("big");
        assertCode(() -> fetcher(100_000, true).fetch(server.url("chunked"), target, null), ErrorCodes.INPUT_TOO_LARGE);
        assertThat(target).doesNotExist();
    }

    @Test
    void chunkedBodyIsDecoded() throws Exception {
        SlideFetcher.FetchedFile fetched =
                fetcher(1_000_000, true).fetch(server.url("chunked"), dir.resolve("in"), Crc32c.base64Of(bytes));
        assertThat(fetched.sizeBytes()).isEqualTo(bytes.length);
    }

    @Test
    void closedPortIsUnreachable() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        assertCode(
                () -> fetcher(1_000, true).fetch("http://127.0.0.1:" + port + "/x", dir.resolve("x"), null),
                ErrorCodes.INPUT_URL_UNREACHABLE);
    }

    @Test
    void loopbackIsRefusedUnlessAllowed() {
        assertCode(
                () -> fetcher(1_000_000, false).fetch(server.url("good"), dir.resolve("x"), null),
                ErrorCodes.INPUT_URL_NOT_ALLOWED);
        assertCode(
                () -> fetcher(1_000_000, true).fetch("file:///etc/passwd", dir.resolve("y"), null),
                ErrorCodes.INPUT_URL_NOT_ALLOWED);
    }

    private static void assertCode(ThrowingCall call, String code) {
        assertThatThrownBy(call::run)
                .isInstanceOf(InputRejectedException.class)
                .satisfies(e -> assertThat(((InputRejectedException) e).code()).isEqualTo(code));
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Exception;
    }
}
