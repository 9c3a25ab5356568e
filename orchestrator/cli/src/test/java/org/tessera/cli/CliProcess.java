package org.tessera.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The client run as users run it: its own JVM, {@link Main} on this module's class path, stdout and stderr pipes (so
 * never a terminal), and an environment of its own.
 */
final class CliProcess {

    /** What a finished command left. */
    record Result(int exitCode, String stdout, String stderr) {

        List<String> lines() {
            return stdout.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private final Process process;
    private final BlockingQueue<String> stdoutLines = new LinkedBlockingQueue<>();
    private final StringBuilder stdout = new StringBuilder();
    private final StringBuilder stderr = new StringBuilder();
    private final Thread stdoutReader;
    private final Thread stderrReader;

    private CliProcess(Process process) {
        this.process = process;
        this.stdoutReader =
                Thread.ofVirtual().start(() -> pump(process.inputReader(StandardCharsets.UTF_8), stdout, true));
        this.stderrReader =
                Thread.ofVirtual().start(() -> pump(process.errorReader(StandardCharsets.UTF_8), stderr, false));
    }

    static CliProcess start(Map<String, String> environment, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("TESSERA_TOKEN");
        builder.environment().remove("NO_COLOR");
        builder.environment().putAll(environment);
        builder.redirectInput(ProcessBuilder.Redirect.PIPE);
        return new CliProcess(builder.start());
    }

    static Result run(Map<String, String> environment, String... args) throws Exception {
        return start(environment, List.of(args)).await();
    }

    /** The next line on stdout, waiting up to a minute. */
    String nextLine() throws InterruptedException {
        String line = stdoutLines.poll(1, TimeUnit.MINUTES);
        if (line == null) {
            throw new AssertionError("no output within a minute; stderr so far: " + stderr());
        }
        return line;
    }

    /** Ends a command that runs until interrupted (such as {@code view}), as Ctrl-C would. */
    void interrupt() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    Result await() throws Exception {
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the client did not finish within 5 minutes; stderr: " + stderr());
        }
        stdoutReader.join();
        stderrReader.join();
        synchronized (this) {
            return new Result(process.exitValue(), stdout.toString(), stderr.toString());
        }
    }

    private synchronized String stderr() {
        return stderr.toString();
    }

    private void pump(BufferedReader reader, StringBuilder sink, boolean queue) {
        try (reader) {
            for (String line; (line = reader.readLine()) != null; ) {
                synchronized (this) {
                    sink.append(line).append('\n');
                }
                if (queue) {
                    stdoutLines.add(line);
                }
            }
        } catch (IOException e) {
            // The process ended.
        }
    }
}
