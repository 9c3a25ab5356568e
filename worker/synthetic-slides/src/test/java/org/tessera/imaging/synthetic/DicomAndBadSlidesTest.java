package org.tessera.imaging.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.contracts.Crc32c;
import org.tessera.dicom.DicomFormatException;
import org.tessera.dicom.DicomLevel;
import org.tessera.dicom.DicomWsiReader;
import org.tessera.dicom.DimensionOrganization;
import org.tessera.imaging.TiffTestReader;
import org.tessera.models.classes.QcClass;

class DicomAndBadSlidesTest {

    @TempDir
    Path dir;

    @Test
    void dicomZipReadsBackAsAPyramidWithTheRenderedTissue() throws IOException {
        SyntheticSlide slide = SyntheticSlideGenerator.generate(
                dir.resolve("slide.zip"),
                1300,
                900,
                0.5,
                4,
                SyntheticSlideOptions.dicomZip().withArtefacts(true));
        assertThat(slide.mediaType()).isEqualTo("application/zip");
        assertThat(slide.sizeBytes()).isEqualTo(Files.size(slide.path()));
        try (InputStream in = Files.newInputStream(slide.path())) {
            assertThat(slide.checksumBase64Crc32c()).isEqualTo(Crc32c.base64Of(in));
        }
        try (DicomWsiReader reader = DicomWsiReader.open(slide.path())) {
            assertThat(reader.levels()).hasSize(4);
            DicomLevel level0 = reader.level(0);
            assertThat(level0.width()).isEqualTo(1300);
            assertThat(level0.height()).isEqualTo(900);
            assertThat(level0.micronsPerPixelX()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(level0.organization()).isEqualTo(DimensionOrganization.TILED_FULL);
            assertThat(reader.level(1).width()).isEqualTo(650);
            assertThat(reader.level(3).width()).isEqualTo(163);
            assertTissueAgrees(reader, 0, slide.groundTruth(), 1);
            assertTissueAgrees(reader, 2, slide.groundTruth(), 4);
        }
    }

    /** Stained pixels of a level coincide with the ground truth's tissue (ink excluded, edges tolerated). */
    private static void assertTissueAgrees(DicomWsiReader reader, int level, GroundTruth truth, int downsample)
            throws IOException {
        DicomLevel info = reader.level(level);
        int[] argb = new int[info.width() * info.height()];
        reader.readRegion(level, 0, 0, info.width(), info.height(), argb);
        int agree = 0;
        int total = 0;
        for (int y = 2; y < info.height(); y += 5) {
            for (int x = 2; x < info.width(); x += 5) {
                int lx = x * downsample + downsample / 2;
                int ly = y * downsample + downsample / 2;
                QcClass qc = truth.qcClassAt(Math.min(truth.width() - 1, lx), Math.min(truth.height() - 1, ly));
                if (qc == QcClass.PEN_MARK) {
                    continue;
                }
                int rgb = argb[y * info.width() + x];
                int r = (rgb >> 16) & 0xFF;
                int g = (rgb >> 8) & 0xFF;
                int b = rgb & 0xFF;
                int max = Math.max(r, Math.max(g, b));
                boolean stained = max - Math.min(r, Math.min(g, b)) > 0.12 * max;
                agree += stained == (qc != QcClass.BACKGROUND) ? 1 : 0;
                total++;
            }
        }
        assertThat((double) agree / total)
                .as("level %d tissue vs ground truth", level)
                .isGreaterThan(0.96);
    }

    @Test
    void sparseSeriesSkipsGlassTilesAndDirectoryChecksumCoversTheLevelsInOrder() throws IOException {
        SyntheticSlide slide = SyntheticSlideGenerator.generate(
                dir.resolve("series"),
                2048,
                1536,
                0.5,
                9,
                SyntheticSlideOptions.dicom().withSparse(true));
        List<Path> files = new ArrayList<>();
        for (int level = 0; level < 4; level++) {
            files.add(slide.path().resolve("level-" + level + ".dcm"));
        }
        try (var listing = Files.list(slide.path())) {
            assertThat(listing.toList()).containsExactlyInAnyOrderElementsOf(files);
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Path file : files) {
            all.writeBytes(Files.readAllBytes(file));
        }
        assertThat(slide.sizeBytes()).isEqualTo(all.size());
        assertThat(slide.checksumBase64Crc32c()).isEqualTo(Crc32c.base64Of(all.toByteArray()));

        GroundTruth truth = slide.groundTruth();
        try (DicomWsiReader reader = DicomWsiReader.open(slide.path())) {
            DicomLevel level0 = reader.level(0);
            assertThat(level0.organization()).isEqualTo(DimensionOrganization.TILED_SPARSE);
            int glassTiles = 0;
            for (int ty = 0; ty < level0.tilesDown(); ty++) {
                for (int tx = 0; tx < level0.tilesAcross(); tx++) {
                    if (!anyTissue(truth, tx * 256, ty * 256, 256)) {
                        glassTiles++;
                        // A tile the instance leaves out reads as white.
                        assertThat(reader.readTile(0, tx, ty)).containsOnly(0xFFFFFFFF);
                    }
                }
            }
            assertThat(glassTiles).isPositive();
            assertThat(level0.frames()).isEqualTo(level0.tilesAcross() * level0.tilesDown() - glassTiles);
            assertTissueAgrees(reader, 0, truth, 1);
        }
    }

    private static boolean anyTissue(GroundTruth truth, int x0, int y0, int size) {
        for (int y = y0; y < Math.min(truth.height(), y0 + size); y++) {
            for (int x = x0; x < Math.min(truth.width(), x0 + size); x++) {
                if (truth.isTissue(x, y)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void singleDicomFileHoldsLevelZero() throws IOException {
        SyntheticSlide slide = SyntheticSlideGenerator.generate(
                dir.resolve("slide.dcm"), 700, 500, 0.25, 2, SyntheticSlideOptions.dicomFile());
        assertThat(slide.mediaType()).isEqualTo("application/dicom");
        assertThat(Files.isRegularFile(slide.path())).isTrue();
        try (DicomWsiReader reader = DicomWsiReader.open(slide.path())) {
            assertThat(reader.levels()).hasSize(1);
            assertThat(reader.level(0).width()).isEqualTo(700);
            assertThat(reader.level(0).height()).isEqualTo(500);
            assertTissueAgrees(reader, 0, slide.groundTruth(), 1);
        }
        try (var listing = Files.list(dir)) {
            assertThat(listing.toList()).as("no scratch files left behind").containsExactly(slide.path());
        }
    }

    @Test
    void sameSeedGivesTheSameZipAndTheSameSeries() throws IOException {
        SyntheticSlideOptions options = SyntheticSlideOptions.dicomZip().withArtefacts(true);
        // The file name becomes the slide identifier in the headers, so both copies share it.
        SyntheticSlide a = SyntheticSlideGenerator.generate(
                Files.createDirectories(dir.resolve("a")).resolve("s.zip"), 900, 700, 0.5, 12, options);
        SyntheticSlide b = SyntheticSlideGenerator.generate(
                Files.createDirectories(dir.resolve("b")).resolve("s.zip"), 900, 700, 0.5, 12, options);
        SyntheticSlide c = SyntheticSlideGenerator.generate(dir.resolve("c.zip"), 900, 700, 0.5, 13, options);
        assertThat(java.util.Arrays.equals(Files.readAllBytes(a.path()), Files.readAllBytes(b.path())))
                .as("same bytes")
                .isTrue();
        assertThat(b.checksumBase64Crc32c()).isEqualTo(a.checksumBase64Crc32c());
        assertThat(c.checksumBase64Crc32c()).isNotEqualTo(a.checksumBase64Crc32c());
        try (DicomWsiReader first = DicomWsiReader.open(a.path());
                DicomWsiReader third = DicomWsiReader.open(c.path())) {
            assertThat(third.seriesInstanceUid()).isNotEqualTo(first.seriesInstanceUid());
        }
        List<String> entries = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(a.path()))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                entries.add(entry.getName());
                assertThat(entry.getMethod()).isEqualTo(ZipEntry.STORED);
            }
        }
        assertThat(entries).containsExactly("level-0.dcm", "level-1.dcm", "level-2.dcm");
    }

    @Test
    void sameSeedGivesTheSameTiffWithArtefacts() throws IOException {
        SyntheticSlideOptions options = SyntheticSlideOptions.svs().withArtefacts(true);
        // An SVS names its file in the description, so both copies share the name.
        SyntheticSlide a = SyntheticSlideGenerator.generate(
                Files.createDirectories(dir.resolve("a")).resolve("s.svs"), 1000, 800, 0.5, 21, options);
        SyntheticSlide b = SyntheticSlideGenerator.generate(
                Files.createDirectories(dir.resolve("b")).resolve("s.svs"), 1000, 800, 0.5, 21, options);
        assertThat(java.util.Arrays.equals(Files.readAllBytes(a.path()), Files.readAllBytes(b.path())))
                .as("same bytes")
                .isTrue();
        SyntheticSlide clean = SyntheticSlideGenerator.generate(
                Files.createDirectories(dir.resolve("c")).resolve("s.svs"),
                1000,
                800,
                0.5,
                21,
                SyntheticSlideOptions.svs());
        assertThat(clean.checksumBase64Crc32c()).isNotEqualTo(a.checksumBase64Crc32c());
        assertThat(clean.tissueRegions()).isEqualTo(a.tissueRegions());
        assertThat(clean.groundTruth().penStrokes()).isEmpty();
    }

    @Test
    void dicomWithoutPixelDataIsRejectedForThatReason() throws IOException {
        SyntheticSlide bad = BadSlides.dicomWithoutPixelData(dir.resolve("no-pixels.dcm"), 3);
        byte[] bytes = Files.readAllBytes(bad.path());
        assertThat(new String(bytes, 128, 4, StandardCharsets.US_ASCII)).isEqualTo("DICM");
        assertThat(bad.sizeBytes()).isEqualTo(bytes.length).isLessThan(20_000);
        assertThat(bad.checksumBase64Crc32c()).isEqualTo(Crc32c.base64Of(bytes));
        assertThatThrownBy(() -> DicomWsiReader.open(bad.path()).close())
                .isInstanceOfSatisfying(
                        DicomFormatException.class,
                        e -> assertThat(e.code()).isEqualTo(DicomFormatException.Code.NO_PIXEL_DATA));
    }

    @Test
    void zipWithoutDicomIsNotASeries() throws IOException {
        SyntheticSlide bad = BadSlides.zipWithoutDicom(dir.resolve("images.zip"), 3);
        assertThat(bad.mediaType()).isEqualTo("application/zip");
        List<String> names = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(bad.path()))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                names.add(entry.getName());
            }
        }
        assertThat(names).containsExactly("README.txt", "thumbnail.png");
        assertThatThrownBy(() -> DicomWsiReader.open(bad.path()).close())
                .isInstanceOfSatisfying(
                        DicomFormatException.class,
                        e -> assertThat(e.code()).isEqualTo(DicomFormatException.Code.NOT_A_SERIES));
    }

    @Test
    void tiffWithUnsupportedCompressionDeclaresItInEveryImage() throws IOException {
        SyntheticSlide bad = BadSlides.tiffWithUnsupportedCompression(dir.resolve("j2k.tif"), 3);
        SyntheticSlide unknown = BadSlides.tiffWithCompression(dir.resolve("unknown.tif"), 50_123, 3);
        try (TiffTestReader reader = new TiffTestReader(bad.path())) {
            assertThat(reader.levels()).isEqualTo(3);
            for (int level = 0; level < 3; level++) {
                assertThat(reader.fields(level).get(259)).isEqualTo("34712");
            }
            assertThat(reader.width(0)).isEqualTo(600);
            assertThatThrownBy(() -> reader.read(0)).isInstanceOf(Exception.class);
        }
        try (TiffTestReader reader = new TiffTestReader(unknown.path())) {
            assertThat(reader.fields(0).get(259)).isEqualTo("50123");
            assertThatThrownBy(() -> reader.read(0)).isInstanceOf(Exception.class);
        }
    }

    @Test
    void decompressionBombIsTinyButDeclaresATeraPixelTile() throws IOException {
        SyntheticSlide bomb = BadSlides.decompressionBomb(dir.resolve("bomb.tif"));
        byte[] bytes = Files.readAllBytes(bomb.path());
        assertThat(bytes.length).isLessThan(16 * 1024);
        assertThat(bomb.width()).isEqualTo(1_000_000);
        ByteBuffer tiff = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(tiff.getShort(2)).isEqualTo((short) 42);
        int ifd = tiff.getInt(4);
        java.util.Map<Integer, Integer> values = new java.util.HashMap<>();
        for (int i = 0; i < tiff.getShort(ifd); i++) {
            int entry = ifd + 2 + 12 * i;
            int type = tiff.getShort(entry + 2);
            values.put(
                    tiff.getShort(entry) & 0xFFFF,
                    type == 3 ? tiff.getShort(entry + 8) & 0xFFFF : tiff.getInt(entry + 8));
        }
        assertThat(values)
                .containsEntry(256, 1_000_000)
                .containsEntry(257, 1_000_000)
                .containsEntry(322, 1_000_000)
                .containsEntry(323, 1_000_000)
                .containsEntry(259, 8);
        try (TiffTestReader reader = new TiffTestReader(bomb.path())) {
            assertThat(reader.width(0)).isEqualTo(1_000_000);
            assertThat(reader.height(0)).isEqualTo(1_000_000);
        }
    }

    @Test
    void truncatedSlideKeepsItsHeaderAndLosesItsDirectories() throws IOException {
        SyntheticSlide cut = BadSlides.truncated(dir.resolve("cut.tif"), 3);
        SyntheticSlide whole = SyntheticSlideGenerator.generate(dir.resolve("whole.tif"), 1024, 768, 0.5, 3);
        byte[] bytes = Files.readAllBytes(cut.path());
        byte[] original = Files.readAllBytes(whole.path());
        assertThat(bytes.length).isEqualTo((int) (original.length * 0.4));
        assertThat(java.util.Arrays.copyOf(original, bytes.length)).isEqualTo(bytes);
        assertThatThrownBy(() -> {
                    try (TiffTestReader reader = new TiffTestReader(cut.path())) {
                        reader.read(0);
                    }
                })
                .isInstanceOf(Exception.class);
    }

    @Test
    void notAnImageHasNoKnownSignature() throws IOException {
        SyntheticSlide bad = BadSlides.notAnImage(dir.resolve("noise.tif"), 3);
        byte[] bytes = Files.readAllBytes(bad.path());
        assertThat(bytes).hasSize(65536);
        String head = new String(bytes, 0, 4, StandardCharsets.ISO_8859_1);
        assertThat(head)
                .doesNotStartWith("II")
                .doesNotStartWith("MM")
                .doesNotStartWith("PK")
                .doesNotStartWith("\u00FF\u00D8");
        assertThat(new String(bytes, 128, 4, StandardCharsets.ISO_8859_1)).isNotEqualTo("DICM");
        assertThat(javax.imageio.ImageIO.read(bad.path().toFile())).isNull();
        assertThat(BadSlides.notAnImage(dir.resolve("again.tif"), 3).checksumBase64Crc32c())
                .isEqualTo(bad.checksumBase64Crc32c());
    }

    @Test
    void commandLineWritesTheSlideAndItsGroundTruth() throws IOException {
        Path out = dir.resolve("bench").resolve("cli.svs");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int status = GenerateSlide.run(
                new String[] {
                    "--width",
                    "1200",
                    "--height",
                    "1000",
                    "--mpp",
                    "0.5",
                    "--seed",
                    "5",
                    "--format",
                    "svs",
                    "--out",
                    out.toString()
                },
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        assertThat(status).isZero();
        String text = printed.toString(StandardCharsets.UTF_8);
        assertThat(text)
                .contains("1200x1000", "ground truth", String.valueOf(Files.size(out)))
                .contains("crc32c " + Crc32c.base64Of(Files.readAllBytes(out)));
        assertThat(dir.resolve("bench").resolve("cli.svs.truth.json")).exists();
        assertThat(dir.resolve("bench").resolve("cli.svs.nuclei.csv")).exists();
        assertThatThrownBy(() -> GenerateSlide.run(new String[] {"--format", "png"}, System.out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("png");
    }
}
