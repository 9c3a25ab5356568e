package org.tessera.worker.output;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.tessera.models.cells.Cell;
import org.tessera.models.cells.CellClass;
import org.tessera.worker.analysis.ClassMap;
import org.tessera.worker.analysis.SlideAnalyzer;
import org.tessera.worker.analysis.TissueClass;

/**
 * Streams cells as they are found into the cell GeoJSON (QuPath detections: one Polygon per cell, {@code objectType:
 * "detection"}, {@code classification {name, color}}) and the per-cell CSV, and keeps only per-class sums for the
 * slide readouts. Not thread-safe: the analyzer hands cells over one at a time.
 */
public final class CellOutputWriter implements SlideAnalyzer.CellSink, AutoCloseable {

    public static final String CELL_HEADER =
            "cell_id,x,y,class,tissue_class,area_um2,perimeter_um,eccentricity,mean_hematoxylin,mean_eosin";
    public static final String SLIDE_HEADER = "scope,class,tissue_class,cell_count,area_mm2,density_per_mm2,"
            + "mean_cell_area_um2,mean_hematoxylin,mean_eosin";

    private static final JsonFactory JSON = new JsonFactory();

    private final JsonGenerator geojson;
    private final BufferedWriter csv;
    private final String idSeed;
    private final double mpp;
    private final int tissueClasses = SlideAnalyzer.SEGMENTATION_CLASSES.size();
    private final long[][] count = new long[CellClass.values().length][tissueClasses];
    private final double[][][] sums = new double[CellClass.values().length][tissueClasses][3];
    private long next;
    private boolean closed;

    public CellOutputWriter(Path geojsonFile, Path cellCsv, String idSeed, double mpp) throws IOException {
        this.geojson = JSON.createGenerator(geojsonFile.toFile(), JsonEncoding.UTF8);
        this.csv = Files.newBufferedWriter(cellCsv, StandardCharsets.UTF_8);
        this.idSeed = idSeed;
        this.mpp = mpp;
        geojson.writeStartObject();
        geojson.writeStringField("type", "FeatureCollection");
        geojson.writeArrayFieldStart("features");
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
        geojson.writeStartObject();
        geojson.writeStringField("type", "Feature");
        geojson.writeStringField("id", uuid);
        geojson.writeObjectFieldStart("geometry");
        geojson.writeStringField("type", "Polygon");
        geojson.writeArrayFieldStart("coordinates");
        geojson.writeStartArray();
        for (int k = 0; k <= polygon.length; k += 2) {
            int i = k % polygon.length;
            geojson.writeStartArray();
            geojson.writeNumber(round(polygon[i]));
            geojson.writeNumber(round(polygon[i + 1]));
            geojson.writeEndArray();
        }
        geojson.writeEndArray();
        geojson.writeEndArray();
        geojson.writeEndObject();
        geojson.writeObjectFieldStart("properties");
        geojson.writeStringField("objectType", "detection");
        geojson.writeObjectFieldStart("classification");
        geojson.writeStringField("name", cc.displayName());
        geojson.writeArrayFieldStart("color");
        geojson.writeNumber((cc.rgb() >> 16) & 0xFF);
        geojson.writeNumber((cc.rgb() >> 8) & 0xFF);
        geojson.writeNumber(cc.rgb() & 0xFF);
        geojson.writeEndArray();
        geojson.writeEndObject();
        geojson.writeObjectFieldStart("measurements");
        geojson.writeNumberField("Nucleus: Area µm^2", round(cell.areaUm2()));
        geojson.writeNumberField("Nucleus: Perimeter µm", round(cell.perimeterUm()));
        geojson.writeNumberField("Nucleus: Eccentricity", round(cell.eccentricity()));
        geojson.writeNumberField("Nucleus: Hematoxylin OD mean", round(cell.meanHaematoxylin()));
        geojson.writeNumberField("Nucleus: Eosin OD mean", round(cell.meanEosin()));
        geojson.writeEndObject();
        geojson.writeEndObject();
        geojson.writeEndObject();

        csv.write(String.format(
                Locale.ROOT,
                "%d,%.2f,%.2f,%s,%s,%.2f,%.2f,%.4f,%.4f,%.4f%n",
                id,
                x,
                y,
                cc.name(),
                tissueClass.name(),
                cell.areaUm2(),
                cell.perimeterUm(),
                cell.eccentricity(),
                cell.meanHaematoxylin(),
                cell.meanEosin()));
        int t = tissueClass.value();
        count[cc.ordinal()][t]++;
        sums[cc.ordinal()][t][0] += cell.areaUm2();
        sums[cc.ordinal()][t][1] += cell.meanHaematoxylin();
        sums[cc.ordinal()][t][2] += cell.meanEosin();
    }

    /**
     * Writes the slide readouts: one row per cell class over all tissue ({@code scope=slide}) and per cell class and
     * tissue class ({@code scope=tissue_class}); densities are per mm² of the tissue (class) area in the map.
     */
    public void writeSlideReadouts(ClassMap segmentation, Path target) throws IOException {
        double[] areaMm2 = new double[tissueClasses];
        double mm2PerPixel = segmentation.slideMpp() * segmentation.slideMpp() / 1e6;
        for (int y = 0; y < segmentation.height(); y++) {
            for (int x = 0; x < segmentation.width(); x++) {
                areaMm2[segmentation.valueAt(x, y)] += segmentation.levelZeroArea(x, y) * mm2PerPixel;
            }
        }
        double tissueMm2 = 0;
        for (int t = 1; t < tissueClasses; t++) {
            tissueMm2 += areaMm2[t];
        }
        List<TissueClass> classes = SlideAnalyzer.SEGMENTATION_CLASSES;
        try (BufferedWriter out = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
            out.write(SLIDE_HEADER);
            out.write('\n');
            for (CellClass cc : CellClass.values()) {
                long n = 0;
                double[] s = new double[3];
                for (int t = 0; t < tissueClasses; t++) {
                    n += count[cc.ordinal()][t];
                    for (int k = 0; k < 3; k++) {
                        s[k] += sums[cc.ordinal()][t][k];
                    }
                }
                row(out, "slide", cc.name(), "ALL", n, tissueMm2, s);
            }
            for (int t = 1; t < tissueClasses; t++) {
                row(out, "tissue_class", "ALL", classes.get(t).name(), 0, areaMm2[t], null);
                for (CellClass cc : CellClass.values()) {
                    row(
                            out,
                            "tissue_class",
                            cc.name(),
                            classes.get(t).name(),
                            count[cc.ordinal()][t],
                            areaMm2[t],
                            sums[cc.ordinal()][t]);
                }
            }
        }
    }

    private static void row(
            BufferedWriter out, String scope, String cellClass, String tissue, long n, double area, double[] s)
            throws IOException {
        out.write(String.format(
                Locale.ROOT,
                "%s,%s,%s,%d,%.6f,%.2f,%.2f,%.4f,%.4f%n",
                scope,
                cellClass,
                tissue,
                n,
                area,
                area > 0 ? n / area : 0,
                s == null || n == 0 ? 0 : s[0] / n,
                s == null || n == 0 ? 0 : s[1] / n,
                s == null || n == 0 ? 0 : s[2] / n));
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
        try (csv) {
            geojson.writeEndArray();
            geojson.writeEndObject();
            geojson.close();
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
