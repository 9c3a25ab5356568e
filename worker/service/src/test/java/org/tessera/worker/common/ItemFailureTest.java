package org.tessera.worker.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.contracts.ErrorCodes;
import org.tessera.contracts.FailureKind;
import org.tessera.imaging.synthetic.BadSlides;

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

    @TempDir
    Path dir;

    /**
     * A real out-of-memory error in a 48 MiB heap: decoding a slide's one 4,096² tile (within the limits, 64 MiB
     * decoded) is the input's, running out in the worker's own code is the platform's.
     */
    @Test
    void runningOutOfMemoryWhileDecodingIsTheInputsFaultElsewhereOurs() throws Exception {
        Path slide = BadSlides.hugeTile(dir.resolve("big-tile.tiff"), 4096).path();
        Process child = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElseThrow(),
                        "-Xmx48m",
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        OutOfMemoryWhileDecoding.class.getName(),
                        slide.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile())
                .start();
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
        List<String> lines = java.nio.file.Files.readAllLines(dir.resolve("child.log"));
        assertThat(lines)
                .contains("decoding: USER_ERROR " + ErrorCodes.INPUT_TOO_LARGE_DECODED)
                .contains("worker: SYSTEM_ERROR " + ErrorCodes.SYSTEM_INTERNAL);
    }
}
