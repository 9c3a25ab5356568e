package org.tessera.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ByteRangeTest {

    @TempDir
    Path root;

    @Test
    void readsOpenClosedAndSuffixRangesAndLeavesOthersWhole() {
        assertThat(ByteRange.parse(null, 100)).isEqualTo(new ByteRange.Whole());
        assertThat(ByteRange.parse("bytes=10-", 100)).isEqualTo(new ByteRange.Partial(new ByteRange(10, 99)));
        assertThat(ByteRange.parse("bytes=10-19", 100)).isEqualTo(new ByteRange.Partial(new ByteRange(10, 19)));
        assertThat(ByteRange.parse("bytes=90-500", 100)).isEqualTo(new ByteRange.Partial(new ByteRange(90, 99)));
        assertThat(ByteRange.parse("bytes=-5", 100)).isEqualTo(new ByteRange.Partial(new ByteRange(95, 99)));
        assertThat(ByteRange.parse("bytes=100-", 100)).isEqualTo(new ByteRange.Unsatisfiable());
        assertThat(ByteRange.parse("bytes=0-1,5-6", 100)).isEqualTo(new ByteRange.Whole());
        assertThat(ByteRange.parse("items=0-1", 100)).isEqualTo(new ByteRange.Whole());
        assertThat(ByteRange.parse("bytes=20-10", 100)).isEqualTo(new ByteRange.Whole());
        assertThat(new ByteRange(10, 19).contentRange(100)).isEqualTo("bytes 10-19/100");
    }

    @Test
    void theServerAnswersARangeWith206AndExactlyThoseBytes() throws Exception {
        String key = "0123456789abcdef0123456789abcdef";
        try (ObjectStoreServer server =
                ObjectStoreServer.start(root, key, new InetSocketAddress("127.0.0.1", 0), null)) {
            byte[] bytes = new byte[200_000];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (i * 31);
            }
            Path file = Files.write(root.resolve("upload.bin"), bytes);
            server.store().put("outputs/r/i/a.bin", file, "application/octet-stream");
            ObjectStore remote = ObjectStores.create(
                    new ObjectStoreSettings(Optional.empty(), URI.create("http://127.0.0.1:" + server.port()), key));
            URI get = remote.presignGet("outputs/r/i/a.bin", Duration.ofMinutes(5));
            HttpClient http = HttpClient.newHttpClient();

            HttpResponse<byte[]> tail = http.send(
                    HttpRequest.newBuilder(get).header("Range", "bytes=123456-").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(tail.statusCode()).isEqualTo(206);
            assertThat(tail.headers().firstValue("Content-Range")).contains("bytes 123456-199999/200000");
            assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(bytes, 123456, bytes.length));

            HttpResponse<byte[]> whole =
                    http.send(HttpRequest.newBuilder(get).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(whole.statusCode()).isEqualTo(200);
            assertThat(whole.headers().firstValue("Accept-Ranges")).contains("bytes");
            assertThat(whole.body()).isEqualTo(bytes);

            HttpResponse<String> past = http.send(
                    HttpRequest.newBuilder(get).header("Range", "bytes=200000-").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(past.statusCode()).isEqualTo(416);
        }
    }
}
