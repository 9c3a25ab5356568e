package org.tessera.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How to start a local stack.
 *
 * @param projectRoot the repository root: the services' {@code quarkus-run.jar}s are found under it
 * @param stateDir where pids, ports, logs and data live (the script uses {@code <root>/.local-stack})
 * @param ports which loopback ports to use
 * @param serviceHeap maximum heap of each service JVM, e.g. {@code 512m}
 * @param startTimeout how long one service may take to become ready
 * @param javaCommand the java executable for child JVMs
 * @param orchestratorConfig extra or overriding configuration for the orchestrator
 * @param workerConfig extra or overriding configuration for the worker
 * @param topicPartitions partitions of each topic the broker is started with (the orchestrator is told the same)
 */
public record StackOptions(
        Path projectRoot,
        Path stateDir,
        PortPlan ports,
        String serviceHeap,
        Duration startTimeout,
        String javaCommand,
        Map<String, String> orchestratorConfig,
        Map<String, String> workerConfig,
        int topicPartitions) {

    /** The orchestrator's default {@code tessera.kafka.topic-partitions}. */
    public static final int DEFAULT_TOPIC_PARTITIONS = 6;

    public StackOptions {
        if (topicPartitions < 1) {
            throw new IllegalArgumentException("topicPartitions must be at least 1, got " + topicPartitions);
        }
        Objects.requireNonNull(projectRoot, "projectRoot");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(ports, "ports");
        orchestratorConfig = Map.copyOf(orchestratorConfig);
        workerConfig = Map.copyOf(workerConfig);
    }

    /**
     * The repository's root, found from the working directory upwards (tests run in their module's folder below it):
     * the folder holding {@code orchestrator/pom.xml}.
     */
    public static Path repositoryRoot() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("orchestrator/pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the repository root above " + start);
    }

    /** Free ports, 512 MB per service, two minutes per service to start, the current JVM's java. */
    public static StackOptions defaults(Path projectRoot, Path stateDir) {
        return new StackOptions(
                projectRoot.toAbsolutePath().normalize(),
                stateDir.toAbsolutePath().normalize(),
                PortPlan.anyFree(),
                "512m",
                Duration.ofMinutes(2),
                currentJava(),
                Map.of(),
                Map.of(),
                DEFAULT_TOPIC_PARTITIONS);
    }

    public StackOptions withPorts(PortPlan newPorts) {
        return new StackOptions(
                projectRoot,
                stateDir,
                newPorts,
                serviceHeap,
                startTimeout,
                javaCommand,
                orchestratorConfig,
                workerConfig,
                topicPartitions);
    }

    public StackOptions withStartTimeout(Duration timeout) {
        return new StackOptions(
                projectRoot,
                stateDir,
                ports,
                serviceHeap,
                timeout,
                javaCommand,
                orchestratorConfig,
                workerConfig,
                topicPartitions);
    }

    public StackOptions withOrchestratorConfig(Map<String, String> config) {
        return new StackOptions(
                projectRoot,
                stateDir,
                ports,
                serviceHeap,
                startTimeout,
                javaCommand,
                config,
                workerConfig,
                topicPartitions);
    }

    public StackOptions withWorkerConfig(Map<String, String> config) {
        return new StackOptions(
                projectRoot,
                stateDir,
                ports,
                serviceHeap,
                startTimeout,
                javaCommand,
                orchestratorConfig,
                config,
                topicPartitions);
    }

    /** Topics with this many partitions each, e.g. to spread slide jobs over more workers. */
    public StackOptions withTopicPartitions(int partitions) {
        return new StackOptions(
                projectRoot,
                stateDir,
                ports,
                serviceHeap,
                startTimeout,
                javaCommand,
                orchestratorConfig,
                workerConfig,
                partitions);
    }

    public Path logDir() {
        return stateDir.resolve("logs");
    }

    public Path orchestratorJar() {
        return projectRoot.resolve("orchestrator/target/quarkus-app/quarkus-run.jar");
    }

    public Path workerJar() {
        return projectRoot.resolve("worker/service/target/quarkus-app/quarkus-run.jar");
    }

    static String currentJava() {
        return ProcessHandle.current()
                .info()
                .command()
                .filter(command -> Files.isExecutable(Path.of(command)))
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
