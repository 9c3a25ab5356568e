package org.tessera.slides;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.dicom.DicomWsiWriter;
import org.tessera.imaging.synthetic.SyntheticSlideGenerator;
import org.tessera.imaging.synthetic.SyntheticSlideOptions;
import org.tessera.imaging.tiff.TiffPyramidWriter;
import org.tessera.slides.SlideFormatException.Code;

/**
 * Every bad input fails with its own code and a message naming the input, through all backends as the worker uses
 * them (OpenSlide too where it is installed), quickly: nothing may crash the JVM or hang.
 */
@Timeout(60)
class BadInputsTest {

    private static final String NAME = "whole_slide_image of item bad-1";

    @TempDir
    Path dir;

    private final SlideReaders readers = SlideReaders.builtIn();

    /** Opens the file and reads level 0 at both ends, as a pipeline would. */
    private void assertRejected(Path file, Code code) {
        assertThatThrownBy(() -> {
                    try (SlideReader reader = readers.open(file, NAME)) {
                        SlideLevel level = reader.info().levels().getFirst();
                        int[] pixels = new int[64 * 64];
                        reader.readPixels(0, 0, 0, 64, 64, pixels);
                        reader.readPixels(0, level.width() - 64, level.height() - 64, 64, 64, pixels);
                    }
                })
                .isInstanceOfSatisfying(
                        SlideFormatException.class,
                        e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(code))
                .hasMessageContaining(NAME);
    }

    @Test
    void truncatedSlideIsUnreadable() throws Exception {
        Path svs = SyntheticSlideGenerator.generate(
                        dir.resolve("t.svs"), 2000, 1500, 0.25, 3, SyntheticSlideOptions.svs())
                .path();
        byte[] bytes = Files.readAllBytes(svs);
        assertRejected(Files.write(dir.resolve("cut.svs"), Arrays.copyOf(bytes, bytes.length / 2)), Code.UNREADABLE);
        assertRejected(
                SyntheticSlideGenerator.writeCorrupt(dir.resolve("corrupt.tiff"), 9)
                        .path(),
                Code.UNREADABLE);
    }

    @Test
    void randomBytesAreNotAnImage() throws Exception {
        byte[] noise = new byte[100_000];
        new SplittableRandom(5).nextBytes(noise);
        assertRejected(Files.write(dir.resolve("noise.svs"), noise), Code.UNSUPPORTED_FORMAT);
        assertRejected(Files.write(dir.resolve("empty.tiff"), new byte[0]), Code.UNSUPPORTED_FORMAT);
        assertRejected(
                Files.write(dir.resolve("text.tiff"), "<html>not found</html>".getBytes(StandardCharsets.UTF_8)),
                Code.UNSUPPORTED_FORMAT);
    }

    @Test
    void anUnknownCompressionIsUnsupported() throws Exception {
        Path file = dir.resolve("zstd.tiff");
        TiffPyramidWriter.write(file, 600, 400, TiffPyramidWriter.Options.deflateRgb(), (x, y, w, h, out) -> {});
        byte[] bytes = Files.readAllBytes(file);
        // Every Compression entry (259, SHORT, count 1, value 8 = deflate) -> 50000 (ZSTD), which we do not decode.
        byte[] entry = {0x03, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x08, 0x00};
        int patched = 0;
        for (int at = indexOf(bytes, entry, 0); at >= 0; at = indexOf(bytes, entry, at + 1)) {
            bytes[at + 8] = (byte) 0x50;
            bytes[at + 9] = (byte) 0xC3;
            patched++;
        }
        assertThat(patched).isPositive();
        Files.write(file, bytes);
        assertRejected(file, Code.UNSUPPORTED_FORMAT);
    }

    @Test
    void absurdDimensionsAreRefusedBeforeDecoding() throws Exception {
        Path file = dir.resolve("bomb.tiff");
        TiffPyramidWriter.write(file, 256, 256, TiffPyramidWriter.Options.deflateRgb(), (x, y, w, h, out) -> {});
        byte[] bytes = Files.readAllBytes(file);
        // ImageWidth (256) and ImageLength (257), LONG, count 1, value 256 -> 900,000: 810 gigapixels in 1 KB.
        for (byte tag : new byte[] {0x00, 0x01}) {
            byte[] entry = {tag, 0x01, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00};
            int at = indexOf(bytes, entry, 0);
            assertThat(at).isPositive();
            bytes[at + 8] = (byte) 0xA0;
            bytes[at + 9] = (byte) 0xBB;
            bytes[at + 10] = (byte) 0x0D;
        }
        Files.write(file, bytes);
        assertRejected(file, Code.TOO_LARGE);
    }

    @Test
    void hugeTilesAreRefusedBeforeDecoding() throws Exception {
        Path file = dir.resolve("tile-bomb.tiff");
        TiffPyramidWriter.write(file, 256, 256, TiffPyramidWriter.Options.deflateRgb(), (x, y, w, h, out) -> {});
        byte[] bytes = Files.readAllBytes(file);
        // TileWidth (322) and TileLength (323), LONG: 256 -> 100,000, so one tile would be 10 gigapixels.
        for (byte tag : new byte[] {0x42, 0x43}) {
            byte[] entry = {tag, 0x01, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00};
            int at = indexOf(bytes, entry, 0);
            assertThat(at).isPositive();
            bytes[at + 8] = (byte) 0xA0;
            bytes[at + 9] = (byte) 0x86;
            bytes[at + 10] = (byte) 0x01;
        }
        Files.write(file, bytes);
        assertRejected(file, Code.TOO_LARGE_DECODED);
    }

    @Test
    void dicomWithoutPixelDataIsRejected() throws Exception {
        List<Path> files = DicomWsiWriter.write(
                        dir.resolve("series"), 600, 400, TestSlides.dicomOptions(0.5), TestSlides.pattern(256))
                .files();
        byte[] whole = Files.readAllBytes(files.getFirst());
        // Pixel Data (7FE0,0010) in explicit VR little endian, VR OB: cut the file where it starts.
        int at = lastIndexOf(whole, new byte[] {(byte) 0xE0, 0x7F, 0x10, 0x00, 'O', 'B'});
        assertThat(at).isPositive();
        assertRejected(Files.write(dir.resolve("no-pixels.dcm"), Arrays.copyOf(whole, at)), Code.NO_PIXEL_DATA);
    }

    @Test
    void aZipThatIsNotADicomSeriesIsRejected() throws Exception {
        Path zip = dir.resolve("photos.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("readme.txt"));
            out.write("no slides here".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        assertRejected(zip, Code.NOT_A_SERIES);

        Path twoSeries = dir.resolve("two-series.zip");
        Path a = TestSlides.dicomZip(dir.resolve("a.zip"), 300, 300, 0.5);
        Path b = TestSlides.dicomZip(dir.resolve("b.zip"), 300, 300, 0.5);
        List<Path> aFiles = unzip(a, dir.resolve("a"));
        List<Path> bFiles = unzip(b, dir.resolve("b"));
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(twoSeries))) {
            for (Path file : List.of(aFiles.getFirst(), bFiles.getFirst())) {
                out.putNextEntry(new ZipEntry(file.getParent().getFileName() + "/" + file.getFileName()));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
        assertRejected(twoSeries, Code.NOT_A_SERIES);
    }

    private static List<Path> unzip(Path zip, Path target) throws IOException {
        Files.createDirectories(target);
        try (var in = new java.util.zip.ZipInputStream(Files.newInputStream(zip))) {
            java.util.ArrayList<Path> files = new java.util.ArrayList<>();
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                Path file = target.resolve(e.getName());
                try (OutputStream out = Files.newOutputStream(file)) {
                    in.transferTo(out);
                }
                files.add(file);
            }
            return files;
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static int lastIndexOf(byte[] haystack, byte[] needle) {
        int last = -1;
        for (int at = indexOf(haystack, needle, 0); at >= 0; at = indexOf(haystack, needle, at + 1)) {
            last = at;
        }
        return last;
    }
}
