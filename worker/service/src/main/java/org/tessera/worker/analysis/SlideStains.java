package org.tessera.worker.analysis;

import java.io.IOException;
import java.util.List;
import org.tessera.models.stain.MacenkoStainEstimator;
import org.tessera.models.stain.StainCorrection;
import org.tessera.slides.SlideFormatException;
import org.tessera.slides.SlideLevel;
import org.tessera.slides.SlideReader;

/**
 * Estimates a slide's stains once, at low resolution, before any model runs: from the coarsest level at or finer
 * than {@link #STAIN_MPP} µm per pixel (the resolution the reference stains were measured at), read in blocks of
 * {@value #BLOCK} pixels, at most {@value #MAX_BLOCKS} of them spread evenly over the level, so a slide of any size
 * costs the same bounded read.
 */
final class SlideStains {

    /** µm per pixel the reference stains were estimated at; coarser levels mix nuclei into their surroundings. */
    static final double STAIN_MPP = 2.0;

    static final int BLOCK = 256;
    static final int MAX_BLOCKS = 160;

    private SlideStains() {}

    static StainCorrection estimate(SlideReader reader, double mpp) throws IOException, SlideFormatException {
        List<SlideLevel> levels = reader.info().levels();
        int level = 0;
        for (int i = 0; i < levels.size(); i++) {
            if (levels.get(i).downsample() * mpp <= STAIN_MPP * 1.01) {
                level = i;
            }
        }
        SlideLevel chosen = levels.get(level);
        long columns = (chosen.width() + BLOCK - 1) / BLOCK;
        long rows = (chosen.height() + BLOCK - 1) / BLOCK;
        long blocks = columns * rows;
        // An odd stride over the row-major block index lands on every column in turn, not on one stripe.
        long stride = Math.max(1, (blocks + MAX_BLOCKS - 1) / MAX_BLOCKS);
        if (stride > 1 && stride % 2 == 0) {
            stride++;
        }
        MacenkoStainEstimator estimator = new MacenkoStainEstimator();
        int[] argb = new int[BLOCK * BLOCK];
        for (long b = stride / 2; b < blocks; b += stride) {
            int x = (int) ((b % columns) * BLOCK);
            int y = (int) ((b / columns) * BLOCK);
            int w = Math.min(BLOCK, chosen.width() - x);
            int h = Math.min(BLOCK, chosen.height() - y);
            reader.readPixels(level, x, y, w, h, argb);
            for (int i = 0; i < w * h; i++) {
                estimator.add(argb[i]);
            }
        }
        return StainCorrection.of(estimator);
    }
}
