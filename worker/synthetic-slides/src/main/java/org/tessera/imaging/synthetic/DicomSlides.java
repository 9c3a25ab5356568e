package org.tessera.imaging.synthetic;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.tessera.contracts.Crc32c;
import org.tessera.dicom.DicomUids;
import org.tessera.dicom.DicomWsiWriter;
import org.tessera.dicom.DimensionOrganization;
import org.tessera.dicom.FileTrees;
import org.tessera.dicom.StoredZip;

/** Writes synthetic slides as DICOM WSI series, byte-for-byte reproducible from the seed. */
final class DicomSlides {

    /** Content and acquisition dates in the headers: fixed, so the same seed gives the same bytes. */
    static final Instant ACQUIRED = Instant.parse("2025-01-01T00:00:00Z");

    /** Zip entries carry a fixed local time, so the zip, not only its entries, is reproducible. */
    private static final LocalDateTime ZIP_ENTRY_TIME = LocalDateTime.of(2025, 1, 1, 0, 0);

    private DicomSlides() {}

    static SyntheticSlide write(
            Path target, GroundTruth truth, SlideRenderer renderer, SyntheticSlideOptions options, int threads)
            throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path scratch = Files.createTempDirectory(parent, ".synthetic-dicom-");
        try {
            DicomWsiWriter.Options dicom = options(target, truth, options);
            Path seriesDirectory =
                    options.container() == SyntheticSlideOptions.Container.DICOM_DIRECTORY ? target : scratch;
            if (seriesDirectory == target) {
                removeLevels(target);
            }
            DicomWsiWriter.WrittenSeries series;
            try (DicomPyramidSource source = new DicomPyramidSource(
                    renderer, truth.width(), truth.height(), options.tileSize(), options.sparse(), scratch, threads)) {
                series = DicomWsiWriter.write(seriesDirectory, truth.width(), truth.height(), dicom, source);
            }
            List<Path> files = series.files();
            String mediaType = options.container().mediaType();
            return switch (options.container()) {
                case DICOM_DIRECTORY -> {
                    long size = 0;
                    for (Path file : files) {
                        size += Files.size(file);
                    }
                    yield SyntheticSlide.of(target, truth, size, concatenatedChecksum(files), mediaType);
                }
                case DICOM_ZIP -> {
                    StoredZip.write(target, files, ZIP_ENTRY_TIME);
                    yield SyntheticSlide.ofFile(target, truth, mediaType);
                }
                case DICOM_FILE -> {
                    Files.move(files.getFirst(), target, StandardCopyOption.REPLACE_EXISTING);
                    yield SyntheticSlide.ofFile(target, truth, mediaType);
                }
                default -> throw new IllegalArgumentException("not a DICOM container: " + options.container());
            };
        } finally {
            FileTrees.deleteRecursively(scratch);
        }
    }

    static DicomWsiWriter.Options options(Path target, GroundTruth truth, SyntheticSlideOptions options) {
        String name = target.getFileName().toString();
        int dot = name.indexOf('.');
        String slideId = dot > 0 ? name.substring(0, dot) : name;
        if (slideId.length() > 64) {
            // Container Identifier is an LO: at most 64 characters.
            slideId = slideId.substring(0, 64);
        }
        return DicomWsiWriter.Options.defaults(truth.mpp())
                .withTileSize(options.tileSize())
                .withJpegQuality(options.jpegQuality())
                .withOrganization(
                        options.sparse() ? DimensionOrganization.TILED_SPARSE : DimensionOrganization.TILED_FULL)
                .withIdentity(slideId, "SYNTHETIC-" + truth.seed(), "Synthetic^Slide")
                .withUids(seededUids(truth.seed()))
                .withClock(Clock.fixed(ACQUIRED, ZoneOffset.UTC));
    }

    /** UIDs under the 2.25 root from a seeded stream: unique per seed, equal for equal seeds. */
    static Supplier<String> seededUids(long seed) {
        SplittableRandom random = new SplittableRandom(seed ^ 0xD1C0D1C0L);
        return () -> DicomUids.fromUuid(new UUID(random.nextLong(), random.nextLong()));
    }

    private static String concatenatedChecksum(List<Path> files) throws IOException {
        List<InputStream> streams = new ArrayList<>();
        try {
            for (Path file : files) {
                streams.add(Files.newInputStream(file));
            }
            try (InputStream all = new SequenceInputStream(Collections.enumeration(streams))) {
                return Crc32c.base64Of(all);
            }
        } finally {
            for (InputStream stream : streams) {
                stream.close();
            }
        }
    }

    /** Removes the level files of an earlier series, so a smaller pyramid leaves none of them behind. */
    private static void removeLevels(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                if (file.getFileName().toString().matches("level-\\d+\\.dcm")) {
                    Files.delete(file);
                }
            }
        }
    }
}
