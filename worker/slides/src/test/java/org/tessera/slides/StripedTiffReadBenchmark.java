package org.tessera.slides;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.tessera.imaging.synthetic.StripedTiffWriter;
import org.tessera.imaging.synthetic.SyntheticSlideGenerator;

/**
 * Reading a plain striped 40,000² JPEG TIFF (0.25 µm/px, strips of 16 rows, no pyramid) the way the worker's tissue
 * plan does: the level at 2 µm/px in 256² tiles, row by row (the first read builds the levels below level 0), then a
 * band of level-0 tiles. Reports the wall time of each step and the peak heap (sum of the heap pools' peaks, reset
 * after generating). A benchmark, not a timed test: run it as docs/benchmarks.md says. The slide is generated once
 * into {@code target/bench/} and kept.
 */
@EnabledIfSystemProperty(named = "tessera.bench", matches = "true")
class StripedTiffReadBenchmark {

    private static final int SIDE = Integer.getInteger("tessera.bench.side", 40_000);
    private static final int TILE = 256;

    @Test
    void readsTheTissuePlanLevelOfAStriped40000SquareTiff() throws Exception {
        Path slide = Path.of("target/bench/striped-" + SIDE + ".tiff");
        if (!Files.exists(slide)) {
            Files.createDirectories(slide.getParent());
            long start = System.nanoTime();
            SyntheticSlideGenerator.generateStriped(
                    slide, SIDE, SIDE, 1, StripedTiffWriter.Options.of(StripedTiffWriter.Compression.JPEG, 0.25));
            System.out.printf(Locale.ROOT, "generated %s in %.1f s%n", slide, seconds(start));
        }
        System.out.printf(
                Locale.ROOT, "%s: %.1f MiB, heap limit %d MiB%n", slide, Files.size(slide) / 1048576.0, maxHeap());
        System.gc();
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .toList();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);

        long start = System.nanoTime();
        try (SlideReader reader = SlideReaders.builtIn().open(slide, "bench")) {
            double open = seconds(start);
            int level = 3;
            SlideLevel coarse = reader.info().levels().get(level);
            int[] tile = new int[TILE * TILE];
            long first = System.nanoTime();
            reader.readPixels(level, 0, 0, TILE, TILE, tile);
            double build = seconds(first);
            long all = System.nanoTime();
            int tiles = 0;
            for (int y = 0; y < coarse.height(); y += TILE) {
                for (int x = 0; x < coarse.width(); x += TILE) {
                    int w = Math.min(TILE, coarse.width() - x);
                    int h = Math.min(TILE, coarse.height() - y);
                    reader.readPixels(level, x, y, w, h, tile);
                    tiles++;
                }
            }
            double coarseRead = seconds(all);
            long band = System.nanoTime();
            int fullTiles = 0;
            for (int x = 0; x + TILE <= reader.info().width(); x += TILE) {
                reader.readPixels(0, x, 20_000, TILE, TILE, tile);
                fullTiles++;
            }
            double bandRead = seconds(band);
            long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            System.out.printf(
                    Locale.ROOT,
                    "open %.2f s; levels %s; first read of level %d (%dx%d, downsample %.0f), building every level:"
                            + " %.1f s; then its %d tiles: %.2f s; a row of %d level-0 tiles: %.2f s; peak heap %d"
                            + " MiB%n",
                    open,
                    reader.info().levels().size(),
                    level,
                    coarse.width(),
                    coarse.height(),
                    coarse.downsample(),
                    build,
                    tiles,
                    coarseRead,
                    fullTiles,
                    bandRead,
                    peak >> 20);
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static long maxHeap() {
        return Runtime.getRuntime().maxMemory() >> 20;
    }
}
