package org.tessera.worker.analysis;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;
import org.tessera.contracts.ErrorCodes;
import org.tessera.slides.SlideFormatException;
import org.tessera.slides.SlideInfo;
import org.tessera.slides.SlideLevel;
import org.tessera.slides.SlideReader;
import org.tessera.worker.pipeline.InputRejectedException;
import org.tessera.worker.pipeline.ProgressSink;

/**
 * Finds tissue on a low-resolution view of the slide: a stain score per map pixel (colour saturation, or darkness for
 * stains that are nearly grey), an Otsu threshold with a floor so that clean glass never counts as tissue, then
 * closing/opening and removal of specks and pinholes. Also splits tissue coarsely into nucleus-dense ("cellular") and
 * eosin-dominated ("stroma") areas by how far the mean colour of stained pixels shifts from eosin red to
 * hematoxylin blue.
 *
 * <p>The map is built from the coarsest pyramid level that is still finer than the target pixel size, averaging
 * blocks of that level, reading it in strips so memory depends on the map, not on the slide.
 */
public final class TissueDetector {

    public static final TissueClass BACKGROUND = new TissueClass(0, "Background", 0xFFFFFF);
    public static final TissueClass TISSUE = new TissueClass(1, "Tissue", 0xD660A8);
    public static final TissueClass STROMA = new TissueClass(1, "Stroma", 0xF08CB4);
    public static final TissueClass CELLULAR = new TissueClass(2, "Cellular", 0x5A3C96);

    public static final List<TissueClass> QC_CLASSES = List.of(BACKGROUND, TISSUE);
    public static final List<TissueClass> SEGMENTATION_CLASSES = List.of(BACKGROUND, STROMA, CELLULAR);

    // Saturation of clean glass stays below ~0.05; faint tissue edges reach ~0.1.
    private static final double MIN_THRESHOLD = 0.08;
    private static final double MIN_PIECE_MM2 = 0.01;
    private static final int READ_CHUNK = 2048;
    // Reading more than this for a low-resolution view means the file has no usable pyramid.
    private static final long MAX_LEVEL_PIXELS = 4_000_000_000L;
    private static final long MAX_MAP_PIXELS = 25_000_000L;

    private final double targetMpp;

    /** @param targetMpp pixel size of the map in micrometres, e.g. 8 */
    public TissueDetector(double targetMpp) {
        if (!(targetMpp > 0)) {
            throw new IllegalArgumentException("target mpp must be positive");
        }
        this.targetMpp = targetMpp;
    }

    /** Result of one detection. */
    public record Result(ClassMap qc, ClassMap segmentation, int level, double threshold, double tissueFraction) {}

    /** Which level to read and by how much to shrink it. */
    record Plan(int level, int factor) {}

    static Plan plan(SlideInfo info, double slideMpp, double targetMpp) {
        int chosen = 0;
        for (int i = 0; i < info.levels().size(); i++) {
            if (slideMpp * info.levels().get(i).downsample() <= targetMpp * 1.0001) {
                chosen = i;
            }
        }
        double levelMpp = slideMpp * info.levels().get(chosen).downsample();
        int factor = Math.max(1, (int) Math.floor(targetMpp / levelMpp + 1e-9));
        return new Plan(chosen, factor);
    }

    public Result detect(SlideReader reader, double slideMpp, ProgressSink progress)
            throws InputRejectedException, SlideFormatException, IOException {
        SlideInfo info = reader.info();
        Plan plan = plan(info, slideMpp, targetMpp);
        SlideLevel level = info.levels().get(plan.level());
        if ((long) level.width() * level.height() > MAX_LEVEL_PIXELS) {
            throw new InputRejectedException(
                    ErrorCodes.INPUT_UNSUPPORTED_FORMAT,
                    "the slide has no pyramid level small enough for tissue detection (smallest useful level is "
                            + level.width() + "x" + level.height() + "); resave it as a pyramidal TIFF");
        }
        int f = plan.factor();
        // A wrong or tiny mpp must not blow up the map: coarsen it until it fits.
        while ((long) ceilDiv(level.width(), f) * ceilDiv(level.height(), f) > MAX_MAP_PIXELS) {
            f *= 2;
        }
        int width = (level.width() + f - 1) / f;
        int height = (level.height() + f - 1) / f;
        float[] score = new float[width * height];
        float[] hematoxylin = new float[width * height];
        int[] count = new int[width * height];
        int[] stained = new int[width * height];

        int chunk = Math.max(f, (READ_CHUNK / f) * f);
        long chunksTotal = (long) ((level.width() + chunk - 1) / chunk) * ((level.height() + chunk - 1) / chunk);
        long chunksDone = 0;
        progress.tiles(0, chunksTotal);
        for (int y0 = 0; y0 < level.height(); y0 += chunk) {
            for (int x0 = 0; x0 < level.width(); x0 += chunk) {
                int w = Math.min(chunk, level.width() - x0);
                int h = Math.min(chunk, level.height() - y0);
                BufferedImage image = reader.readRegion(plan.level(), x0, y0, w, h);
                int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
                accumulate(rgb, w, h, x0 / f, y0 / f, f, width, score, hematoxylin, stained, count);
                progress.tiles(++chunksDone, chunksTotal);
            }
        }
        for (int i = 0; i < score.length; i++) {
            if (count[i] > 0) {
                score[i] /= count[i];
            }
            if (stained[i] > 0) {
                hematoxylin[i] /= stained[i];
            }
        }

        double scale = level.downsample() * f;
        double mapMpp = slideMpp * scale;
        double threshold = Math.max(MIN_THRESHOLD, MaskOps.otsu(score));
        byte[] mask = new byte[score.length];
        for (int i = 0; i < score.length; i++) {
            mask[i] = (byte) (score[i] > threshold ? 1 : 0);
        }
        int minPixels = (int) Math.max(4, Math.round(MIN_PIECE_MM2 * 1e6 / (mapMpp * mapMpp)));
        mask = MaskOps.close(mask, width, height, 1);
        mask = MaskOps.open(mask, width, height, 1);
        mask = MaskOps.removeSmallComponents(mask, width, height, minPixels);
        mask = MaskOps.fillSmallHoles(mask, width, height, minPixels);

        ClassMap qc = new ClassMap(width, height, mask, scale, info.width(), info.height(), slideMpp, QC_CLASSES);
        ClassMap segmentation = qc.withValues(cellularity(mask, hematoxylin, width, height), SEGMENTATION_CLASSES);
        long tissue = 0;
        for (byte b : mask) {
            tissue += b;
        }
        return new Result(qc, segmentation, plan.level(), threshold, (double) tissue / mask.length);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static void accumulate(
            int[] rgb,
            int w,
            int h,
            int mapX0,
            int mapY0,
            int f,
            int mapWidth,
            float[] score,
            float[] hematoxylin,
            int[] stained,
            int[] count) {
        for (int y = 0; y < h; y++) {
            int rowBase = (mapY0 + y / f) * mapWidth + mapX0;
            for (int x = 0; x < w; x++) {
                int p = rgb[y * w + x];
                int r = (p >> 16) & 0xFF;
                int g = (p >> 8) & 0xFF;
                int b = p & 0xFF;
                int max = Math.max(r, Math.max(g, b));
                int min = Math.min(r, Math.min(g, b));
                float saturation = max == 0 ? 0 : (max - min) / (float) max;
                // Dark but grey matter (ink, folds, heavily stained tissue) is not glass either.
                float darkness = 1 - (r + g + b) / 765f;
                int index = rowBase + x / f;
                score[index] += Math.max(saturation, darkness - 0.25f);
                // Hematoxylin is blue-purple, eosin pink: where nuclei are dense the mean colour shifts from red
                // towards blue, which survives the averaging of low-resolution levels where single nuclei do not.
                // Only stained pixels count, so glass at the tissue's edge does not tint it.
                if (saturation > 0.1f) {
                    hematoxylin[index] += 0.5f + (b - r) / 510f;
                    stained[index]++;
                }
                count[index]++;
            }
        }
    }

    /** 0 outside tissue; inside, 2 where the smoothed blue shift is above its Otsu cut within tissue, else 1. */
    private static byte[] cellularity(byte[] mask, float[] hematoxylin, int width, int height) {
        float[] smoothed = boxMean(hematoxylin, mask, width, height, 2);
        int inside = 0;
        for (byte b : mask) {
            inside += b;
        }
        byte[] classes = new byte[mask.length];
        if (inside == 0) {
            return classes;
        }
        float[] tissueValues = new float[inside];
        int n = 0;
        float max = Float.NEGATIVE_INFINITY;
        float min = Float.POSITIVE_INFINITY;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] != 0) {
                tissueValues[n++] = smoothed[i];
                max = Math.max(max, smoothed[i]);
                min = Math.min(min, smoothed[i]);
            }
        }
        // Otsu on values stretched to [0, 1]; a uniform tissue (narrow range) stays all stroma.
        double cut = Double.POSITIVE_INFINITY;
        if (max - min > 0.02f) {
            for (int i = 0; i < tissueValues.length; i++) {
                tissueValues[i] = (tissueValues[i] - min) / (max - min);
            }
            cut = min + MaskOps.otsu(tissueValues) * (max - min);
        }
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] != 0) {
                classes[i] = (byte) (smoothed[i] > cut ? CELLULAR.value() : STROMA.value());
            }
        }
        return classes;
    }

    /** Mean over the set mask pixels of each (2r+1)^2 window. */
    private static float[] boxMean(float[] values, byte[] mask, int width, int height, int radius) {
        float[] result = new float[values.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float sum = 0;
                int n = 0;
                for (int dy = -radius; dy <= radius; dy++) {
                    int yy = y + dy;
                    if (yy < 0 || yy >= height) {
                        continue;
                    }
                    for (int dx = -radius; dx <= radius; dx++) {
                        int xx = x + dx;
                        if (xx >= 0 && xx < width && mask[yy * width + xx] != 0) {
                            sum += values[yy * width + xx];
                            n++;
                        }
                    }
                }
                result[y * width + x] = n == 0 ? 0 : sum / n;
            }
        }
        return result;
    }
}
