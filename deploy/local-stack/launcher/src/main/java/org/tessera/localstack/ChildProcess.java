package org.tessera.localstack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process the stack started, with its output in one log file. Stopping is always SIGTERM first, so that Kafka
 * closes its log segments and the Quarkus services drain their consumers, and only then, after a grace period, a
 * forced kill.
 */
public final class ChildProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path logFile;
    private final Instant startedAt;

    private ChildProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.startedAt = process.info().startInstant().orElse(Instant.EPOCH);
    }

    /**
     * Starts {@code command}; stdout and stderr both go to {@code logFile}. The log is appended to, so that a service
     * restarted during a stack's life keeps the history of its earlier run.
     */
    public static ChildProcess start(
            String name, List<String> command, Map<String, String> environment, Path workingDir, Path logFile)
            throws IOException {
        Files.createDirectories(logFile.getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().putAll(environment);
        return new ChildProcess(name, builder.start(), logFile);
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    /** When the operating system says the process started; recorded so that a reused pid is never signalled. */
    public Instant startedAt() {
        return startedAt;
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public int exitValue() {
        return process.exitValue();
    }

    /** Waits for the process to end by itself; returns its exit code, or empty on timeout. */
    public java.util.OptionalInt waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                ? java.util.OptionalInt.of(process.exitValue())
                : java.util.OptionalInt.empty();
    }

    /** Sends SIGTERM without waiting, so that several processes can shut down side by side. */
    public void terminate() {
        process.destroy();
    }

    /**
     * SIGKILL at once and wait until the process is gone: no shutdown hooks run, so nothing is flushed, committed or
     * deregistered, as when a machine dies.
     */
    public void kill() {
        process.destroyForcibly();
        process.onExit().join();
    }

    /** SIGTERM, wait up to {@code grace}, then SIGKILL. Returns true when the process ended on the SIGTERM. */
    public boolean stop(Duration grace) {
        return stop(process.toHandle(), grace);
    }

    static boolean stop(ProcessHandle handle, Duration grace) {
        if (!handle.isAlive()) {
            return true;
        }
        handle.destroy();
        try {
            handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            handle.destroyForcibly();
            handle.onExit().join();
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            handle.destroyForcibly();
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return !handle.isAlive();
        }
    }

    /** The last {@code lines} lines of the log, for error messages. */
    public String logTail(int lines) {
        return tail(logFile, lines);
    }

    static String tail(Path file, int lines) {
        if (!Files.isRegularFile(file)) {
            return "(no log at " + file + ")";
        }
        // Reads only the end of the file: logs of a long-running broker can be large, and may hold bytes that are not
        // valid UTF-8, which must not hide the lines that explain a failure.
        try (var channel = Files.newByteChannel(file)) {
            long size = channel.size();
            int window = (int) Math.min(size, 256 * 1024);
            ByteBuffer buffer = ByteBuffer.allocate(window);
            channel.position(size - window);
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // keep reading until the window is full
            }
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
            List<String> all = text.lines().toList();
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(could not read " + file + ": " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ", log " + logFile + ")";
    }
}
