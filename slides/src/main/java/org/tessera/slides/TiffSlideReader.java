package org.tessera.slides;

import com.twelvemonkeys.imageio.plugins.tiff.TIFFImageReaderSpi;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Reads a pyramidal TIFF through TwelveMonkeys: every tiled image (IFD) of decreasing size is a level, untiled ones
 * after the first (Aperio thumbnail, label, macro) are skipped. Decodes only the tiles a region needs. Not
 * thread-safe (ImageIO readers are not).
 */
final class TiffSlideReader implements SlideReader {

    private static final int TAG_WIDTH = 256;
    private static final int TAG_HEIGHT = 257;
    private static final int TAG_COMPRESSION = 259;
    private static final int TAG_DESCRIPTION = 270;
    private static final int TAG_X_RESOLUTION = 282;
    private static final int TAG_RESOLUTION_UNIT = 296;
    private static final int TAG_TILE_WIDTH = 322;

    // none, LZW, old JPEG, JPEG, deflate, PackBits, deflate (old code): what TwelveMonkeys decodes with the JDK alone.
    private static final Set<Integer> SUPPORTED_COMPRESSIONS = Set.of(1, 5, 6, 7, 8, 32773, 32946);
    // An image whose aspect ratio differs more than this from level 0 is not part of the pyramid (e.g. a label).
    private static final double ASPECT_TOLERANCE = 0.02;

    private final ImageInputStream input;
    private final ImageReader reader;
    private final SlideInfo info;
    private final int[] imageIndexOfLevel;
    private final String name;

    private TiffSlideReader(
            ImageInputStream input, ImageReader reader, SlideInfo info, int[] imageIndexOfLevel, String name) {
        this.input = input;
        this.reader = reader;
        this.info = info;
        this.imageIndexOfLevel = imageIndexOfLevel;
        this.name = name;
    }

    static TiffSlideReader open(Path file, String name) throws SlideFormatException, IOException {
        ImageInputStream input = new FileImageInputStream(file.toFile());
        ImageReader reader = new TIFFImageReaderSpi().createReaderInstance();
        boolean opened = false;
        try {
            reader.setInput(input);
            int images;
            List<Map<Integer, String>> fields = new ArrayList<>();
            try {
                images = reader.getNumImages(true);
                for (int i = 0; i < images; i++) {
                    fields.add(fields(reader.getImageMetadata(i)));
                }
            } catch (IOException | RuntimeException e) {
                throw unreadable(name, e);
            }
            if (images < 1) {
                throw new SlideFormatException(
                        SlideFormatException.Code.UNREADABLE,
                        name + " is not a readable TIFF/SVS: it has no image directory");
            }
            List<Integer> levelImages = new ArrayList<>();
            List<SlideLevel> levels = new ArrayList<>();
            Map<Integer, String> first = fields.getFirst();
            int width0 = intField(first, TAG_WIDTH, name);
            int height0 = intField(first, TAG_HEIGHT, name);
            for (int i = 0; i < images; i++) {
                Map<Integer, String> f = fields.get(i);
                int width = intField(f, TAG_WIDTH, name);
                int height = intField(f, TAG_HEIGHT, name);
                boolean tiled = f.containsKey(TAG_TILE_WIDTH);
                if (i > 0) {
                    boolean smaller = width < levels.getLast().width()
                            && height < levels.getLast().height();
                    double expectedHeight = (double) height0 * width / width0;
                    boolean sameAspect =
                            Math.abs(height - expectedHeight) <= Math.max(2, ASPECT_TOLERANCE * expectedHeight);
                    if (!tiled || !smaller || !sameAspect) {
                        continue;
                    }
                }
                int compression = f.containsKey(TAG_COMPRESSION) ? intField(f, TAG_COMPRESSION, name) : 1;
                if (!SUPPORTED_COMPRESSIONS.contains(compression)) {
                    throw new SlideFormatException(
                            SlideFormatException.Code.UNSUPPORTED_FORMAT,
                            name + " level " + levels.size() + " uses TIFF compression " + compression
                                    + compressionName(compression) + ", which this platform does not decode");
                }
                levelImages.add(i);
                levels.add(new SlideLevel(width, height, (double) width0 / width));
            }
            String description = first.getOrDefault(TAG_DESCRIPTION, "");
            Map<String, String> properties = new LinkedHashMap<>();
            String format = "generic-tiff";
            if (description.startsWith("Aperio")) {
                format = "aperio";
                properties.putAll(aperioProperties(description));
            }
            if (!description.isEmpty()) {
                properties.put("tiff.ImageDescription", description);
            }
            OptionalDouble mpp = aperioMpp(properties);
            if (mpp.isEmpty()) {
                mpp = resolutionMpp(first);
            }
            SlideInfo info = new SlideInfo(format, levels, mpp, properties);
            int[] indices = levelImages.stream().mapToInt(Integer::intValue).toArray();
            opened = true;
            return new TiffSlideReader(input, reader, info, indices, name);
        } finally {
            if (!opened) {
                reader.dispose();
                input.close();
            }
        }
    }

    @Override
    public SlideInfo info() {
        return info;
    }

    @Override
    public BufferedImage readRegion(int level, int x, int y, int width, int height)
            throws SlideFormatException, IOException {
        SlideLevel l = info.levels().get(level);
        if (x < 0 || y < 0 || width < 1 || height < 1 || x + width > l.width() || y + height > l.height()) {
            throw new IllegalArgumentException("region " + x + "," + y + " " + width + "x" + height
                    + " is outside level " + level + " (" + l.width() + "x" + l.height() + ")");
        }
        ImageReadParam param = reader.getDefaultReadParam();
        param.setSourceRegion(new java.awt.Rectangle(x, y, width, height));
        try {
            return reader.read(imageIndexOfLevel[level], param);
        } catch (IOException | RuntimeException e) {
            throw unreadable(name, e);
        }
    }

    @Override
    public void close() throws IOException {
        reader.dispose();
        input.close();
    }

    private static SlideFormatException unreadable(String name, Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (message.contains("Unsupported TIFF Compression") || message.contains("Unsupported Compression")) {
            return new SlideFormatException(
                    SlideFormatException.Code.UNSUPPORTED_FORMAT,
                    name + " uses an unsupported compression: " + message,
                    e);
        }
        return new SlideFormatException(
                SlideFormatException.Code.UNREADABLE, name + " is not a readable TIFF/SVS: " + message, e);
    }

    private static int intField(Map<Integer, String> fields, int tag, String name) throws SlideFormatException {
        String value = fields.get(tag);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new SlideFormatException(
                    SlideFormatException.Code.UNREADABLE, name + " has no valid TIFF tag " + tag + " (" + value + ")");
        }
    }

    private static String compressionName(int compression) {
        return switch (compression) {
            case 33003, 33005 -> " (Aperio JPEG 2000)";
            case 34712 -> " (JPEG 2000)";
            case 50001 -> " (WebP)";
            case 34887, 34892, 50000 -> " (LERC/lossy JPEG/ZSTD)";
            default -> "";
        };
    }

    /** Aperio's description: a header line, then {@code |key = value} pairs. */
    static Map<String, String> aperioProperties(String description) {
        Map<String, String> properties = new LinkedHashMap<>();
        String[] parts = description.split("\\|");
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0) {
                properties.put(
                        "aperio." + parts[i].substring(0, eq).trim(),
                        parts[i].substring(eq + 1).trim());
            }
        }
        return properties;
    }

    private static OptionalDouble aperioMpp(Map<String, String> properties) {
        String value = properties.get("aperio.MPP");
        if (value == null) {
            return OptionalDouble.empty();
        }
        try {
            return plausible(Double.parseDouble(value));
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }

    /** mpp from XResolution and ResolutionUnit (2 = inch, 3 = centimetre; 1 = no absolute unit). */
    static OptionalDouble resolutionMpp(Map<Integer, String> fields) {
        String resolution = fields.get(TAG_X_RESOLUTION);
        String unit = fields.getOrDefault(TAG_RESOLUTION_UNIT, "2");
        if (resolution == null) {
            return OptionalDouble.empty();
        }
        double pixelsPerUnit;
        try {
            String[] parts = resolution.split("/");
            pixelsPerUnit = parts.length == 2
                    ? Double.parseDouble(parts[0].trim()) / Double.parseDouble(parts[1].trim())
                    : Double.parseDouble(parts[0].trim());
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
        if (!(pixelsPerUnit > 0)) {
            return OptionalDouble.empty();
        }
        return switch (unit.trim()) {
            case "3" -> plausible(10_000 / pixelsPerUnit);
            case "2" -> plausible(25_400 / pixelsPerUnit);
            default -> OptionalDouble.empty();
        };
    }

    // Scanners write 72 dpi or 1 px/cm placeholders; a pixel size outside this range is not a microscope's.
    private static OptionalDouble plausible(double mpp) {
        return mpp >= 0.01 && mpp <= 100 ? OptionalDouble.of(mpp) : OptionalDouble.empty();
    }

    /** TIFF fields of one image from TwelveMonkeys' native metadata tree, first value of each as text. */
    private static Map<Integer, String> fields(IIOMetadata metadata) {
        Map<Integer, String> fields = new HashMap<>();
        collect(metadata.getAsTree(metadata.getNativeMetadataFormatName()), fields);
        return fields;
    }

    private static void collect(Node node, Map<Integer, String> fields) {
        if ("TIFFField".equals(node.getNodeName())) {
            NamedNodeMap attributes = node.getAttributes();
            Node number = attributes.getNamedItem("number");
            if (number != null) {
                String value = firstValue(node);
                if (value != null) {
                    fields.put(Integer.parseInt(number.getNodeValue()), value);
                }
            }
            return;
        }
        for (Node child = node.getFirstChild(); child != null; child = child.getNextSibling()) {
            collect(child, fields);
        }
    }

    private static String firstValue(Node node) {
        for (Node child = node.getFirstChild(); child != null; child = child.getNextSibling()) {
            NamedNodeMap attributes = child.getAttributes();
            Node value = attributes == null ? null : attributes.getNamedItem("value");
            if (value != null) {
                return value.getNodeValue();
            }
            String nested = firstValue(child);
            if (nested != null) {
                return nested;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "TiffSlideReader[" + name + ", " + info.format() + ", "
                + info.levels().size() + " levels]";
    }
}
