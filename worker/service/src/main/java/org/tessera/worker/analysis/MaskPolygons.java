package org.tessera.worker.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns the pixels of one class in a map into polygons that follow pixel edges exactly. Pieces are 4-connected; each
 * becomes one polygon with its outer ring and its holes. Rings are closed (first vertex repeated last), use
 * map-pixel corner coordinates, and keep only the corners (no collinear vertices). In the map's own coordinates
 * (y down) outer rings have positive shoelace area and holes negative, so the numbers follow RFC 7946's
 * counter-clockwise-exterior rule.
 */
public final class MaskPolygons {

    private MaskPolygons() {}

    /** A ring as alternating x, y corner coordinates, closed. */
    public record Ring(int[] coordinates) {
        public int points() {
            return coordinates.length / 2;
        }

        public double signedArea() {
            double sum = 0;
            for (int i = 0; i + 3 < coordinates.length; i += 2) {
                sum += (double) coordinates[i] * coordinates[i + 3] - (double) coordinates[i + 2] * coordinates[i + 1];
            }
            return sum / 2;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Ring that && Arrays.equals(coordinates, that.coordinates);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(coordinates);
        }

        @Override
        public String toString() {
            return "Ring" + Arrays.toString(coordinates);
        }
    }

    /** One 4-connected piece: its outer boundary and its holes. */
    public record Polygon(Ring exterior, List<Ring> holes) {
        public Polygon {
            holes = List.copyOf(holes);
        }

        /** Area in map pixels. */
        public double area() {
            double area = exterior.signedArea();
            for (Ring hole : holes) {
                area += hole.signedArea();
            }
            return area;
        }
    }

    /**
     * The pieces of one class, in the order their first pixel comes in the map (row by row); each ring starts at the
     * first of its boundary edges in that order.
     *
     * <p>Boundary edges are the sides of class pixels that face a pixel of another class or the map's edge, directed
     * with the class on their right in y-down coordinates: top (x,y)->(x+1,y), right (x+1,y)->(x+1,y+1), bottom
     * (x+1,y+1)->(x,y+1), left (x,y+1)->(x,y). An edge is named by its pixel and side ({@code pixel * 4 + side}), so
     * the walk needs no edge list: the edges that leave a vertex are found from the four pixels around it. Memory:
     * one int (component label) and one byte (edges walked) per map pixel.
     */
    public static List<Polygon> trace(ClassMap map, int classValue) {
        int width = map.width();
        int height = map.height();
        byte[] values = map.values();
        byte value = (byte) classValue;
        int[] labels = label(map, classValue);
        int components = 0;
        for (int l : labels) {
            components = Math.max(components, l);
        }
        if (components == 0) {
            return List.of();
        }
        Edges edges = new Edges(values, value, width, height);
        byte[] used = new byte[width * height];
        List<List<Ring>> ringsByComponent = new ArrayList<>();
        for (int c = 0; c <= components; c++) {
            ringsByComponent.add(new ArrayList<>());
        }
        IntList corners = new IntList();
        for (int pixel = 0; pixel < values.length; pixel++) {
            if (values[pixel] != value) {
                continue;
            }
            for (int side = 0; side < 4; side++) {
                if ((used[pixel] & (1 << side)) != 0 || !edges.exists(pixel, side)) {
                    continue;
                }
                corners.clear();
                int currentPixel = pixel;
                int currentSide = side;
                do {
                    used[currentPixel] |= (byte) (1 << currentSide);
                    int px = currentPixel % width;
                    int py = currentPixel / width;
                    corners.add(px + START_DX[currentSide]);
                    corners.add(py + START_DY[currentSide]);
                    int vx = px + END_DX[currentSide];
                    int vy = py + END_DY[currentSide];
                    long out = edges.leaving(vx, vy);
                    int a = (int) (out >>> 32) - 1;
                    int b = (int) out - 1;
                    // At a vertex where two pieces touch diagonally, stay on the same pixel so pieces never merge.
                    int next;
                    if (b >= 0 && !isUsed(used, a) && !isUsed(used, b)) {
                        next = a / 4 == currentPixel ? a : b;
                    } else {
                        next = a >= 0 && !isUsed(used, a) ? a : b;
                    }
                    if (next < 0 || isUsed(used, next)) {
                        break;
                    }
                    currentPixel = next / 4;
                    currentSide = next % 4;
                } while (true);
                ringsByComponent.get(labels[pixel]).add(simplify(corners));
            }
        }
        List<Polygon> polygons = new ArrayList<>();
        for (int c = 1; c <= components; c++) {
            List<Ring> rings = ringsByComponent.get(c);
            Ring exterior = null;
            List<Ring> holes = new ArrayList<>();
            for (Ring ring : rings) {
                if (ring.signedArea() > 0 && (exterior == null || ring.signedArea() > exterior.signedArea())) {
                    if (exterior != null) {
                        holes.add(exterior);
                    }
                    exterior = ring;
                } else {
                    holes.add(ring);
                }
            }
            if (exterior != null) {
                polygons.add(new Polygon(exterior, holes));
            }
        }
        return List.copyOf(polygons);
    }

    // Start and end vertex of each side, relative to the pixel's top-left corner: top, right, bottom, left.
    private static final int[] START_DX = {0, 1, 1, 0};
    private static final int[] START_DY = {0, 0, 1, 1};
    private static final int[] END_DX = {1, 1, 0, 0};
    private static final int[] END_DY = {0, 1, 1, 0};

    private static boolean isUsed(byte[] used, int edge) {
        return (used[edge / 4] & (1 << (edge % 4))) != 0;
    }

    /** The boundary edges of one class, looked up from the map's pixels. */
    private record Edges(byte[] values, byte value, int width, int height) {

        private boolean in(int x, int y) {
            return x >= 0 && y >= 0 && x < width && y < height && values[y * width + x] == value;
        }

        /** Whether the side of a class pixel is a boundary edge. */
        boolean exists(int pixel, int side) {
            int x = pixel % width;
            int y = pixel / width;
            return switch (side) {
                case 0 -> !in(x, y - 1);
                case 1 -> !in(x + 1, y);
                case 2 -> !in(x, y + 1);
                default -> !in(x - 1, y);
            };
        }

        /**
         * The (at most two) edges that start at vertex (vx, vy), as {@code (first + 1) << 32 | (second + 1)}, 0 for
         * none, in the order of their pixels in the map: bottom of (vx-1, vy-1), left of (vx, vy-1), right of (vx-1,
         * vy), top of (vx, vy).
         */
        long leaving(int vx, int vy) {
            int[] found = new int[4];
            int n = 0;
            if (in(vx - 1, vy - 1) && !in(vx - 1, vy)) {
                found[n++] = ((vy - 1) * width + vx - 1) * 4 + 2;
            }
            if (in(vx, vy - 1) && !in(vx - 1, vy - 1)) {
                found[n++] = ((vy - 1) * width + vx) * 4 + 3;
            }
            if (in(vx - 1, vy) && !in(vx, vy)) {
                found[n++] = (vy * width + vx - 1) * 4 + 1;
            }
            if (in(vx, vy) && !in(vx, vy - 1)) {
                found[n++] = (vy * width + vx) * 4;
            }
            int first = n > 0 ? found[0] : -1;
            int second = n > 1 ? found[n - 1] : -1;
            return ((long) (first + 1) << 32) | (second + 1);
        }
    }

    /** A growable list of ints. */
    private static final class IntList {
        private int[] items = new int[64];
        private int size;

        void add(int v) {
            if (size == items.length) {
                items = Arrays.copyOf(items, size * 2);
            }
            items[size++] = v;
        }

        void clear() {
            size = 0;
        }

        int size() {
            return size;
        }

        int get(int i) {
            return items[i];
        }
    }

    /** Drops vertices in the middle of straight runs and closes the ring. */
    private static Ring simplify(IntList corners) {
        int n = corners.size() / 2;
        int[] kept = new int[2 * n + 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            int previous = i == 0 ? n - 1 : i - 1;
            int following = i == n - 1 ? 0 : i + 1;
            int px = corners.get(2 * previous);
            int py = corners.get(2 * previous + 1);
            int x = corners.get(2 * i);
            int y = corners.get(2 * i + 1);
            int nx = corners.get(2 * following);
            int ny = corners.get(2 * following + 1);
            boolean collinear = (x - px) * (ny - y) - (y - py) * (nx - x) == 0;
            if (!collinear) {
                kept[k++] = x;
                kept[k++] = y;
            }
        }
        kept[k] = kept[0];
        kept[k + 1] = kept[1];
        return new Ring(Arrays.copyOf(kept, k + 2));
    }

    /** 4-connected component labels (1..n) of the class's pixels, numbered in the order of their first pixel; 0 elsewhere. */
    private static int[] label(ClassMap map, int classValue) {
        int width = map.width();
        byte[] values = map.values();
        byte value = (byte) classValue;
        int[] labels = new int[values.length];
        int next = 0;
        int[] stack = new int[1024];
        for (int start = 0; start < labels.length; start++) {
            if (labels[start] != 0 || values[start] != value) {
                continue;
            }
            next++;
            int top = 0;
            stack[top++] = start;
            labels[start] = next;
            while (top > 0) {
                int p = stack[--top];
                int x = p % width;
                if (stack.length - top < 4) {
                    stack = Arrays.copyOf(stack, stack.length * 2);
                }
                if (x > 0 && labels[p - 1] == 0 && values[p - 1] == value) {
                    labels[p - 1] = next;
                    stack[top++] = p - 1;
                }
                if (x < width - 1 && labels[p + 1] == 0 && values[p + 1] == value) {
                    labels[p + 1] = next;
                    stack[top++] = p + 1;
                }
                if (p >= width && labels[p - width] == 0 && values[p - width] == value) {
                    labels[p - width] = next;
                    stack[top++] = p - width;
                }
                if (p + width < labels.length && labels[p + width] == 0 && values[p + width] == value) {
                    labels[p + width] = next;
                    stack[top++] = p + width;
                }
            }
        }
        return labels;
    }
}
