package org.tessera.worker.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The tracer as it was before it walked pixel edges in place (a list of edge arrays and boxed corner lists): kept so
 * that tests can show the faster {@link MaskPolygons} returns the same polygons, ring for ring.
 *
 * <p>Turns the pixels of one class in a map into polygons that follow pixel edges exactly. Pieces are 4-connected; each
 * becomes one polygon with its outer ring and its holes. Rings are closed (first vertex repeated last), use
 * map-pixel corner coordinates, and keep only the corners (no collinear vertices). In the map's own coordinates
 * (y down) outer rings have positive shoelace area and holes negative, so the numbers follow RFC 7946's
 * counter-clockwise-exterior rule.
 */
final class MaskPolygonsReference {

    private MaskPolygonsReference() {}

    /** A ring as alternating x, y corner coordinates, closed. */
    record Ring(int[] coordinates) {
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
    record Polygon(Ring exterior, List<Ring> holes) {
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

    public static List<Polygon> trace(ClassMap map, int classValue) {
        int width = map.width();
        int height = map.height();
        int[] labels = label(map, classValue);
        int components = 0;
        for (int l : labels) {
            components = Math.max(components, l);
        }
        if (components == 0) {
            return List.of();
        }
        // Directed boundary edges with the class on their right in y-down coordinates (clockwise on screen):
        // top (x,y)->(x+1,y), right (x+1,y)->(x+1,y+1), bottom (x+1,y+1)->(x,y+1), left (x,y+1)->(x,y).
        int vertexColumns = width + 1;
        int vertices = vertexColumns * (height + 1);
        int[] firstOut = new int[vertices];
        int[] secondOut = new int[vertices];
        Arrays.fill(firstOut, -1);
        Arrays.fill(secondOut, -1);
        List<int[]> edges = new ArrayList<>();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int pixel = y * width + x;
                if (labels[pixel] == 0) {
                    continue;
                }
                if (y == 0 || labels[pixel - width] == 0) {
                    addEdge(edges, firstOut, secondOut, vertexColumns, x, y, x + 1, y, pixel);
                }
                if (x == width - 1 || labels[pixel + 1] == 0) {
                    addEdge(edges, firstOut, secondOut, vertexColumns, x + 1, y, x + 1, y + 1, pixel);
                }
                if (y == height - 1 || labels[pixel + width] == 0) {
                    addEdge(edges, firstOut, secondOut, vertexColumns, x + 1, y + 1, x, y + 1, pixel);
                }
                if (x == 0 || labels[pixel - 1] == 0) {
                    addEdge(edges, firstOut, secondOut, vertexColumns, x, y + 1, x, y, pixel);
                }
            }
        }
        boolean[] used = new boolean[edges.size()];
        List<List<Ring>> ringsByComponent = new ArrayList<>();
        for (int c = 0; c <= components; c++) {
            ringsByComponent.add(new ArrayList<>());
        }
        for (int start = 0; start < edges.size(); start++) {
            if (used[start]) {
                continue;
            }
            List<Integer> corners = new ArrayList<>();
            int current = start;
            do {
                used[current] = true;
                int[] e = edges.get(current);
                corners.add(e[0]);
                corners.add(e[1]);
                int end = e[3] * vertexColumns + e[2];
                int a = firstOut[end];
                int b = secondOut[end];
                // At a vertex where two pieces touch diagonally, stay on the same pixel so pieces never merge.
                int next;
                if (b >= 0 && !used[a] && !used[b]) {
                    next = edges.get(a)[4] == e[4] ? a : b;
                } else {
                    next = a >= 0 && !used[a] ? a : b;
                }
                if (next < 0 || used[next]) {
                    break;
                }
                current = next;
            } while (true);
            int component = labels[edges.get(start)[4]];
            ringsByComponent.get(component).add(simplify(corners));
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

    private static void addEdge(
            List<int[]> edges,
            int[] firstOut,
            int[] secondOut,
            int vertexColumns,
            int x0,
            int y0,
            int x1,
            int y1,
            int pixel) {
        int index = edges.size();
        edges.add(new int[] {x0, y0, x1, y1, pixel});
        int vertex = y0 * vertexColumns + x0;
        if (firstOut[vertex] < 0) {
            firstOut[vertex] = index;
        } else {
            secondOut[vertex] = index;
        }
    }

    /** Drops vertices in the middle of straight runs and closes the ring. */
    private static Ring simplify(List<Integer> corners) {
        int n = corners.size() / 2;
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int px = corners.get(2 * ((i - 1 + n) % n));
            int py = corners.get(2 * ((i - 1 + n) % n) + 1);
            int x = corners.get(2 * i);
            int y = corners.get(2 * i + 1);
            int nx = corners.get(2 * ((i + 1) % n));
            int ny = corners.get(2 * ((i + 1) % n) + 1);
            boolean collinear = (x - px) * (ny - y) - (y - py) * (nx - x) == 0;
            if (!collinear) {
                kept.add(x);
                kept.add(y);
            }
        }
        int[] ring = new int[kept.size() + 2];
        for (int i = 0; i < kept.size(); i++) {
            ring[i] = kept.get(i);
        }
        ring[kept.size()] = kept.get(0);
        ring[kept.size() + 1] = kept.get(1);
        return new Ring(ring);
    }

    /** 4-connected component labels (1..n) of the class's pixels, 0 elsewhere. */
    private static int[] label(ClassMap map, int classValue) {
        int width = map.width();
        int height = map.height();
        int[] labels = new int[width * height];
        int next = 0;
        int[] stack = new int[width * height];
        for (int start = 0; start < labels.length; start++) {
            if (labels[start] != 0 || (map.values()[start] & 0xFF) != classValue) {
                continue;
            }
            next++;
            int top = 0;
            stack[top++] = start;
            labels[start] = next;
            while (top > 0) {
                int p = stack[--top];
                int x = p % width;
                int y = p / width;
                int[] neighbours = {
                    x > 0 ? p - 1 : -1,
                    x < width - 1 ? p + 1 : -1,
                    y > 0 ? p - width : -1,
                    y < height - 1 ? p + width : -1
                };
                for (int q : neighbours) {
                    if (q >= 0 && labels[q] == 0 && (map.values()[q] & 0xFF) == classValue) {
                        labels[q] = next;
                        stack[top++] = q;
                    }
                }
            }
        }
        return labels;
    }
}
