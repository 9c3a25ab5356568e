package org.tessera.slides;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.imaging.synthetic.SyntheticSlide;
import org.tessera.imaging.synthetic.SyntheticSlideGenerator;
import org.tessera.imaging.synthetic.SyntheticSlideOptions;
import org.tessera.openslide.OpenSlide;
import org.tessera.slides.SlideFormatException.Code;

class SlideReadersTest {

    @TempDir
    Path dir;

    /** A provider with a fixed score that records whether it was asked to open, and fails if told to. */
    private static final class Fixed implements SlideReaderProvider {
        private final String name;
        private final int score;
        private final Code failure;
        private final List<String> opened;

        Fixed(String name, int score, Code failure, List<String> opened) {
            this.name = name;
            this.score = score;
            this.failure = failure;
            this.opened = opened;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Support support(Path file, byte[] head) {
            return new Support(score, "fixed " + score);
        }

        @Override
        public SlideReader open(Path file, String displayName) throws SlideFormatException {
            opened.add(name);
            if (failure != null) {
                throw new SlideFormatException(failure, displayName + " refused by " + name);
            }
            return new ExtraTestProvider().open(file, displayName);
        }
    }

    private Path anyFile() throws Exception {
        return Files.write(dir.resolve("f.bin"), new byte[] {1, 2, 3});
    }

    @Test
    void highestScoreWinsAndTiesGoToTheProviderListedFirst() throws Exception {
        List<String> opened = new ArrayList<>();
        SlideReaders readers = new SlideReaders(List.of(
                new Fixed("a", 2, null, opened), new Fixed("b", 3, null, opened), new Fixed("c", 3, null, opened)));
        readers.open(anyFile(), "f").close();
        assertThat(opened).containsExactly("b");
    }

    @Test
    void whenTheWinnerCannotOpenTheFileTheNextOneTries() throws Exception {
        List<String> opened = new ArrayList<>();
        SlideReaders readers = new SlideReaders(List.of(
                new Fixed("best", 3, Code.UNSUPPORTED_FORMAT, opened),
                new Fixed("next", 2, null, opened),
                new Fixed("none", 0, null, opened)));
        readers.open(anyFile(), "f").close();
        assertThat(opened).containsExactly("best", "next");
    }

    @Test
    void aDecompressionBombIsNotOfferedToTheNextBackend() throws Exception {
        List<String> opened = new ArrayList<>();
        SlideReaders readers = new SlideReaders(
                List.of(new Fixed("best", 3, Code.TOO_LARGE, opened), new Fixed("next", 2, null, opened)));
        assertThatThrownBy(() -> readers.open(anyFile(), "f"))
                .isInstanceOfSatisfying(
                        SlideFormatException.class, e -> assertThat(e.code()).isEqualTo(Code.TOO_LARGE));
        assertThat(opened).containsExactly("best");
    }

    @Test
    void whenAllFailTheBestBackendsReasonIsReported() throws Exception {
        List<String> opened = new ArrayList<>();
        SlideReaders readers = new SlideReaders(List.of(
                new Fixed("best", 3, Code.UNREADABLE, opened), new Fixed("next", 2, Code.UNSUPPORTED_FORMAT, opened)));
        assertThatThrownBy(() -> readers.open(anyFile(), "f"))
                .isInstanceOfSatisfying(SlideFormatException.class, e -> {
                    assertThat(e.code()).isEqualTo(Code.UNREADABLE);
                    assertThat(e.getSuppressed()).hasSize(1);
                })
                .hasMessageContaining("refused by best");
    }

    @Test
    void aPreferenceMovesNamedBackendsToTheFront() {
        List<String> opened = new ArrayList<>();
        List<SlideReaderProvider> providers = List.of(
                new Fixed("a", 2, null, opened), new Fixed("b", 2, null, opened), new Fixed("c", 2, null, opened));
        assertThat(SlideReaders.preferred(providers, " c, a "))
                .extracting(SlideReaderProvider::name)
                .containsExactly("c", "a", "b");
        assertThat(SlideReaders.preferred(providers, "")).containsExactlyElementsOf(providers);
    }

    @Test
    void aProviderDeclaredInMetaInfServicesIsDiscovered() throws Exception {
        SlideReaders readers = SlideReaders.discover();
        assertThat(readers.providers())
                .extracting(SlideReaderProvider::name)
                .contains("java-tiff", "dicom-wsi", "extra");
        assertThat(SlideReaders.builtIn().providers())
                .extracting(SlideReaderProvider::name)
                .doesNotContain("extra");
        try (SlideReader reader = readers.open(Files.write(dir.resolve("s.extra"), new byte[] {0}), "s")) {
            assertThat(reader.backend()).isEqualTo("extra");
            assertThat(reader.readRegion(0, 0, 0, 4, 4).getRGB(1, 1)).isEqualTo(0xFFFFFFFF);
        }
    }

    @Test
    void describeNamesActiveAndMissingBackends() {
        String description = SlideReaders.builtIn().describe();
        assertThat(description).contains("java-tiff", "dicom-wsi");
        if (OpenSlide.isAvailable()) {
            assertThat(description).contains("openslide (OpenSlide 3.").doesNotContain("unavailable");
        } else {
            assertThat(description).contains("unavailable: openslide (libopenslide is not installed)");
        }
    }

    @Test
    void theJpegDecoderInUseIsNamedWithItsReason() {
        JpegDecoderInfo decoder = SlideReaders.builtIn().jpegDecoder().orElseThrow();
        if (decoder.libjpegTurbo()) {
            assertThat(decoder.toString()).startsWith("libjpeg-turbo").contains("via FFM", "libturbojpeg");
        } else {
            assertThat(decoder.toString()).startsWith("JDK ImageIO (").contains("libturbojpeg");
        }
        assertThat(new TiffSlideReaderProvider(false).jpegDecoder().toString()).startsWith("JDK ImageIO (");
        assertThat(SlideReaders.builtIn().describe()).contains(decoder.toString());
        assertThat(SlideReaders.builtIn().openSlide())
                .startsWith(OpenSlide.isAvailable() ? "available: openslide" : "unavailable: openslide");
    }

    @Test
    void eachFormatGoesToItsBackend() throws Exception {
        SlideReaders readers = SlideReaders.builtIn();
        SyntheticSlide svs = SyntheticSlideGenerator.generate(
                dir.resolve("s.svs"), 900, 700, 0.2528, 4, SyntheticSlideOptions.svs());
        assertThat(new TiffSlideReaderProvider().support(svs.path(), Files.readAllBytes(svs.path())))
                .isEqualTo(new Support(Support.SPECIFIC, "Aperio SVS (ImageDescription of the first image)"));
        try (SlideReader reader = readers.open(svs.path(), "s.svs")) {
            // Both recognise Aperio (score 3); the faster pure-Java reader is listed first by default.
            assertThat(reader.backend()).isEqualTo("java-tiff");
            assertThat(reader.info().format()).isEqualTo("aperio");
            assertThat(reader.info().mpp()).isEqualTo(OptionalDouble.of(0.2528));
        }
        Path zip = TestSlides.dicomZip(dir.resolve("series.zip"), 700, 500, 0.5);
        try (SlideReader reader = readers.open(zip, "series.zip")) {
            assertThat(reader.backend()).isEqualTo("dicom-wsi");
            assertThat(reader.info().levels()).extracting(SlideLevel::width).containsExactly(700, 350, 175);
            assertThat(reader.info().mpp()).isEqualTo(OptionalDouble.of(0.5));
        }
    }

    @Test
    void supportScoresAreStatedWithAReason() throws Exception {
        Path tiff = SyntheticSlideGenerator.generate(dir.resolve("g.tiff"), 300, 200, 0.5, 1)
                .path();
        byte[] head = Files.readAllBytes(tiff);
        assertThat(new TiffSlideReaderProvider().support(tiff, head))
                .isEqualTo(new Support(Support.GENERIC, "TIFF header"));
        assertThat(new DicomSlideReaderProvider().support(tiff, head).supported())
                .isFalse();
        assertThat(new DicomSlideReaderProvider().support(dir, new byte[0]).score())
                .isEqualTo(Support.CONTAINER);
        if (OpenSlide.isAvailable()) {
            assertThat(new OpenSlideReaderProvider().support(tiff, head))
                    .isEqualTo(new Support(Support.GENERIC, "OpenSlide detects a generic tiled TIFF"));
        }
    }
}
