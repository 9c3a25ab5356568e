package org.tessera.dicom;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tile read + decode throughput on a generated 8192 x 8192 slide (256-pixel JPEG tiles, quality 0.85, a noisy
 * H&E-like texture so tiles are as large as scanned ones). A benchmark, not a timed test: run it with
 * {@code ./mvnw -B -q install -pl dicom -Dtessera.bench=true -Dtest=DicomReadBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "tessera.bench", matches = "true")
class DicomReadBenchmark {

    private static final int SIZE = 8192;
    private static final int TILE = 256;

    @TempDir
    Path dir;

    @Test
    void level0TilesPerSecond() throws Exception {
        long start = System.nanoTime();
        DicomWsiWriter.WrittenSeries written = DicomWsiWriter.write(
                dir,
                SIZE,
                SIZE,
                DicomWsiWriter.Options.defaults(0.25),
                DicomTileSource.ofRgb(TILE, DicomReadBenchmark::tile));
        double writeSeconds = (System.nanoTime() - start) / 1e9;
        long level0Bytes = Files.size(written.files().getFirst());
        int tiles = (SIZE / TILE) * (SIZE / TILE);
        System.out.printf(
                Locale.ROOT,
                "wrote %d levels in %.1f s; level 0: %d tiles, %.1f KiB per tile%n",
                written.levels().size(),
                writeSeconds,
                tiles,
                level0Bytes / 1024.0 / tiles);

        try (DicomWsiReader reader = DicomWsiReader.open(dir)) {
            readAll(reader); // warm-up: JIT and the per-thread decoders
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                readAll(reader);
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "1 thread: %.0f tiles/s%n", tiles / seconds);
            }
            int threads = Runtime.getRuntime().availableProcessors();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                for (int round = 0; round < 2; round++) {
                    long t0 = System.nanoTime();
                    List<Future<?>> rows = new ArrayList<>();
                    for (int ty = 0; ty < SIZE / TILE; ty++) {
                        int row = ty;
                        rows.add(pool.submit(() -> {
                            for (int tx = 0; tx < SIZE / TILE; tx++) {
                                reader.readTile(0, tx, row);
                            }
                            return null;
                        }));
                    }
                    for (Future<?> f : rows) {
                        f.get();
                    }
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    System.out.printf(Locale.ROOT, "%d threads: %.0f tiles/s%n", threads, tiles / seconds);
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    private static void readAll(DicomWsiReader reader) throws IOException {
        for (int ty = 0; ty < SIZE / TILE; ty++) {
            for (int tx = 0; tx < SIZE / TILE; tx++) {
                reader.readTile(0, tx, ty);
            }
        }
    }

    /** Pink stroma with grain and purple nuclei: as costly to decode as a scanned tile, not a flat gradient. */
    private static int[] tile(int level, int tx, int ty) {
        SplittableRandom random = new SplittableRandom(((long) level << 40) ^ ((long) tx << 20) ^ ty);
        int[] pixels = new int[TILE * TILE];
        for (int i = 0; i < pixels.length; i++) {
            int grain = random.nextInt(24) - 12;
            pixels[i] = clamp(232 + grain) << 16 | clamp(170 + grain) << 8 | clamp(200 + grain);
        }
        for (int n = 0; n < 60; n++) {
            int cx = random.nextInt(TILE);
            int cy = random.nextInt(TILE);
            int r = 4 + random.nextInt(5);
            for (int y = Math.max(0, cy - r); y < Math.min(TILE, cy + r); y++) {
                for (int x = Math.max(0, cx - r); x < Math.min(TILE, cx + r); x++) {
                    if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) {
                        int grain = random.nextInt(30) - 15;
                        pixels[y * TILE + x] = clamp(90 + grain) << 16 | clamp(50 + grain) << 8 | clamp(140 + grain);
                    }
                }
            }
        }
        return pixels;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
