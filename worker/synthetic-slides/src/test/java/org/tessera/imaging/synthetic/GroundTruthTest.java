package org.tessera.imaging.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.imaging.TiffTestReader;
import org.tessera.models.classes.CellClass;
import org.tessera.models.classes.QcClass;
import org.tessera.models.classes.TissueClass;

/** The rendered pixels show what the ground truth says, and the ground truth is consistent with itself. */
class GroundTruthTest {

    @TempDir
    static Path dir;

    private static SyntheticSlide slide;
    private static GroundTruth truth;
    private static BufferedImage level0;

    @BeforeAll
    static void render() throws IOException {
        slide = SyntheticSlideGenerator.generate(
                dir.resolve("truth.tif"),
                2400,
                1800,
                0.5,
                7,
                SyntheticSlideOptions.tiff().withArtefacts(true).withJpegQuality(0.95f));
        truth = slide.groundTruth();
        try (TiffTestReader reader = new TiffTestReader(slide.path())) {
            level0 = reader.read(0);
        }
    }

    @Test
    void everyTissueClassQcClassAndCellClassIsPresent() {
        double[] tissue = truth.tissueClassFractions(300);
        for (TissueClass c : TissueClass.values()) {
            assertThat(tissue[c.ordinal()]).as("share of %s", c).isGreaterThan(0.001);
        }
        double[] qc = truth.qcClassFractions(300);
        for (QcClass c : QcClass.values()) {
            assertThat(qc[c.ordinal()]).as("share of %s", c).isGreaterThan(0.0005);
        }
        Map<CellClass, Long> counts = truth.countNuclei(0, 0, slide.width(), slide.height());
        for (CellClass c : CellClass.values()) {
            assertThat(counts.get(c)).as("%s nuclei", c).isPositive();
        }
        assertThat(truth.penStrokes()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(truth.blurRegions()).hasSize(1);
        assertThat(truth.folds()).hasSize(1);
        // Artefacts never change what is tissue.
        assertThat(truth.tissueRegions()).isEqualTo(slide.tissueRegions());
    }

    @Test
    void tissueClassesHaveTheirStainSignature() {
        Map<TissueClass, double[]> mean = meanStainsPerClass();
        double[] stroma = mean.get(TissueClass.STROMA);
        double[] tumor = mean.get(TissueClass.TUMOR);
        double[] necrosis = mean.get(TissueClass.NECROSIS);
        double[] other = mean.get(TissueClass.OTHER);
        // [0] haematoxylin-like OD (red channel), [1] eosin-like OD (green channel), [2] total OD.
        assertThat(tumor[0]).as("tumour is more basophilic than stroma").isGreaterThan(stroma[0] * 1.5);
        assertThat(stroma[1]).as("stroma is eosinophilic").isGreaterThan(stroma[0] * 2);
        assertThat(necrosis[1]).as("necrosis is eosinophilic").isGreaterThan(necrosis[0] * 1.5);
        assertThat(necrosis[2]).as("necrosis is paler than tumour").isLessThan(tumor[2]);
        assertThat(other[2]).as("fat-like tissue is the palest").isLessThan(Math.min(stroma[2], necrosis[2]));
        assertThat(other[2]).as("but still stained").isGreaterThan(0.25);
    }

    /** Mean optical densities of tissue pixels of each class, away from nuclei and artefacts. */
    private static Map<TissueClass, double[]> meanStainsPerClass() {
        Map<TissueClass, double[]> sums = new EnumMap<>(TissueClass.class);
        Map<TissueClass, Integer> counts = new EnumMap<>(TissueClass.class);
        boolean[] nearNucleus = new boolean[slide.width() * slide.height()];
        truth.forEachNucleus(0, 0, slide.width(), slide.height(), n -> {
            int reach = (int) Math.ceil(n.lengthUm() / truth.mpp());
            for (int y = Math.max(0, (int) n.y() - reach); y < Math.min(slide.height(), n.y() + reach); y++) {
                for (int x = Math.max(0, (int) n.x() - reach); x < Math.min(slide.width(), n.x() + reach); x++) {
                    nearNucleus[y * slide.width() + x] = true;
                }
            }
        });
        for (int y = 1; y < slide.height(); y += 3) {
            for (int x = 1; x < slide.width(); x += 3) {
                if (nearNucleus[y * slide.width() + x] || truth.qcClassAt(x, y) != QcClass.TISSUE) {
                    continue;
                }
                TissueClass c = truth.tissueClassAt(x, y);
                double[] od = od(level0.getRGB(x, y));
                double[] sum = sums.computeIfAbsent(c, k -> new double[3]);
                sum[0] += od[0];
                sum[1] += od[1];
                sum[2] += od[0] + od[1] + od[2];
                counts.merge(c, 1, Integer::sum);
            }
        }
        Map<TissueClass, double[]> mean = new HashMap<>();
        sums.forEach((c, sum) -> {
            int n = counts.get(c);
            mean.put(c, new double[] {sum[0] / n, sum[1] / n, sum[2] / n});
        });
        return mean;
    }

    @Test
    void nucleusCentresAreDarkAndHaematoxylinRich() {
        int checked = 0;
        int dark = 0;
        for (Nucleus n : truth.nucleiIn(0, 0, slide.width(), slide.height())) {
            int x = (int) n.x();
            int y = (int) n.y();
            if (truth.qcClassAt(x, y) != QcClass.TISSUE || n.nucleusClass() == CellClass.TUMOR_CELL) {
                // A tumour nucleus is vesicular: pale in the middle; its rim is checked below.
                continue;
            }
            checked++;
            double[] od = od(level0.getRGB(x, y));
            // Haematoxylin absorbs red far more than blue; eosin the other way round.
            if (od[0] > 0.5 && od[0] > od[2] * 1.4) {
                dark++;
            }
        }
        assertThat(checked).isGreaterThan(50);
        assertThat((double) dark / checked).as("dark, blue nuclei centres").isGreaterThan(0.9);
    }

    @Test
    void tumourNucleiAreLargeDarkRimmedBlobs() {
        int checked = 0;
        int rimmed = 0;
        for (Nucleus n : truth.nucleiIn(0, 0, slide.width(), slide.height())) {
            if (n.nucleusClass() != CellClass.TUMOR_CELL
                    || truth.qcClassAt((int) n.x(), (int) n.y()) != QcClass.TISSUE) {
                continue;
            }
            assertThat(n.diameterUm()).isBetween(9.0, 16.5);
            double radius = n.widthUm() / 2 / truth.mpp();
            double inside = 0;
            double ring = 0;
            for (int i = 0; i < 16; i++) {
                double a = Math.PI * i / 8;
                inside += od(level0.getRGB(
                        (int) (n.x() + 0.3 * radius * Math.cos(a)), (int) (n.y() + 0.3 * radius * Math.sin(a))))[0];
                ring += od(level0.getRGB(
                        (int) (n.x() + 2.2 * radius * Math.cos(a)), (int) (n.y() + 2.2 * radius * Math.sin(a))))[0];
            }
            checked++;
            if (inside > ring) {
                rimmed++;
            }
        }
        assertThat(checked).isGreaterThan(20);
        assertThat((double) rimmed / checked)
                .as("nucleus denser in haematoxylin than the cytoplasm around it")
                .isGreaterThan(0.85);
    }

    @Test
    void penPixelsHaveTheirInkColour() {
        for (PenStroke stroke : truth.penStrokes()) {
            int checked = 0;
            int matching = 0;
            double[] points = stroke.points();
            for (int i = 0; i < points.length; i += 2) {
                int x = (int) Math.min(slide.width() - 1, points[i]);
                int y = (int) Math.min(slide.height() - 1, points[i + 1]);
                if (truth.qcClassAt(x, y) != QcClass.PEN_MARK) {
                    continue;
                }
                int rgb = level0.getRGB(x, y);
                int r = (rgb >> 16) & 0xFF;
                int g = (rgb >> 8) & 0xFF;
                int b = rgb & 0xFF;
                boolean looksRight = switch (stroke.colour()) {
                    case GREEN -> g > r + 20 && g > b;
                    case BLUE -> b > r + 40 && b > g + 20;
                    case BLACK -> r + g + b < 180;
                };
                checked++;
                matching += looksRight ? 1 : 0;
            }
            assertThat(checked).as("%s stroke sampled", stroke.colour()).isGreaterThan(10);
            assertThat((double) matching / checked)
                    .as("%s ink colour", stroke.colour())
                    .isGreaterThan(0.9);
        }
    }

    @Test
    void blurredTissueHasLittleHighFrequencyEnergy() {
        double blurred = laplacianEnergy(QcClass.BLUR);
        double sharp = laplacianEnergy(QcClass.TISSUE);
        assertThat(blurred).as("Laplacian energy, blurred vs sharp").isLessThan(0.2 * sharp);
    }

    private static double laplacianEnergy(QcClass where) {
        double sum = 0;
        int count = 0;
        for (int y = 2; y < slide.height() - 2; y += 2) {
            for (int x = 2; x < slide.width() - 2; x += 2) {
                if (truth.qcClassAt(x, y) != where
                        || truth.qcClassAt(x - 2, y - 2) != where
                        || truth.qcClassAt(x + 2, y + 2) != where) {
                    continue;
                }
                double laplacian = 4 * grey(x, y) - grey(x - 1, y) - grey(x + 1, y) - grey(x, y - 1) - grey(x, y + 1);
                sum += laplacian * laplacian;
                count++;
            }
        }
        assertThat(count).as("pixels of %s", where).isGreaterThan(200);
        return sum / count;
    }

    private static double grey(int x, int y) {
        int rgb = level0.getRGB(x, y);
        return ((rgb >> 16) & 0xFF) + ((rgb >> 8) & 0xFF) + (rgb & 0xFF);
    }

    @Test
    void foldIsMuchDenserThanSingleLayerTissue() {
        double fold = meanTotalOd(QcClass.FOLD_OR_DARK);
        double tissue = meanTotalOd(QcClass.TISSUE);
        assertThat(fold)
                .as("total optical density in the fold")
                .isGreaterThan(1.5)
                .isGreaterThan(1.8 * tissue);
        assertThat(meanTotalOd(QcClass.BACKGROUND)).as("glass").isLessThan(0.15);
    }

    private static double meanTotalOd(QcClass where) {
        double sum = 0;
        int count = 0;
        for (int y = 0; y < slide.height(); y += 3) {
            for (int x = 0; x < slide.width(); x += 3) {
                if (truth.qcClassAt(x, y) == where) {
                    double[] od = od(level0.getRGB(x, y));
                    sum += od[0] + od[1] + od[2];
                    count++;
                }
            }
        }
        assertThat(count).as("pixels of %s", where).isGreaterThan(100);
        return sum / count;
    }

    private static double[] od(int rgb) {
        return new double[] {
            -Math.log10((((rgb >> 16) & 0xFF) + 1) / 256.0),
            -Math.log10((((rgb >> 8) & 0xFF) + 1) / 256.0),
            -Math.log10(((rgb & 0xFF) + 1) / 256.0)
        };
    }

    @Test
    void nucleusQueryAgreesBetweenARectangleAndItsParts() {
        GroundTruth big = GroundTruth.of(12_000, 9_000, 0.25, 3, true);
        List<Nucleus> whole = big.nucleiIn(1000, 500, 9000, 7000);
        List<Nucleus> parts = new ArrayList<>();
        parts.addAll(big.nucleiIn(1000, 500, 3333, 7000));
        parts.addAll(big.nucleiIn(4333, 500, 5667, 2500));
        parts.addAll(big.nucleiIn(4333, 3000, 5667, 4500));
        Comparator<Nucleus> order = Comparator.comparingDouble(Nucleus::y).thenComparingDouble(Nucleus::x);
        assertThat(whole).hasSizeGreaterThan(1000);
        assertThat(parts.stream().sorted(order).toList())
                .isEqualTo(whole.stream().sorted(order).toList());
        long counted = big.countNuclei(1000, 500, 9000, 7000).values().stream()
                .mapToLong(Long::longValue)
                .sum();
        assertThat(counted).isEqualTo(whole.size());
        // The same call gives the same answer: nothing is random at query time.
        assertThat(big.nucleiIn(1000, 500, 9000, 7000)).isEqualTo(whole);
    }

    @Test
    void nucleiSitInTheirTissueClassAndKeepTheirDistance() {
        GroundTruth big = GroundTruth.of(8_000, 6_000, 0.25, 5, false);
        List<Nucleus> nuclei = big.nucleiIn(0, 0, 8000, 6000);
        Map<Long, List<Nucleus>> buckets = new HashMap<>();
        double cell = 20 / 0.25;
        for (Nucleus n : nuclei) {
            assertThat(big.tissueClassAt((int) n.x(), (int) n.y())).isEqualTo(n.tissueClass());
            switch (n.nucleusClass()) {
                case TUMOR_CELL -> assertThat(n.tissueClass()).isEqualTo(TissueClass.TUMOR);
                case STROMAL_CELL -> assertThat(n.tissueClass()).isEqualTo(TissueClass.STROMA);
                case OTHER -> assertThat(n.tissueClass()).isEqualTo(TissueClass.OTHER);
                case LYMPHOCYTE -> assertThat(n.tissueClass()).isNotIn(TissueClass.NECROSIS, TissueClass.BACKGROUND);
            }
            assertThat(n.tissueClass()).isNotEqualTo(TissueClass.NECROSIS);
            buckets.computeIfAbsent(key((long) (n.x() / cell), (long) (n.y() / cell)), k -> new ArrayList<>())
                    .add(n);
        }
        double closest = Double.MAX_VALUE;
        for (Nucleus n : nuclei) {
            long bx = (long) (n.x() / cell);
            long by = (long) (n.y() / cell);
            for (long dy = -1; dy <= 1; dy++) {
                for (long dx = -1; dx <= 1; dx++) {
                    for (Nucleus other : buckets.getOrDefault(key(bx + dx, by + dy), List.of())) {
                        if (other != n) {
                            closest = Math.min(closest, Math.hypot(other.x() - n.x(), other.y() - n.y()));
                        }
                    }
                }
            }
        }
        assertThat(closest * 0.25).as("closest pair of nucleus centres, µm").isGreaterThanOrEqualTo(6.99);
    }

    private static long key(long x, long y) {
        return x * 1_000_003L + y;
    }

    @Test
    void classMapsSampleTheClassesAtBlockCentres() {
        byte[] map = truth.tissueClassMap(16);
        int mapWidth = (slide.width() + 15) / 16;
        assertThat(map).hasSize(mapWidth * ((slide.height() + 15) / 16));
        for (int my = 0; my < slide.height() / 16; my += 7) {
            for (int mx = 0; mx < mapWidth - 1; mx += 5) {
                assertThat(map[my * mapWidth + mx]).isEqualTo((byte)
                        truth.tissueClassAt(mx * 16 + 8, my * 16 + 8).ordinal());
            }
        }
        byte[] qc = truth.qcClassMap(32);
        assertThat(qc).contains((byte) QcClass.PEN_MARK.ordinal(), (byte) QcClass.FOLD_OR_DARK.ordinal());
    }

    @Test
    void groundTruthFilesListRegionsArtefactsAndEveryNucleus() throws IOException {
        List<Path> files = slide.writeGroundTruth();
        assertThat(files)
                .extracting(p -> p.getFileName().toString())
                .containsExactly("truth.tif.truth.json", "truth.tif.nuclei.csv");
        String json = Files.readString(files.get(0));
        assertThat(json)
                .contains("\"generator\": \"" + GroundTruth.GENERATOR + "\"")
                .contains("\"pen_strokes\"", "\"blur_regions\"", "\"folds\"", "\"tissue_regions\"")
                .contains("\"seed\": 7");
        List<String> lines = Files.readAllLines(files.get(1));
        assertThat(lines.getFirst()).isEqualTo("x,y,class,diameter_um,length_um,width_um,angle_rad,tissue_class");
        assertThat(lines)
                .hasSize(1 + truth.nucleiIn(0, 0, slide.width(), slide.height()).size());
        assertThat(lines.get(1).split(",")).hasSize(8);
    }
}
