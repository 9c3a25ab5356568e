package org.tessera.worker.analysis;

import java.util.List;
import java.util.Objects;
import org.tessera.models.classes.MapClass;

/**
 * A low-resolution map of classes over a whole slide: pixel {@code (x, y)} covers level-0 pixels
 * {@code [x * scale, (x + 1) * scale) x [y * scale, (y + 1) * scale)}, clipped to the slide.
 *
 * @param width map width
 * @param height map height
 * @param values one class value per pixel, row by row
 * @param scale level-0 pixels per map pixel
 * @param slideWidth level-0 width of the slide
 * @param slideHeight level-0 height of the slide
 * @param slideMpp level-0 micrometres per pixel
 * @param classes the classes that may appear, background (value 0) first
 */
public record ClassMap(
        int width,
        int height,
        byte[] values,
        double scale,
        int slideWidth,
        int slideHeight,
        double slideMpp,
        List<MapClass> classes) {

    public ClassMap {
        Objects.requireNonNull(values, "values");
        classes = List.copyOf(classes);
        if (values.length != width * height) {
            throw new IllegalArgumentException(
                    "map of " + width + "x" + height + " needs " + width * height + " values");
        }
    }

    public int valueAt(int x, int y) {
        return values[y * width + x] & 0xFF;
    }

    /** Micrometres per map pixel. */
    public double mpp() {
        return slideMpp * scale;
    }

    /** Level-0 area (in level-0 pixels) that map pixel (x, y) covers, clipped to the slide. */
    public double levelZeroArea(int x, int y) {
        double w = Math.min(slideWidth, (x + 1) * scale) - x * scale;
        double h = Math.min(slideHeight, (y + 1) * scale) - y * scale;
        return Math.max(0, w) * Math.max(0, h);
    }

    /** A copy of this map with other values and classes. */
    public ClassMap withValues(byte[] newValues, List<MapClass> newClasses) {
        return new ClassMap(width, height, newValues, scale, slideWidth, slideHeight, slideMpp, newClasses);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClassMap that
                && width == that.width
                && height == that.height
                && java.util.Arrays.equals(values, that.values)
                && Double.compare(scale, that.scale) == 0
                && classes.equals(that.classes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(width, height, scale, classes) * 31 + java.util.Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "ClassMap[" + width + "x" + height + ", scale " + scale + ", " + classes.size() + " classes]";
    }
}
