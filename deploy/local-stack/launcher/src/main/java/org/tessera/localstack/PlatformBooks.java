package org.tessera.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.tessera.contracts.ContractsJson;
import org.tessera.contracts.Envelope;
import org.tessera.contracts.LedgerEntry;
import org.tessera.contracts.Topics;

/**
 * What the platform's books say about some runs, read straight from PostgreSQL, the ledger topic and the object store,
 * and the four figures a fault must leave at zero: items lost, items counted twice, items charged twice, duplicate
 * artifacts. Used by the fault suite and the end-to-end tests.
 */
public final class PlatformBooks {

    /** A run's lifecycle state and its counters, as stored. */
    public record RunRow(String state, Map<String, Integer> counts) {}

    /** An item's state, current attempt and output artifact keys by name. */
    public record ItemRow(UUID runId, String state, int attempt, Map<String, String> artifacts) {}

    /** Everything compared before and after a fault, or a replay. */
    public record Snapshot(
            Map<UUID, RunRow> runs,
            Map<UUID, ItemRow> items,
            Map<UUID, Integer> ledgerRows,
            Map<UUID, Integer> artifactRows,
            Map<UUID, Set<String>> storedObjects,
            Map<UUID, Set<UUID>> ledgerTopicEntries) {}

    /**
     * The figures a fault must leave at zero, over every item of the runs.
     *
     * @param lost items not terminal (or runs not ended) once the run should have finished
     * @param countedTwice items more in a run counter than items in that state (or fewer: a counter that disagrees)
     * @param chargedTwice ledger rows or distinct ledger entries on the topic beyond one per succeeded item, and
     *     charges of items that did not succeed
     * @param unchargedSucceeded succeeded items without their ledger row
     * @param duplicateArtifacts artifact rows beyond one per name, and objects under an item's prefix that no artifact
     *     row names
     */
    public record Figures(
            int items, int lost, int countedTwice, int chargedTwice, int unchargedSucceeded, int duplicateArtifacts) {
        public boolean clean() {
            return lost == 0
                    && countedTwice == 0
                    && chargedTwice == 0
                    && unchargedSucceeded == 0
                    && duplicateArtifacts == 0;
        }
    }

    private static final List<String> COUNTERS = List.of(
            "pending_count",
            "processing_count",
            "succeeded_count",
            "user_error_count",
            "system_error_count",
            "skipped_count");
    private static final Map<String, String> STATE_OF_COUNTER = Map.of(
            "pending_count", "PENDING",
            "processing_count", "PROCESSING",
            "succeeded_count", "SUCCEEDED",
            "user_error_count", "USER_ERROR",
            "system_error_count", "SYSTEM_ERROR",
            "skipped_count", "SKIPPED");
    private static final Set<String> ENDED =
            Set.of("COMPLETED", "COMPLETED_WITH_ERROR", "CANCELLED_BY_USER", "CANCELLED_BY_SYSTEM", "REJECTED");

    private PlatformBooks() {}

    /** Reads the books of the runs from the stack's database, ledger topic and object store. */
    public static Snapshot read(LocalStack stack, Collection<String> runIds) {
        return read(stack.jdbcUrl(), stack.kafkaBootstrapServers(), stack.objectRoot(), runIds);
    }

    public static Snapshot read(String jdbcUrl, String bootstrapServers, Path objectRoot, Collection<String> runIds) {
        Map<UUID, RunRow> runs = new TreeMap<>();
        Map<UUID, ItemRow> items = new TreeMap<>();
        Map<UUID, Integer> ledgerRows = new TreeMap<>();
        Map<UUID, Integer> artifactRows = new TreeMap<>();
        UUID[] ids = runIds.stream().map(UUID::fromString).toArray(UUID[]::new);
        try (Connection db = DriverManager.getConnection(jdbcUrl, PostgresService.USER, "")) {
            try (PreparedStatement query = db.prepareStatement(
                    "SELECT run_id, state, " + String.join(", ", COUNTERS) + " FROM run WHERE run_id = ANY (?)")) {
                query.setArray(1, db.createArrayOf("uuid", ids));
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        Map<String, Integer> counts = new TreeMap<>();
                        for (String counter : COUNTERS) {
                            counts.put(counter, rows.getInt(counter));
                        }
                        runs.put(rows.getObject("run_id", UUID.class), new RunRow(rows.getString("state"), counts));
                    }
                }
            }
            try (PreparedStatement query =
                    db.prepareStatement("SELECT item_id, run_id, state, attempt FROM item WHERE run_id = ANY (?)")) {
                query.setArray(1, db.createArrayOf("uuid", ids));
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        items.put(
                                rows.getObject("item_id", UUID.class),
                                new ItemRow(
                                        rows.getObject("run_id", UUID.class),
                                        rows.getString("state"),
                                        rows.getInt("attempt"),
                                        new TreeMap<>()));
                    }
                }
            }
            try (PreparedStatement query = db.prepareStatement(
                    "SELECT item_id, name, object_key FROM output_artifact WHERE run_id = ANY (?)")) {
                query.setArray(1, db.createArrayOf("uuid", ids));
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        UUID item = rows.getObject("item_id", UUID.class);
                        artifactRows.merge(item, 1, Integer::sum);
                        ItemRow row = items.get(item);
                        if (row != null) {
                            row.artifacts().put(rows.getString("name"), rows.getString("object_key"));
                        }
                    }
                }
            }
            try (PreparedStatement query =
                    db.prepareStatement("SELECT item_id FROM ledger_entry WHERE run_id = ANY (?)")) {
                query.setArray(1, db.createArrayOf("uuid", ids));
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        ledgerRows.merge(rows.getObject("item_id", UUID.class), 1, Integer::sum);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the books from " + jdbcUrl + ": " + e.getMessage(), e);
        }
        Map<UUID, Set<String>> stored = new TreeMap<>();
        for (Map.Entry<UUID, ItemRow> item : items.entrySet()) {
            stored.put(
                    item.getKey(),
                    objectsUnder(objectRoot, "outputs/" + item.getValue().runId() + "/" + item.getKey()));
        }
        return new Snapshot(
                runs, items, ledgerRows, artifactRows, stored, ledgerTopic(bootstrapServers, items.keySet()));
    }

    /** The figures of a snapshot taken once every run should have ended. */
    public static Figures figures(Snapshot books) {
        int lost = 0;
        int countedTwice = 0;
        int chargedTwice = 0;
        int uncharged = 0;
        int duplicates = 0;
        Map<UUID, Map<String, Integer>> tally = new HashMap<>();
        for (Map.Entry<UUID, ItemRow> entry : books.items().entrySet()) {
            ItemRow item = entry.getValue();
            UUID id = entry.getKey();
            tally.computeIfAbsent(item.runId(), r -> new HashMap<>()).merge(item.state(), 1, Integer::sum);
            if (item.state().equals("PENDING") || item.state().equals("PROCESSING")) {
                lost++;
            }
            int charged = books.ledgerRows().getOrDefault(id, 0);
            int entries = books.ledgerTopicEntries().getOrDefault(id, Set.of()).size();
            if (item.state().equals("SUCCEEDED")) {
                chargedTwice += Math.max(0, charged - 1) + Math.max(0, entries - 1);
                uncharged += charged == 0 ? 1 : 0;
            } else {
                chargedTwice += charged + entries;
            }
            duplicates +=
                    books.artifactRows().getOrDefault(id, 0) - item.artifacts().size();
            Set<String> named = new TreeSet<>(item.artifacts().values());
            duplicates += (int) books.storedObjects().getOrDefault(id, Set.of()).stream()
                    .filter(key -> !named.contains(key))
                    .count();
        }
        for (Map.Entry<UUID, RunRow> run : books.runs().entrySet()) {
            if (!ENDED.contains(run.getValue().state())) {
                lost++;
            }
            Map<String, Integer> states = tally.getOrDefault(run.getKey(), Map.of());
            for (String counter : COUNTERS) {
                countedTwice += Math.abs(
                        run.getValue().counts().get(counter) - states.getOrDefault(STATE_OF_COUNTER.get(counter), 0));
            }
        }
        return new Figures(books.items().size(), lost, countedTwice, chargedTwice, uncharged, duplicates);
    }

    /** The object keys stored under a prefix. */
    static Set<String> objectsUnder(Path root, String prefix) {
        Path dir = root.resolve(prefix);
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .map(file -> root.relativize(file).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The distinct ledger entry ids published for each of the items, read from the whole ledger topic. */
    static Map<UUID, Set<UUID>> ledgerTopic(String bootstrapServers, Set<UUID> items) {
        Map<UUID, Set<UUID>> entries = new TreeMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                "false",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName()))) {
            for (ConsumerRecord<String, byte[]> record : readAll(consumer, Topics.LEDGER)) {
                Envelope<LedgerEntry> entry = ContractsJson.read(record.value(), LedgerEntry.class);
                if (entry.itemId() != null && items.contains(entry.itemId())) {
                    entries.computeIfAbsent(entry.itemId(), i -> new TreeSet<>())
                            .add(entry.payload().entryId());
                }
            }
        }
        return entries;
    }

    /** Every record of a topic, from the beginning to the end offsets at the time of the call. */
    public static List<ConsumerRecord<String, byte[]>> readAll(KafkaConsumer<String, byte[]> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + topic + " to its end within a minute");
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                if (record.offset() < ends.get(partition)) {
                    records.add(record);
                }
            }
        }
        return records;
    }
}
