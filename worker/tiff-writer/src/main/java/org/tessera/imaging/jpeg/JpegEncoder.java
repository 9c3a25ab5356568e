package org.tessera.imaging.jpeg;

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

/**
 * Baseline JPEG with the JDK's encoder, for the tiles of TIFF and DICOM pyramids. Colour images become JFIF YCbCr
 * with the chroma subsampling asked for; grey images stay one component. Thread-safe.
 */
public final class JpegEncoder {

    /** How many chroma samples a colour image keeps. */
    public enum Subsampling {
        /** Half the chroma columns and rows (2x2): the JDK writer's default, and TIFF's YCbCrSubSampling 2,2. */
        YCBCR_420,
        /** Half the chroma columns, every row (2x1): what DICOM's YBR_FULL_422 names. */
        YCBCR_422
    }

    private static final String JPEG_METADATA = "javax_imageio_jpeg_image_1.0";

    // ImageIO writers keep state between calls and are not thread-safe: one per thread that encodes.
    private static final ThreadLocal<ImageWriter> WRITERS = ThreadLocal.withInitial(JpegEncoder::newWriter);

    private JpegEncoder() {}

    /**
     * @param image RGB or grey, 8 bits per sample
     * @param quality 0..1, as {@link ImageWriteParam#setCompressionQuality}
     */
    public static byte[] encode(BufferedImage image, float quality, Subsampling subsampling) throws IOException {
        ImageWriter writer = WRITERS.get();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        IIOMetadata metadata = subsampling == Subsampling.YCBCR_420 ? null : metadata(writer, image, param);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(image.getWidth() * image.getHeight() / 4);
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, metadata), param);
        } finally {
            writer.reset();
        }
        return bytes.toByteArray();
    }

    /** The writer's default metadata with the luma sampling factors that make the chroma 4:2:2. */
    private static IIOMetadata metadata(ImageWriter writer, BufferedImage image, ImageWriteParam param)
            throws IOException {
        IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(JPEG_METADATA);
        NodeList components = root.getElementsByTagName("componentSpec");
        if (components.getLength() == 3) {
            IIOMetadataNode luma = (IIOMetadataNode) components.item(0);
            luma.setAttribute("HsamplingFactor", "2");
            luma.setAttribute("VsamplingFactor", "1");
            metadata.setFromTree(JPEG_METADATA, root);
        }
        return metadata;
    }

    private static ImageWriter newWriter() {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        while (writers.hasNext()) {
            ImageWriter writer = writers.next();
            // The JDK's own writer is the one whose output, metadata tree and subsampling control this class relies on.
            if (writer.getClass().getName().startsWith("com.sun.imageio")) {
                return writer;
            }
        }
        throw new IllegalStateException("the JDK's JPEG ImageWriter is not available");
    }
}
