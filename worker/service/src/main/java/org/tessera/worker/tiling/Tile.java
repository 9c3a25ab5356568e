package org.tessera.worker.tiling;

/**
 * One tile of a {@link TilePlan}.
 *
 * @param column tile column in the plan's grid
 * @param row tile row in the plan's grid
 * @param x left edge in analysis pixels
 * @param y top edge in analysis pixels
 * @param width analysis pixels covered by slide data (smaller than the tile size at the right edge)
 * @param height analysis pixels covered by slide data (smaller than the tile size at the bottom edge)
 * @param read the region of the source level to read, in that level's integer pixel coordinates
 */
public record Tile(int column, int row, long x, long y, int width, int height, Region read) {

    /** Whether slide data fills less than the full tile, so the rest is padding. */
    public boolean isEdge(int tileSize) {
        return width < tileSize || height < tileSize;
    }

    /** A rectangle of pixels on one level. */
    public record Region(int level, long x, long y, int width, int height) {}
}
