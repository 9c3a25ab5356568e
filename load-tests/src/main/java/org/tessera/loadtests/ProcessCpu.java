package org.tessera.loadtests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU seconds used so far by each process of a local stack and by this benchmark, read from {@code /proc}: the
 * orchestrator and worker JVMs, the Kafka broker, PostgreSQL (the postmaster whose data directory lies in the stack's
 * state directory, with its backends) and this JVM. Two readings around a phase give where its CPU went.
 */
final class ProcessCpu {

    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessCpu() {}

    /** CPU seconds (user + system) per part of the stack, in a fixed order; parts not found are absent. */
    static Map<String, Double> read(Path stateDir) {
        Map<Long, Long> parents = new HashMap<>();
        Map<Long, String> commandLines = new HashMap<>();
        Map<Long, Long> ticks = new HashMap<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                long pid = Long.parseLong(process.getFileName().toString());
                try {
                    String stat = Files.readString(process.resolve("stat"));
                    // Fields after the command name, which is in parentheses and may hold spaces.
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    parents.put(pid, Long.parseLong(fields[1]));
                    ticks.put(pid, Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
                    commandLines.put(
                            pid,
                            new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8)
                                    .replace('\0', ' '));
                } catch (IOException | RuntimeException e) {
                    // The process ended while being read.
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        String state = stateDir.toAbsolutePath().normalize().toString();
        long self = ProcessHandle.current().pid();
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (String part : new String[] {"orchestrator", "worker", "kafka", "postgres", "benchmark"}) {
            seconds.put(part, 0.0);
        }
        for (Map.Entry<Long, String> entry : commandLines.entrySet()) {
            long pid = entry.getKey();
            String command = entry.getValue();
            String part = null;
            if (pid == self) {
                part = "benchmark";
            } else if (command.contains("orchestrator/target/quarkus-app")) {
                part = "orchestrator";
            } else if (command.contains("worker/service/target/quarkus-app")) {
                part = "worker";
            } else if (command.contains("kafka.Kafka ") && command.contains(state)) {
                part = "kafka";
            } else if (isPostgres(pid, parents, commandLines, state)) {
                part = "postgres";
            }
            if (part != null) {
                seconds.merge(part, ticks.getOrDefault(pid, 0L) / TICKS_PER_SECOND, Double::sum);
            }
        }
        seconds.values().removeIf(v -> v == 0.0);
        return seconds;
    }

    /** The postmaster of the stack's cluster, or one of its backends. */
    private static boolean isPostgres(long pid, Map<Long, Long> parents, Map<Long, String> commands, String state) {
        String command = commands.get(pid);
        if (command.contains("postgres") && command.contains(state)) {
            return true;
        }
        Long parent = parents.get(pid);
        String parentCommand = parent == null ? null : commands.get(parent);
        return parentCommand != null && parentCommand.contains("postgres") && parentCommand.contains(state);
    }

    /** The difference of two readings, per part. */
    static Map<String, Double> since(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> used = new LinkedHashMap<>();
        after.forEach((part, total) -> used.put(part, total - before.getOrDefault(part, 0.0)));
        return used;
    }
}
