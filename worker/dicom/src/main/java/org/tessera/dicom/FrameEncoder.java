package org.tessera.dicom;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import org.tessera.imaging.jpeg.JpegEncoder;

/** Encodes tiles as baseline JPEG, YCbCr with 4:2:2 chroma subsampling. Thread-safe. */
final class FrameEncoder {

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
        return JpegEncoder.encode(tile, quality, JpegEncoder.Subsampling.YCBCR_422);
    }
}
