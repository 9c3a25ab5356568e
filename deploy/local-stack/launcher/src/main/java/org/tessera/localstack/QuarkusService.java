package org.tessera.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Quarkus service started from its {@code quarkus-run.jar} in a child JVM. Configuration goes in as system
 * properties, except secrets, which go in as environment variables so that {@code ps} does not show them.
 */
public final class QuarkusService implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final ChildProcess process;
    private final int port;
    private final int managementPort;
    private final String healthPath;

    /** How a service's heap is split between the young and the old generation. */
    public enum HeapLayout {
        /**
         * Half of the heap young. What a service allocates mostly dies young, and a small young generation copies the
         * live part at every collection (starting from 64 MB with the default third young, collections took a fifth
         * of the orchestrator's time under 20 concurrent submitters).
         */
        HALF_YOUNG,

        /**
         * For a service that holds many large requests at once (the orchestrator: 20 concurrent 500-item
         * submissions keep 20-55 MB of bodies, trees and rows alive): five eighths young, with survivor spaces that
         * hold those requests through a collection instead of overflowing into the old generation. With the half-young
         * split the survivors (24 MB each in a 512 MB heap) overflowed at every collection, 15-20 MB went to the old
         * generation each time, and a full collection stopped the orchestrator for 180-245 ms every 10-25 s of a
         * closed loop. The old generation keeps three eighths, about three times the orchestrator's live data.
         */
        REQUESTS;

        List<String> options(String heap) {
            long megabytes = megabytes(heap);
            if (this == HALF_YOUNG || megabytes <= 0) {
                return List.of("-XX:NewRatio=1");
            }
            return List.of("-Xmn" + megabytes * 5 / 8 + "m", "-XX:SurvivorRatio=6", "-XX:TargetSurvivorRatio=90");
        }

        /** A heap size as {@code -Xmx} takes it ({@code 512m}, {@code 1g}, {@code 786432k}) in MB; 0 when unreadable. */
        static long megabytes(String heap) {
            if (heap == null || heap.length() < 2) {
                return 0;
            }
            char unit = Character.toLowerCase(heap.charAt(heap.length() - 1));
            long number;
            try {
                number = Long.parseLong(heap.substring(0, heap.length() - 1));
            } catch (NumberFormatException e) {
                return 0;
            }
            return switch (unit) {
                case 'k' -> number / 1024;
                case 'm' -> number;
                case 'g' -> number * 1024;
                default -> 0;
            };
        }
    }

    private QuarkusService(String name, ChildProcess process, int port, int managementPort, String healthPath) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.healthPath = healthPath;
    }

    /**
     * Starts the service without waiting for it; call {@link #awaitReady(Duration)} next. Starting two services
     * before waiting for either lets their JVMs boot side by side.
     */
    public static QuarkusService launch(
            String name,
            Path jar,
            int port,
            int managementPort,
            String healthPath,
            Map<String, String> config,
            Map<String, String> secrets,
            HeapLayout heap,
            StackOptions options)
            throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new StackException(
                    name, "no " + jar + "; build it first with ./mvnw -B -q install -DskipTests (./local-stack does)");
        }
        List<String> command = new ArrayList<>(List.of(
                options.javaCommand(),
                // The whole heap from the start; untouched heap costs no memory.
                "-Xms" + options.serviceHeap(),
                "-Xmx" + options.serviceHeap()));
        command.addAll(heap.options(options.serviceHeap()));
        command.addAll(List.of(
                // Few GC threads on a small shared machine.
                "-XX:+UseSerialGC",
                "-XX:+ExitOnOutOfMemoryError",
                "--enable-native-access=ALL-UNNAMED",
                "-Djava.awt.headless=true"));
        new TreeMap<>(config).forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toString());
        Path workDir = options.stateDir().resolve("data").resolve(name);
        Files.createDirectories(workDir);
        ChildProcess process = ChildProcess.start(
                name, command, secrets, workDir, options.logDir().resolve(name + ".log"));
        return new QuarkusService(name, process, port, managementPort, healthPath);
    }

    /**
     * Waits until the health endpoint answers 200 with status UP: {@code healthPath} on the management port when it
     * starts with {@code /q/}, else on the service's own port.
     */
    public QuarkusService awaitReady(Duration timeout) {
        URI health = (healthPath.startsWith("/q/") ? managementUrl() : url()).resolve(healthPath);
        Readiness.await(name, process, timeout, "HTTP 200 UP from " + health, () -> {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(health)
                            .timeout(Duration.ofSeconds(5))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"UP\"");
        });
        return this;
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public URI url() {
        return URI.create("http://" + Ports.LOOPBACK_HOST + ":" + port + "/");
    }

    /** Where {@code /q/health} and {@code /q/metrics} are served (Quarkus's management interface). */
    public URI managementUrl() {
        return URI.create("http://" + Ports.LOOPBACK_HOST + ":" + managementPort + "/");
    }

    public ChildProcess process() {
        return process;
    }

    @Override
    public void close() {
        // Quarkus stops consumers and commits offsets on SIGTERM; 30 s covers an in-flight item's upload.
        process.stop(Duration.ofSeconds(30));
    }
}
