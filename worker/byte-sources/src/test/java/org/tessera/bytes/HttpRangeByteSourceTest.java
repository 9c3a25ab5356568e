package org.tessera.bytes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpRangeByteSourceTest {

    private static final int BLOCK = 4096;

    @TempDir
    Path dir;

    private byte[] content;
    private RangeFileServer server;
    private final HttpClient client = HttpRangeByteSource.newClient();
    private final HttpRangeByteSource.Options options =
            HttpRangeByteSource.Options.defaults().withBlockSize(BLOCK);

    @BeforeEach
    void serve() throws IOException {
        content = new byte[10 * BLOCK + 123];
        new Random(7).nextBytes(content);
        Path file = dir.resolve("slide.bin");
        Files.write(file, content);
        server = RangeFileServer.serve(file);
    }

    @AfterEach
    void stop() {
        server.close();
        client.close();
    }

    @Test
    void readsAnyRangeAsTheFileHasIt() throws IOException {
        BlockCache cache = new BlockCache(1 << 20);
        try (HttpRangeByteSource source = HttpRangeByteSource.open(client, server.url(""), "slide", cache, options)) {
            assertThat(source.size()).isEqualTo(content.length);
            Random random = new Random(1);
            for (int i = 0; i < 50; i++) {
                int at = random.nextInt(content.length);
                int length = Math.min(random.nextInt(3 * BLOCK), content.length - at);
                ByteBuffer buffer = ByteBuffer.allocate(length);
                source.readFully(buffer, at);
                byte[] expected = java.util.Arrays.copyOfRange(content, at, at + length);
                assertThat(buffer.array()).isEqualTo(expected);
            }
            ByteBuffer tail = ByteBuffer.allocate(1000);
            assertThat(source.read(tail, content.length - 10)).isEqualTo(10);
            assertThat(source.read(tail, content.length)).isEqualTo(-1);
        }
    }

    @Test
    void fetchesEachBlockOnceWhileItStaysInTheCache() throws IOException {
        BlockCache cache = new BlockCache(1 << 20);
        try (HttpRangeByteSource source = HttpRangeByteSource.open(client, server.url(""), "slide", cache, options)) {
            assertThat(server.requests()).isEqualTo(1);
            for (int round = 0; round < 3; round++) {
                source.readFully(ByteBuffer.allocate(3 * BLOCK), BLOCK / 2);
            }
            // Blocks 0 (at opening), 1, 2 and 3: each fetched once.
            assertThat(server.requests()).isEqualTo(4);
            assertThat(cache.blocks()).isEqualTo(4);
        }
        assertThat(cache.bytes()).as("closing drops the source's blocks").isZero();
    }

    @Test
    void theCacheStaysWithinItsBytesDroppingTheLeastRecentlyUsedBlock() throws IOException {
        BlockCache cache = new BlockCache(3 * BLOCK);
        try (HttpRangeByteSource source = HttpRangeByteSource.open(client, server.url(""), "slide", cache, options)) {
            for (int block = 1; block <= 5; block++) {
                source.readFully(ByteBuffer.allocate(10), (long) block * BLOCK);
            }
            assertThat(cache.bytes()).isLessThanOrEqualTo(3L * BLOCK);
            int before = server.requests();
            source.readFully(ByteBuffer.allocate(10), 5L * BLOCK);
            assertThat(server.requests()).as("the newest block is still cached").isEqualTo(before);
            source.readFully(ByteBuffer.allocate(10), 1L * BLOCK);
            assertThat(server.requests()).as("the oldest was dropped").isEqualTo(before + 1);
        }
    }

    @Test
    void concurrentReadsOfOneBlockSendOneRequest() throws Exception {
        BlockCache cache = new BlockCache(1 << 20);
        try (HttpRangeByteSource source = HttpRangeByteSource.open(client, server.url(""), "slide", cache, options);
                ExecutorService pool = Executors.newFixedThreadPool(8)) {
            server.delayMillis(200);
            List<Callable<byte[]>> reads = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int offset = i * 100;
                reads.add(() -> {
                    ByteBuffer buffer = ByteBuffer.allocate(50);
                    source.readFully(buffer, 5L * BLOCK + offset);
                    return buffer.array();
                });
            }
            List<Future<byte[]>> results = pool.invokeAll(reads);
            for (int i = 0; i < 8; i++) {
                int at = 5 * BLOCK + i * 100;
                assertThat(results.get(i).get()).isEqualTo(java.util.Arrays.copyOfRange(content, at, at + 50));
            }
            assertThat(server.requests()).isEqualTo(2);
        }
    }

    @Test
    void anExpiredUrlIsNotRequestedAndSaysSo() throws IOException {
        long expires = 2_000_000_000L;
        MutableClock clock = new MutableClock(Instant.ofEpochSecond(expires - 60));
        BlockCache cache = new BlockCache(1 << 20);
        try (HttpRangeByteSource source = HttpRangeByteSource.open(
                client,
                server.url("expires=" + expires + "&signature=abc"),
                "slide-7",
                cache,
                options.withClock(clock))) {
            assertThat(source.expiresAt()).contains(Instant.ofEpochSecond(expires));
            clock.now = Instant.ofEpochSecond(expires + 1);
            int before = server.requests();
            assertThatThrownBy(() -> source.readFully(ByteBuffer.allocate(10), 6L * BLOCK))
                    .isInstanceOf(RemoteSourceException.class)
                    .satisfies(e -> assertThat(((RemoteSourceException) e).reason())
                            .isEqualTo(RemoteSourceException.Reason.EXPIRED))
                    .hasMessageContaining("slide-7")
                    .hasMessageContaining("signed URL expired")
                    .hasMessageNotContaining("signature=abc");
            assertThat(server.requests()).isEqualTo(before);
        }
    }

    @Test
    void aUrlTheStorageRefusesIsReportedAsExpired() {
        server.refuse(true);
        assertThatThrownBy(() -> HttpRangeByteSource.open(
                        client, server.url("X-Amz-Signature=secret"), "slide-7", new BlockCache(1 << 20), options))
                .isInstanceOf(RemoteSourceException.class)
                .satisfies(e -> assertThat(((RemoteSourceException) e).reason())
                        .isEqualTo(RemoteSourceException.Reason.EXPIRED))
                .hasMessageContaining("HTTP 403: Request has expired")
                .hasMessageNotContaining("secret");
    }

    @Test
    void aServerWithoutRangesIsRefused() {
        server.ignoreRanges(true);
        assertThatThrownBy(() ->
                        HttpRangeByteSource.open(client, server.url(""), "slide", new BlockCache(1 << 20), options))
                .isInstanceOf(RemoteSourceException.class)
                .satisfies(e -> assertThat(((RemoteSourceException) e).reason())
                        .isEqualTo(RemoteSourceException.Reason.NO_RANGE_SUPPORT))
                .hasMessageContaining("HTTP 200");
    }

    @Test
    void aFileThatChangesWhileReadIsNotMixed() throws IOException {
        BlockCache cache = new BlockCache(1 << 20);
        try (HttpRangeByteSource source = HttpRangeByteSource.open(client, server.url(""), "slide", cache, options)) {
            server.etag("\"v2\"");
            assertThatThrownBy(() -> source.readFully(ByteBuffer.allocate(10), 3L * BLOCK))
                    .isInstanceOf(RemoteSourceException.class)
                    .satisfies(e -> assertThat(((RemoteSourceException) e).reason())
                            .isEqualTo(RemoteSourceException.Reason.CHANGED))
                    .hasMessageContaining("\"v1\" to \"v2\"");
        }
    }

    @Test
    void expiryIsReadFromTheCommonSignatureSchemes() {
        assertThat(
                        SignedUrlExpiry.of(
                                java.net.URI.create(
                                        "https://b.s3.amazonaws.com/k?X-Amz-Date=20250603T100000Z&X-Amz-Expires=3600&X-Amz-Signature=x")))
                .contains(Instant.parse("2025-06-03T11:00:00Z"));
        assertThat(SignedUrlExpiry.of(java.net.URI.create(
                        "https://storage.googleapis.com/b/k?X-Goog-Date=20250603T100000Z&X-Goog-Expires=60")))
                .contains(Instant.parse("2025-06-03T10:01:00Z"));
        assertThat(SignedUrlExpiry.of(
                        java.net.URI.create("https://a.blob.core.windows.net/c/k?se=2025-06-03T12%3A00%3A00Z&sig=x")))
                .contains(Instant.parse("2025-06-03T12:00:00Z"));
        assertThat(SignedUrlExpiry.of(java.net.URI.create("https://example.org/slide.svs")))
                .isEmpty();
    }

    private static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
