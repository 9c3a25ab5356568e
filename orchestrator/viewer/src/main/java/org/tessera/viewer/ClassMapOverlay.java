package org.tessera.viewer;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.plugins.tiff.TIFFDirectory;
import javax.imageio.plugins.tiff.TIFFField;
import javax.imageio.stream.ImageInputStream;

/**
 * A class map (the worker's palette TIFF of class values) as a translucent layer: the page draws it as one image over
 * the slide, scaled to the slide's level-0 size. Maps are coarse (a pixel covers many slide pixels), so the largest
 * image of the map's pyramid at most {@value #MAX_SIDE} pixels wide is enough and is read once.
 */
final class ClassMapOverlay {

    static final int MAX_SIDE = 4096;

    private static final Pattern SCALE = Pattern.compile("level-0 pixels per map pixel ([0-9.]+)");

    private final int width;
    private final int height;
    private final byte[] values;
    private final List<ViewerClasses.Entry> classes;
    private final double scale;

    private ClassMapOverlay(int width, int height, byte[] values, List<ViewerClasses.Entry> classes, double scale) {
        this.scale = scale;
        this.width = width;
        this.height = height;
        this.values = values;
        this.classes = classes;
    }

    static ClassMapOverlay read(Path file, String name) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (in == null || !readers.hasNext()) {
                throw new IOException(name + " is not a TIFF class map");
            }
            // The JDK's own TIFF reader, whose metadata TIFFDirectory reads; another plugin only if it is missing.
            ImageReader reader = readers.next();
            while (!reader.getClass().getName().startsWith("com.sun.imageio") && readers.hasNext()) {
                reader = readers.next();
            }
            try {
                reader.setInput(in);
                int images = reader.getNumImages(true);
                int chosen = 0;
                for (int i = 0; i < images; i++) {
                    if (Math.max(reader.getWidth(i), reader.getHeight(i)) <= MAX_SIDE) {
                        chosen = i;
                        break;
                    }
                    chosen = i;
                }
                Raster raster = reader.read(chosen).getRaster();
                int w = raster.getWidth();
                int h = raster.getHeight();
                byte[] values = new byte[w * h];
                int[] row = new int[w];
                for (int y = 0; y < h; y++) {
                    raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, row);
                    for (int x = 0; x < w; x++) {
                        values[y * w + x] = (byte) row[x];
                    }
                }
                double scale = scale(reader) * reader.getWidth(0) / w;
                return new ClassMapOverlay(w, h, values, ViewerClasses.of(name), scale);
            } finally {
                reader.dispose();
            }
        }
    }

    /** Level-0 slide pixels per map pixel, from the map's description (the worker writes it); NaN when absent. */
    private static double scale(ImageReader reader) throws IOException {
        TIFFField description;
        try {
            description =
                    TIFFDirectory.createFromMetadata(reader.getImageMetadata(0)).getTIFFField(270);
        } catch (RuntimeException | javax.imageio.metadata.IIOInvalidTreeException e) {
            return Double.NaN;
        }
        if (description == null) {
            return Double.NaN;
        }
        Matcher m = SCALE.matcher(description.getAsString(0));
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    /** Level-0 slide pixels per pixel of {@link #png}; NaN when the map does not say (the page then fits it). */
    double scale() {
        return scale;
    }

    List<ViewerClasses.Entry> classes() {
        return classes;
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    /** The map as a PNG: each class in its colour, opaque; background and {@code hidden} classes transparent. */
    byte[] png(Set<Integer> hidden) throws IOException {
        int[] colours = new int[256];
        for (ViewerClasses.Entry c : classes) {
            if (!hidden.contains(c.value())) {
                colours[c.value()] = 0xFF000000 | Integer.parseInt(c.color().substring(1), 16);
            }
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                row[x] = colours[values[y * width + x] & 0xFF];
            }
            image.setRGB(0, y, width, 1, row, 0, width);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
