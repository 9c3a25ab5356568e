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
        if (!scan(parents, commandLines, ticks)) {
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

    /** Every process's parent, command line and CPU ticks so far; false when /proc cannot be listed. */
    private static boolean scan(Map<Long, Long> parents, Map<Long, String> commandLines, Map<Long, Long> ticks) {
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
            return false;
        }
        return true;
    }

    /** The postmaster of the stack's cluster (its data directory lies in the state directory), or one of its children. */
    private static boolean isPostgres(long pid, Map<Long, Long> parents, Map<Long, String> commands, String state) {
        if (isPostmaster(commands.get(pid), state)) {
            return true;
        }
        Long parent = parents.get(pid);
        return commands.get(pid).startsWith("postgres: ")
                && parent != null
                && isPostmaster(commands.get(parent), state);
    }

    private static boolean isPostmaster(String command, String state) {
        if (command == null || !command.contains(state)) {
            return false;
        }
        String executable = command.split(" ", 2)[0];
        return executable.endsWith("/postgres");
    }

    /**
     * CPU seconds (user + system) of the orchestrator's threads, grouped by name with numbers dropped
     * ({@code executor-thread-12} and {@code executor-thread-3} are one group): request threads, event loops, Kafka
     * clients, the garbage collector and the JIT compilers. Empty when no orchestrator runs.
     */
    static Map<String, Double> orchestratorThreads() {
        Map<String, Double> seconds = new HashMap<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                String command;
                try {
                    command = new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    continue;
                }
                if (!command.contains("orchestrator/target/quarkus-app")) {
                    continue;
                }
                try (DirectoryStream<Path> threads = Files.newDirectoryStream(process.resolve("task"))) {
                    for (Path thread : threads) {
                        try {
                            String stat = Files.readString(thread.resolve("stat"));
                            String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                                    .replaceAll("[-#]?[0-9]+$", "")
                                    .replaceAll("[0-9]+", "N");
                            String[] fields =
                                    stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                            long used = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                            seconds.merge(name, used / TICKS_PER_SECOND, Double::sum);
                        } catch (IOException | RuntimeException e) {
                            // The thread ended while being read.
                        }
                    }
                } catch (IOException e) {
                    // The process ended while being read.
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return seconds;
    }

    /**
     * CPU seconds of the stack's PostgreSQL processes by role, as their titles name it ({@code checkpointer},
     * {@code walwriter}, {@code autovacuum worker}; client sessions are {@code backends}), so that background work
     * is told apart from the statements. Backends that ended between two readings take their CPU with them.
     */
    static Map<String, Double> postgresRoles(Path stateDir) {
        Map<Long, Long> parents = new HashMap<>();
        Map<Long, String> commandLines = new HashMap<>();
        Map<Long, Long> ticks = new HashMap<>();
        scan(parents, commandLines, ticks);
        String state = stateDir.toAbsolutePath().normalize().toString();
        Map<String, Double> seconds = new HashMap<>();
        commandLines.forEach((pid, command) -> {
            if (!isPostgres(pid, parents, commandLines, state)) {
                return;
            }
            String role = command.startsWith("postgres: ")
                    ? command.substring("postgres: ".length()).trim()
                    : "postmaster";
            if (role.contains("(")) {
                role = "backends";
            } else if (role.startsWith("autovacuum worker")) {
                role = "autovacuum worker";
            }
            seconds.merge(role, ticks.getOrDefault(pid, 0L) / TICKS_PER_SECOND, Double::sum);
        });
        return seconds;
    }

    /** The difference of two readings, per part. */
    static Map<String, Double> since(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> used = new LinkedHashMap<>();
        after.forEach((part, total) -> used.put(part, total - before.getOrDefault(part, 0.0)));
        return used;
    }
}
