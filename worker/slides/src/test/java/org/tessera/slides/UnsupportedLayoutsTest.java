package org.tessera.slides;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tessera.imaging.synthetic.BadSlides;
import org.tessera.imaging.synthetic.BadSlides.UnsupportedLayout;
import org.tessera.slides.SlideFormatException.Code;

/**
 * Pixel layouts no backend decodes are refused as UNSUPPORTED_FORMAT, by every backend the worker tries (OpenSlide's
 * pre-flight applies the same rules), with a message that names the property and its value.
 */
class UnsupportedLayoutsTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}, tiled {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "SIXTEEN_BITS    | false | 16 bits per sample",
                "SIXTEEN_BITS    | true  | 16 bits per sample",
                "ONE_BIT         | false | 1 bit per sample",
                "PALETTE         | false | PhotometricInterpretation 3 (palette colour)",
                "PALETTE         | true  | PhotometricInterpretation 3 (palette colour)",
                "SEPARATE_PLANES | false | PlanarConfiguration 2 (separate planes)",
                "SEPARATE_PLANES | true  | PlanarConfiguration 2 (separate planes)",
                "CMYK            | false | PhotometricInterpretation 5 (separated, e.g. CMYK)",
                "YCBCR_DEFLATE   | false | PhotometricInterpretation 6 (YCbCr) with TIFF compression 8",
                "YCBCR_DEFLATE   | true  | PhotometricInterpretation 6 (YCbCr) with TIFF compression 8",
                "FLOAT           | false | SampleFormat 3 (floating point)",
            })
    void isUnsupportedNamingWhatAndWhich(UnsupportedLayout layout, boolean tiled, String named) throws Exception {
        Path file = BadSlides.unsupportedLayout(dir.resolve(layout + ".tiff"), layout, tiled)
                .path();
        assertThatThrownBy(() -> {
                    try (SlideReader reader = SlideReaders.builtIn().open(file, "whole_slide_image")) {
                        reader.readPixels(0, 0, 0, 16, 16, new int[256]);
                    }
                })
                .isInstanceOfSatisfying(
                        SlideFormatException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.code())
                                .as(e.getMessage())
                                .isEqualTo(Code.UNSUPPORTED_FORMAT))
                .hasMessageContaining("whole_slide_image level 0")
                .hasMessageContaining(named);
    }
}
