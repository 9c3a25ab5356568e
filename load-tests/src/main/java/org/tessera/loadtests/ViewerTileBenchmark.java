package org.tessera.loadtests;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.tessera.bytes.BlockCache;
import org.tessera.bytes.HttpRangeByteSource;
import org.tessera.bytes.RangeFileServer;
import org.tessera.imaging.synthetic.SyntheticSlideGenerator;
import org.tessera.imaging.synthetic.SyntheticSlideOptions;
import org.tessera.slides.SlideLevel;
import org.tessera.slides.SlideReaders;
import org.tessera.viewer.ViewerSession;

/**
 * The viewer's tile rate and first-tile latency on a generated SVS read over loopback HTTP range requests, as the
 * orchestrator reads a customer's slide: {@code ViewerTileBenchmark [side=40000] [seconds=10] [threads=2]}. Run with
 * {@code -XX:ActiveProcessorCount=2} (load-tests/run viewer does). Tiles are never asked twice, so every tile is read,
 * decoded and encoded; the block cache only shares the source blocks neighbouring tiles have in common.
 */
public final class ViewerTileBenchmark {

    private ViewerTileBenchmark() {}

    public static void main(String[] args) throws Exception {
        int side = args.length > 0 ? Integer.parseInt(args[0]) : 40_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Path dir = Path.of("target", "bench");
        Files.createDirectories(dir);
        Path slide = dir.resolve("viewer-" + side + ".svs");
        if (!Files.exists(slide)) {
            long start = System.nanoTime();
            SyntheticSlideGenerator.generate(slide, side, side, 0.25, 42, SyntheticSlideOptions.svs());
            System.out.printf("generated %s in %.0f s%n", slide, (System.nanoTime() - start) / 1e9);
        }
        HttpClient client = HttpRangeByteSource.newClient();
        try (RangeFileServer storage = RangeFileServer.serve(slide);
                ViewerSession session = new ViewerSession(
                        "bench",
                        SlideReaders.builtIn()
                                .open(
                                        HttpRangeByteSource.open(
                                                client,
                                                storage.url("expires=4102444800&signature=bench"),
                                                "bench slide",
                                                new BlockCache(256L << 20),
                                                HttpRangeByteSource.Options.defaults()),
                                        "bench slide"),
                        List.of(),
                        Map.of())) {
            List<SlideLevel> levels = session.slide().info().levels();
            System.out.printf(
                    "slide %dx%d, %d levels, %s; %d threads, %d cores available%n",
                    side,
                    side,
                    levels.size(),
                    session.slide().backend(),
                    threads,
                    Runtime.getRuntime().availableProcessors());
            // Warm-up: the JIT and the decoders, on tiles the measurements do not use.
            int warmCols = (levels.getFirst().width() + ViewerSession.TILE - 1) / ViewerSession.TILE;
            for (int i = 0; i < 200; i++) {
                session.tile(0, i % warmCols, i / warmCols);
            }
            firstTiles(session, levels, storage);
            throughput(session, levels, seconds, threads, storage);
        } finally {
            client.close();
        }
    }

    /** A new view: a random place at a random level; the time until its first (centre) tile is ready. */
    private static void firstTiles(ViewerSession session, List<SlideLevel> levels, RangeFileServer storage)
            throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        int views = 60;
        double[] millis = new double[views];
        int before = storage.requests();
        for (int i = 0; i < views; i++) {
            int level = random.nextInt(levels.size());
            SlideLevel l = levels.get(level);
            int cols = Math.max(1, (l.width() + ViewerSession.TILE - 1) / ViewerSession.TILE);
            int rows = Math.max(1, (l.height() + ViewerSession.TILE - 1) / ViewerSession.TILE);
            int col = random.nextInt(cols);
            int row = 1 + random.nextInt(Math.max(1, rows - 1)) % rows;
            long start = System.nanoTime();
            session.tile(level, col, Math.min(row, rows - 1));
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        System.out.printf(
                "first tile of a new view (%d views, random level and place, cold blocks): median %.1f ms, p95 %.1f"
                        + " ms, max %.1f ms; %d range requests%n",
                views, millis[views / 2], millis[(int) (views * 0.95)], millis[views - 1], storage.requests() - before);
    }

    /** Tiles of level 0 row by row from the middle of the slide (through tissue), each thread its own rows, for {@code seconds}. */
    private static void throughput(
            ViewerSession session, List<SlideLevel> levels, int seconds, int threads, RangeFileServer storage)
            throws Exception {
        SlideLevel l = levels.getFirst();
        int cols = (l.width() + ViewerSession.TILE - 1) / ViewerSession.TILE;
        int rows = (l.height() + ViewerSession.TILE - 1) / ViewerSession.TILE;
        AtomicLong tiles = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        int before = storage.requests();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = rows / 2 + t;
                work.add(pool.submit(() -> {
                    for (int row = first; row < rows && System.nanoTime() < end; row += threads) {
                        for (int col = 0; col < cols && System.nanoTime() < end; col++) {
                            bytes.addAndGet(session.tile(0, col, row).length);
                            tiles.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                "throughput: %d level-0 tiles in %.1f s = %.0f tiles/s (mean JPEG %.1f KiB), %d range requests%n",
                tiles.get(),
                elapsed,
                tiles.get() / elapsed,
                bytes.get() / 1024.0 / Math.max(1, tiles.get()),
                storage.requests() - before);
    }
}
