package org.tessera.imaging;

import com.twelvemonkeys.imageio.plugins.tiff.TIFFImageReaderSpi;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/** Reads TIFFs back with TwelveMonkeys, a reader independent of the worker's own, for assertions. */
public final class TiffTestReader implements AutoCloseable {

    private final ImageInputStream input;
    private final ImageReader reader;

    public TiffTestReader(Path file) throws IOException {
        input = ImageIO.createImageInputStream(file.toFile());
        reader = new TIFFImageReaderSpi().createReaderInstance();
        reader.setInput(input);
    }

    public int levels() throws IOException {
        return reader.getNumImages(true);
    }

    public int width(int level) throws IOException {
        return reader.getWidth(level);
    }

    public int height(int level) throws IOException {
        return reader.getHeight(level);
    }

    public BufferedImage read(int level) throws IOException {
        return reader.read(level);
    }

    /** TIFF field values of a level as text, by tag number (first value only for arrays). */
    public Map<Integer, String> fields(int level) throws IOException {
        IIOMetadata metadata = reader.getImageMetadata(level);
        Node root = metadata.getAsTree(metadata.getNativeMetadataFormatName());
        Map<Integer, String> fields = new HashMap<>();
        collect(root, fields);
        return fields;
    }

    private static void collect(Node node, Map<Integer, String> fields) {
        if ("TIFFField".equals(node.getNodeName())) {
            NamedNodeMap attributes = node.getAttributes();
            int number = Integer.parseInt(attributes.getNamedItem("number").getNodeValue());
            fields.put(number, firstValue(node));
            return;
        }
        for (Node child = node.getFirstChild(); child != null; child = child.getNextSibling()) {
            collect(child, fields);
        }
    }

    private static String firstValue(Node node) {
        for (Node child = node.getFirstChild(); child != null; child = child.getNextSibling()) {
            Node value =
                    child.getAttributes() == null ? null : child.getAttributes().getNamedItem("value");
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
    public void close() throws IOException {
        reader.dispose();
        input.close();
    }
}
