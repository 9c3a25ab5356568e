package org.tessera.loadtests.fleet;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.tessera.contracts.ContractsJson;
import org.tessera.contracts.DerivedIds;
import org.tessera.contracts.Envelope;
import org.tessera.contracts.ErrorCodes;
import org.tessera.contracts.FailureKind;
import org.tessera.contracts.ItemEvent;
import org.tessera.contracts.ItemFailed;
import org.tessera.contracts.ItemProgress;
import org.tessera.contracts.ItemStarted;
import org.tessera.contracts.ItemSucceeded;
import org.tessera.contracts.OutputArtifact;
import org.tessera.contracts.SlideJob;
import org.tessera.contracts.Topics;

/**
 * One worker as the orchestrator sees it on the broker, without the slide work: a member of the workers' consumer
 * group on {@link Topics#SLIDE_JOBS} that takes one job per poll, reports {@code item.started}, one
 * {@code item.progress}, then {@code item.succeeded} (one CSV artifact under the job's output prefix) or
 * {@code item.failed} ({@code USER_ERROR}, never retried) on {@link Topics#ITEM_EVENTS}, keyed by run id, with the
 * worker's derived event ids; and commits the job only after the broker acknowledged its terminal event, as the real
 * worker does. The "slide" is a wait of the profile's slide time.
 *
 * <p>The wait happens on the polling thread: slide times here are far below {@code max.poll.interval.ms}, so the
 * member stays in its group without the real worker's pause-and-poll.
 */
final class SimulatedWorker implements Runnable {

    /** The artifact every succeeded item reports. */
    static final String ARTIFACT = "tissue_qc:csv_class_information";

    private final String id;
    private final String bootstrapServers;
    private final String groupId;
    private final WorkerProfile profile;
    private final KafkaProducer<String, byte[]> producer;
    private final FleetTally tally;
    private final ArtifactWriter artifacts;
    private final Clock clock;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;

    SimulatedWorker(
            String id,
            String bootstrapServers,
            String groupId,
            WorkerProfile profile,
            KafkaProducer<String, byte[]> producer,
            FleetTally tally,
            ArtifactWriter artifacts,
            Clock clock) {
        this.id = id;
        this.bootstrapServers = bootstrapServers;
        this.groupId = groupId;
        this.profile = profile;
        this.producer = producer;
        this.tally = tally;
        this.artifacts = artifacts;
        this.clock = clock;
    }

    @Override
    public void run() {
        try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(properties())) {
            consumer = kafka;
            kafka.subscribe(List.of(Topics.SLIDE_JOBS));
            while (running) {
                for (ConsumerRecord<String, byte[]> record : kafka.poll(Duration.ofMillis(200))) {
                    Envelope<SlideJob> job = ContractsJson.read(record.value(), SlideJob.class);
                    work(job);
                    kafka.commitSync(Map.of(
                            new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1)));
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            tally.failure(id, e);
        }
    }

    void stop() {
        running = false;
        KafkaConsumer<String, byte[]> kafka = consumer;
        if (kafka != null) {
            kafka.wakeup();
        }
    }

    private void work(Envelope<SlideJob> job) throws InterruptedException {
        UUID run = job.runId();
        UUID item = job.itemId();
        int attempt = job.payload().attempt();
        tally.jobReceived(item, attempt);
        send(run, item, attempt, "item.started", new ItemStarted(attempt, id));
        Duration slide = profile.slideTime(item);
        Thread.sleep(slide.dividedBy(2));
        send(run, item, attempt, "progress/1", new ItemProgress(attempt, id, "TILING", 1, 2));
        Thread.sleep(slide.dividedBy(2));
        Instant published = clock.instant();
        if (profile.fails(item)) {
            await(send(
                    run,
                    item,
                    attempt,
                    ItemFailed.TYPE,
                    new ItemFailed(
                            attempt,
                            id,
                            FailureKind.USER_ERROR,
                            ErrorCodes.INPUT_UNREADABLE,
                            "simulated: the slide of " + job.payload().externalId() + " is unreadable")));
            tally.terminalSent(item, false, published);
        } else {
            String key = job.payload().outputPrefix() + "tissue_qc_csv_class_information.csv";
            OutputArtifact artifact = artifacts.write(key);
            await(send(run, item, attempt, ItemSucceeded.TYPE, new ItemSucceeded(attempt, id, List.of(artifact))));
            tally.terminalSent(item, true, published);
        }
    }

    private Future<RecordMetadata> send(UUID run, UUID item, int attempt, String kind, ItemEvent event) {
        Envelope<ItemEvent> envelope =
                Envelope.of(DerivedIds.itemEvent(run, item, attempt, kind), clock.instant(), run, item, event);
        tally.eventSent(event.type());
        return producer.send(new ProducerRecord<>(Topics.ITEM_EVENTS, run.toString(), ContractsJson.toBytes(envelope)));
    }

    private static void await(Future<RecordMetadata> sent) throws InterruptedException {
        try {
            sent.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the broker refused a terminal event: " + e.getCause(), e.getCause());
        }
    }

    private Properties properties() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "simulated-" + id);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }
}
