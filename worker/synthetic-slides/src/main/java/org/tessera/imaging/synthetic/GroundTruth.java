package org.tessera.imaging.synthetic;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.tessera.models.classes.CellClass;
import org.tessera.models.classes.QcClass;
import org.tessera.models.classes.TissueClass;

/**
 * Everything that is known to be on a synthetic slide, as pure functions of the seed: where tissue is, which tissue
 * class each pixel belongs to, where the artefacts are and every nucleus with its class. Nothing per pixel or per
 * nucleus is stored, so a 40,000 x 40,000 slide with millions of nuclei costs a few kilobytes: tissue classes come
 * from smooth random fields thresholded at quantiles measured on the slide itself, nuclei from a jittered grid per
 * tissue class where each cell decides its own nucleus from a hash of (seed, cell). The renderer draws exactly these
 * functions, so the pixels and this object agree. Immutable and thread-safe.
 *
 * <p>Coordinates are level-0 pixels; a pixel {@code (x, y)} is judged at its centre {@code (x + 0.5, y + 0.5)}.
 */
public final class GroundTruth {

    /** Names the rendering model; bump it when pixels or truth of a given seed change. */
    public static final String GENERATOR = "tessera-synthetic-he/2";

    /** Smooth fields are sampled on this grid of level-0 pixels and bilinearly interpolated between samples. */
    static final int CONTROL_STEP = 8;

    static final int FIELD_TUMOR = 0;
    static final int FIELD_FAT = 1;
    static final int FIELD_ORIENTATION = 2;
    static final int FIELD_LYMPHOID = 3;

    /** Target shares of the tissue: tumour (necrosis included), necrosis, and the fat-like OTHER class. */
    private static final double TUMOR_SHARE = 0.36;

    private static final double NECROSIS_SHARE = 0.07;
    private static final double OTHER_SHARE = 0.10;
    /** Fat never touches tumour directly: a band of stroma of this width (field units) separates them. */
    private static final double FAT_GAP = 0.03;

    /** Clearance between a nucleus and a tissue-class boundary, so nuclei of neighbouring classes never overlap. */
    private static final double BOUNDARY_CLEARANCE_UM = 1.5;

    private final int width;
    private final int height;
    private final double mpp;
    private final long seed;
    private final boolean artefacts;
    private final List<TissueRegion> regions;
    private final double[][] regionBounds;
    private final List<PenStroke> penStrokes;
    private final List<BlurRegion> blurRegions;
    private final List<Fold> folds;
    private final double fieldSpacing;
    private final double tumorThreshold;
    private final double necrosisThreshold;
    private final double fatThreshold;
    private final double lymphoidThreshold;
    private final List<NucleusGrid> grids;
    private final double maxNucleusExtent;

    private GroundTruth(int width, int height, double mpp, long seed, boolean artefacts, List<TissueRegion> regions) {
        this.width = width;
        this.height = height;
        this.mpp = mpp;
        this.seed = seed;
        this.artefacts = artefacts;
        this.regions = List.copyOf(regions);
        this.regionBounds = this.regions.stream().map(TissueRegion::bounds).toArray(double[][]::new);
        // Class patches scale with the slide (so small test slides still show every class) within a realistic
        // range of tumour-nest sizes.
        double minSideUm = Math.min(width, height) * mpp;
        this.fieldSpacing = Math.max(200, Math.min(600, minSideUm / 6)) / mpp;
        double[] thresholds = thresholds();
        this.tumorThreshold = thresholds[0];
        this.necrosisThreshold = thresholds[1];
        this.fatThreshold = thresholds[2];
        this.lymphoidThreshold = thresholds[3];
        this.grids = List.of(
                new NucleusGrid(TissueClass.TUMOR, 18 / mpp, 2 / mpp, mix(seed, 0x7E11, 1)),
                new NucleusGrid(TissueClass.STROMA, 11 / mpp, 2 / mpp, mix(seed, 0x57B0, 2)),
                new NucleusGrid(TissueClass.OTHER, 14 / mpp, 3 / mpp, mix(seed, 0x07E4, 3)));
        // Largest half-extent any nucleus can have: a 15 µm tumour nucleus elongated by up to 35 % and made
        // irregular by up to 21 %, or a 16 µm spindle.
        this.maxNucleusExtent = 7.5 * Math.sqrt(1.35) * 1.21 / mpp + 1;
        if (artefacts && !this.regions.isEmpty()) {
            Artefacts layout = layoutArtefacts(this.regions, width, height, mpp, seed);
            this.penStrokes = layout.pens;
            this.blurRegions = layout.blurs;
            this.folds = layout.folds;
        } else {
            this.penStrokes = List.of();
            this.blurRegions = List.of();
            this.folds = List.of();
        }
    }

    /** The ground truth of the slide the generator makes for these arguments. */
    public static GroundTruth of(int width, int height, double mpp, long seed, boolean artefacts) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("slide size must be positive: " + width + "x" + height);
        }
        if (!(mpp > 0)) {
            throw new IllegalArgumentException("mpp must be positive: " + mpp);
        }
        return new GroundTruth(width, height, mpp, seed, artefacts, HeRenderer.layout(width, height, seed));
    }

    /** Ground truth of a file that holds no readable slide: no tissue, no nuclei, no artefacts. */
    public static GroundTruth empty(int width, int height, double mpp) {
        return new GroundTruth(Math.max(1, width), Math.max(1, height), mpp > 0 ? mpp : 1, 0, false, List.of());
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public double mpp() {
        return mpp;
    }

    public long seed() {
        return seed;
    }

    public boolean hasArtefacts() {
        return artefacts;
    }

    public List<TissueRegion> tissueRegions() {
        return regions;
    }

    public List<PenStroke> penStrokes() {
        return penStrokes;
    }

    public List<BlurRegion> blurRegions() {
        return blurRegions;
    }

    public List<Fold> folds() {
        return folds;
    }

    /** Whether level-0 pixel (x, y) is tissue (rather than glass); ink does not change this. */
    public boolean isTissue(int x, int y) {
        return inTissue(x + 0.5, y + 0.5);
    }

    /** The tissue class of level-0 pixel (x, y); {@link TissueClass#BACKGROUND} on glass. */
    public TissueClass tissueClassAt(int x, int y) {
        return classAtPoint(x + 0.5, y + 0.5);
    }

    /**
     * The QC class of level-0 pixel (x, y). Ink wins everywhere (also on glass); on tissue a fold wins over blur;
     * other tissue is {@link QcClass#TISSUE}, glass {@link QcClass#BACKGROUND}.
     */
    public QcClass qcClassAt(int x, int y) {
        for (PenStroke stroke : penStrokes) {
            if (stroke.containsPixel(x, y)) {
                return QcClass.PEN_MARK;
            }
        }
        if (!isTissue(x, y)) {
            return QcClass.BACKGROUND;
        }
        for (Fold fold : folds) {
            if (fold.containsPixel(x, y)) {
                return QcClass.FOLD_OR_DARK;
            }
        }
        for (BlurRegion blur : blurRegions) {
            if (blur.containsPixel(x, y)) {
                return QcClass.BLUR;
            }
        }
        return QcClass.TISSUE;
    }

    /**
     * Tissue classes on a grid of {@code downsample x downsample} blocks, row-major, each block the class of its
     * centre pixel (as {@link TissueClass#ordinal()}); the map is {@code ceil(width / downsample)} wide.
     */
    public byte[] tissueClassMap(int downsample) {
        return map(downsample, (x, y) -> tissueClassAt(x, y).ordinal());
    }

    /** QC classes ({@link QcClass#ordinal()}) on a grid of blocks, like {@link #tissueClassMap(int)}. */
    public byte[] qcClassMap(int downsample) {
        return map(downsample, (x, y) -> qcClassAt(x, y).ordinal());
    }

    private interface PixelClass {
        int at(int x, int y);
    }

    private byte[] map(int downsample, PixelClass classes) {
        if (downsample < 1) {
            throw new IllegalArgumentException("downsample must be positive: " + downsample);
        }
        int mapWidth = (width + downsample - 1) / downsample;
        int mapHeight = (height + downsample - 1) / downsample;
        byte[] map = new byte[mapWidth * mapHeight];
        for (int my = 0; my < mapHeight; my++) {
            int y = Math.min(height - 1, my * downsample + downsample / 2);
            for (int mx = 0; mx < mapWidth; mx++) {
                int x = Math.min(width - 1, mx * downsample + downsample / 2);
                map[my * mapWidth + mx] = (byte) classes.at(x, y);
            }
        }
        return map;
    }

    /**
     * The nuclei whose centres lie in the rectangle {@code [x, x + w) x [y, y + h)} (level-0 pixels). The result
     * does not depend on how a region is cut into rectangles: every nucleus belongs to exactly one of them.
     */
    public List<Nucleus> nucleiIn(long x, long y, long w, long h) {
        List<Nucleus> nuclei = new ArrayList<>();
        forEachNucleus(x, y, w, h, nuclei::add);
        return nuclei;
    }

    /** Streams the nuclei of a rectangle without collecting them, in a fixed order. */
    public void forEachNucleus(long x, long y, long w, long h, Consumer<Nucleus> action) {
        forEachPlaced(x, y, x + w, y + h, placed -> action.accept(placed.toNucleus(mpp)));
    }

    /** Counts the nuclei of a rectangle per class. */
    public Map<CellClass, Long> countNuclei(long x, long y, long w, long h) {
        Map<CellClass, Long> counts = new EnumMap<>(CellClass.class);
        for (CellClass c : CellClass.values()) {
            counts.put(c, 0L);
        }
        forEachPlaced(x, y, x + w, y + h, placed -> counts.merge(placed.nucleusClass(), 1L, Long::sum));
        return counts;
    }

    /** Writes {@code <slide>.truth.json} and {@code <slide>.nuclei.csv} next to {@code slide}; returns both paths. */
    public List<Path> writeFiles(Path slide) throws IOException {
        Path json = sibling(slide, ".truth.json");
        Path csv = sibling(slide, ".nuclei.csv");
        writeNucleiCsv(csv);
        Files.writeString(json, toJson(slide, csv), StandardCharsets.UTF_8);
        return List.of(json, csv);
    }

    static Path sibling(Path slide, String suffix) {
        Path absolute = slide.toAbsolutePath();
        return absolute.resolveSibling(absolute.getFileName() + suffix);
    }

    /** One line per nucleus: {@code x,y,class,diameter_um,length_um,width_um,angle_rad,tissue_class}. */
    public void writeNucleiCsv(Path csv) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            out.write("x,y,class,diameter_um,length_um,width_um,angle_rad,tissue_class\n");
            StringBuilder line = new StringBuilder(96);
            IOException[] failure = {null};
            // Bands keep the traversal local; the nuclei themselves are never all in memory.
            for (long band = 0; band < height; band += 2048) {
                forEachNucleus(0, band, width, Math.min(2048, height - band), n -> {
                    if (failure[0] != null) {
                        return;
                    }
                    line.setLength(0);
                    line.append(String.format(
                            Locale.ROOT,
                            "%.2f,%.2f,%s,%.2f,%.2f,%.2f,%.4f,%s\n",
                            n.x(),
                            n.y(),
                            n.nucleusClass(),
                            n.diameterUm(),
                            n.lengthUm(),
                            n.widthUm(),
                            n.angle(),
                            n.tissueClass()));
                    try {
                        out.write(line.toString());
                    } catch (IOException e) {
                        failure[0] = e;
                    }
                });
                if (failure[0] != null) {
                    throw failure[0];
                }
            }
        }
    }

    /** The slide's ground truth as JSON (geometry of regions and artefacts, class shares, nucleus counts). */
    public String toJson(Path slide, Path nucleiCsv) {
        Json json = new Json();
        json.open();
        json.field("generator").string(GENERATOR);
        json.field("slide").string(slide == null ? "" : slide.getFileName().toString());
        json.field("nuclei_csv")
                .string(nucleiCsv == null ? "" : nucleiCsv.getFileName().toString());
        json.field("width").number(width);
        json.field("height").number(height);
        json.field("mpp").number(mpp);
        json.field("seed").number(seed);
        json.field("artefacts").bool(artefacts);
        json.field("coordinates").string("level-0 pixels; pixel (x, y) is judged at its centre (x + 0.5, y + 0.5)");
        json.field("tissue_regions").openArray();
        for (TissueRegion r : regions) {
            json.element().open();
            ellipse(json, r);
            json.close();
        }
        json.closeArray();
        json.field("tissue_class_fractions").open();
        double[] fractions = tissueClassFractions(256);
        for (TissueClass c : TissueClass.values()) {
            json.field(c.name()).number(fractions[c.ordinal()]);
        }
        json.close();
        json.field("qc_class_fractions").open();
        double[] qc = qcClassFractions(256);
        for (QcClass c : QcClass.values()) {
            json.field(c.name()).number(qc[c.ordinal()]);
        }
        json.close();
        json.field("class_fields").open();
        json.field("spacing_px").number(fieldSpacing);
        json.field("tumor_threshold").number(tumorThreshold);
        json.field("necrosis_threshold").number(necrosisThreshold);
        json.field("fat_threshold").number(fatThreshold);
        json.close();
        json.field("pen_strokes").openArray();
        for (PenStroke stroke : penStrokes) {
            json.element().open();
            json.field("colour").string(stroke.colour().name());
            json.field("half_width").number(stroke.halfWidth());
            json.field("points").openArray();
            for (double p : stroke.points()) {
                json.element().number(p);
            }
            json.closeArray();
            json.close();
        }
        json.closeArray();
        json.field("blur_regions").openArray();
        for (BlurRegion blur : blurRegions) {
            json.element().open();
            ellipse(json, blur.area());
            json.field("box_radius_um").number(blur.radiusUm());
            json.close();
        }
        json.closeArray();
        json.field("folds").openArray();
        for (Fold fold : folds) {
            json.element().open();
            json.field("x0").number(fold.x0());
            json.field("y0").number(fold.y0());
            json.field("x1").number(fold.x1());
            json.field("y1").number(fold.y1());
            json.field("half_width").number(fold.halfWidth());
            json.close();
        }
        json.closeArray();
        json.field("nucleus_counts").open();
        Map<CellClass, Long> counts = countNuclei(0, 0, width, height);
        long total = 0;
        for (CellClass c : CellClass.values()) {
            json.field(c.name()).number(counts.get(c));
            total += counts.get(c);
        }
        json.field("total").number(total);
        json.close();
        json.field("nucleus_min_spacing_um").open();
        for (NucleusGrid grid : grids) {
            json.field(grid.home().name()).number((grid.cell() - 2 * grid.jitter()) * mpp);
        }
        json.close();
        json.close();
        return json.toString();
    }

    private static void ellipse(Json json, TissueRegion r) {
        json.field("center_x").number(r.centerX());
        json.field("center_y").number(r.centerY());
        json.field("radius_x").number(r.radiusX());
        json.field("radius_y").number(r.radiusY());
        json.field("rotation").number(r.rotation());
    }

    /** Shares of each tissue class over the whole slide, estimated on a {@code samples x samples} grid. */
    public double[] tissueClassFractions(int samples) {
        double[] counts = new double[TissueClass.values().length];
        sample(samples, (x, y) -> counts[tissueClassAt(x, y).ordinal()]++);
        return normalise(counts);
    }

    /** Shares of each QC class over the whole slide, estimated on a {@code samples x samples} grid. */
    public double[] qcClassFractions(int samples) {
        double[] counts = new double[QcClass.values().length];
        sample(samples, (x, y) -> counts[qcClassAt(x, y).ordinal()]++);
        return normalise(counts);
    }

    private interface PixelVisitor {
        void visit(int x, int y);
    }

    private void sample(int samples, PixelVisitor visitor) {
        for (int j = 0; j < samples; j++) {
            int y = (int) ((j + 0.5) * height / samples);
            for (int i = 0; i < samples; i++) {
                visitor.visit((int) ((i + 0.5) * width / samples), y);
            }
        }
    }

    private static double[] normalise(double[] counts) {
        double total = Arrays.stream(counts).sum();
        for (int i = 0; i < counts.length; i++) {
            counts[i] = total == 0 ? 0 : counts[i] / total;
        }
        return counts;
    }

    // ---- tissue and classes -------------------------------------------------------------------------------------

    boolean inTissue(double x, double y) {
        return regionHolding(x, y) != null;
    }

    /** The first region holding (x, y), its bounding box checked first; null on glass. */
    private TissueRegion regionHolding(double x, double y) {
        for (int i = 0; i < regionBounds.length; i++) {
            double[] b = regionBounds[i];
            if (x >= b[0]
                    && x <= b[2]
                    && y >= b[1]
                    && y <= b[3]
                    && regions.get(i).containsPoint(x, y)) {
                return regions.get(i);
            }
        }
        return null;
    }

    TissueRegion regionAt(double x, double y) {
        for (TissueRegion region : regions) {
            if (region.containsPoint(x, y)) {
                return region;
            }
        }
        return null;
    }

    TissueClass classAtPoint(double x, double y) {
        if (!inTissue(x, y)) {
            return TissueClass.BACKGROUND;
        }
        return classify(fieldAt(FIELD_TUMOR, x, y), fieldAt(FIELD_FAT, x, y));
    }

    /** The class of a tissue point from its tumour and fat field values. */
    TissueClass classify(double tumor, double fat) {
        if (tumor > necrosisThreshold) {
            return TissueClass.NECROSIS;
        }
        if (tumor > tumorThreshold) {
            return TissueClass.TUMOR;
        }
        if (tumor < tumorThreshold - FAT_GAP && fat > fatThreshold) {
            return TissueClass.OTHER;
        }
        return TissueClass.STROMA;
    }

    double lymphoidThreshold() {
        return lymphoidThreshold;
    }

    double maxNucleusExtent() {
        return maxNucleusExtent;
    }

    /**
     * A smooth field at a point: the bilinear interpolation of its samples on the control grid. The renderer caches
     * the samples per tile and interpolates with the same arithmetic, so both agree to the bit.
     */
    double fieldAt(int field, double x, double y) {
        double u = x / CONTROL_STEP;
        double v = y / CONTROL_STEP;
        long cx = (long) Math.floor(u);
        long cy = (long) Math.floor(v);
        return bilerp(
                controlValue(field, cx, cy),
                controlValue(field, cx + 1, cy),
                controlValue(field, cx, cy + 1),
                controlValue(field, cx + 1, cy + 1),
                u - cx,
                v - cy);
    }

    static double bilerp(double v00, double v10, double v01, double v11, double fx, double fy) {
        double top = v00 + (v10 - v00) * fx;
        double bottom = v01 + (v11 - v01) * fx;
        return top + (bottom - top) * fy;
    }

    /** The field's sample at control point (cx, cy): octaves of value noise on lattices of decreasing spacing. */
    double controlValue(int field, long cx, long cy) {
        double x = (double) cx * CONTROL_STEP;
        double y = (double) cy * CONTROL_STEP;
        long s = mix(seed, 0xF1E1DL, field);
        return switch (field) {
            case FIELD_TUMOR ->
                (valueNoise(s, x, y, fieldSpacing)
                                + 0.5 * valueNoise(s + 1, x, y, fieldSpacing / 2.3)
                                + 0.1 * valueNoise(s + 2, x, y, fieldSpacing / 5.3))
                        / 1.6;
            case FIELD_FAT ->
                (valueNoise(s, x, y, fieldSpacing * 0.8) + 0.5 * valueNoise(s + 1, x, y, fieldSpacing * 0.8 / 2.3))
                        / 1.5;
            case FIELD_ORIENTATION -> valueNoise(s, x, y, fieldSpacing * 1.5);
            default ->
                (valueNoise(s, x, y, fieldSpacing * 0.45) + 0.5 * valueNoise(s + 1, x, y, fieldSpacing * 0.2)) / 1.5;
        };
    }

    /** The stroma's fibre direction at a point, radians. */
    static double orientation(double fieldValue) {
        return fieldValue * 4 * Math.PI;
    }

    private static double valueNoise(long seed, double x, double y, double spacing) {
        double u = x / spacing;
        double v = y / spacing;
        long ix = (long) Math.floor(u);
        long iy = (long) Math.floor(v);
        double fx = smooth(u - ix);
        double fy = smooth(v - iy);
        return bilerp(
                lattice(seed, ix, iy),
                lattice(seed, ix + 1, iy),
                lattice(seed, ix, iy + 1),
                lattice(seed, ix + 1, iy + 1),
                fx,
                fy);
    }

    private static double lattice(long seed, long ix, long iy) {
        return (mix(seed, ix, iy) >>> 11) * 0x1.0p-53;
    }

    private static double smooth(double t) {
        return t * t * (3 - 2 * t);
    }

    /** Class thresholds at quantiles of the fields over the slide's tissue, so every slide has the target shares. */
    private double[] thresholds() {
        int n = 96;
        double[] tumor = new double[n * n];
        double[] fat = new double[n * n];
        int count = 0;
        for (int j = 0; j < n; j++) {
            double y = (j + 0.5) * height / n;
            for (int i = 0; i < n; i++) {
                double x = (i + 0.5) * width / n;
                if (inTissue(x, y)) {
                    tumor[count] = fieldAt(FIELD_TUMOR, x, y);
                    fat[count] = fieldAt(FIELD_FAT, x, y);
                    count++;
                }
            }
        }
        if (count < 50) {
            return new double[] {0.55, 0.68, 0.62, 0.62};
        }
        double[] sortedTumor = Arrays.copyOf(tumor, count);
        Arrays.sort(sortedTumor);
        double tumorCut = quantile(sortedTumor, 1 - TUMOR_SHARE);
        double necrosisCut = quantile(sortedTumor, 1 - NECROSIS_SHARE);
        double[] eligibleFat = new double[count];
        int eligible = 0;
        for (int i = 0; i < count; i++) {
            if (tumor[i] < tumorCut - FAT_GAP) {
                eligibleFat[eligible++] = fat[i];
            }
        }
        double fatCut;
        if (eligible == 0) {
            fatCut = 2;
        } else {
            double[] sortedFat = Arrays.copyOf(eligibleFat, eligible);
            Arrays.sort(sortedFat);
            int wanted = (int) Math.min(eligible - 1, Math.round(OTHER_SHARE * count));
            fatCut = sortedFat[eligible - 1 - wanted];
        }
        double[] lymphoid = new double[count];
        int stroma = 0;
        for (int j = 0; j < n; j++) {
            double y = (j + 0.5) * height / n;
            for (int i = 0; i < n; i++) {
                double x = (i + 0.5) * width / n;
                if (inTissue(x, y)) {
                    double t = fieldAt(FIELD_TUMOR, x, y);
                    if (t <= tumorCut && !(t < tumorCut - FAT_GAP && fieldAt(FIELD_FAT, x, y) > fatCut)) {
                        lymphoid[stroma++] = fieldAt(FIELD_LYMPHOID, x, y);
                    }
                }
            }
        }
        double lymphoidCut = 2;
        if (stroma > 0) {
            double[] sorted = Arrays.copyOf(lymphoid, stroma);
            Arrays.sort(sorted);
            lymphoidCut = quantile(sorted, 0.88);
        }
        return new double[] {tumorCut, necrosisCut, fatCut, lymphoidCut};
    }

    private static double quantile(double[] sorted, double q) {
        int index = (int) Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))));
        return sorted[index];
    }

    // ---- nuclei -------------------------------------------------------------------------------------------------

    /**
     * A jittered grid of candidate nuclei for one tissue class: each cell holds at most one nucleus, placed at most
     * {@code jitter} from the cell centre, so nuclei of one grid are at least {@code cell - 2 * jitter} apart.
     */
    private record NucleusGrid(TissueClass home, double cell, double jitter, long seed) {}

    /** A nucleus with what the renderer needs beyond the public record. */
    record Placed(
            double x,
            double y,
            CellClass nucleusClass,
            TissueClass tissueClass,
            double semiMajor,
            double semiMinor,
            double angle,
            long shapeBits) {

        Nucleus toNucleus(double mpp) {
            return new Nucleus(
                    x,
                    y,
                    nucleusClass,
                    2 * Math.sqrt(semiMajor * semiMinor) * mpp,
                    2 * semiMajor * mpp,
                    2 * semiMinor * mpp,
                    angle,
                    tissueClass);
        }

        /** How far the drawn shape may reach from the centre. */
        double extent() {
            return nucleusClass == CellClass.TUMOR_CELL ? semiMajor * 1.21 : semiMajor;
        }
    }

    /** Visits every nucleus whose centre lies in {@code [x0, x1) x [y0, y1)}, grid by grid, row by row. */
    void forEachPlaced(double x0, double y0, double x1, double y1, Consumer<Placed> action) {
        if (regions.isEmpty() || x1 <= x0 || y1 <= y0) {
            return;
        }
        for (NucleusGrid grid : grids) {
            long firstColumn = (long) Math.floor(x0 / grid.cell()) - 1;
            long lastColumn = (long) Math.floor(x1 / grid.cell()) + 1;
            long firstRow = (long) Math.floor(y0 / grid.cell()) - 1;
            long lastRow = (long) Math.floor(y1 / grid.cell()) + 1;
            for (long gy = firstRow; gy <= lastRow; gy++) {
                double rowCentre = (gy + 0.5) * grid.cell();
                if (!anyRegionSpansRow(rowCentre, grid.jitter())) {
                    continue;
                }
                for (long gx = firstColumn; gx <= lastColumn; gx++) {
                    Placed placed = candidate(grid, gx, gy);
                    if (placed != null && placed.x() >= x0 && placed.x() < x1 && placed.y() >= y0 && placed.y() < y1) {
                        action.accept(placed);
                    }
                }
            }
        }
    }

    private boolean anyRegionSpansRow(double y, double slack) {
        for (double[] b : regionBounds) {
            if (y + slack >= b[1] && y - slack <= b[3]) {
                return true;
            }
        }
        return false;
    }

    /** The nucleus of one grid cell, or null when the cell has none. A pure function of (seed, grid, cell). */
    private Placed candidate(NucleusGrid grid, long gx, long gy) {
        long h = mix(grid.seed(), gx, gy);
        double x = (gx + 0.5) * grid.cell() + (2 * unit(h, 0) - 1) * grid.jitter();
        double y = (gy + 0.5) * grid.cell() + (2 * unit(h, 1) - 1) * grid.jitter();
        TissueRegion region = regionHolding(x, y);
        if (region == null) {
            return null;
        }
        TissueClass home = classify(fieldAt(FIELD_TUMOR, x, y), fieldAt(FIELD_FAT, x, y));
        if (home != grid.home()) {
            return null;
        }
        // Regions differ in cellularity, as real sections do.
        double density = 0.75 + 0.5 * region.nucleusDensity();
        double pick = unit(h, 2);
        CellClass kind;
        switch (home) {
            case TUMOR -> {
                if (pick >= Math.min(0.97, 0.85 * density)) {
                    return null;
                }
                kind = unit(h, 3) < 0.08 ? CellClass.LYMPHOCYTE : CellClass.TUMOR_CELL;
            }
            case STROMA -> {
                boolean aggregate = fieldAt(FIELD_LYMPHOID, x, y) > lymphoidThreshold;
                double lymphocytes = aggregate ? 0.70 : 0.05;
                double stromal = (aggregate ? 0.05 : 0.24) * density;
                if (pick < lymphocytes) {
                    kind = CellClass.LYMPHOCYTE;
                } else if (pick < lymphocytes + stromal) {
                    kind = CellClass.STROMAL_CELL;
                } else {
                    return null;
                }
            }
            case OTHER -> {
                if (pick < 0.03) {
                    kind = CellClass.LYMPHOCYTE;
                } else if (pick < 0.15) {
                    kind = CellClass.OTHER;
                } else {
                    return null;
                }
            }
            default -> {
                return null;
            }
        }
        double a;
        double b;
        double angle = Math.PI * unit(h, 4);
        switch (kind) {
            case LYMPHOCYTE -> {
                double r = (6.4 + 1.2 * unit(h, 5)) / 2 / mpp;
                double e = Math.sqrt(1 + 0.12 * unit(h, 6));
                a = r * e;
                b = r / e;
            }
            case TUMOR_CELL -> {
                double r = (10 + 5 * unit(h, 5)) / 2 / mpp;
                double e = Math.sqrt(1 + 0.35 * unit(h, 6));
                a = r * e;
                b = r / e;
            }
            case STROMAL_CELL -> {
                a = (10 + 6 * unit(h, 5)) / 2 / mpp;
                b = (2.6 + 1.2 * unit(h, 6)) / 2 / mpp;
                double theta = orientation(fieldAt(FIELD_ORIENTATION, x, y)) + 0.5 * (unit(h, 4) - 0.5);
                angle = theta - Math.PI * Math.floor(theta / Math.PI);
            }
            default -> {
                double r = (6 + 2.5 * unit(h, 5)) / 2 / mpp;
                double e = Math.sqrt(1 + 0.3 * unit(h, 6));
                a = r * e;
                b = r / e;
            }
        }
        Placed placed = new Placed(x, y, kind, home, a, b, angle, mix(h, 0x5EED, 7));
        double reach = placed.extent() + BOUNDARY_CLEARANCE_UM / mpp;
        if (classAtPoint(x - reach, y) != home
                || classAtPoint(x + reach, y) != home
                || classAtPoint(x, y - reach) != home
                || classAtPoint(x, y + reach) != home) {
            return null;
        }
        return placed;
    }

    static double unit(long h, int index) {
        return (mix(h, index, 0x2545F491L) >>> 11) * 0x1.0p-53;
    }

    static long mix(long seed, long a, long b) {
        long z = seed + a * 0x9E3779B97F4A7C15L + b * 0xC2B2AE3D27D4EB4FL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    // ---- artefacts ----------------------------------------------------------------------------------------------

    private record Artefacts(List<PenStroke> pens, List<BlurRegion> blurs, List<Fold> folds) {}

    /**
     * Places a blurred patch in the first tissue piece, a fold across the second, one ink stroke circling the last
     * piece (mostly over glass), one crossing a piece (over tissue and glass) and sometimes a tick on the glass.
     */
    private static Artefacts layoutArtefacts(List<TissueRegion> regions, int width, int height, double mpp, long seed) {
        SplittableRandom random = new SplittableRandom(seed ^ 0xA27EFAC7L);
        TissueRegion first = regions.getFirst();
        double cos = Math.cos(first.rotation());
        double sin = Math.sin(first.rotation());
        double blurRadius = 0.3 * Math.min(first.radiusX(), first.radiusY());
        BlurRegion blur = new BlurRegion(
                new TissueRegion(
                        first.centerX() + 0.4 * first.radiusX() * cos,
                        first.centerY() + 0.4 * first.radiusX() * sin,
                        blurRadius,
                        blurRadius * (0.75 + 0.2 * random.nextDouble()),
                        random.nextDouble() * Math.PI,
                        0),
                3.5);

        TissueRegion second = regions.get(1 % regions.size());
        double cos2 = Math.cos(second.rotation());
        double sin2 = Math.sin(second.rotation());
        double shift = regions.size() == 1 ? -0.45 : -0.3;
        double foldX = second.centerX() + shift * second.radiusX() * cos2;
        double foldY = second.centerY() + shift * second.radiusX() * sin2;
        double direction = second.rotation() + Math.PI / 2 + (random.nextDouble() - 0.5) * 0.6;
        double halfLength = 0.8 * second.radiusY();
        Fold fold = new Fold(
                foldX - halfLength * Math.cos(direction),
                foldY - halfLength * Math.sin(direction),
                foldX + halfLength * Math.cos(direction),
                foldY + halfLength * Math.sin(direction),
                Math.max(3, 0.09 * Math.min(second.radiusX(), second.radiusY())));

        double minSide = Math.min(width, height);
        double halfWidth = Math.max(3, Math.min(150 / mpp, 0.008 * minSide));
        PenStroke.Colour[] colours = PenStroke.Colour.values();
        int colour = random.nextInt(colours.length);
        List<PenStroke> pens = new ArrayList<>();

        TissueRegion last = regions.getLast();
        double start = random.nextDouble() * 2 * Math.PI;
        double phase = random.nextDouble() * 2 * Math.PI;
        int steps = 40;
        double[] arc = new double[2 * steps];
        double lc = Math.cos(last.rotation());
        double ls = Math.sin(last.rotation());
        for (int i = 0; i < steps; i++) {
            double t = start + 1.3 * Math.PI * i / (steps - 1);
            double scale = 1.12 + 0.05 * Math.sin(3 * t + phase);
            double ex = last.radiusX() * scale * Math.cos(t);
            double ey = last.radiusY() * scale * Math.sin(t);
            arc[2 * i] = clamp(last.centerX() + ex * lc - ey * ls, 0, width);
            arc[2 * i + 1] = clamp(last.centerY() + ex * ls + ey * lc, 0, height);
        }
        pens.add(new PenStroke(colours[colour % colours.length], arc, halfWidth));

        TissueRegion crossed = regions.get(regions.size() > 2 ? regions.size() - 2 : 0);
        double angle = random.nextDouble() * Math.PI;
        double reach = 1.3 * Math.max(crossed.radiusX(), crossed.radiusY());
        double offset = 0.3 * Math.min(crossed.radiusX(), crossed.radiusY()) * (random.nextBoolean() ? 1 : -1);
        double[] line = new double[2 * steps];
        for (int i = 0; i < steps; i++) {
            double t = -1 + 2.0 * i / (steps - 1);
            double along = t * reach;
            double across = offset + 0.04 * reach * Math.sin(5 * t + phase);
            line[2 * i] = clamp(crossed.centerX() + along * Math.cos(angle) - across * Math.sin(angle), 0, width);
            line[2 * i + 1] = clamp(crossed.centerY() + along * Math.sin(angle) + across * Math.cos(angle), 0, height);
        }
        pens.add(new PenStroke(colours[(colour + 1) % colours.length], line, halfWidth * 0.8));

        if (random.nextBoolean()) {
            double size = 0.04 * minSide;
            double x = 0.03 * width + halfWidth;
            double y = 0.03 * height + halfWidth + size;
            pens.add(new PenStroke(
                    colours[(colour + 2) % colours.length],
                    new double[] {x, y - 0.5 * size, x + 0.4 * size, y, x + 1.2 * size, y - size},
                    halfWidth * 0.7));
        }
        return new Artefacts(List.copyOf(pens), List.of(blur), List.of(fold));
    }

    private static double clamp(double value, double min, double max) {
        return Math.max(min, Math.min(max, value));
    }

    @Override
    public String toString() {
        return "GroundTruth[" + width + "x" + height + " @ " + mpp + " µm, seed " + seed + ", " + regions.size()
                + " tissue pieces, artefacts " + artefacts + "]";
    }

    /** A minimal JSON writer: the ground truth file is simple and the module has no JSON library. */
    private static final class Json {
        private final StringBuilder out = new StringBuilder();
        private final ArrayList<Boolean> first = new ArrayList<>();
        private int depth;

        void open() {
            out.append('{');
            push();
        }

        void close() {
            pop();
            out.append('\n').append("  ".repeat(depth)).append('}');
        }

        void openArray() {
            out.append('[');
            push();
        }

        void closeArray() {
            pop();
            out.append(']');
        }

        Json field(String name) {
            separator();
            out.append('\n').append("  ".repeat(depth)).append('"').append(name).append("\": ");
            return this;
        }

        Json element() {
            separator();
            return this;
        }

        void string(String value) {
            out.append('"');
            for (char c : value.toCharArray()) {
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }

        void number(double value) {
            out.append(Double.isFinite(value) ? String.format(Locale.ROOT, "%.6g", value) : "null");
        }

        void number(long value) {
            out.append(value);
        }

        void bool(boolean value) {
            out.append(value);
        }

        private void push() {
            first.add(Boolean.TRUE);
            depth++;
        }

        private void pop() {
            first.removeLast();
            depth--;
        }

        private void separator() {
            int last = first.size() - 1;
            if (!first.get(last)) {
                out.append(',');
            }
            first.set(last, Boolean.FALSE);
        }

        @Override
        public String toString() {
            return out + "\n";
        }
    }
}
