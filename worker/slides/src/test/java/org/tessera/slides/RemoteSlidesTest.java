package org.tessera.slides;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.bytes.BlockCache;
import org.tessera.bytes.HttpRangeByteSource;
import org.tessera.bytes.RangeFileServer;
import org.tessera.bytes.RemoteSourceException;
import org.tessera.imaging.synthetic.SyntheticSlideGenerator;
import org.tessera.imaging.synthetic.SyntheticSlideOptions;

/**
 * Slides read through a URL with HTTP range requests (what the viewer does with an item's signed URL) give the same
 * levels and pixels as the same file read locally, and read only the blocks a region needs.
 */
class RemoteSlidesTest {

    private static final HttpClient CLIENT = HttpRangeByteSource.newClient();

    @TempDir
    Path dir;

    @AfterAll
    static void closeClient() {
        CLIENT.close();
    }

    @Test
    void anSvsReadThroughRangeRequestsMatchesTheLocalFile() throws Exception {
        Path svs = SyntheticSlideGenerator.generate(
                        dir.resolve("s.svs"), 3000, 2200, 0.25, 11, SyntheticSlideOptions.svs())
                .path();
        assertSameAsLocal(svs, "java-tiff");
    }

    @Test
    void aSingleDicomFileReadThroughRangeRequestsMatchesTheLocalFile() throws Exception {
        Path dcm = SyntheticSlideGenerator.generate(
                        dir.resolve("s.dcm"), 1500, 1100, 0.25, 12, SyntheticSlideOptions.dicomFile())
                .path();
        assertSameAsLocal(dcm, "dicom-wsi");
    }

    private void assertSameAsLocal(Path file, String backend) throws IOException, SlideFormatException {
        SlideReaders readers = SlideReaders.builtIn();
        BlockCache cache = new BlockCache(64L << 20);
        try (RangeFileServer server = RangeFileServer.serve(file);
                SlideReader local = readers.open(file, "local");
                SlideReader remote = readers.open(
                        HttpRangeByteSource.open(
                                CLIENT,
                                server.url("expires=4102444800&signature=x"),
                                "remote slide",
                                cache,
                                HttpRangeByteSource.Options.defaults()),
                        "remote slide")) {
            assertThat(remote.backend()).isEqualTo(backend);
            assertThat(remote.info().levels()).isEqualTo(local.info().levels());
            assertThat(remote.info().mpp()).isEqualTo(local.info().mpp());
            for (int level = 0; level < local.info().levels().size(); level++) {
                SlideLevel l = local.info().levels().get(level);
                int w = Math.min(300, l.width());
                int h = Math.min(200, l.height());
                int x = (l.width() - w) / 2;
                int y = (l.height() - h) / 2;
                int[] expected = new int[w * h];
                int[] actual = new int[w * h];
                local.readPixels(level, x, y, w, h, expected);
                remote.readPixels(level, x, y, w, h, actual);
                assertThat(actual).as("level " + level).isEqualTo(expected);
            }
            assertThat(cache.bytes()).isPositive();
        }
        assertThat(cache.bytes()).as("closing the reader closes its source").isZero();
    }

    @Test
    void aRefusedUrlFailsWithTheReasonNotAsABadSlide() throws IOException {
        Path svs = SyntheticSlideGenerator.generate(
                        dir.resolve("s.svs"), 1200, 900, 0.25, 13, SyntheticSlideOptions.svs())
                .path();
        try (RangeFileServer server = RangeFileServer.serve(svs)) {
            server.refuse(true);
            assertThatThrownBy(() -> SlideReaders.builtIn()
                            .open(
                                    HttpRangeByteSource.open(
                                            CLIENT,
                                            server.url(""),
                                            "slide-7",
                                            new BlockCache(1 << 20),
                                            HttpRangeByteSource.Options.defaults()),
                                    "slide-7"))
                    .isInstanceOf(RemoteSourceException.class)
                    .hasMessageContaining("expired");
        }
    }
}
