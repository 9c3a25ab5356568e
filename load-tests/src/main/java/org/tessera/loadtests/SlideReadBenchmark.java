package org.tessera.loadtests;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tessera.dicom.DicomWsiWriter;
import org.tessera.dicom.FileTrees;
import org.tessera.imaging.synthetic.SyntheticSlide;
import org.tessera.imaging.synthetic.SyntheticSlideGenerator;
import org.tessera.imaging.synthetic.SyntheticSlideOptions;
import org.tessera.openslide.OpenSlide;
import org.tessera.slides.DicomSlideReaderProvider;
import org.tessera.slides.OpenSlideReaderProvider;
import org.tessera.slides.SlideReader;
import org.tessera.slides.SlideReaderProvider;
import org.tessera.slides.TiffSlideReaderProvider;

/**
 * Tile read + decode throughput: 256 x 256 tiles of level 0, read one after another over the whole level (so that no
 * tile cache helps), on one thread and on all cores, for every slide backend on the same generated slide (an Aperio
 * SVS with JPEG tiles, and a DICOM series with the same level-0 pixels re-encoded), against openslide-python (Debian's
 * python3-openslide, in a subprocess on the same SVS and tiles) and raw libjpeg-turbo decoding of one of the slide's
 * tiles ({@code tjbench}, one process per thread). Prints a markdown table.
 *
 * <p>Arguments: {@code [slide side in pixels=8192] [seconds per measurement=4]}, or {@code <tiled TIFF> [seconds per
 * measurement=4] [rounds=5]}.
 */
public final class SlideReadBenchmark {

    private static final int TILE = 256;
    private static final double TILE_MEGAPIXELS = TILE * TILE / 1e6;

    private record Row(String name, String what, double perCore, double allCores) {}

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 4;
        int cores = Runtime.getRuntime().availableProcessors();
        if (args.length > 0 && Files.isRegularFile(Path.of(args[0]))) {
            fileMode(Path.of(args[0]), seconds, cores, args.length > 2 ? Integer.parseInt(args[2]) : 5);
            return;
        }
        int side = args.length > 0 ? Integer.parseInt(args[0]) : 8192;
        Path work = Files.createTempDirectory("tessera-slide-bench-");
        try {
            System.err.printf(Locale.ROOT, "generating a %dx%d SVS in %s%n", side, side, work);
            SyntheticSlideOptions options = SyntheticSlideOptions.svs();
            SyntheticSlide svs =
                    SyntheticSlideGenerator.generate(work.resolve("bench.svs"), side, side, 0.25, 42, options);
            System.err.println("writing the same level 0 as a DICOM series");
            Path dicom = writeDicom(svs.path(), work.resolve("dicom"), side, options.jpegQuality());

            List<Row> rows = new ArrayList<>();
            if (OpenSlide.isAvailable()) {
                rows.add(measureBackend("openslide", new OpenSlideReaderProvider(), svs.path(), "SVS", seconds, cores));
            }
            TiffSlideReaderProvider tiff = new TiffSlideReaderProvider();
            if (tiff.description().contains("libjpeg-turbo")) {
                rows.add(measureBackend("java-tiff + libjpeg-turbo", tiff, svs.path(), "SVS", seconds, cores));
            }
            rows.add(measureBackend(
                    "java-tiff + JDK JPEG", new TiffSlideReaderProvider(false), svs.path(), "SVS", seconds, cores));
            rows.add(measureBackend("dicom-wsi", new DicomSlideReaderProvider(), dicom, "DICOM", seconds, cores));
            Row python = openslidePython(svs.path(), side, seconds, cores);
            if (python != null) {
                rows.add(python);
            }
            Row turbo = tjbench(svs.path(), work, seconds, cores);
            if (turbo != null) {
                rows.add(turbo);
            }
            print(rows, python, side, cores, seconds, options);
        } finally {
            FileTrees.deleteRecursively(work);
        }
    }

    /**
     * A given tiled TIFF (e.g. the one {@code vips tiffsave} writes): our reader with libjpeg-turbo and OpenSlide over
     * its level-0 tiles, against {@code tjbench} decoding its middle tile (the JPEG tables of the file spliced in), as a
     * share of what libjpeg-turbo alone decodes.
     */
    private static void fileMode(Path file, double seconds, int cores, int rounds) throws Exception {
        Path work = Files.createTempDirectory("tessera-slide-bench-");
        try {
            TileTable table = TileTable.of(file);
            int[] sample = table.sampleBySize(SAMPLED_TILES);
            TiffSlideReaderProvider tiff = new TiffSlideReaderProvider();
            if (!tiff.description().contains("libjpeg-turbo")) {
                throw new IllegalStateException("libturbojpeg0 is not installed: worker/install-native-deps");
            }
            if (!Files.isExecutable(TJBENCH)) {
                throw new IllegalStateException("tjbench is missing: worker/install-native-deps --bench");
            }
            Row openslide = OpenSlide.isAvailable()
                    ? measureTiles("openslide", new OpenSlideReaderProvider(), file, table, sample, seconds, cores)
                    : null;
            // The reader and tjbench take turns, round after round: on a shared machine the speed of the cores drifts
            // by more than the difference being measured, so each round's ratio compares figures taken a few seconds
            // apart, and the medians over the rounds are reported.
            List<Row> ours = new ArrayList<>();
            List<Row> turbo = new ArrayList<>();
            try (SlideReader reader = tiff.open(file, file.getFileName().toString())) {
                System.err.println("java-tiff + libjpeg-turbo: " + tiff.description());
                TileTask task = tileTask(reader, table, sample);
                run(task, cores, 0, Math.max(3, seconds / 2));
                for (int r = 0; r < rounds; r++) {
                    System.err.printf(Locale.ROOT, "round %d of %d%n", r + 1, rounds);
                    ours.add(new Row(
                            "java-tiff + libjpeg-turbo",
                            "read + decode (level 0 region per tile)",
                            run(task, 1, 0, seconds),
                            run(task, cores, 0, seconds)));
                    turbo.add(tjbenchSample(table, sample, work, seconds, cores));
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "Tile read + decode of the same %d level-0 tiles of %s (%.0f MiB; tiles at evenly spaced quantiles of"
                            + " their compressed size, %d to %d bytes), %d cores (Java %s), %s; %d rounds of %.0f s per"
                            + " figure, the reader and tjbench in turn: medians, ranges in brackets%n%n"
                            + "| reader | what | 1 thread (tiles/s) | %d threads (tiles/s) | 1 thread vs tjbench |"
                            + " %d threads vs tjbench |%n|---|---|---:|---:|---:|---:|%n",
                    sample.length,
                    file.getFileName(),
                    Files.size(file) / 1048576.0,
                    table.counts()[sample[0]],
                    table.counts()[sample[sample.length - 1]],
                    cores,
                    Runtime.version(),
                    LocalDate.now(),
                    rounds,
                    seconds,
                    cores,
                    cores);
            double[] oneRatio = new double[rounds];
            double[] allRatio = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                oneRatio[r] = ours.get(r).perCore() / turbo.get(r).perCore() * 100;
                allRatio[r] = ours.get(r).allCores() / turbo.get(r).allCores() * 100;
            }
            printRounds(ours, oneRatio, allRatio);
            if (openslide != null) {
                double tjOne = median(turbo.stream().mapToDouble(Row::perCore).toArray());
                double tjAll = median(turbo.stream().mapToDouble(Row::allCores).toArray());
                System.out.printf(
                        Locale.ROOT,
                        "| %s | %s | %.0f | %.0f | %.0f %% | %.0f %% |%n",
                        openslide.name(),
                        openslide.what() + ", measured once",
                        openslide.perCore(),
                        openslide.allCores(),
                        openslide.perCore() / tjOne * 100,
                        openslide.allCores() / tjAll * 100);
            }
            // tjbench is the reference: 100 % by definition.
            double[] reference = {100};
            printRounds(turbo, reference, reference);
        } finally {
            FileTrees.deleteRecursively(work);
        }
    }

    private static void printRounds(List<Row> rounds, double[] oneRatio, double[] allRatio) {
        double[] one = rounds.stream().mapToDouble(Row::perCore).toArray();
        double[] all = rounds.stream().mapToDouble(Row::allCores).toArray();
        System.out.printf(
                Locale.ROOT,
                "| %s | %s | %s | %s | %s | %s |%n",
                rounds.getFirst().name(),
                rounds.getFirst().what(),
                spread(one, "%.0f"),
                spread(all, "%.0f"),
                spread(oneRatio, "%.0f %%"),
                spread(allRatio, "%.0f %%"));
    }

    /** The median, and the range in brackets unless every value is the same. */
    private static String spread(double[] values, String format) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        String median = String.format(Locale.ROOT, format, median(sorted));
        if (sorted[0] == sorted[sorted.length - 1]) {
            return median;
        }
        return median
                + String.format(Locale.ROOT, " (" + format + "–" + format + ")", sorted[0], sorted[sorted.length - 1])
                        .replace(" %–", "–");
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static final Path TJBENCH = Path.of("/usr/bin/tjbench");

    /** Tiles of the file-mode comparison. */
    private static final int SAMPLED_TILES = 16;

    /** A backend reading the sampled tiles over and over, each as a 256² region of level 0. */
    private static Row measureTiles(
            String name,
            SlideReaderProvider backend,
            Path file,
            TileTable table,
            int[] sample,
            double seconds,
            int cores)
            throws Exception {
        System.err.println("measuring " + name + " on the sampled tiles: " + backend.description());
        try (SlideReader reader = backend.open(file, file.getFileName().toString())) {
            TileTask task = tileTask(reader, table, sample);
            // Warm-up long enough for the JIT's last tier: a few hundred tiles left the first figure up to 30 % low.
            run(task, cores, 0, Math.max(3, seconds / 2));
            return new Row(
                    name,
                    "read + decode (level 0 region per tile)",
                    run(task, 1, 0, seconds),
                    run(task, cores, 0, seconds));
        }
    }

    /** Reads the sampled tiles over and over, each as a 256² region of level 0. */
    private static TileTask tileTask(SlideReader reader, TileTable table, int[] sample) {
        return (index, buffer) -> {
            int t = sample[(int) (index % sample.length)];
            reader.readPixels(0, (t % table.across()) * TILE, (t / table.across()) * TILE, TILE, TILE, buffer);
            return buffer[TILE * TILE / 2];
        };
    }

    /**
     * tjbench on each sampled tile (one process per thread), combined as the rate of decoding each tile once: the
     * number of tiles over the sum of their decode times.
     */
    private static Row tjbenchSample(TileTable table, int[] sample, Path work, double seconds, int cores)
            throws Exception {
        Path tjbench = TJBENCH;
        System.err.println("measuring tjbench on the sampled tiles");
        double perTile = Math.max(0.5, seconds / sample.length);
        double oneSeconds = 0;
        double allSeconds = 0;
        for (int i = 0; i < sample.length; i++) {
            Path jpeg = Files.write(work.resolve("tile-" + i + ".jpg"), table.jpeg(sample[i]));
            List<String> command = tjbenchCommand(tjbench, jpeg, perTile, "0.2");
            oneSeconds += 1 / tjbenchTiles(output(command));
            List<Process> processes = new ArrayList<>();
            for (int p = 0; p < cores; p++) {
                processes.add(
                        new ProcessBuilder(command).redirectErrorStream(true).start());
            }
            double all = 0;
            for (Process process : processes) {
                all += tjbenchTiles(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                process.waitFor();
            }
            allSeconds += 1 / all;
        }
        return new Row(
                "libjpeg-turbo alone (tjbench)",
                "decode only, each tile's JPEG from memory",
                sample.length / oneSeconds,
                sample.length / allSeconds);
    }

    private static Row measureBackend(
            String name, SlideReaderProvider backend, Path file, String format, double seconds, int cores)
            throws Exception {
        System.err.println("measuring " + name + " on " + format + ": " + backend.description());
        try (SlideReader reader = backend.open(file, file.getFileName().toString())) {
            int across = reader.info().width() / TILE;
            int down = reader.info().height() / TILE;
            int tiles = across * down;
            TileTask task = (index, buffer) -> {
                int t = (int) (index % tiles);
                reader.readPixels(0, (t % across) * TILE, (t / across) * TILE, TILE, TILE, buffer);
                return buffer[TILE * TILE / 2];
            };
            run(task, 1, Math.min(tiles, 200), 0);
            double one = run(task, 1, 0, seconds);
            double all = run(task, cores, 0, seconds);
            return new Row(name, format, one, all);
        }
    }

    @FunctionalInterface
    private interface TileTask {
        int read(long index, int[] buffer) throws Exception;
    }

    /**
     * Reads tiles from {@code threads} threads: {@code count} tiles when positive (warm-up), else for {@code seconds}.
     *
     * @return tiles per second
     */
    private static double run(TileTask task, int threads, int count, double seconds) throws Exception {
        AtomicLong next = new AtomicLong();
        AtomicLong done = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    int[] buffer = new int[TILE * TILE];
                    int sink = 0;
                    while (true) {
                        long index = next.getAndIncrement();
                        if (count > 0 ? index >= count : System.nanoTime() >= deadline) {
                            return sink;
                        }
                        sink += task.read(index, buffer);
                        done.incrementAndGet();
                    }
                }));
            }
            for (Future<Integer> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
        return done.get() / ((System.nanoTime() - start) / 1e9);
    }

    /** The SVS's level 0 re-encoded as DICOM frames at the SVS's JPEG quality; other levels are left white. */
    private static Path writeDicom(Path svs, Path directory, int side, float quality) throws Exception {
        try (SlideReader reader = new TiffSlideReaderProvider().open(svs, "bench.svs")) {
            DicomWsiWriter.write(
                    directory,
                    side,
                    side,
                    DicomWsiWriter.Options.defaults(0.25).withJpegQuality(quality),
                    (level, tx, ty) -> {
                        if (level > 0) {
                            return null;
                        }
                        BufferedImage tile = new BufferedImage(TILE, TILE, BufferedImage.TYPE_INT_RGB);
                        int w = Math.min(TILE, side - tx * TILE);
                        int h = Math.min(TILE, side - ty * TILE);
                        int[] pixels = new int[w * h];
                        try {
                            reader.readPixels(0, tx * TILE, ty * TILE, w, h, pixels);
                        } catch (org.tessera.slides.SlideFormatException e) {
                            throw new IOException(e);
                        }
                        int[] data = ((DataBufferInt) tile.getRaster().getDataBuffer()).getData();
                        for (int y = 0; y < h; y++) {
                            System.arraycopy(pixels, y * w, data, y * TILE, w);
                        }
                        return tile;
                    });
        }
        return directory;
    }

    private static final String PYTHON_SCRIPT = """
            import itertools, sys, threading, time
            import openslide

            path, side, seconds, threads = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
            T = 256
            slide = openslide.OpenSlide(path)
            across, down = side // T, side // T
            tiles = [((i % across) * T, (i // across) * T) for i in range(across * down)]

            def read(i):
                x, y = tiles[i % len(tiles)]
                return slide.read_region((x, y), 0, (T, T))

            for i in range(min(len(tiles), 200)):
                read(i)
            counter = itertools.count()
            done = [0] * threads
            deadline = time.perf_counter() + seconds

            def work(k):
                n = 0
                while time.perf_counter() < deadline:
                    read(next(counter))
                    n += 1
                done[k] = n

            start = time.perf_counter()
            workers = [threading.Thread(target=work, args=(k,)) for k in range(threads)]
            for w in workers:
                w.start()
            for w in workers:
                w.join()
            print(sum(done) / (time.perf_counter() - start))
            """;

    /** openslide-python on the same SVS and tiles, in threads (ctypes releases the GIL while OpenSlide decodes). */
    private static Row openslidePython(Path svs, int side, double seconds, int cores) throws Exception {
        Path python = Path.of("/usr/bin/python3");
        if (!Files.isExecutable(python)) {
            System.err.println("no /usr/bin/python3: skipping openslide-python");
            return null;
        }
        Path script = Files.createTempFile(svs.getParent(), "openslide-bench-", ".py");
        Files.writeString(script, PYTHON_SCRIPT);
        System.err.println("measuring openslide-python");
        String version = output(
                        List.of(python.toString(), "-c", "import openslide; print(openslide.__library_version__)"))
                .trim();
        double one = Double.parseDouble(output(List.of(
                        python.toString(),
                        script.toString(),
                        svs.toString(),
                        Integer.toString(side),
                        Double.toString(seconds),
                        "1"))
                .trim());
        double all = Double.parseDouble(output(List.of(
                        python.toString(),
                        script.toString(),
                        svs.toString(),
                        Integer.toString(side),
                        Double.toString(seconds),
                        Integer.toString(cores)))
                .trim());
        return new Row("openslide-python", "SVS (python3-openslide, OpenSlide " + version + ")", one, all);
    }

    /** tjbench decompressing one tile JPEG of the slide to BGRX, one process per thread. */
    private static Row tjbench(Path svs, Path work, double seconds, int cores) throws Exception {
        Path tjbench = Path.of("/usr/bin/tjbench");
        if (!Files.isExecutable(tjbench)) {
            System.err.println("no /usr/bin/tjbench (Debian libjpeg-turbo-progs): skipping raw libjpeg-turbo");
            return null;
        }
        TileTable table = TileTable.of(svs);
        Path jpeg = Files.write(work.resolve("tile.jpg"), table.jpeg(table.middle()));
        System.err.println("measuring tjbench");
        List<String> command = tjbenchCommand(tjbench, jpeg, seconds, "1");
        double one = tjbenchTiles(output(command));
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < cores; i++) {
            processes.add(new ProcessBuilder(command).redirectErrorStream(true).start());
        }
        double all = 0;
        for (Process process : processes) {
            all += tjbenchTiles(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            process.waitFor();
        }
        return new Row("libjpeg-turbo", "one tile's JPEG, decode only (tjbench)", one, all);
    }

    /** tjbench decoding one JPEG to BGRX for {@code seconds} after {@code warmup} seconds, printing its table only. */
    private static List<String> tjbenchCommand(Path tjbench, Path jpeg, double seconds, String warmup) {
        return List.of(
                tjbench.toString(),
                jpeg.toString(),
                "-bgrx",
                "-nowrite",
                "-quiet",
                "-benchtime",
                Double.toString(seconds),
                "-warmup",
                warmup);
    }

    /** The last number of tjbench's quiet table is the decompression throughput in megapixels per second. */
    private static double tjbenchTiles(String output) {
        Matcher m = Pattern.compile("([0-9]+\\.[0-9]+)\\s*$").matcher(output.strip());
        if (!m.find()) {
            throw new IllegalStateException("cannot read tjbench's output:\n" + output);
        }
        return Double.parseDouble(m.group(1)) / TILE_MEGAPIXELS;
    }

    /**
     * Level 0's tiles as stored: IFD 0's TileOffsets/TileByteCounts and, when the tiles are abbreviated streams,
     * JPEGTables, of a classic little-endian TIFF.
     */
    private record TileTable(Path file, int across, int down, long[] offsets, long[] counts, byte[] tables) {

        static TileTable of(Path tiff) throws IOException {
            try (FileChannel channel = FileChannel.open(tiff)) {
                ByteBuffer header = read(channel, 0, 8);
                if (header.get(0) != 'I' || header.getShort(2) != 42) {
                    throw new IOException("expected a classic little-endian TIFF");
                }
                long ifd = header.getInt(4) & 0xFFFFFFFFL;
                int count = read(channel, ifd, 2).getShort(0) & 0xFFFF;
                ByteBuffer entries = read(channel, ifd + 2, count * 12);
                long width = 0;
                long height = 0;
                long[] offsets = null;
                long[] counts = null;
                byte[] tables = null;
                for (int i = 0; i < count; i++) {
                    int tag = entries.getShort(i * 12) & 0xFFFF;
                    int type = entries.getShort(i * 12 + 2) & 0xFFFF;
                    long n = entries.getInt(i * 12 + 4) & 0xFFFFFFFFL;
                    long value = entries.getInt(i * 12 + 8) & 0xFFFFFFFFL;
                    if (tag == 256 || tag == 257) {
                        long size = type == 3 ? value & 0xFFFF : value;
                        if (tag == 256) {
                            width = size;
                        } else {
                            height = size;
                        }
                    } else if (tag == 347) {
                        ByteBuffer shared = n <= 4 ? entries.slice(i * 12 + 8, (int) n) : read(channel, value, (int) n);
                        tables = new byte[shared.remaining()];
                        shared.get(tables);
                    } else if (tag == 324 || tag == 325) {
                        long[] values = longs(channel, type, n, value);
                        if (tag == 324) {
                            offsets = values;
                        } else {
                            counts = values;
                        }
                    }
                }
                if (offsets == null || counts == null || width == 0) {
                    throw new IOException("no tile table in IFD 0");
                }
                return new TileTable(
                        tiff,
                        (int) ((width + TILE - 1) / TILE),
                        (int) ((height + TILE - 1) / TILE),
                        offsets,
                        counts,
                        tables);
            }
        }

        int middle() {
            return offsets.length / 2 + across / 2;
        }

        /**
         * Tile {@code index} as a JPEG a decoder alone can read: for an abbreviated stream, the tables without their
         * EOI, then the tile without its SOI.
         */
        byte[] jpeg(int index) throws IOException {
            byte[] bytes;
            try (FileChannel channel = FileChannel.open(file)) {
                ByteBuffer tile = read(channel, offsets[index], (int) counts[index]);
                bytes = new byte[tile.remaining()];
                tile.get(bytes);
            }
            if (tables == null) {
                return bytes;
            }
            byte[] whole = new byte[tables.length - 2 + bytes.length - 2];
            System.arraycopy(tables, 0, whole, 0, tables.length - 2);
            System.arraycopy(bytes, 2, whole, tables.length - 2, bytes.length - 2);
            return whole;
        }

        /**
         * {@code n} whole (not edge) tiles at evenly spaced quantiles of their compressed size, so that blank
         * background and dense tissue weigh as they do on the slide.
         */
        int[] sampleBySize(int n) {
            List<Integer> inner = new ArrayList<>();
            for (int t = 0; t < offsets.length; t++) {
                if (t % across < across - 1 && t / across < down - 1 && counts[t] > 0) {
                    inner.add(t);
                }
            }
            inner.sort((a, b) -> Long.compare(counts[a], counts[b]));
            int[] sample = new int[n];
            for (int i = 0; i < n; i++) {
                sample[i] = inner.get((int) ((i + 0.5) / n * inner.size()));
            }
            return sample;
        }
    }

    private static long[] longs(FileChannel channel, int type, long n, long valueOrOffset) throws IOException {
        int size = type == 3 ? 2 : 4;
        long[] out = new long[(int) n];
        if (n * size <= 4) {
            ByteBuffer inline =
                    ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, (int) valueOrOffset);
            for (int i = 0; i < n; i++) {
                out[i] = size == 2 ? inline.getShort(i * 2) & 0xFFFF : inline.getInt(0) & 0xFFFFFFFFL;
            }
            return out;
        }
        ByteBuffer values = read(channel, valueOrOffset, (int) (n * size));
        for (int i = 0; i < n; i++) {
            out[i] = size == 2 ? values.getShort(i * 2) & 0xFFFF : values.getInt(i * 4) & 0xFFFFFFFFL;
        }
        return out;
    }

    private static ByteBuffer read(FileChannel channel, long offset, int size) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + buffer.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
        return buffer.flip();
    }

    private static String output(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed:\n" + out);
        }
        return out;
    }

    private static void print(
            List<Row> rows, Row python, int side, int cores, double seconds, SyntheticSlideOptions options) {
        System.out.printf(
                Locale.ROOT,
                "Tile read + decode, 256x256 level-0 tiles of a %dx%d synthetic SVS (JPEG Q%d, %d-pixel tiles), %d"
                        + " cores (%s %s, Java %s), %.0f s per figure, %s%n%n",
                side,
                side,
                Math.round(options.jpegQuality() * 100),
                options.tileSize(),
                cores,
                System.getProperty("os.name"),
                System.getProperty("os.arch"),
                Runtime.version(),
                seconds,
                LocalDate.now());
        System.out.printf(
                Locale.ROOT,
                "| reader | input | 1 thread (tiles/s) | 1 thread (MP/s) | %d threads (tiles/s) | %d threads (MP/s) |"
                        + " per core vs openslide-python |%n",
                cores,
                cores);
        System.out.println("|---|---|---:|---:|---:|---:|---:|");
        for (Row row : rows) {
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %s | %.0f | %.1f | %.0f | %.1f | %s |%n",
                    row.name(),
                    row.what(),
                    row.perCore(),
                    row.perCore() * TILE_MEGAPIXELS,
                    row.allCores(),
                    row.allCores() * TILE_MEGAPIXELS,
                    python == null ? "n/a" : String.format(Locale.ROOT, "%.2fx", row.perCore() / python.perCore()));
        }
    }
}
