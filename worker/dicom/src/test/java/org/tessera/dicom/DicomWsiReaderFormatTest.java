package org.tessera.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Encodings the writer does not produce: Implicit VR, native pixels, multi-fragment frames. */
class DicomWsiReaderFormatTest {

    @TempDir
    Path dir;

    @Test
    void implicitVrWithUndefinedLengthSequencesAndNativePixels() throws IOException {
        // A 32x16 level of two 16x16 uncompressed RGB frames.
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        HandBuilt.implicitString(data, Tag.IMAGE_TYPE, "ORIGINAL\\PRIMARY\\VOLUME\\NONE", false);
        HandBuilt.implicitString(data, Tag.SOP_CLASS_UID, DicomUids.VL_WHOLE_SLIDE_MICROSCOPY_IMAGE_STORAGE, true);
        HandBuilt.implicitString(data, Tag.STUDY_INSTANCE_UID, "1.2.3", true);
        HandBuilt.implicitString(data, Tag.SERIES_INSTANCE_UID, "1.2.3.4", true);
        HandBuilt.implicitString(data, Tag.DIMENSION_ORGANIZATION_TYPE, "TILED_FULL", false);
        HandBuilt.implicitUs(data, Tag.SAMPLES_PER_PIXEL, 3);
        HandBuilt.implicitString(data, Tag.PHOTOMETRIC_INTERPRETATION, "RGB", false);
        HandBuilt.implicitUs(data, Tag.PLANAR_CONFIGURATION, 0);
        HandBuilt.implicitString(data, Tag.NUMBER_OF_FRAMES, "2", false);
        HandBuilt.implicitUs(data, Tag.ROWS, 16);
        HandBuilt.implicitUs(data, Tag.COLUMNS, 16);
        HandBuilt.implicitUs(data, Tag.BITS_ALLOCATED, 8);
        HandBuilt.implicitUs(data, Tag.BITS_STORED, 8);
        HandBuilt.implicitUs(data, Tag.HIGH_BIT, 7);
        HandBuilt.implicitUs(data, Tag.PIXEL_REPRESENTATION, 0);
        HandBuilt.implicitUl(data, Tag.TOTAL_PIXEL_MATRIX_COLUMNS, 32);
        HandBuilt.implicitUl(data, Tag.TOTAL_PIXEL_MATRIX_ROWS, 16);
        // An unknown private sequence of undefined length must be skipped by its delimiters.
        HandBuilt.undefinedLength(data, 0x00091010);
        HandBuilt.undefinedLength(data, Tag.ITEM);
        HandBuilt.implicitString(data, 0x00091011, "private", false);
        HandBuilt.delimiter(data, Tag.ITEM_DELIMITATION_ITEM);
        HandBuilt.delimiter(data, Tag.SEQUENCE_DELIMITATION_ITEM);
        // Shared > Pixel Measures > Pixel Spacing, nested with undefined lengths.
        HandBuilt.undefinedLength(data, Tag.SHARED_FUNCTIONAL_GROUPS_SEQUENCE);
        HandBuilt.undefinedLength(data, Tag.ITEM);
        HandBuilt.undefinedLength(data, Tag.PIXEL_MEASURES_SEQUENCE);
        HandBuilt.undefinedLength(data, Tag.ITEM);
        HandBuilt.implicitString(data, Tag.PIXEL_SPACING, "0.0005\\0.00025", false);
        HandBuilt.delimiter(data, Tag.ITEM_DELIMITATION_ITEM);
        HandBuilt.delimiter(data, Tag.SEQUENCE_DELIMITATION_ITEM);
        HandBuilt.delimiter(data, Tag.ITEM_DELIMITATION_ITEM);
        HandBuilt.delimiter(data, Tag.SEQUENCE_DELIMITATION_ITEM);
        byte[] pixels = new byte[2 * 16 * 16 * 3];
        for (int frame = 0; frame < 2; frame++) {
            for (int i = 0; i < 256; i++) {
                int o = (frame * 256 + i) * 3;
                pixels[o] = (byte) (frame * 100 + 10);
                pixels[o + 1] = (byte) i;
                pixels[o + 2] = (byte) (255 - i);
            }
        }
        HandBuilt.implicitElement(data, Tag.PIXEL_DATA, pixels);
        Path file = dir.resolve("implicit.dcm");
        Files.write(
                file,
                HandBuilt.part10(
                        DicomUids.VL_WHOLE_SLIDE_MICROSCOPY_IMAGE_STORAGE,
                        DicomUids.IMPLICIT_VR_LITTLE_ENDIAN,
                        data.toByteArray()));

        try (DicomWsiReader reader = DicomWsiReader.open(file)) {
            DicomLevel level = reader.level(0);
            assertThat(level.width()).isEqualTo(32);
            assertThat(level.tilesAcross()).isEqualTo(2);
            assertThat(level.micronsPerPixelY()).isCloseTo(0.5, within(1e-12));
            assertThat(level.micronsPerPixelX()).isCloseTo(0.25, within(1e-12));
            int[] region = new int[32 * 16];
            reader.readRegion(0, 0, 0, 32, 16, region);
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 32; x++) {
                    int frame = x / 16;
                    int i = y * 16 + x % 16;
                    int expected = 0xFF000000 | (frame * 100 + 10) << 16 | i << 8 | (255 - i);
                    assertThat(region[y * 32 + x]).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void framesSplitOverSeveralFragmentsReadWithAndWithoutTheBasicOffsetTable() throws IOException {
        byte[][] jpegs = new byte[2][];
        for (int tx = 0; tx < 2; tx++) {
            BufferedImage tile = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 64; x++) {
                    tile.setRGB(x, y, TestPattern.rgb(0, tx * 64 + x, y));
                }
            }
            jpegs[tx] = FrameEncoder.encode(tile, 0.95f);
        }
        List<byte[][]> frames = List.of(HandBuilt.split(jpegs[0], 3), HandBuilt.split(jpegs[1], 2));
        for (boolean table : new boolean[] {true, false}) {
            Path file = dir.resolve("fragments-" + table + ".dcm");
            Files.write(
                    file,
                    HandBuilt.part10(
                            DicomUids.VL_WHOLE_SLIDE_MICROSCOPY_IMAGE_STORAGE,
                            DicomUids.JPEG_BASELINE,
                            HandBuilt.concat(
                                    HandBuilt.wsiHeader("1.2.3.4", 128, 64, 64, 2)
                                            .toByteArray(),
                                    HandBuilt.encapsulated(frames, table))));
            try (DicomWsiReader reader = DicomWsiReader.open(file)) {
                int[] region = new int[128 * 64];
                reader.readRegion(0, 0, 0, 128, 64, region);
                TestPattern.assertMatches(region, 0, 0, 0, 128, 64);
                assertThat(reader.level(0).hasMicronsPerPixel()).isFalse();
            }
        }
    }

    @Test
    void labelAndOverviewInstancesAreListedButNotLevels() throws IOException {
        DicomWsiWriter.WrittenSeries written = DicomWsiWriter.write(
                dir, 300, 200, DicomWsiRoundTripTest.options(), TestPattern.source(256, (l, x, y) -> false));
        byte[] label = HandBuilt.part10(
                DicomUids.VL_WHOLE_SLIDE_MICROSCOPY_IMAGE_STORAGE,
                DicomUids.JPEG_2000,
                new DicomOutput()
                        .strings(Tag.IMAGE_TYPE, "CS", "ORIGINAL", "PRIMARY", "LABEL", "NONE")
                        .string(Tag.SOP_CLASS_UID, "UI", DicomUids.VL_WHOLE_SLIDE_MICROSCOPY_IMAGE_STORAGE)
                        .string(Tag.SERIES_INSTANCE_UID, "UI", written.seriesUid())
                        .ul(Tag.TOTAL_PIXEL_MATRIX_COLUMNS, 400)
                        .ul(Tag.TOTAL_PIXEL_MATRIX_ROWS, 300)
                        .toByteArray());
        Files.write(dir.resolve("label.dcm"), label);
        Files.writeString(dir.resolve("README.txt"), "not DICOM, skipped");

        try (DicomWsiReader reader = DicomWsiReader.open(dir)) {
            assertThat(reader.levels()).hasSize(2);
            assertThat(reader.associatedImages()).singleElement().satisfies(image -> {
                assertThat(image.type()).isEqualTo("LABEL");
                assertThat(image.width()).isEqualTo(400);
                assertThat(image.source()).isEqualTo("label.dcm");
            });
        }
    }
}
