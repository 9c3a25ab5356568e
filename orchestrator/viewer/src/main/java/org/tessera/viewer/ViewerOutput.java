package org.tessera.viewer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * One result file of an item the viewer can overlay: a class map TIFF ({@code image/tiff}), a GeoJSON of polygons or
 * cells ({@code application/geo+json}) or the slide readouts CSV ({@code text/csv}).
 *
 * @param name the artifact's name, e.g. {@code tissue_qc:segmentation_map_image}
 * @param mediaType what the file is
 * @param file fetches the file to a local path (the platform's own outputs may be cached; never the slide)
 */
public record ViewerOutput(String name, String mediaType, Fetch file) {

    /** Where the file is, fetched on first use. */
    @FunctionalInterface
    public interface Fetch {
        Path path() throws IOException;
    }

    public ViewerOutput {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(file, "file");
    }

    /** What the viewer does with it, or null when nothing. */
    Kind kind() {
        String type = mediaType.toLowerCase(Locale.ROOT);
        if (type.startsWith("image/tiff") && name.endsWith("segmentation_map_image")) {
            return Kind.MAP;
        }
        if (type.contains("geo+json") || name.endsWith("geojson_polygons")) {
            return Kind.FEATURES;
        }
        if (type.startsWith("text/csv") && name.endsWith("slide_readouts")) {
            return Kind.READOUTS;
        }
        return null;
    }

    enum Kind {
        MAP,
        FEATURES,
        READOUTS
    }

    /** The output's name without its task, made readable: {@code tissue_qc:segmentation_map_image} → {@code Tissue QC}. */
    String title() {
        String task = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
        return switch (task) {
            case "tissue_qc" -> "Tissue QC";
            case "tissue_segmentation" -> "Tissue segmentation";
            case "cell_classification" -> "Cells";
            case "readout_generation" -> "Slide readouts";
            default -> task.replace('_', ' ');
        };
    }
}
