package org.tessera.localstack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The stack's record of itself in {@code <state dir>/stack.properties}: its status, its URLs, and the pid and start
 * time of every process it started, so that {@code down} stops exactly those processes and never a stranger that
 * happens to reuse a pid.
 */
public final class StackState {

    public static final String FILE = "stack.properties";

    public enum Status {
        STARTING,
        READY,
        FAILED,
        STOPPING
    }

    /** A process the stack started. */
    public record Pid(String name, long pid, Instant startedAt) {

        /** The live process with this pid, if it is still the one that was recorded. */
        public Optional<ProcessHandle> handle() {
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(handle -> handle.info()
                            .startInstant()
                            // Start times are recorded with second precision or better; allow for rounding.
                            .map(started -> Math.abs(started.getEpochSecond() - startedAt.getEpochSecond()) <= 1)
                            .orElse(startedAt.equals(Instant.EPOCH)));
        }
    }

    private static final List<String> STOP_ORDER = List.of("worker", "orchestrator", "kafka", "postgres", "launcher");

    private final Map<String, String> values;

    private StackState(Map<String, String> values) {
        this.values = values;
    }

    public static StackState empty() {
        return new StackState(new LinkedHashMap<>());
    }

    public static Optional<StackState> read(Path stateDir) {
        Path file = stateDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        properties.stringPropertyNames().stream().sorted().forEach(key -> values.put(key, properties.getProperty(key)));
        return Optional.of(new StackState(values));
    }

    /** Writes the file atomically, so that a reader never sees half of it. */
    public synchronized void write(Path stateDir) {
        Properties properties = new Properties();
        properties.putAll(values);
        Path file = stateDir.resolve(FILE);
        Path temp = stateDir.resolve(FILE + ".tmp");
        try {
            Files.createDirectories(stateDir);
            try (Writer writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                properties.store(writer, "Tessera local stack; written by the launcher, read by ./local-stack down");
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static void delete(Path stateDir) {
        try {
            Files.deleteIfExists(stateDir.resolve(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized StackState set(String key, String value) {
        values.put(key, value);
        return this;
    }

    public synchronized Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public Status status() {
        return get("status").map(Status::valueOf).orElse(Status.FAILED);
    }

    public StackState status(Status status) {
        return set("status", status.name());
    }

    public synchronized StackState pid(String name, long pid, Instant startedAt) {
        values.put("pid." + name, Long.toString(pid));
        values.put("started." + name, Long.toString(startedAt.toEpochMilli()));
        return this;
    }

    public synchronized StackState removePid(String name) {
        values.remove("pid." + name);
        values.remove("started." + name);
        return this;
    }

    /** The launcher that supervises the stack, if recorded. */
    public Optional<Pid> supervisor() {
        return pids().stream().filter(pid -> pid.name().equals("launcher")).findFirst();
    }

    /**
     * Every recorded process in the order to stop them: the services before the broker and database they use, the
     * launcher last.
     */
    public synchronized List<Pid> pids() {
        List<Pid> pids = new ArrayList<>();
        values.forEach((key, value) -> {
            if (key.startsWith("pid.")) {
                String name = key.substring("pid.".length());
                Instant started = Optional.ofNullable(values.get("started." + name))
                        .map(millis -> Instant.ofEpochMilli(Long.parseLong(millis)))
                        .orElse(Instant.EPOCH);
                pids.add(new Pid(name, Long.parseLong(value), started));
            }
        });
        pids.sort(Comparator.comparingInt(
                pid -> STOP_ORDER.contains(pid.name()) ? STOP_ORDER.indexOf(pid.name()) : STOP_ORDER.size()));
        return pids;
    }

    public synchronized Map<String, String> values() {
        return Map.copyOf(values);
    }
}
