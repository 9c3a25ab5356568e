package org.tessera.dicom;

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
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.dicom.DicomFormatException.Code;

/** Every bad input fails with its own code and a message naming the file; none allocates what it declares. */
class DicomWsiErrorsTest {

    private static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";

    @TempDir
    Path dir;

    private static void assertFails(ThrowingCallable open, Code code, String... messageParts) {
        assertThatThrownBy(open)
                .isInstanceOfSatisfying(
                        DicomFormatException.class,
                        e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(code))
                .message()
                .contains(messageParts);
    }

    private static void openAndRead(Path path) throws IOException {
        try (DicomWsiReader reader = DicomWsiReader.open(path)) {
            reader.readTile(0, 0, 0);
        }
    }

    private static List<byte[][]> oneFragment(byte... data) {
        return List.<byte[][]>of(new byte[][] {data});
    }

    private List<Path> writeSeries(Path target) throws IOException {
        return DicomWsiWriter.write(
                        target, 600, 400, DicomWsiRoundTripTest.options(), TestPattern.source(256, (l, x, y) -> false))
                .files();
    }

    @Test
    void bytesWithoutTheDicmMagicAreNotDicom() throws IOException {
        byte[] noise = new byte[4096];
        new SplittableRandom(7).nextBytes(noise);
        Path file = Files.write(dir.resolve("noise.dcm"), noise);
        assertFails(() -> openAndRead(file), Code.NOT_DICOM, "noise.dcm", "DICM");

        Path tiny = Files.write(dir.resolve("tiny.dcm"), new byte[] {1, 2, 3});
        assertFails(() -> openAndRead(tiny), Code.NOT_DICOM, "tiny.dcm");
    }

    @Test
    void aFileCutShortIsTruncated() throws IOException {
        Path level0 = writeSeries(dir.resolve("series")).getFirst();
        byte[] whole = Files.readAllBytes(level0);

        Path inFrames = Files.write(dir.resolve("cut-frames.dcm"), Arrays.copyOf(whole, whole.length * 6 / 10));
        assertFails(() -> openAndRead(inFrames), Code.TRUNCATED, "cut-frames.dcm");

        Path inHeader = Files.write(dir.resolve("cut-header.dcm"), Arrays.copyOf(whole, 700));
        assertFails(() -> openAndRead(inHeader), Code.TRUNCATED, "cut-header.dcm");
    }

    @Test
    void absurdDeclaredLengthsFailWithoutAllocating() throws IOException {
        DicomOutput huge = HandBuilt.wsiHeader("1.2.3.4", 256, 256, 256, 1);
        huge.header(Tag.PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE + 0x100, "OB", 0xFFFFFFF0L);
        Path hugeValue = Files.write(
                dir.resolve("huge-value.dcm"),
                HandBuilt.part10(
                        DicomUids.VL_WHOLE_SLIDE_MICROSCOPY_IMAGE_STORAGE,
                        DicomUids.JPEG_BASELINE,
                        huge.toByteArray()));
        assertFails(() -> openAndRead(hugeValue), Code.TRUNCATED, "huge-value.dcm", "4294967280");

        byte[] manyFrames = HandBuilt.part10(
                DicomUids.VL_WHOLE_SLIDE_MICROSCOPY_IMAGE_STORAGE,
                DicomUids.JPEG_BASELINE,
                HandBuilt.concat(
                        HandBuilt.wsiHeader("1.2.3.4", 256, 256, 256, 2_000_000_000)
                                .toByteArray(),
                        HandBuilt.encapsulated(oneFragment((byte) 0xFF, (byte) 0xD8), false)));
        Path frames = Files.write(dir.resolve("frames.dcm"), manyFrames);
        assertFails(() -> openAndRead(frames), Code.TRUNCATED, "frames.dcm", "2000000000");

        byte[] bigTiles = HandBuilt.part10(
                DicomUids.VL_WHOLE_SLIDE_MICROSCOPY_IMAGE_STORAGE,
                DicomUids.JPEG_BASELINE,
                HandBuilt.concat(
                        HandBuilt.wsiHeader("1.2.3.4", 60000, 60000, 60000, 1).toByteArray(),
                        HandBuilt.encapsulated(oneFragment((byte) 0xFF, (byte) 0xD8), true)));
        Path tiles = Files.write(dir.resolve("big-tiles.dcm"), bigTiles);
        assertFails(() -> openAndRead(tiles), Code.TOO_LARGE, "big-tiles.dcm", "(0028,0010)");
    }

    @Test
    void aZipOfTextFilesIsNotASeries() throws IOException {
        Path zip = dir.resolve("texts.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (String name : List.of("a.txt", "notes/b.txt")) {
                out.putNextEntry(new ZipEntry(name));
                out.write(("just text in " + name).repeat(20).getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        assertFails(() -> openAndRead(zip), Code.NOT_A_SERIES, "texts.zip", "no DICOM");

        Path emptyDir = Files.createDirectories(dir.resolve("empty"));
        assertFails(() -> openAndRead(emptyDir), Code.NOT_A_SERIES, "no DICOM");
    }

    @Test
    void aZipWithTwoSeriesIsNotASeries() throws IOException {
        Path first = writeSeries(dir.resolve("a")).getFirst();
        java.util.concurrent.atomic.AtomicInteger counter = new java.util.concurrent.atomic.AtomicInteger();
        Path second = DicomWsiWriter.write(
                        dir.resolve("b"),
                        600,
                        400,
                        DicomWsiRoundTripTest.options().withUids(() -> "1.2.3.999." + counter.incrementAndGet()),
                        TestPattern.source(256, (l, x, y) -> false))
                .files()
                .getFirst();
        Path zip = dir.resolve("two.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("one/level-0.dcm"));
            Files.copy(first, out);
            out.closeEntry();
            out.putNextEntry(new ZipEntry("two/level-0.dcm"));
            Files.copy(second, out);
            out.closeEntry();
        }
        assertFails(() -> openAndRead(zip), Code.NOT_A_SERIES, "two.zip", "2 series");
    }

    @Test
    void aWholeSlideHeaderWithoutPixelDataHasNoPixelData() throws IOException {
        Path file = Files.write(
                dir.resolve("no-pixels.dcm"),
                HandBuilt.part10(
                        DicomUids.VL_WHOLE_SLIDE_MICROSCOPY_IMAGE_STORAGE,
                        DicomUids.JPEG_BASELINE,
                        HandBuilt.wsiHeader("1.2.3.4", 256, 256, 256, 1).toByteArray()));
        assertFails(() -> openAndRead(file), Code.NO_PIXEL_DATA, "no-pixels.dcm", "(7FE0,0010)");
    }

    @Test
    void jpeg2000FramesAreAnUnsupportedTransferSyntaxNamedInTheMessage() throws IOException {
        Path file = Files.write(
                dir.resolve("j2k.dcm"),
                HandBuilt.part10(
                        DicomUids.VL_WHOLE_SLIDE_MICROSCOPY_IMAGE_STORAGE,
                        DicomUids.JPEG_2000,
                        HandBuilt.concat(
                                HandBuilt.wsiHeader("1.2.3.4", 256, 256, 256, 1).toByteArray(),
                                HandBuilt.encapsulated(
                                        oneFragment((byte) 0xFF, (byte) 0x4F, (byte) 0xFF, (byte) 0x51), true))));
        assertFails(
                () -> openAndRead(file), Code.UNSUPPORTED_TRANSFER_SYNTAX, "j2k.dcm", "JPEG 2000", DicomUids.JPEG_2000);
    }

    @Test
    void anotherSopClassIsNotWsi() throws IOException {
        DicomOutput ct = new DicomOutput()
                .string(Tag.SOP_CLASS_UID, "UI", CT_IMAGE_STORAGE)
                .string(Tag.MODALITY, "CS", "CT")
                .string(Tag.SERIES_INSTANCE_UID, "UI", "1.2.3.4");
        Path file = Files.write(
                dir.resolve("ct.dcm"),
                HandBuilt.part10(CT_IMAGE_STORAGE, DicomUids.EXPLICIT_VR_LITTLE_ENDIAN, ct.toByteArray()));
        assertFails(() -> openAndRead(file), Code.NOT_WSI, "ct.dcm", CT_IMAGE_STORAGE);
    }

    @Test
    void aFrameThatDoesNotDecodeIsCorruptAndNamesTheFrame() throws IOException {
        Path level0 = writeSeries(dir.resolve("series")).getFirst();
        byte[] bytes = Files.readAllBytes(level0);
        int soi = DicomWsiRoundTripTest.indexOf(bytes, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF});
        Arrays.fill(bytes, soi, soi + 24, (byte) 0x55);
        Path file = Files.write(dir.resolve("corrupt.dcm"), bytes);
        try (DicomWsiReader reader = DicomWsiReader.open(file)) {
            assertFails(() -> reader.readTile(0, 0, 0), Code.CORRUPT_FRAME, "corrupt.dcm", "frame 1");
            // The other frames are unaffected.
            TestPattern.assertMatches(reader.readTile(0, 1, 0), 0, 256, 0, 256, 256);
        }
    }

    @Test
    void aZipThatExpandsBeyondTheLimitIsADecompressionBomb() throws IOException {
        Path zip = dir.resolve("slide.zip");
        DicomWsiWriter.writeZip(
                zip, 600, 400, DicomWsiRoundTripTest.options(), TestPattern.source(256, (l, x, y) -> false));
        Path scratch = Files.createDirectories(dir.resolve("scratch"));
        assertFails(
                () -> DicomWsiReader.open(
                        zip,
                        DicomWsiReader.Options.defaults()
                                .withScratchDirectory(scratch)
                                .withMaxExtractedBytes(10_000)),
                Code.DECOMPRESSION_BOMB,
                "slide.zip!level-0.dcm");
        try (var left = Files.list(scratch)) {
            assertThat(left).as("scratch is cleaned up after a failed open").isEmpty();
        }
    }

    @Test
    void aTruncatedZipIsTruncated() throws IOException {
        Path zip = dir.resolve("slide.zip");
        DicomWsiWriter.writeZip(
                zip, 600, 400, DicomWsiRoundTripTest.options(), TestPattern.source(256, (l, x, y) -> false));
        byte[] bytes = Files.readAllBytes(zip);
        Path cut = dir.resolve("cut.zip");
        try (OutputStream out = Files.newOutputStream(cut)) {
            out.write(bytes, 0, bytes.length / 2);
        }
        assertFails(() -> openAndRead(cut), Code.TRUNCATED, "cut.zip");
    }
}
