package org.tessera.worker.slide;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tessera.contracts.ErrorCodes;
import org.tessera.contracts.FailureKind;
import org.tessera.slides.SlideFormatException;
import org.tessera.slides.SlideFormatException.Code;
import org.tessera.worker.common.ItemFailure;

class SlideErrorsTest {

    @Test
    void everyLibraryCodeIsAUserErrorWithItsOwnPlatformCode() {
        Set<String> platformCodes = new HashSet<>();
        for (Code code : EnumSet.allOf(Code.class)) {
            ItemFailure failure =
                    ItemFailure.of(SlideErrors.rejection(new SlideFormatException(code, "slide.svs: " + code)));
            assertThat(failure.kind()).isEqualTo(FailureKind.USER_ERROR);
            assertThat(failure.message()).isEqualTo("slide.svs: " + code);
            assertThat(failure.code()).startsWith("INPUT_");
            platformCodes.add(failure.code());
        }
        assertThat(platformCodes).hasSize(Code.values().length);
        assertThat(SlideErrors.errorCode(Code.UNREADABLE)).isEqualTo(ErrorCodes.INPUT_UNREADABLE);
        assertThat(SlideErrors.errorCode(Code.METADATA_MISMATCH)).isEqualTo(ErrorCodes.INPUT_METADATA_MISMATCH);
    }
}
