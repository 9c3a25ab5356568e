package org.tessera.models.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tessera.models.NucleusDetectionModel;
import org.tessera.models.onnx.OnnxModel;

/**
 * The example of an application described by a manifest: {@code nuclei-only 1.0.0}, the platform's nucleus detection
 * graph as a model file and a manifest that says how to run it (512-pixel tiles at 0.5 µm per pixel, seeds as
 * detections of one class, outlines from the stain output) and what to write (GeoJSON outlines, one CSV row per
 * nucleus, slide readouts). The model is built from source, so the manifest's checksum is filled in here.
 *
 * <p>{@code java -cp ... org.tessera.models.examples.NucleiOnlyExample <dir>} writes {@code <dir>/nuclei-only-1.0.0/}
 * with {@code manifest.json} and {@code nucleus-detection.onnx}: a folder for the orchestrator's
 * {@code tessera.applications.manifest-dir}, or the two parts of a registration through the admin API.
 */
public final class NucleiOnlyExample {

    public static final String APPLICATION_ID = "nuclei-only";
    public static final String VERSION = "1.0.0";
    public static final String MODEL_FILE = "nucleus-detection.onnx";
    public static final String FOLDER = APPLICATION_ID + "-" + VERSION;

    private static final String TEMPLATE = "nuclei-only.manifest.json";

    private NucleiOnlyExample() {}

    /** The model file's bytes, the same on every build. */
    public static byte[] model() {
        return NucleusDetectionModel.build(NucleusDetectionModel.Parameters.defaults());
    }

    /** The manifest, with the checksum of {@link #model()}. */
    public static String manifest() {
        try (InputStream in = NucleiOnlyExample.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + TEMPLATE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("@SHA256@", OnnxModel.sha256(model()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the example's folder under {@code dir} and returns it. */
    public static Path write(Path dir) throws IOException {
        Path folder = dir.resolve(FOLDER);
        Files.createDirectories(folder);
        Files.write(folder.resolve(MODEL_FILE), model());
        Files.writeString(folder.resolve("manifest.json"), manifest());
        return folder;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: NucleiOnlyExample <dir>   (writes <dir>/" + FOLDER + "/)");
            System.exit(2);
        }
        System.out.println(write(Path.of(args[0])));
    }
}
