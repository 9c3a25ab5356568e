package org.tessera.dashboard;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The command-line client as its users run it: the packaged {@code orchestrator/cli/target/tessera-cli.jar} (what the
 * {@code tessera} launcher runs) in its own JVM, with pipes for its output and an environment of its own (its
 * credentials folder, the stack's addresses).
 */
final class TesseraCli {

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

    private final Path jar;
    private final Map<String, String> environment;

    TesseraCli(Path root, Map<String, String> environment) {
        this.jar = root.resolve("orchestrator/cli/target/tessera-cli.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    jar + " is missing: build the client first (./mvnw -pl orchestrator/cli -am package -DskipTests)");
        }
        this.environment = Map.copyOf(environment);
    }

    /** A running command. */
    final class Running {

        private final Process process;
        private final BlockingQueue<String> stdoutLines = new LinkedBlockingQueue<>();
        private final StringBuilder stdout = new StringBuilder();
        private final StringBuilder stderr = new StringBuilder();
        private final Thread stdoutReader;
        private final Thread stderrReader;

        private Running(Process process) {
            this.process = process;
            this.stdoutReader =
                    Thread.ofVirtual().start(() -> pump(process.inputReader(StandardCharsets.UTF_8), stdout, true));
            this.stderrReader =
                    Thread.ofVirtual().start(() -> pump(process.errorReader(StandardCharsets.UTF_8), stderr, false));
        }

        /** The next line on stdout, waiting up to a minute. */
        String nextLine() throws InterruptedException {
            String line = stdoutLines.poll(1, TimeUnit.MINUTES);
            if (line == null) {
                throw new AssertionError("no output from the client within a minute; stderr so far: " + stderr());
            }
            return line;
        }

        Result await() throws Exception {
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("the client did not finish within 3 minutes; stderr: " + stderr());
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

    Running start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("TESSERA_TOKEN");
        builder.environment().putAll(environment);
        builder.redirectInput(ProcessBuilder.Redirect.PIPE);
        return new Running(builder.start());
    }

    Result run(String... args) throws Exception {
        return start(args).await();
    }
}
