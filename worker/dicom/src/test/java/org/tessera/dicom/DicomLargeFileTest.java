package org.tessera.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Frames beyond 2 and 4 GiB. The files are sparse (the huge fragments are holes), so they take almost no disk and
 * write in milliseconds.
 */
class DicomLargeFileTest {

    private static final long HUGE = 3L << 30;

    @TempDir
    Path dir;

    /** Four 256-pixel frames in a row: {@code huge} says which are 3 GiB of zeros instead of a JPEG. */
    private Path write(String name, boolean[] huge, DicomWsiWriter.OffsetTable table) throws IOException {
        assumeThat(Files.getFileStore(dir).getUsableSpace()).isGreaterThan(8L << 30);
        byte[][] jpegs = new byte[4][];
        long[] offsets = new long[4];
        long[] lengths = new long[4];
        long position = 0;
        for (int f = 0; f < 4; f++) {
            if (!huge[f]) {
                BufferedImage tile = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 256; y++) {
                    for (int x = 0; x < 256; x++) {
                        tile.setRGB(x, y, TestPattern.rgb(0, f * 256 + x, y));
                    }
                }
                byte[] jpeg = FrameEncoder.encode(tile, 0.9f);
                jpegs[f] = jpeg.length % 2 == 0 ? jpeg : java.util.Arrays.copyOf(jpeg, jpeg.length + 1);
            }
            offsets[f] = position;
            lengths[f] = huge[f] ? HUGE : jpegs[f].length;
            position += 8 + lengths[f];
        }
        DicomOutput header = HandBuilt.wsiHeader("1.2.3.4", 1024, 256, 256, 4);
        if (table == DicomWsiWriter.OffsetTable.EXTENDED) {
            header.ov(Tag.EXTENDED_OFFSET_TABLE, offsets);
            header.ov(Tag.EXTENDED_OFFSET_TABLE_LENGTHS, lengths);
        }
        header.header(Tag.PIXEL_DATA, "OB", DicomParser.UNDEFINED_LENGTH);
        header.writeTag(Tag.ITEM);
        if (table == DicomWsiWriter.OffsetTable.BASIC) {
            header.writeLe32(16);
            for (long offset : offsets) {
                header.writeLe32(offset);
            }
        } else {
            header.writeLe32(0);
        }
        byte[] start = HandBuilt.part10(
                DicomUids.VL_WHOLE_SLIDE_MICROSCOPY_IMAGE_STORAGE, DicomUids.JPEG_BASELINE, header.toByteArray());
        Path file = dir.resolve(name);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long first = start.length;
            out.write(ByteBuffer.wrap(start), 0);
            for (int f = 0; f < 4; f++) {
                DicomOutput item = new DicomOutput();
                item.writeTag(Tag.ITEM);
                item.writeLe32(lengths[f]);
                out.write(ByteBuffer.wrap(item.toByteArray()), first + offsets[f]);
                if (!huge[f]) {
                    out.write(ByteBuffer.wrap(jpegs[f]), first + offsets[f] + 8);
                }
            }
            DicomOutput end = new DicomOutput();
            end.writeTag(Tag.SEQUENCE_DELIMITATION_ITEM);
            end.writeLe32(0);
            out.write(ByteBuffer.wrap(end.toByteArray()), first + position);
        }
        return file;
    }

    @Test
    void framesPastFourGibibytesReadThroughTheExtendedOffsetTableAndByScanning() throws IOException {
        boolean[] huge = {false, true, true, false};
        for (DicomWsiWriter.OffsetTable table :
                new DicomWsiWriter.OffsetTable[] {DicomWsiWriter.OffsetTable.EXTENDED, DicomWsiWriter.OffsetTable.NONE
                }) {
            Path file = write("big-" + table + ".dcm", huge, table);
            assertThat(Files.size(file)).isGreaterThan(6L << 30);
            try (DicomWsiReader reader = DicomWsiReader.open(file)) {
                TestPattern.assertMatches(reader.readTile(0, 0, 0), 0, 0, 0, 256, 256);
                TestPattern.assertMatches(reader.readTile(0, 3, 0), 0, 768, 0, 256, 256);
                assertThatThrownBy(() -> reader.readTile(0, 1, 0))
                        .isInstanceOfSatisfying(
                                DicomFormatException.class,
                                e -> assertThat(e.code()).isEqualTo(DicomFormatException.Code.TOO_LARGE));
            }
        }
    }

    @Test
    void basicOffsetTableEntriesPastTwoGibibytesAreUnsigned() throws IOException {
        Path file = write("bot.dcm", new boolean[] {false, true, false, false}, DicomWsiWriter.OffsetTable.BASIC);
        try (DicomWsiReader reader = DicomWsiReader.open(file)) {
            TestPattern.assertMatches(reader.readTile(0, 2, 0), 0, 512, 0, 256, 256);
            TestPattern.assertMatches(reader.readTile(0, 3, 0), 0, 768, 0, 256, 256);
        }
    }
}
