package org.tessera.cli;

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
 * The command-line client as its users run it: each command in its own JVM, with pipes for stdout and stderr (so never
 * a terminal) and an environment of its own: nothing inherited under {@code TESSERA_TOKEN} or {@code NO_COLOR}, and the
 * caller's settings (its credentials folder, the stack's addresses) on top. This module's end-to-end test runs
 * {@link Main} on its own class path; tests elsewhere (the dashboard's, through this module's test-jar) run the packaged
 * {@code orchestrator/cli/target/tessera-cli.jar}, which the {@code tessera} launcher runs.
 */
public final class TesseraCli {

    /** What a finished command left. */
    public record Result(int exitCode, String stdout, String stderr) {

        public List<String> lines() {
            return stdout.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private final List<String> launch;
    private final Map<String, String> environment;

    private TesseraCli(List<String> launch, Map<String, String> environment) {
        this.launch = List.copyOf(launch);
        this.environment = Map.copyOf(environment);
    }

    /** {@link Main} on the class path of this JVM. */
    public static TesseraCli onClassPath(Map<String, String> environment) {
        return new TesseraCli(
                List.of(java(), "-cp", System.getProperty("java.class.path"), Main.class.getName()), environment);
    }

    /** The packaged client of the checkout at {@code root}, which must have been built. */
    public static TesseraCli packaged(Path root, Map<String, String> environment) {
        Path jar = root.resolve("orchestrator/cli/target/tessera-cli.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    jar + " is missing: build the client first (./mvnw -pl orchestrator/cli -am package -DskipTests)");
        }
        return new TesseraCli(
                List.of(java(), "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString()), environment);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public Running start(String... args) throws IOException {
        List<String> command = new ArrayList<>(launch);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("TESSERA_TOKEN");
        builder.environment().remove("NO_COLOR");
        builder.environment().putAll(environment);
        builder.redirectInput(ProcessBuilder.Redirect.PIPE);
        return new Running(builder.start());
    }

    /** Runs a command to its end. */
    public Result run(String... args) throws Exception {
        return start(args).await();
    }

    /** A running command. */
    public static final class Running {

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
        public String nextLine() throws InterruptedException {
            String line = stdoutLines.poll(1, TimeUnit.MINUTES);
            if (line == null) {
                throw new AssertionError("no output from the client within a minute; stderr so far: " + stderr());
            }
            return line;
        }

        /** Ends a command that runs until interrupted (such as {@code view}), as Ctrl-C would. */
        public void interrupt() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }

        /** Waits for the command to end, up to 5 minutes. */
        public Result await() throws Exception {
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
}
