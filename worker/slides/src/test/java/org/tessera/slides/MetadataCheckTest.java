package org.tessera.slides;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tessera.slides.SlideFormatException.Code;

class MetadataCheckTest {

    private static SlideInfo slide(OptionalDouble mpp) {
        return new SlideInfo("t", List.of(new SlideLevel(40_000, 30_000, 1)), mpp, Map.of());
    }

    private static DeclaredMetadata declared(Long width, Long height, Double mpp) {
        return new DeclaredMetadata(
                width == null ? OptionalLong.empty() : OptionalLong.of(width),
                height == null ? OptionalLong.empty() : OptionalLong.of(height),
                mpp == null ? OptionalDouble.empty() : OptionalDouble.of(mpp));
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                // file mpp, declared width, height, mpp -> mpp used
                Arguments.of(0.25, null, null, null, 0.25),
                Arguments.of(0.25, 40_000L, 30_000L, 0.25, 0.25),
                Arguments.of(0.2527, 40_000L, 30_000L, 0.25, 0.2527), // vendors round: the file's value wins
                Arguments.of(0.25, null, null, 0.2624, 0.25), // 4.96 % apart: within 5 %
                Arguments.of(0.25, null, null, 0.2376, 0.25),
                Arguments.of(null, 40_000L, 30_000L, 0.5, 0.5)); // the file has none: the request's
    }

    @ParameterizedTest
    @MethodSource("accepted")
    void resolvesThePixelSize(Double fileMpp, Long width, Long height, Double declaredMpp, double expected)
            throws SlideFormatException {
        SlideInfo info = slide(fileMpp == null ? OptionalDouble.empty() : OptionalDouble.of(fileMpp));
        assertThat(MetadataCheck.resolveMpp(info, declared(width, height, declaredMpp), "s.svs"))
                .isEqualTo(expected);
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                Arguments.of(
                        0.25, 39_999L, 30_000L, 0.25, Code.METADATA_MISMATCH, "metadata.width_px is 39999", "40000"),
                Arguments.of(
                        0.25, 40_000L, 30_001L, 0.25, Code.METADATA_MISMATCH, "metadata.height_px is 30001", "30000"),
                Arguments.of(0.25, null, null, 0.5, Code.METADATA_MISMATCH, "metadata.resolution_mpp is 0.5", "0.25"),
                Arguments.of(0.25, null, null, 0.2626, Code.METADATA_MISMATCH, "resolution_mpp is 0.2626", "5%"),
                Arguments.of(null, null, null, -1.0, Code.METADATA_MISMATCH, "resolution_mpp must be positive", "-1"),
                Arguments.of(null, 40_000L, 30_000L, null, Code.NO_RESOLUTION, "states no pixel size", "missing"));
    }

    @ParameterizedTest
    @MethodSource("rejected")
    void rejectsContradictionsNamingFieldDeclaredAndActual(
            Double fileMpp, Long width, Long height, Double declaredMpp, Code code, String field, String actual) {
        SlideInfo info = slide(fileMpp == null ? OptionalDouble.empty() : OptionalDouble.of(fileMpp));
        assertThatThrownBy(() -> MetadataCheck.resolveMpp(info, declared(width, height, declaredMpp), "s.svs"))
                .isInstanceOfSatisfying(
                        SlideFormatException.class, e -> assertThat(e.code()).isEqualTo(code))
                .hasMessageContaining("s.svs")
                .hasMessageContaining(field)
                .hasMessageContaining(actual);
    }
}
