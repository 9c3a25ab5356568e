package org.tessera.dicom;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.w3c.dom.NodeList;

/** Encodes tiles as baseline JPEG, YCbCr with 4:2:2 chroma subsampling. Thread-safe. */
final class FrameEncoder {

    private static final String JPEG_METADATA = "javax_imageio_jpeg_image_1.0";

    // ImageIO writers keep state between calls and are not thread-safe: one per thread that encodes.
    private static final ThreadLocal<ImageWriter> WRITERS = ThreadLocal.withInitial(FrameEncoder::newWriter);

    private FrameEncoder() {}

    /** A tile-sized image of a type the JPEG writer takes, with white where {@code image} does not reach. */
    static BufferedImage normalize(BufferedImage image, int tileSize) {
        boolean usable =
                image.getType() == BufferedImage.TYPE_INT_RGB || image.getType() == BufferedImage.TYPE_3BYTE_BGR;
        if (usable && image.getWidth() == tileSize && image.getHeight() == tileSize) {
            return image;
        }
        BufferedImage tile = new BufferedImage(tileSize, tileSize, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = tile.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, tileSize, tileSize);
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return tile;
    }

    static BufferedImage white(int tileSize) {
        return normalize(new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB), tileSize);
    }

    static byte[] encode(BufferedImage tile, float quality) throws IOException {
        ImageWriter writer = WRITERS.get();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(tile), param);
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(JPEG_METADATA);
        NodeList components = root.getElementsByTagName("componentSpec");
        if (components.getLength() == 3) {
            // The writer's default is 4:2:0; the luma component's sampling factors set it to the 4:2:2 that
            // YBR_FULL_422 names.
            IIOMetadataNode luma = (IIOMetadataNode) components.item(0);
            luma.setAttribute("HsamplingFactor", "2");
            luma.setAttribute("VsamplingFactor", "1");
            metadata.setFromTree(JPEG_METADATA, root);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(tile.getWidth() * tile.getHeight() / 4);
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(tile, null, metadata), param);
        } finally {
            writer.reset();
        }
        return bytes.toByteArray();
    }

    private static ImageWriter newWriter() {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        while (writers.hasNext()) {
            ImageWriter writer = writers.next();
            // The JDK's own writer is the one whose metadata tree (and subsampling control) this class relies on.
            if (writer.getClass().getName().startsWith("com.sun.imageio")) {
                return writer;
            }
        }
        throw new IllegalStateException("the JDK's JPEG ImageWriter is not available");
    }
}
