package org.tessera.worker.tiling;

import java.util.BitSet;

/**
 * A low-resolution tissue mask: a grid of cells, each covering {@code cellSize × cellSize} level-0 pixels, set where
 * there is tissue. Immutable.
 */
public final class TissueMask {

    private final int columns;
    private final int rows;
    private final double cellSize;
    private final BitSet cells;
    private final int[] prefix;

    /**
     * @param columns grid width
     * @param rows grid height
     * @param cellSize level-0 pixels per mask cell (e.g. the downsample of the level the mask was computed on)
     * @param tissue {@code tissue[y * columns + x]}
     */
    public TissueMask(int columns, int rows, double cellSize, boolean[] tissue) {
        if (columns < 1 || rows < 1 || tissue.length != columns * rows) {
            throw new IllegalArgumentException("mask of " + columns + "x" + rows + " needs " + (long) columns * rows
                    + " cells, got " + tissue.length);
        }
        if (!(cellSize > 0)) {
            throw new IllegalArgumentException("cell size must be positive: " + cellSize);
        }
        this.columns = columns;
        this.rows = rows;
        this.cellSize = cellSize;
        this.cells = new BitSet(tissue.length);
        // Summed-area table: the tissue count of any rectangle in O(1), so a plan of 100,000 tiles stays cheap.
        this.prefix = new int[(columns + 1) * (rows + 1)];
        for (int y = 0; y < rows; y++) {
            int rowSum = 0;
            for (int x = 0; x < columns; x++) {
                boolean t = tissue[y * columns + x];
                if (t) {
                    cells.set(y * columns + x);
                    rowSum++;
                }
                prefix[(y + 1) * (columns + 1) + x + 1] = prefix[y * (columns + 1) + x + 1] + rowSum;
            }
        }
    }

    public int columns() {
        return columns;
    }

    public int rows() {
        return rows;
    }

    public double cellSize() {
        return cellSize;
    }

    public boolean isTissue(int x, int y) {
        return cells.get(y * columns + x);
    }

    /**
     * Fraction of the mask cells touched by a level-0 rectangle that are tissue (0 when the rectangle lies outside the
     * mask).
     */
    public double tissueFraction(double x0, double y0, double width0, double height0) {
        int cx0 = clamp((int) Math.floor(x0 / cellSize), columns);
        int cy0 = clamp((int) Math.floor(y0 / cellSize), rows);
        int cx1 = clamp((int) Math.ceil((x0 + width0) / cellSize), columns);
        int cy1 = clamp((int) Math.ceil((y0 + height0) / cellSize), rows);
        long area = (long) (cx1 - cx0) * (cy1 - cy0);
        if (area <= 0) {
            return 0;
        }
        int w = columns + 1;
        int count = prefix[cy1 * w + cx1] - prefix[cy0 * w + cx1] - prefix[cy1 * w + cx0] + prefix[cy0 * w + cx0];
        return (double) count / area;
    }

    private static int clamp(int v, int max) {
        return Math.max(0, Math.min(max, v));
    }
}
