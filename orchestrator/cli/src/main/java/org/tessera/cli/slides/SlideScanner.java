package org.tessera.cli.slides;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.tessera.cli.CliException;
import org.tessera.cli.ExitCode;
import org.tessera.contracts.Crc32c;
import org.tessera.slides.SlideFormatException;
import org.tessera.slides.SlideInfo;
import org.tessera.slides.SlideReader;
import org.tessera.slides.SlideReaders;

/**
 * Turns the files and folders named on the command line into slides ready to submit: each is opened with the
 * platform's own readers (the worker's), so that width, height and resolution are what the worker will find, and
 * checksummed. A file the readers refuse stops the submission before anything is uploaded, naming the file.
 */
public final class SlideScanner {

    /** What a folder is searched for; named files are taken whatever their extension. */
    private static final Map<String, String> MEDIA_TYPES = Map.of(
            "svs", "application/octet-stream",
            "tif", "image/tiff",
            "tiff", "image/tiff",
            "dcm", "application/dicom",
            "zip", "application/zip");

    private final SlideReaders readers;

    public SlideScanner(SlideReaders readers) {
        this.readers = readers;
    }

    /** The files named, and in each folder named the slide files below it (sorted, so runs are reproducible). */
    public static List<Path> expand(List<Path> arguments) {
        List<Path> files = new ArrayList<>();
        for (Path argument : arguments) {
            if (Files.isDirectory(argument)) {
                try (Stream<Path> walk = Files.walk(argument)) {
                    List<Path> found = walk.filter(Files::isRegularFile)
                            .filter(f -> MEDIA_TYPES.containsKey(extension(f)))
                            .sorted()
                            .toList();
                    if (found.isEmpty()) {
                        throw new CliException(
                                ExitCode.USAGE,
                                argument + " holds no slide files (" + String.join(", ", MEDIA_TYPES.keySet()) + ")");
                    }
                    files.addAll(found);
                } catch (IOException e) {
                    throw new CliException(ExitCode.USAGE, "cannot list " + argument + ": " + e.getMessage(), e);
                }
            } else if (Files.isRegularFile(argument)) {
                files.add(argument);
            } else {
                throw new CliException(ExitCode.USAGE, argument + ": no such file or folder");
            }
        }
        Map<String, Path> byName = new HashMap<>();
        for (Path file : files) {
            Path other = byName.put(file.getFileName().toString(), file);
            if (other != null) {
                throw new CliException(
                        ExitCode.USAGE,
                        "two slides share the file name " + file.getFileName() + " (" + other + ", " + file
                                + "); the file name is the item's external id, so it must be unique in a run");
            }
        }
        return files;
    }

    /**
     * Reads one slide's metadata and checksum.
     *
     * @param mppOverride used when the file states no resolution (null: such a file is refused)
     */
    public LocalSlide scan(Path file, Double mppOverride) {
        String name = file.getFileName().toString();
        SlideInfo info;
        try (SlideReader reader = readers.open(file, name)) {
            info = reader.info();
        } catch (SlideFormatException e) {
            throw new CliException(ExitCode.USAGE, name + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new CliException(ExitCode.USAGE, "cannot read " + file + ": " + e.getMessage(), e);
        }
        OptionalDouble mpp = info.mpp();
        double resolution;
        if (mpp.isPresent()) {
            resolution = mpp.getAsDouble();
        } else if (mppOverride != null) {
            resolution = mppOverride;
        } else {
            throw new CliException(
                    ExitCode.USAGE, name + " states no resolution (micrometres per pixel); pass --mpp to give it");
        }
        try (InputStream in = Files.newInputStream(file)) {
            String checksum = Crc32c.base64Of(in);
            return new LocalSlide(
                    file,
                    name,
                    MEDIA_TYPES.getOrDefault(extension(file), "application/octet-stream"),
                    Files.size(file),
                    info.width(),
                    info.height(),
                    resolution,
                    info.format(),
                    checksum);
        } catch (IOException e) {
            throw new CliException(ExitCode.USAGE, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
