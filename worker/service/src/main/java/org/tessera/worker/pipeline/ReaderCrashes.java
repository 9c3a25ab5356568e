package org.tessera.worker.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.tessera.dicom.FileTrees;

/**
 * Evidence that a slide crashed the worker. A native crash (a signal in libjpeg-turbo or in OpenSlide's libtiff) or the
 * kernel killing the process takes the JVM down before any catch block runs, so the dying worker cannot report it; the
 * orchestrator only sees the item's lease expire. What survives is the item's directory under the work dir: while the
 * slide is open it holds a {@value #MARKER} file naming the process. A later attempt of the item on this worker finds
 * the directories its dead predecessors left, counts them in a ledger and removes them. A graceful stop interrupts the
 * job, whose directory is then removed as usual: only a process that died while reading leaves a marker behind.
 *
 * <p>Once {@value #BLAMING_THE_INPUT} attempts have died reading the slide, the input is at fault: it is not read a
 * third time. One death is not enough, since a worker may also be killed while reading for reasons of its own (a
 * forced stop, a node failing); two in a row while reading the same file are.
 */
final class ReaderCrashes {

    /** Names the process that has the slide open, inside the item's directory. */
    static final String MARKER = "reading";

    /** Deaths while reading after which the input is refused. */
    static final int BLAMING_THE_INPUT = 2;

    private static final String LEDGER = "reader-crashes-";

    private final Path workDir;
    private final String self;

    ReaderCrashes(Path workDir) {
        this(workDir, identity(ProcessHandle.current()));
    }

    /** @param self how markers name this process */
    ReaderCrashes(Path workDir, String self) {
        this.workDir = Objects.requireNonNull(workDir, "workDir");
        this.self = Objects.requireNonNull(self, "self");
    }

    /** A process by its id and start time: ids are reused (a container's worker is always process 1), starts are not. */
    static String identity(ProcessHandle process) {
        return process.pid() + "@"
                + process.info().startInstant().map(Instant::toString).orElse("?");
    }

    /**
     * Counts, in the ledger, the attempts of the item that died while reading its slide on this worker, removing the
     * directories they left; {@code current} is the directory of the attempt now starting.
     *
     * @return the attempts that died while reading, all told
     */
    int died(UUID itemId, Path current) throws IOException {
        int deaths = ledger(itemId);
        int found = 0;
        try (DirectoryStream<Path> left = Files.newDirectoryStream(workDir, "item-" + itemId + "-*")) {
            for (Path dir : left) {
                Path marker = dir.resolve(MARKER);
                if (dir.equals(current) || !Files.isRegularFile(marker)) {
                    continue;
                }
                String owner = Files.readString(marker, StandardCharsets.UTF_8).trim();
                if (!alive(owner)) {
                    found++;
                    FileTrees.deleteRecursively(dir);
                }
            }
        }
        if (found > 0) {
            Files.writeString(workDir.resolve(LEDGER + itemId), Integer.toString(deaths + found));
        }
        return deaths + found;
    }

    /** Forgets the item's deaths: an attempt that ends in this process read the slide without dying. */
    void forget(UUID itemId) throws IOException {
        Files.deleteIfExists(workDir.resolve(LEDGER + itemId));
    }

    /** Marks {@code dir} as holding a slide this process is reading, until the returned mark is closed. */
    Reading reading(Path dir) throws IOException {
        Path marker = Files.writeString(dir.resolve(MARKER), self, StandardCharsets.UTF_8);
        return () -> Files.deleteIfExists(marker);
    }

    /** The mark of a slide being read; closing it removes the marker. */
    @FunctionalInterface
    interface Reading extends AutoCloseable {
        @Override
        void close() throws IOException;
    }

    private int ledger(UUID itemId) throws IOException {
        Path ledger = workDir.resolve(LEDGER + itemId);
        if (!Files.isRegularFile(ledger)) {
            return 0;
        }
        try {
            return Integer.parseInt(
                    Files.readString(ledger, StandardCharsets.UTF_8).trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Whether the process a marker names still runs: this one, or another worker sharing the work dir. */
    private boolean alive(String owner) {
        if (owner.equals(self)) {
            return true;
        }
        int at = owner.indexOf('@');
        if (at < 1) {
            return false;
        }
        try {
            long pid = Long.parseLong(owner.substring(0, at));
            return ProcessHandle.of(pid).map(p -> identity(p).equals(owner)).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
