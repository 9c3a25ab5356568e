package org.tessera.loadtests;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.tessera.contracts.ContractsJson;
import org.tessera.contracts.DerivedIds;
import org.tessera.contracts.Envelope;
import org.tessera.contracts.InputArtifact;
import org.tessera.contracts.RunRequested;
import org.tessera.dicom.FileTrees;

/**
 * PostgreSQL's side of a submission's two large writes, alone, in the orchestrator's real schema (its Flyway migrations,
 * applied in order to a fresh embedded server configured as the local stack's), with the CPU the server's session
 * spends on them read from {@code /proc}. Each variant gets a database of its own and the same rows, so that what
 * differs is the schema, the format or the ids.
 *
 * <p>First the 500 item rows of a run in one {@code COPY}:
 *
 * <ul>
 *   <li>{@code shipped}: the schema as it is, time-ordered run ids, item ids that begin with their run's, rows in
 *       COPY's binary format;
 *   <li>{@code text format}: the rows in COPY's text format, which the server parses field by field;
 *   <li>{@code per-row foreign key}: the item-to-run foreign key the schema had before V17, which looks the run up once
 *       per row;
 *   <li>{@code random ids}: random run ids and name-based item ids, as before time-ordered ids;
 *   <li>all three: the item COPY before any of these changes.
 * </ul>
 *
 * <p>Then the run request's outbox row (a real 500-item {@code run.requested} envelope, 150-350 KiB, its signed URLs
 * with random signatures) as the API writes it and the relay reads and deletes it: {@code shipped} stores the LZ4
 * block the orchestrator compressed (V19), the others the JSON as it is, uncompressed (V18) or compressed by the
 * server (before V18). Last, what compressing and expanding the block costs the orchestrator.
 *
 * <p>Arguments: {@code [runs=400]}; the first quarter of the runs warms up and is not counted.
 */
public final class SubmissionWritesBenchmark {

    private static final int ITEMS = 500;

    /**
     * @param inputs false writes every item's inputs as an empty array: what the {@code COPY} would cost with an item
     *     model that keeps a run's inputs once per run instead of in each item's row
     */
    private record Variant(String name, String setUp, boolean timeOrdered, boolean binary, boolean inputs) {}

    private static final String PER_ROW_FOREIGN_KEY = "DROP TRIGGER item_run_exists ON item; ALTER TABLE item ADD"
            + " CONSTRAINT item_run_id_fkey FOREIGN KEY (run_id) REFERENCES run (run_id) ON DELETE CASCADE";

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        Path migrations = Path.of(System.getProperty("tessera.root", "."))
                .resolve("orchestrator/src/main/resources/db/migration");
        List<Variant> variants = List.of(
                new Variant("shipped", "", true, true, true),
                new Variant("text format (before the binary COPY)", "", true, false, true),
                new Variant("per-row foreign key (before V17)", PER_ROW_FOREIGN_KEY, true, true, true),
                new Variant("random ids (before time-ordered ids)", "", false, true, true),
                new Variant("all three: the item COPY of 2026-12-04", PER_ROW_FOREIGN_KEY, false, false, true),
                new Variant("rows without their inputs (not built: inputs kept once per run)", "", true, true, false));
        Path data = Files.createTempDirectory("submission-writes-benchmark");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(true)
                // As the local stack's server (PostgresService).
                .setServerConfig("shared_buffers", "64MB")
                .setServerConfig("fsync", "off")
                .start()) {
            System.out.printf(
                    Locale.ROOT,
                    "%d runs of %d items per variant, the first %d not counted; machine load average %s%n%n",
                    runs,
                    ITEMS,
                    runs / 4,
                    String.join(
                            " / ",
                            Arrays.asList(Files.readString(Path.of("/proc/loadavg"))
                                            .split(" "))
                                    .subList(0, 3)));
            System.out.println("| variant | server CPU per 500-item COPY, mean (p90) | wall, median |");
            System.out.println("|---|---|---|");
            for (int v = 0; v < variants.size(); v++) {
                Variant variant = variants.get(v);
                try (Connection c = freshDatabase(postgres, "variant_" + v, migrations, variant.setUp())) {
                    measure(c, variant, runs);
                }
            }
            byte[] request = runRequest();
            System.out.printf(
                    Locale.ROOT,
                    "%n| the run request's outbox row (%,d bytes): insert, read, delete | server CPU per request, mean |%n",
                    request.length);
            System.out.println("|---|---|");
            LZ4Factory factory = LZ4Factory.fastestInstance();
            LZ4Compressor lz4 = factory.fastCompressor();
            LZ4SafeDecompressor expander = factory.safeDecompressor();
            byte[] block = lz4.compress(request);
            List<OutboxVariant> outboxVariants = List.of(
                    new OutboxVariant(
                            "shipped: an LZ4 block of " + String.format(Locale.ROOT, "%,d", block.length)
                                    + " bytes, compressed by the orchestrator (V19)",
                            "",
                            block,
                            request.length),
                    new OutboxVariant("as it is, stored uncompressed (V18)", "", request, null),
                    new OutboxVariant(
                            "as it is, compressed by the server (pglz, before V18)",
                            "ALTER TABLE outbox ALTER COLUMN payload SET STORAGE EXTENDED",
                            request,
                            null));
            for (int v = 0; v < outboxVariants.size(); v++) {
                OutboxVariant variant = outboxVariants.get(v);
                try (Connection c = freshDatabase(postgres, "outbox_" + v, migrations, variant.setUp())) {
                    System.out.printf(Locale.ROOT, "| %s | %.2f ms |%n", variant.name(), outbox(c, variant, runs));
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "%nThe orchestrator's side of the LZ4 block: compressing it %.3f ms, expanding it %.3f ms (median"
                            + " of %d)%n",
                    medianMillis(runs, () -> lz4.compress(request)),
                    medianMillis(runs, () -> expander.decompress(block, request.length)),
                    runs);
        } finally {
            FileTrees.deleteRecursively(data);
        }
    }

    private static void measure(Connection c, Variant variant, int runs) throws SQLException, IOException {
        int backend = backend(c);
        c.setAutoCommit(false);
        Random random = new Random(42);
        int warmUp = runs / 4;
        double[] cpuMillis = new double[runs - warmUp];
        double[] wallMillis = new double[runs - warmUp];
        long clock = 1_780_000_000_000L;
        for (int r = 0; r < runs; r++) {
            UUID runId = variant.timeOrdered()
                    ? new UUID(((clock + 40L * r) << 16) | 0x7000L | random.nextInt(4096), lsb(random))
                    : new UUID((random.nextLong() & ~0xf000L) | 0x4000L, lsb(random));
            insertRun(c, runId);
            List<Object[]> rows = rows(runId, r, variant.timeOrdered(), variant.inputs());
            long ticks = ticks(backend);
            long start = System.nanoTime();
            String copy = "COPY item (item_id, run_id, position, external_id, custom_metadata, custom_metadata_text,"
                    + " custom_metadata_checksum, input_artifacts, state, attempt, updated_at) FROM STDIN";
            if (variant.binary()) {
                byte[] binary = binary(rows);
                CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(copy + " (FORMAT binary)");
                in.writeToCopy(binary, 0, binary.length);
                in.endCopy();
            } else {
                c.unwrap(PGConnection.class).getCopyAPI().copyIn(copy, new StringReader(text(rows)));
            }
            c.commit();
            long wall = System.nanoTime() - start;
            if (r >= warmUp) {
                cpuMillis[r - warmUp] = (ticks(backend) - ticks) * 10.0;
                wallMillis[r - warmUp] = wall / 1e6;
            }
        }
        Arrays.sort(cpuMillis);
        Arrays.sort(wallMillis);
        System.out.printf(
                Locale.ROOT,
                "| %s | %.1f ms (%.1f ms) | %.1f ms |%n",
                variant.name(),
                mean(cpuMillis),
                cpuMillis[(int) (cpuMillis.length * 0.9)],
                wallMillis[wallMillis.length / 2]);
    }

    /**
     * The mean, not the median: the kernel counts CPU in 10 ms ticks, so a single COPY reads as 10 or 20 ms and only
     * the mean over many is finer than a tick.
     */
    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    private static long lsb(Random random) {
        return (random.nextLong() & 0x3fff_ffff_ffff_ffffL) | 0x8000_0000_0000_0000L;
    }

    /** A way to store the run request's outbox row: the schema change, the bytes stored and their size before LZ4. */
    private record OutboxVariant(String name, String setUp, byte[] payload, Integer lz4Size) {}

    /** The median wall time of {@code runs} calls, in ms, after as many unmeasured. */
    private static double medianMillis(int runs, Runnable call) {
        double[] millis = new double[runs];
        for (int r = 0; r < 2 * runs; r++) {
            long start = System.nanoTime();
            call.run();
            if (r >= runs) {
                millis[r - runs] = (System.nanoTime() - start) / 1e6;
            }
        }
        Arrays.sort(millis);
        return millis[runs / 2];
    }

    /** Mean server CPU, in ms, for writing, reading and deleting the run request's outbox row, as API and relay do. */
    private static double outbox(Connection c, OutboxVariant variant, int runs) throws SQLException, IOException {
        int backend = backend(c);
        c.setAutoCommit(false);
        int warmUp = runs / 4;
        long used = 0;
        for (int r = 0; r < runs; r++) {
            long ticks = ticks(backend);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO outbox (topic, message_key, payload,"
                    + " payload_lz4_size, created_at, traceparent, tracestate) VALUES ('tessera.run-requests.v1', ?,"
                    + " ?, ?, now(), NULL, NULL)")) {
                insert.setString(1, "run-" + r);
                insert.setBytes(2, variant.payload());
                insert.setObject(3, variant.lz4Size(), Types.INTEGER);
                insert.executeUpdate();
            }
            c.commit();
            try (PreparedStatement read = c.prepareStatement("SELECT id, topic, message_key, payload,"
                            + " payload_lz4_size, created_at, traceparent, tracestate FROM outbox ORDER BY id LIMIT"
                            + " 100 FOR UPDATE SKIP LOCKED");
                    ResultSet rows = read.executeQuery();
                    PreparedStatement delete = c.prepareStatement("DELETE FROM outbox WHERE id = ?")) {
                while (rows.next()) {
                    rows.getBytes("payload");
                    delete.setLong(1, rows.getLong("id"));
                    delete.executeUpdate();
                }
            }
            c.commit();
            if (r >= warmUp) {
                used += ticks(backend) - ticks;
            }
        }
        return used * 10.0 / (runs - warmUp);
    }

    /** A 500-item {@code run.requested} envelope as the API puts it on the outbox. */
    private static byte[] runRequest() {
        UUID runId = UUID.fromString("0193a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b");
        List<RunRequested.Item> items = new ArrayList<>();
        for (Object[] row : rows(runId, 0, true, true)) {
            ObjectNode metadata = ContractsJson.mapper().createObjectNode();
            metadata.put("checksum_base64_crc32c", "AAAAAA==");
            metadata.put("width_px", 40_000);
            metadata.put("height_px", 40_000);
            metadata.put("resolution_mpp", 0.25);
            metadata.put("media_type", "image/tiff");
            metadata.putObject("specimen").put("tissue", "LUNG").put("disease", "LUNG_CANCER");
            metadata.put("staining_method", "H&E");
            String inputs = (String) row[7];
            String url = inputs.substring(inputs.indexOf("https://"), inputs.indexOf("\",\"metadata\""));
            items.add(new RunRequested.Item(
                    (UUID) row[0],
                    (String) row[3],
                    null,
                    List.of(new InputArtifact("whole_slide_image", url, metadata))));
        }
        RunRequested request = new RunRequested("he-tme", "1.0.0", "bench", "bench-member", null, items);
        return ContractsJson.toBytes(Envelope.of(DerivedIds.runRequested(runId), TIME, runId, null, request));
    }

    /**
     * The item rows of one run, as the orchestrator's submission makes them: id, run, position, external id, custom
     * metadata (none: jsonb, text and checksum), input artifacts, state, attempt, time.
     */
    private static List<Object[]> rows(UUID runId, int run, boolean timeOrdered, boolean withInputs) {
        List<Object[]> rows = new ArrayList<>(ITEMS);
        for (int i = 0; i < ITEMS; i++) {
            UUID itemId = timeOrdered ? DerivedIds.item(runId, i) : DerivedIds.of("item", runId, i);
            String slide = "slide-" + run + "-" + i + ".svs";
            String inputs = "[{\"name\":\"whole_slide_image\",\"download_url\":\"https://slides.example.org/bucket/"
                    + slide + "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20261205%2F"
                    + "eu-central-1%2Fs3%2Faws4_request&X-Amz-Date=20261205T000000Z&X-Amz-Expires=3600"
                    + "&X-Amz-SignedHeaders=host&X-Amz-Signature="
                    + signature(run * ITEMS + i)
                    + "\",\"metadata\":{\"checksum_base64_crc32c\":\"AAAAAA==\",\"width_px\":40000,"
                    + "\"height_px\":40000,\"resolution_mpp\":0.25,\"media_type\":\"image/tiff\","
                    + "\"specimen\":{\"tissue\":\"LUNG\",\"disease\":\"LUNG_CANCER\"},"
                    + "\"staining_method\":\"H&E\"}}]";
            rows.add(new Object[] {
                itemId, runId, i, slide, null, null, null, withInputs ? inputs : "[]", "PENDING", 1, TIME
            });
        }
        return rows;
    }

    private static final Instant TIME = Instant.parse("2026-12-05T00:00:00Z");

    /** 64 hex digits that look like a real URL signature: random, the same for the same {@code seed}. */
    private static String signature(long seed) {
        Random random = new Random(seed);
        StringBuilder hex = new StringBuilder(64);
        for (int i = 0; i < 4; i++) {
            hex.append(String.format(Locale.ROOT, "%016x", random.nextLong()));
        }
        return hex.toString();
    }

    /** Rows in COPY's text format (no field here holds a character to escape). */
    private static String text(List<Object[]> rows) {
        StringBuilder text = new StringBuilder(ITEMS * 700);
        for (Object[] row : rows) {
            for (int f = 0; f < row.length; f++) {
                text.append(f == 0 ? "" : "\t").append(row[f] == null ? "\\N" : row[f]);
            }
            text.append('\n');
        }
        return text.toString();
    }

    /**
     * Rows in COPY's binary format: a signature, then per row its field count and each field as its length (-1 for
     * null) and bytes, then -1. Uuids are their 16 bytes, integers 4, times microseconds since 2000 in 8, text and
     * json UTF-8 (nothing here is jsonb but nulls).
     */
    private static byte[] binary(List<Object[]> rows) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(ITEMS * 700);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeBytes("PGCOPY\n");
        out.write(new byte[] {(byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0});
        long since2000 = Instant.parse("2000-01-01T00:00:00Z").getEpochSecond();
        for (Object[] row : rows) {
            out.writeShort(row.length);
            for (Object value : row) {
                switch (value) {
                    case null -> out.writeInt(-1);
                    case UUID id -> {
                        out.writeInt(16);
                        out.writeLong(id.getMostSignificantBits());
                        out.writeLong(id.getLeastSignificantBits());
                    }
                    case Integer number -> {
                        out.writeInt(4);
                        out.writeInt(number);
                    }
                    case Instant time -> {
                        out.writeInt(8);
                        out.writeLong((time.getEpochSecond() - since2000) * 1_000_000L + time.getNano() / 1_000);
                    }
                    default -> {
                        byte[] text = value.toString().getBytes(StandardCharsets.UTF_8);
                        out.writeInt(text.length);
                        out.write(text);
                    }
                }
            }
        }
        out.writeShort(-1);
        return bytes.toByteArray();
    }

    /** A run row with what the table requires; the run's other columns do not matter to the item COPY. */
    private static void insertRun(Connection c, UUID runId) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO run (run_id, application_id, version_number,"
                + " state, custom_metadata_text, custom_metadata_checksum, organization_id, submitted_by,"
                + " submitted_at, updated_at, item_count, pending_count) VALUES (?, 'he-tme', '1.0.0', 'RECEIVED',"
                + " 'null', 'x', 'bench', 'bench-member', now(), now(), 500, 500)")) {
            insert.setObject(1, runId);
            insert.executeUpdate();
        }
    }

    /**
     * A new database with the orchestrator's schema, then {@code setUp} (statements separated by semicolons, possibly
     * none) to make a variant of it.
     */
    private static Connection freshDatabase(EmbeddedPostgres postgres, String name, Path migrations, String setUp)
            throws SQLException, IOException {
        try (Connection admin = postgres.getPostgresDatabase().getConnection();
                Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        Connection c = postgres.getDatabase("postgres", name).getConnection();
        migrate(c, migrations);
        try (Statement s = c.createStatement()) {
            for (String statement : setUp.split(";")) {
                if (!statement.isBlank()) {
                    s.execute(statement);
                }
            }
        }
        return c;
    }

    /** The process id of the server session behind {@code c}, whose CPU is read from {@code /proc}. */
    private static int backend(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
            r.next();
            return r.getInt(1);
        }
    }

    /** The orchestrator's migrations in version order, as plain SQL (Flyway's placeholders are not used in them). */
    private static void migrate(Connection c, Path migrations) throws IOException, SQLException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> found = Files.newDirectoryStream(migrations, "V*__*.sql")) {
            found.forEach(files::add);
        }
        files.sort(Comparator.comparingInt(
                f -> Integer.parseInt(f.getFileName().toString().replaceAll("^V(\\d+)__.*", "$1"))));
        try (Statement s = c.createStatement()) {
            for (Path file : files) {
                s.execute(Files.readString(file));
            }
        }
    }

    /** CPU ticks (user + system, 10 ms each) the process has used so far. */
    private static long ticks(int pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
