package org.tessera.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.contracts.ErrorCodes;
import org.tessera.contracts.FailureKind;
import org.tessera.contracts.InputArtifact;
import org.tessera.contracts.SlideJob;
import org.tessera.models.ModelRegistry;
import org.tessera.objectstore.ObjectStoreSettings;
import org.tessera.objectstore.ObjectStores;
import org.tessera.slides.SlideReaders;
import org.tessera.worker.analysis.SlideAnalyzer;
import org.tessera.worker.common.InputRejectedException;
import org.tessera.worker.common.ItemFailure;
import org.tessera.worker.common.ProgressSink;
import org.tessera.worker.fetch.AddressPolicy;
import org.tessera.worker.fetch.SlideFetcher;
import org.tessera.worker.testing.AnalysisFixtures;

/**
 * A worker that dies in native code while it reads a slide cannot report it; the directory it leaves behind can. Real
 * crashes here: child processes that die of SIGSEGV with the slide open.
 */
class ReaderCrashesTest {

    private static final UUID ITEM = UUID.fromString("00000000-0000-0000-0000-0000000000c1");

    @TempDir
    Path workDir;

    @TempDir
    Path errors;

    /** Runs a process that marks an item's directory as being read and dies of a segmentation fault. */
    private void crashWhileReading() throws Exception {
        Process child = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElseThrow(),
                        "--enable-native-access=ALL-UNNAMED",
                        "-XX:-CreateCoredumpOnCrash",
                        "-XX:ErrorFile=" + errors.resolve("hs_err_%p.log"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        CrashWhileReading.class.getName(),
                        workDir.toString(),
                        ITEM.toString())
                .redirectErrorStream(true)
                .redirectOutput(
                        errors.resolve("child-" + System.nanoTime() + ".log").toFile())
                .start();
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("the child died of a signal").isNotZero();
        try (Stream<Path> logs = Files.list(errors)) {
            assertThat(logs).anyMatch(f -> f.getFileName().toString().startsWith("hs_err_"));
        }
    }

    private SlidePipeline pipeline() {
        return new SlidePipeline(
                new SlideFetcher(new AddressPolicy(false, false), SlideFetcher.Settings.defaults(1 << 20)),
                SlideReaders.builtIn(),
                new SlideAnalyzer(AnalysisFixtures.cpu(1, 1), ModelRegistry.withBuiltInModels()),
                ObjectStores.create(new ObjectStoreSettings(
                        Optional.of(workDir.resolve("store")), URI.create("http://127.0.0.1:1"), "test-signing-key")),
                workDir);
    }

    private static SlideJob job(int attempt) {
        var metadata = JsonNodeFactory.instance.objectNode().put("media_type", "image/tiff");
        return new SlideJob(
                "slide-7",
                "test-app",
                "1.0.0",
                "org",
                attempt,
                List.of(new InputArtifact("whole_slide_image", "http://127.0.0.1:1/slide.tiff", metadata)),
                "outputs/r/i");
    }

    @Test
    void aSlideThatKilledTheWorkerTwiceWhileBeingReadIsTheInputsFault() throws Exception {
        crashWhileReading();
        ReaderCrashes crashes = new ReaderCrashes(workDir);
        Path current = Files.createTempDirectory(workDir, "item-" + ITEM + "-2-");
        assertThat(crashes.died(ITEM, current))
                .as("one death: retried, it may not be the slide")
                .isEqualTo(1);
        Files.delete(current);

        crashWhileReading();
        assertThatThrownBy(() -> pipeline().process(UUID.randomUUID(), ITEM, 3, job(3), ProgressSink.NONE))
                .isInstanceOfSatisfying(InputRejectedException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCodes.INPUT_CRASHED_READER);
                    ItemFailure failure = ItemFailure.of(e);
                    assertThat(failure.kind()).isEqualTo(FailureKind.USER_ERROR);
                    assertThat(failure.retryable()).isFalse();
                })
                .hasMessageContaining("whole_slide_image of item slide-7")
                .hasMessageContaining("died 2 times while reading it");
        try (Stream<Path> left = Files.list(workDir)) {
            assertThat(left)
                    .as("the dead attempts' directories and the ledger are gone")
                    .allMatch(p -> p.getFileName().toString().equals("store"));
        }
    }

    @Test
    void onlyADirectoryMarkedByAProcessThatIsGoneCounts() throws Exception {
        ReaderCrashes crashes = new ReaderCrashes(workDir);
        Path live = Files.createTempDirectory(workDir, "item-" + ITEM + "-1-");
        crashes.reading(live);
        Path downloading = Files.createTempDirectory(workDir, "item-" + ITEM + "-1-");
        Path gone = Files.createTempDirectory(workDir, "item-" + ITEM + "-1-");
        Files.writeString(gone.resolve(ReaderCrashes.MARKER), Long.MAX_VALUE + "@2020-01-01T00:00:00Z");
        Path other = Files.createTempDirectory(workDir, "item-" + UUID.randomUUID() + "-1-");
        Files.writeString(other.resolve(ReaderCrashes.MARKER), Long.MAX_VALUE + "@2020-01-01T00:00:00Z");

        Path current = Files.createTempDirectory(workDir, "item-" + ITEM + "-2-");
        assertThat(crashes.died(ITEM, current)).isEqualTo(1);
        assertThat(gone).doesNotExist();
        assertThat(live).exists();
        assertThat(downloading).exists();
        assertThat(other).exists();
        assertThat(crashes.died(ITEM, current))
                .as("counted once, in the ledger")
                .isEqualTo(1);
        crashes.forget(ITEM);
        assertThat(crashes.died(ITEM, current)).isZero();
    }
}
