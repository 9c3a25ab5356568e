package org.tessera.dicom;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.tessera.dicom.DicomFormatException.Code;

/**
 * Reads a DICOM VL Whole Slide Microscopy Image series: a single {@code .dcm} (one level), a directory or list of
 * files, or a zip of the series. Levels are the VOLUME instances of the one series, largest first; LABEL, OVERVIEW
 * and THUMBNAIL instances are listed as {@link #associatedImages()} but not read.
 *
 * <p>Thread safety: once opened, a reader is immutable. {@link #readTile} and {@link #readRegion} may be called from
 * any number of threads at once (positional file reads, one JPEG decoder per thread). {@link #close()} must not race
 * with reads.
 *
 * <p>Files are read with positional reads and {@code long} offsets, so instances over 2 GiB work; only headers and one
 * frame at a time are held in memory. A zip is extracted (streamed, entry by entry, DICOM entries only) into a scratch
 * directory that {@link #close()} deletes.
 */
public final class DicomWsiReader implements AutoCloseable {

    /**
     * What a series may ask of the reader: each limit is checked before anything is allocated or written for it, so a
     * small input cannot make the reader spend memory, disk or file handles it does not justify.
     *
     * @param scratchDirectory where a zip's entries are extracted ({@code null}: the system temporary directory)
     * @param maxExtractedBytes the most bytes a zip may expand to, however large it is
     * @param maxZipExpansion the most bytes a zip may expand to per byte of the zip (its own size is the download's):
     *     JPEG frames do not deflate, so a real series expands by little more than 1
     * @param maxZipEntries the most entries a zip may hold (each one is opened to look for DICOM)
     * @param maxFiles the most DICOM files a series may have: each stays open while the series is read
     * @param maxLevels the most pyramid levels a series may have
     * @param maxFrameSide the largest Rows or Columns of a frame
     * @param maxFrameBytes the most bytes one frame may take decoded (packed ARGB) or compressed
     * @param maxTilesPerLevel the most tiles a level's grid may have (at most {@link Integer#MAX_VALUE})
     */
    public record Options(
            Path scratchDirectory,
            long maxExtractedBytes,
            double maxZipExpansion,
            int maxZipEntries,
            int maxFiles,
            int maxLevels,
            int maxFrameSide,
            long maxFrameBytes,
            long maxTilesPerLevel) {

        /** Extra bytes every zip may expand by, so that the headers of a tiny series always fit. */
        static final long EXPANSION_ALLOWANCE = 1L << 20;

        public Options {
            if (maxExtractedBytes < 1
                    || !(maxZipExpansion >= 1)
                    || maxZipEntries < 1
                    || maxFiles < 1
                    || maxLevels < 1
                    || maxFrameSide < 1
                    || maxFrameBytes < 1
                    || maxTilesPerLevel < 1
                    || maxTilesPerLevel > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("every limit must be positive, the zip expansion at least 1 and"
                        + " the tiles per level at most 2^31 - 1");
            }
        }

        /**
         * The system temporary directory; zips up to 256 GiB extracted and 8 times their size, 4,096 entries; 512
         * files and 64 levels per series; frames up to 8,192 a side and 256 MiB; 2^22 tiles per level.
         */
        public static Options defaults() {
            return new Options(null, 256L << 30, 8, 4096, 512, 64, 8192, 256L << 20, 1L << 22);
        }

        public Options withScratchDirectory(Path directory) {
            return new Options(
                    directory,
                    maxExtractedBytes,
                    maxZipExpansion,
                    maxZipEntries,
                    maxFiles,
                    maxLevels,
                    maxFrameSide,
                    maxFrameBytes,
                    maxTilesPerLevel);
        }

        public Options withMaxExtractedBytes(long bytes) {
            return new Options(
                    scratchDirectory,
                    bytes,
                    maxZipExpansion,
                    maxZipEntries,
                    maxFiles,
                    maxLevels,
                    maxFrameSide,
                    maxFrameBytes,
                    maxTilesPerLevel);
        }

        /** The most bytes a zip of {@code zipBytes} may expand to. */
        long extractionAllowance(long zipBytes) {
            double proportional = maxZipExpansion * zipBytes + EXPANSION_ALLOWANCE;
            return (long) Math.min(maxExtractedBytes, proportional);
        }
    }

    private static final int MAX_DIRECTORY_DEPTH = 8;

    private final String source;
    private final List<DicomInstance> instances;
    private final List<DicomLevel> levels;
    private final List<AssociatedImage> associatedImages;
    private final String studyUid;
    private final String seriesUid;
    private final Path scratch;

    private DicomWsiReader(
            String source,
            List<DicomInstance> instances,
            List<DicomLevel> levels,
            List<AssociatedImage> associatedImages,
            Path scratch) {
        this.source = source;
        this.instances = List.copyOf(instances);
        this.levels = List.copyOf(levels);
        this.associatedImages = List.copyOf(associatedImages);
        this.studyUid = instances.getFirst().studyUid;
        this.seriesUid = instances.getFirst().seriesUid;
        this.scratch = scratch;
    }

    /** Opens a {@code .dcm} file, a directory holding a series, or a zip of a series (recognised by its content). */
    public static DicomWsiReader open(Path path) throws IOException {
        return open(path, Options.defaults());
    }

    public static DicomWsiReader open(Path path, Options options) throws IOException {
        Objects.requireNonNull(options, "options");
        if (Files.isDirectory(path)) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(path, MAX_DIRECTORY_DEPTH)) {
                files = walk.filter(Files::isRegularFile).sorted().toList();
            }
            if (files.size() > options.maxFiles()) {
                throw tooManyFiles(path.toString(), options);
            }
            List<Named> named = new ArrayList<>();
            for (Path file : files) {
                named.add(new Named(file, path.relativize(file).toString()));
            }
            return openSeries(path.toString(), named, false, null, options);
        }
        if (isZip(path)) {
            return openZip(path, options);
        }
        return openSeries(path.toString(), List.of(new Named(path, path.toString())), true, null, options);
    }

    /**
     * Opens a single {@code .dcm} file holding a whole series (all levels as one instance, or one level) that is only
     * reachable through {@code source}, e.g. a signed URL read with range requests. Closing the reader closes it.
     */
    public static DicomWsiReader open(org.tessera.bytes.ByteSource source, Options options) throws IOException {
        Objects.requireNonNull(options, "options");
        return openSeries(source.name(), List.of(new Named(null, source.name(), source)), true, null, options);
    }

    /** Opens the given files as one series; files that are not DICOM are skipped. */
    public static DicomWsiReader open(List<Path> files) throws IOException {
        List<Named> named = new ArrayList<>();
        for (Path file : files) {
            named.add(new Named(file, file.toString()));
        }
        return openSeries(
                files.size() == 1 ? files.getFirst().toString() : files.size() + " files",
                named,
                false,
                null,
                Options.defaults());
    }

    /** Levels, largest first. */
    public List<DicomLevel> levels() {
        return levels;
    }

    public DicomLevel level(int index) {
        if (index < 0 || index >= levels.size()) {
            throw new IndexOutOfBoundsException("level " + index + " of " + levels.size());
        }
        return levels.get(index);
    }

    public String studyInstanceUid() {
        return studyUid;
    }

    public String seriesInstanceUid() {
        return seriesUid;
    }

    /** Label, overview and thumbnail images of the series (not read by this reader). */
    public List<AssociatedImage> associatedImages() {
        return associatedImages;
    }

    /**
     * Decodes one tile: {@code tileWidth x tileHeight} packed ARGB pixels, row-major. Edge tiles come back whole
     * (their padding is whatever the file holds); a tile a TILED_SPARSE level does not have reads as white.
     */
    public int[] readTile(int level, int tileX, int tileY) throws IOException {
        DicomLevel info = level(level);
        if (tileX < 0 || tileY < 0 || tileX >= info.tilesAcross() || tileY >= info.tilesDown()) {
            throw new IndexOutOfBoundsException("tile (" + tileX + ", " + tileY + ") outside " + info.tilesAcross()
                    + "x" + info.tilesDown() + " tiles of level " + level);
        }
        DicomInstance instance = instances.get(level);
        int frame = instance.frameAt(tileX, tileY);
        if (frame < 0) {
            return FrameDecoder.background(info.tileWidth(), info.tileHeight());
        }
        return instance.decodeFrame(frame);
    }

    /**
     * Fills {@code argbDest} (row stride {@code width}) with the level's pixels in the rectangle, decoding only the
     * tiles it touches. Pixels outside the level read as white.
     */
    public void readRegion(int level, int x, int y, int width, int height, int[] argbDest) throws IOException {
        DicomLevel info = level(level);
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException("negative region size " + width + "x" + height);
        }
        if ((long) width * height > argbDest.length) {
            throw new IllegalArgumentException(
                    "destination holds " + argbDest.length + " pixels, the region needs " + (long) width * height);
        }
        long x0 = Math.max(0, x);
        long y0 = Math.max(0, y);
        long x1 = Math.min(info.width(), (long) x + width);
        long y1 = Math.min(info.height(), (long) y + height);
        if (x0 != x || y0 != y || x1 != (long) x + width || y1 != (long) y + height) {
            Arrays.fill(argbDest, 0, width * height, FrameDecoder.BACKGROUND);
        }
        if (x0 >= x1 || y0 >= y1) {
            return;
        }
        int tw = info.tileWidth();
        int th = info.tileHeight();
        for (int ty = (int) (y0 / th); ty <= (y1 - 1) / th; ty++) {
            for (int tx = (int) (x0 / tw); tx <= (x1 - 1) / tw; tx++) {
                int[] tile = readTile(level, tx, ty);
                long left = Math.max(x0, (long) tx * tw);
                long right = Math.min(x1, (long) (tx + 1) * tw);
                long top = Math.max(y0, (long) ty * th);
                long bottom = Math.min(y1, (long) (ty + 1) * th);
                int run = (int) (right - left);
                for (long row = top; row < bottom; row++) {
                    int from = (int) ((row - (long) ty * th) * tw + (left - (long) tx * tw));
                    int to = (int) ((row - y) * width + (left - x));
                    System.arraycopy(tile, from, argbDest, to, run);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (DicomInstance instance : instances) {
            try {
                instance.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        if (scratch != null) {
            FileTrees.deleteRecursively(scratch);
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "DicomWsiReader[" + source + ", " + levels.size() + " levels]";
    }

    private record Named(Path path, String name, org.tessera.bytes.ByteSource source) {
        Named(Path path, String name) {
            this(path, name, null);
        }
    }

    private static boolean isZip(Path path) throws IOException {
        byte[] head = new byte[4];
        try (InputStream in = Files.newInputStream(path)) {
            if (in.readNBytes(head, 0, 4) < 4) {
                return false;
            }
        }
        // A local file header, or the end record of an empty zip.
        return head[0] == 'P' && head[1] == 'K' && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6));
    }

    private static DicomWsiReader openZip(Path zip, Options options) throws IOException {
        String zipName = zip.getFileName().toString();
        long zipBytes = Files.size(zip);
        long allowance = options.extractionAllowance(zipBytes);
        Path scratch = options.scratchDirectory() == null
                ? Files.createTempDirectory("tessera-dicom-")
                : Files.createTempDirectory(options.scratchDirectory(), "tessera-dicom-");
        try {
            List<Named> files = new ArrayList<>();
            long extracted = 0;
            try (ZipFile archive = new ZipFile(zip.toFile())) {
                if (archive.size() > options.maxZipEntries()) {
                    throw new DicomFormatException(
                            Code.DECOMPRESSION_BOMB,
                            zipName + ": the zip holds " + archive.size() + " entries, more than the "
                                    + options.maxZipEntries() + " allowed");
                }
                Enumeration<? extends ZipEntry> entries = archive.entries();
                while (entries.hasMoreElements()) {
                    ZipEntry entry = entries.nextElement();
                    if (entry.isDirectory()) {
                        continue;
                    }
                    String name = zipName + "!" + entry.getName();
                    try (InputStream in = archive.getInputStream(entry)) {
                        byte[] head = in.readNBytes(132);
                        if (head.length < 132
                                || head[128] != 'D'
                                || head[129] != 'I'
                                || head[130] != 'C'
                                || head[131] != 'M') {
                            continue;
                        }
                        if (files.size() == options.maxFiles()) {
                            throw tooManyFiles(zipName, options);
                        }
                        // Named by position, never by the entry name, so no entry can write outside the scratch.
                        Path target = scratch.resolve(String.format("%05d.dcm", files.size()));
                        extracted += copyCapped(head, in, target, allowance - extracted, name, zipBytes, allowance);
                        files.add(new Named(target, name));
                    } catch (ZipException | EOFException e) {
                        throw new DicomFormatException(
                                Code.TRUNCATED, name + ": zip entry cannot be read (" + e.getMessage() + ")", e);
                    }
                }
            } catch (ZipException e) {
                throw new DicomFormatException(
                        Code.TRUNCATED, zipName + ": not a readable zip (" + e.getMessage() + ")", e);
            }
            return openSeries(zipName, files, false, scratch, options);
        } catch (IOException | RuntimeException e) {
            FileTrees.deleteRecursively(scratch);
            throw e;
        }
    }

    private static long copyCapped(
            byte[] head, InputStream in, Path target, long remaining, String name, long zipBytes, long allowance)
            throws IOException {
        long written = head.length;
        if (written > remaining) {
            throw tooMuch(name, zipBytes, allowance);
        }
        byte[] buffer = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(target)) {
            out.write(head);
            int n;
            while ((n = in.read(buffer)) > 0) {
                written += n;
                if (written > remaining) {
                    throw tooMuch(name, zipBytes, allowance);
                }
                out.write(buffer, 0, n);
            }
        }
        return written;
    }

    private static DicomFormatException tooMuch(String name, long zipBytes, long allowance) {
        return new DicomFormatException(
                Code.DECOMPRESSION_BOMB,
                name + ": the zip (" + zipBytes + " bytes) expands beyond " + allowance
                        + " bytes, the most it may expand to");
    }

    private static DicomFormatException tooManyFiles(String source, Options options) {
        return new DicomFormatException(
                Code.DECOMPRESSION_BOMB,
                source + ": holds more than " + options.maxFiles() + " files, the most a series may have");
    }

    private static DicomWsiReader openSeries(
            String source, List<Named> files, boolean single, Path scratch, Options options) throws IOException {
        List<DicomInstance> all = new ArrayList<>();
        List<DicomInstance> levelInstances = new ArrayList<>();
        boolean success = false;
        try {
            for (Named file : files) {
                SharedChannel channel = file.source() != null
                        ? new SharedChannel(file.source(), file.name())
                        : new SharedChannel(file.path(), file.name());
                if (!DicomParser.isPart10(channel)) {
                    channel.close();
                    if (single) {
                        throw new DicomFormatException(
                                Code.NOT_DICOM,
                                file.name() + ": not a DICOM file (no DICM magic after the 128-byte preamble)");
                    }
                    continue;
                }
                all.add(DicomInstance.open(channel));
            }
            if (all.isEmpty()) {
                throw new DicomFormatException(Code.NOT_A_SERIES, source + ": holds no DICOM file");
            }
            List<DicomInstance> wsi =
                    all.stream().filter(DicomInstance::isWholeSlide).toList();
            if (wsi.isEmpty()) {
                Set<String> classes = new LinkedHashSet<>();
                all.forEach(i -> classes.add(i.sopClassUid));
                throw new DicomFormatException(
                        Code.NOT_WSI,
                        source + ": no VL Whole Slide Microscopy Image ("
                                + DicomUids.VL_WHOLE_SLIDE_MICROSCOPY_IMAGE_STORAGE + "); found SOP classes "
                                + classes);
            }
            Set<String> series = new LinkedHashSet<>();
            wsi.forEach(i -> series.add(i.seriesUid));
            if (series.size() > 1) {
                throw new DicomFormatException(
                        Code.NOT_A_SERIES, source + ": instances of " + series.size() + " series " + series);
            }
            List<DicomInstance> volumes = new ArrayList<>(
                    wsi.stream().filter(i -> "VOLUME".equals(i.flavour())).toList());
            List<AssociatedImage> associated = new ArrayList<>();
            for (DicomInstance instance : wsi) {
                if (!"VOLUME".equals(instance.flavour())) {
                    associated.add(new AssociatedImage(
                            instance.flavour(), instance.declaredWidth(), instance.declaredHeight(), instance.name));
                }
            }
            if (volumes.isEmpty()) {
                throw new DicomFormatException(
                        Code.NOT_WSI,
                        source + ": no VOLUME image, only "
                                + associated.stream().map(AssociatedImage::type).toList());
            }
            volumes.sort(Comparator.comparingLong(DicomInstance::declaredWidth).reversed());
            long lastWidth = -1;
            long lastHeight = -1;
            for (DicomInstance volume : volumes) {
                // Further focal planes or optical paths of a level repeat its size; the first one is the level.
                if (volume.declaredWidth() == lastWidth && volume.declaredHeight() == lastHeight) {
                    continue;
                }
                lastWidth = volume.declaredWidth();
                lastHeight = volume.declaredHeight();
                if (levelInstances.size() == options.maxLevels()) {
                    throw new DicomFormatException(
                            Code.DECOMPRESSION_BOMB,
                            source + ": more than " + options.maxLevels() + " levels, the most a series may have");
                }
                volume.indexFrames(options);
                levelInstances.add(volume);
            }
            List<DicomLevel> levels = new ArrayList<>();
            DicomInstance base = levelInstances.getFirst();
            for (int i = 0; i < levelInstances.size(); i++) {
                DicomInstance level = levelInstances.get(i);
                double downsample =
                        ((double) base.width() / level.width() + (double) base.height() / level.height()) / 2;
                levels.add(new DicomLevel(
                        i,
                        level.width(),
                        level.height(),
                        level.columns(),
                        level.rows(),
                        level.tilesAcross(),
                        level.tilesDown(),
                        downsample,
                        level.mppX(),
                        level.mppY(),
                        level.dimensionOrganization(),
                        level.frameCount(),
                        level.transferSyntax,
                        level.name));
            }
            DicomWsiReader reader = new DicomWsiReader(source, levelInstances, levels, associated, scratch);
            success = true;
            return reader;
        } finally {
            for (DicomInstance instance : all) {
                if (!success || !levelInstances.contains(instance)) {
                    closeQuietly(instance);
                }
            }
        }
    }

    private static void closeQuietly(DicomInstance instance) {
        try {
            instance.close();
        } catch (IOException e) {
            // Read-only handles: nothing to lose when closing one fails.
        }
    }
}
