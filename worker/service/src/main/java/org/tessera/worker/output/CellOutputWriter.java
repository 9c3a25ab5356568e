package org.tessera.worker.output;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.tessera.models.cells.Cell;
import org.tessera.models.classes.CellClass;
import org.tessera.models.classes.TissueClass;
import org.tessera.models.stain.StainCorrection;
import org.tessera.worker.analysis.ClassMap;
import org.tessera.worker.analysis.SlideAnalyzer;

/**
 * Streams cells as they are found into the cell GeoJSON (QuPath detections: one Polygon per cell, {@code objectType:
 * "detection"}, {@code classification {name, color}}) and the per-cell CSV, and keeps only per-class sums for the
 * slide readouts. Not thread-safe: the analyzer hands cells over one at a time.
 */
public final class CellOutputWriter implements SlideAnalyzer.CellSink, AutoCloseable {

    public static final String CELL_HEADER =
            "cell_id,x,y,class,tissue_class,area_um2,perimeter_um,eccentricity,mean_hematoxylin,mean_eosin";
    public static final String SLIDE_HEADER = "scope,class,tissue_class,cell_count,area_mm2,density_per_mm2,"
            + "mean_cell_area_um2,mean_hematoxylin,mean_eosin,stain_normalization";

    private final JsonGenerator geojson;
    private final BufferedWriter csv;
    private final String idSeed;
    private final double mpp;
    /** Per cell class and tissue class (in ordinal order). */
    private final Sums[][] sums = new Sums[CellClass.values().length][TissueClass.values().length];

    private long next;
    private boolean closed;

    public CellOutputWriter(Path geojsonFile, Path cellCsv, String idSeed, double mpp) throws IOException {
        this.geojson = QuPathGeoJson.open(geojsonFile);
        this.csv = Files.newBufferedWriter(cellCsv, StandardCharsets.UTF_8);
        this.idSeed = idSeed;
        this.mpp = mpp;
        for (Sums[] row : sums) {
            Arrays.setAll(row, t -> new Sums());
        }
        csv.write(CELL_HEADER);
        csv.write('\n');
    }

    @Override
    public void accept(Cell cell, double[] polygon, double x, double y, TissueClass tissueClass) throws IOException {
        long id = ++next;
        // Ids come from the position, so a repeated attempt names the same cell the same way.
        String uuid = UUID.nameUUIDFromBytes(
                        String.format(Locale.ROOT, "%s/%.2f/%.2f", idSeed, x, y).getBytes(StandardCharsets.UTF_8))
                .toString();
        CellClass cc = cell.cellClass();
        QuPathGeoJson.startFeature(geojson, uuid);
        geojson.writeStartArray();
        for (int k = 0; k <= polygon.length; k += 2) {
            int i = k % polygon.length;
            QuPathGeoJson.point(geojson, polygon[i], polygon[i + 1]);
        }
        geojson.writeEndArray();
        QuPathGeoJson.startProperties(geojson, "detection", cc);
        geojson.writeObjectFieldStart("measurements");
        geojson.writeNumberField("Nucleus: Area µm^2", QuPathGeoJson.round(cell.areaUm2()));
        geojson.writeNumberField("Nucleus: Perimeter µm", QuPathGeoJson.round(cell.perimeterUm()));
        geojson.writeNumberField("Nucleus: Eccentricity", QuPathGeoJson.round(cell.eccentricity()));
        geojson.writeNumberField("Nucleus: Hematoxylin OD mean", QuPathGeoJson.round(cell.meanHaematoxylin()));
        geojson.writeNumberField("Nucleus: Eosin OD mean", QuPathGeoJson.round(cell.meanEosin()));
        geojson.writeEndObject();
        QuPathGeoJson.endFeature(geojson);

        csv.write(String.format(
                Locale.ROOT,
                "%d,%.2f,%.2f,%s,%s,%.2f,%.2f,%.4f,%.4f,%.4f%n",
                id,
                x,
                y,
                cc.name(),
                tissueClass.displayName(),
                cell.areaUm2(),
                cell.perimeterUm(),
                cell.eccentricity(),
                cell.meanHaematoxylin(),
                cell.meanEosin()));
        sums[cc.ordinal()][tissueClass.ordinal()].add(cell);
    }

    /**
     * Writes the slide readouts: per cell class over all tissue ({@code scope=slide}), then per tissue class all cells
     * ({@code class=ALL}) and each cell class ({@code scope=tissue_class}); densities are per mm² of the tissue (class)
     * area in the map, means are over the cells counted in the row; every row ends with the slide's stain normalization
     * ({@code applied} or {@code skipped}).
     */
    public void writeSlideReadouts(ClassMap segmentation, Path target, StainCorrection stain) throws IOException {
        String stainStatus = stain.status();
        double[] areaMm2 = new double[TissueClass.values().length];
        double mm2PerPixel = segmentation.slideMpp() * segmentation.slideMpp() / 1e6;
        for (int y = 0; y < segmentation.height(); y++) {
            for (int x = 0; x < segmentation.width(); x++) {
                areaMm2[segmentation.valueAt(x, y)] += segmentation.levelZeroArea(x, y) * mm2PerPixel;
            }
        }
        List<TissueClass> tissue = Arrays.stream(TissueClass.values())
                .filter(t -> !t.isBackground())
                .toList();
        double tissueMm2 = tissue.stream().mapToDouble(t -> areaMm2[t.value()]).sum();
        try (BufferedWriter out = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
            out.write(SLIDE_HEADER);
            out.write('\n');
            for (CellClass cc : CellClass.values()) {
                Sums all = new Sums();
                for (TissueClass t : TissueClass.values()) {
                    all.add(sums[cc.ordinal()][t.ordinal()]);
                }
                row(out, "slide", cc.name(), "ALL", all, tissueMm2, stainStatus);
            }
            for (TissueClass t : tissue) {
                Sums all = new Sums();
                for (CellClass cc : CellClass.values()) {
                    all.add(sums[cc.ordinal()][t.ordinal()]);
                }
                row(out, "tissue_class", "ALL", t.displayName(), all, areaMm2[t.value()], stainStatus);
                for (CellClass cc : CellClass.values()) {
                    row(
                            out,
                            "tissue_class",
                            cc.name(),
                            t.displayName(),
                            sums[cc.ordinal()][t.ordinal()],
                            areaMm2[t.value()],
                            stainStatus);
                }
            }
        }
    }

    private static void row(
            BufferedWriter out, String scope, String cellClass, String tissue, Sums s, double area, String stainStatus)
            throws IOException {
        out.write(String.format(
                Locale.ROOT,
                "%s,%s,%s,%d,%.6f,%.2f,%.2f,%.4f,%.4f,%s%n",
                scope,
                cellClass,
                tissue,
                s.count,
                area,
                area > 0 ? s.count / area : 0,
                s.mean(s.areaUm2),
                s.mean(s.haematoxylin),
                s.mean(s.eosin),
                stainStatus));
    }

    /** Count and sums of the cells of one row. */
    private static final class Sums {
        private long count;
        private double areaUm2;
        private double haematoxylin;
        private double eosin;

        void add(Cell cell) {
            count++;
            areaUm2 += cell.areaUm2();
            haematoxylin += cell.meanHaematoxylin();
            eosin += cell.meanEosin();
        }

        void add(Sums other) {
            count += other.count;
            areaUm2 += other.areaUm2;
            haematoxylin += other.haematoxylin;
            eosin += other.eosin;
        }

        double mean(double sum) {
            return count == 0 ? 0 : sum / count;
        }
    }

    public long cells() {
        return next;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (csv;
                geojson) {
            QuPathGeoJson.endCollection(geojson);
        }
    }
}
