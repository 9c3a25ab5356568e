package org.tessera.worker.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.tessera.contracts.ErrorCodes;
import org.tessera.contracts.FailureKind;

class ItemFailureTest {

    @Test
    void rejectedInputIsAUserErrorWithItsCodeAndNeverRetried() {
        ItemFailure failure = ItemFailure.of(new InputRejectedException(ErrorCodes.INPUT_TOO_LARGE, "too big"));
        assertThat(failure).isEqualTo(new ItemFailure(FailureKind.USER_ERROR, ErrorCodes.INPUT_TOO_LARGE, "too big"));
        assertThat(failure.retryable()).isFalse();
    }

    @Test
    void uploadFailureIsOurs() {
        ItemFailure failure = ItemFailure.of(new OutputUploadException("uploading x failed", new IOException("disk")));
        assertThat(failure.kind()).isEqualTo(FailureKind.SYSTEM_ERROR);
        assertThat(failure.code()).isEqualTo(ErrorCodes.SYSTEM_OUTPUT_UPLOAD_FAILED);
        assertThat(failure.retryable()).isTrue();
    }

    @Test
    void anythingElseIsAnInternalSystemErrorWithoutLeakingDetails() {
        ItemFailure failure = ItemFailure.of(new IllegalStateException("secret internal path /var/x"));
        assertThat(failure.kind()).isEqualTo(FailureKind.SYSTEM_ERROR);
        assertThat(failure.code()).isEqualTo(ErrorCodes.SYSTEM_INTERNAL);
        assertThat(failure.message()).doesNotContain("/var/x");
        assertThat(ItemFailure.of(new OutOfMemoryError()).code()).isEqualTo(ErrorCodes.SYSTEM_INTERNAL);
    }
}
