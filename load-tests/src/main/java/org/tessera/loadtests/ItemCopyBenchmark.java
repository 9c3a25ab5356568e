package org.tessera.loadtests;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.tessera.contracts.DerivedIds;
import org.tessera.dicom.FileTrees;

/**
 * PostgreSQL's side of a submission's largest write, alone: the 500 item rows of a run in one {@code COPY}, into the
 * orchestrator's real schema (its Flyway migrations, applied in order to a fresh embedded server configured as the
 * local stack's), and the CPU the server's session spends on it, read from {@code /proc}. Each variant gets a database
 * of its own and the same rows, so that what differs is the schema or the ids:
 *
 * <ul>
 *   <li>{@code shipped}: the schema as it is, time-ordered run ids, item ids that begin with their run's;
 *   <li>{@code per-row foreign key}: the item-to-run foreign key the schema had before V17, which looks the run up once
 *       per row;
 *   <li>{@code random ids}: random run ids and name-based item ids, as before time-ordered ids;
 *   <li>both of the last two: the schema and ids before either change.
 * </ul>
 *
 * <p>Arguments: {@code [runs=400]}; the first quarter of the runs warms up and is not counted.
 */
public final class ItemCopyBenchmark {

    private static final int ITEMS = 500;

    private record Variant(String name, String setUp, boolean timeOrdered) {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        Path migrations = Path.of(System.getProperty("tessera.root", "."))
                .resolve("orchestrator/src/main/resources/db/migration");
        List<Variant> variants = List.of(
                new Variant("shipped", "", true),
                new Variant(
                        "per-row foreign key (before V17)",
                        "DROP TRIGGER item_run_exists ON item; ALTER TABLE item ADD CONSTRAINT item_run_id_fkey"
                                + " FOREIGN KEY (run_id) REFERENCES run (run_id) ON DELETE CASCADE",
                        true),
                new Variant("random ids (before time-ordered ids)", "", false),
                new Variant(
                        "both: the schema and ids of 2026-12-04",
                        "DROP TRIGGER item_run_exists ON item; ALTER TABLE item ADD CONSTRAINT item_run_id_fkey"
                                + " FOREIGN KEY (run_id) REFERENCES run (run_id) ON DELETE CASCADE",
                        false));
        Path data = Files.createTempDirectory("item-copy-benchmark");
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
                String database = "variant_" + v;
                try (Connection admin = postgres.getPostgresDatabase().getConnection();
                        Statement s = admin.createStatement()) {
                    s.execute("CREATE DATABASE " + database);
                }
                try (Connection c = postgres.getDatabase("postgres", database).getConnection()) {
                    migrate(c, migrations);
                    try (Statement s = c.createStatement()) {
                        for (String statement : variant.setUp().split(";")) {
                            if (!statement.isBlank()) {
                                s.execute(statement);
                            }
                        }
                    }
                    measure(c, variant, runs);
                }
            }
        } finally {
            FileTrees.deleteRecursively(data);
        }
    }

    private static void measure(Connection c, Variant variant, int runs) throws SQLException, IOException {
        int backend;
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
            r.next();
            backend = r.getInt(1);
        }
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
            String rows = rows(runId, r, variant.timeOrdered());
            long ticks = ticks(backend);
            long start = System.nanoTime();
            c.unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyIn(
                            "COPY item (item_id, run_id, position, external_id, custom_metadata,"
                                    + " custom_metadata_text, custom_metadata_checksum, input_artifacts, state, attempt,"
                                    + " updated_at) FROM STDIN",
                            new StringReader(rows));
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

    /** The item rows of one run in COPY's text format, as the orchestrator writes them (CopyRows). */
    private static String rows(UUID runId, int run, boolean timeOrdered) {
        StringBuilder text = new StringBuilder(ITEMS * 700);
        for (int i = 0; i < ITEMS; i++) {
            UUID itemId = timeOrdered ? DerivedIds.item(runId, i) : DerivedIds.of("item", runId, i);
            text.append(itemId)
                    .append('\t')
                    .append(runId)
                    .append('\t')
                    .append(i)
                    .append("\tslide-")
                    .append(run)
                    .append('-')
                    .append(i)
                    .append(".svs\t\\N\t\\N\t\\N\t[{\"input_artifact_id\":\"")
                    .append(DerivedIds.inputArtifact(itemId, "whole_slide_image"))
                    .append("\",\"name\":\"whole_slide_image\",\"download_url\":\"https://slides.example.org/bucket/")
                    .append("slide-")
                    .append(run)
                    .append('-')
                    .append(i)
                    .append(".svs?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20261205%2F")
                    .append("eu-central-1%2Fs3%2Faws4_request&X-Amz-Date=20261205T000000Z&X-Amz-Expires=3600")
                    .append("&X-Amz-SignedHeaders=host&X-Amz-Signature=")
                    .append(String.format(Locale.ROOT, "%064x", (long) run * ITEMS + i))
                    .append("\",\"metadata\":{\"checksum_base64_crc32c\":\"AAAAAA==\",\"width_px\":40000,")
                    .append("\"height_px\":40000,\"resolution_mpp\":0.25,\"media_type\":\"image/tiff\",")
                    .append("\"specimen\":{\"tissue\":\"LUNG\",\"disease\":\"LUNG_CANCER\"},")
                    .append("\"staining_method\":\"H&E\"}}]\tPENDING\t1\t2026-12-05T00:00:00Z\n");
        }
        return text.toString();
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
