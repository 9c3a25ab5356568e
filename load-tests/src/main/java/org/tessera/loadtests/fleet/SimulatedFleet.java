package org.tessera.loadtests.fleet;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.tessera.contracts.OutputArtifact;

/**
 * Many {@link SimulatedWorker}s in this JVM, each its own consumer (one thread) in the workers' group, sharing one
 * producer. As in a real fleet, only as many of them hold work as {@link org.tessera.contracts.Topics#SLIDE_JOBS} has
 * partitions; the others wait in the group for a partition.
 */
public final class SimulatedFleet implements AutoCloseable {

    /** The real workers' consumer group ({@code tessera.worker.group-id}). */
    public static final String WORKER_GROUP = "tessera-workers";

    private final List<SimulatedWorker> workers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final KafkaProducer<String, byte[]> producer;
    private final FleetTally tally = new FleetTally();

    private SimulatedFleet(KafkaProducer<String, byte[]> producer) {
        this.producer = producer;
    }

    /**
     * @param artifacts writes a succeeded item's artifact to the object store and describes it, or only describes it
     */
    public static SimulatedFleet start(
            String bootstrapServers, int size, WorkerProfile profile, ArtifactWriter artifacts) {
        if (size < 1) {
            throw new IllegalArgumentException("a fleet has at least one worker, got " + size);
        }
        SimulatedFleet fleet = new SimulatedFleet(producer(bootstrapServers));
        for (int i = 1; i <= size; i++) {
            SimulatedWorker worker = new SimulatedWorker(
                    String.format("sim-%03d", i),
                    bootstrapServers,
                    WORKER_GROUP,
                    profile,
                    fleet.producer,
                    fleet.tally,
                    artifacts,
                    Clock.systemUTC());
            fleet.workers.add(worker);
            fleet.threads.add(
                    Thread.ofPlatform().name("simulated-worker-" + i).daemon().start(worker));
        }
        return fleet;
    }

    /** Artifacts that exist only as the row the orchestrator stores: nothing is written to the object store. */
    public static ArtifactWriter rowsOnly() {
        return key -> new OutputArtifact(SimulatedWorker.ARTIFACT, key, "text/csv", 42, "AAAAAA==");
    }

    public FleetTally tally() {
        return tally;
    }

    public int size() {
        return workers.size();
    }

    @Override
    public void close() {
        workers.forEach(SimulatedWorker::stop);
        try {
            for (Thread thread : threads) {
                thread.join(Duration.ofSeconds(30));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(10));
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }
}
