package org.tessera.worker.analysis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tessera.slides.SlideFormatException;
import org.tessera.slides.SlideReader;
import org.tessera.worker.tiling.Tile;
import org.tessera.worker.tiling.TilePipeline;
import org.tessera.worker.tiling.TilePlan;

/** Reads a tile into a float CHW RGB array of the plan's tile size: box-averaged when the plan resamples, padded white. */
public final class TileDecoder {

    private TileDecoder() {}

    public static float[] decode(SlideReader reader, TilePlan plan, Tile tile)
            throws IOException, SlideFormatException {
        int size = plan.tileSize();
        int plane = size * size;
        float[] chw = new float[3 * plane];
        java.util.Arrays.fill(chw, 255f);
        Tile.Region r = tile.read();
        int[] argb = new int[r.width() * r.height()];
        reader.readPixels(r.level(), Math.toIntExact(r.x()), Math.toIntExact(r.y()), r.width(), r.height(), argb);
        double scale = plan.scale();
        if (scale == 1) {
            for (int y = 0; y < tile.height(); y++) {
                for (int x = 0; x < tile.width(); x++) {
                    int p = argb[y * r.width() + x];
                    int i = y * size + x;
                    chw[i] = (p >> 16) & 0xFF;
                    chw[plane + i] = (p >> 8) & 0xFF;
                    chw[2 * plane + i] = p & 0xFF;
                }
            }
            return chw;
        }
        for (int y = 0; y < tile.height(); y++) {
            int sy0 = (int) Math.floor((tile.y() + y) * scale - r.y());
            int sy1 = Math.min(r.height(), Math.max(sy0 + 1, (int) Math.floor((tile.y() + y + 1) * scale - r.y())));
            sy0 = Math.max(0, Math.min(r.height() - 1, sy0));
            for (int x = 0; x < tile.width(); x++) {
                int sx0 = (int) Math.floor((tile.x() + x) * scale - r.x());
                int sx1 = Math.min(r.width(), Math.max(sx0 + 1, (int) Math.floor((tile.x() + x + 1) * scale - r.x())));
                sx0 = Math.max(0, Math.min(r.width() - 1, sx0));
                float rs = 0;
                float gs = 0;
                float bs = 0;
                int n = 0;
                for (int sy = sy0; sy < sy1; sy++) {
                    for (int sx = sx0; sx < sx1; sx++) {
                        int p = argb[sy * r.width() + sx];
                        rs += (p >> 16) & 0xFF;
                        gs += (p >> 8) & 0xFF;
                        bs += p & 0xFF;
                        n++;
                    }
                }
                if (n > 0) {
                    int i = y * size + x;
                    chw[i] = rs / n;
                    chw[plane + i] = gs / n;
                    chw[2 * plane + i] = bs / n;
                }
            }
        }
        return chw;
    }

    public static float[] stack(List<TilePipeline.Decoded<float[]>> inputs, int size) {
        int each = 3 * size * size;
        float[] batch = new float[inputs.size() * each];
        for (int k = 0; k < inputs.size(); k++) {
            System.arraycopy(inputs.get(k).input(), 0, batch, k * each, each);
        }
        return batch;
    }

    /** Splits each batched output (first dimension n) into one map per tile. */
    public static List<Map<String, Object>> split(Map<String, Object> outputs, int n) {
        List<Map<String, Object>> tiles = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            tiles.add(new HashMap<>());
        }
        for (Map.Entry<String, Object> e : outputs.entrySet()) {
            if (e.getValue() instanceof float[] f) {
                int each = f.length / n;
                for (int k = 0; k < n; k++) {
                    tiles.get(k).put(e.getKey(), java.util.Arrays.copyOfRange(f, k * each, (k + 1) * each));
                }
            } else {
                long[] l = (long[]) e.getValue();
                int each = l.length / n;
                for (int k = 0; k < n; k++) {
                    tiles.get(k).put(e.getKey(), java.util.Arrays.copyOfRange(l, k * each, (k + 1) * each));
                }
            }
        }
        return tiles;
    }
}
