package org.tessera.imaging.jpeg;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class JpegEncoderTest {

    private static BufferedImage gradient(int type) {
        BufferedImage image = new BufferedImage(64, 48, type);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, (x * 4) << 16 | (y * 5) << 8 | 0x80);
            }
        }
        return image;
    }

    /** The components of the SOF0 frame header: per component its id, its sampling factors (H << 4 | V), its table. */
    private static byte[] frameComponents(byte[] jpeg) {
        for (int i = 2; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xC0) {
                int count = jpeg[i + 9] & 0xFF;
                byte[] components = new byte[3 * count];
                System.arraycopy(jpeg, i + 10, components, 0, components.length);
                return components;
            }
        }
        throw new AssertionError("no SOF0 marker");
    }

    @Test
    void colourImagesGetTheChromaSubsamplingAskedFor() throws Exception {
        BufferedImage image = gradient(BufferedImage.TYPE_INT_RGB);
        byte[] yuv420 = JpegEncoder.encode(image, 0.9f, JpegEncoder.Subsampling.YCBCR_420);
        byte[] yuv422 = JpegEncoder.encode(image, 0.9f, JpegEncoder.Subsampling.YCBCR_422);
        assertThat(frameComponents(yuv420)[1]).isEqualTo((byte) 0x22);
        assertThat(frameComponents(yuv422)[1]).isEqualTo((byte) 0x21);
        for (byte[] jpeg : new byte[][] {yuv420, yuv422}) {
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(jpeg));
            assertThat(decoded.getWidth()).isEqualTo(64);
            assertThat(decoded.getHeight()).isEqualTo(48);
            int expected = image.getRGB(40, 30);
            int actual = decoded.getRGB(40, 30);
            for (int shift : new int[] {16, 8, 0}) {
                assertThat(Math.abs(((actual >> shift) & 0xFF) - ((expected >> shift) & 0xFF)))
                        .isLessThan(12);
            }
        }
    }

    @Test
    void greyImagesStayOneComponent() throws Exception {
        byte[] jpeg =
                JpegEncoder.encode(gradient(BufferedImage.TYPE_BYTE_GRAY), 0.9f, JpegEncoder.Subsampling.YCBCR_422);
        assertThat(frameComponents(jpeg)).hasSize(3);
    }

    @Test
    void encodingIsRepeatable() throws Exception {
        BufferedImage image = gradient(BufferedImage.TYPE_INT_RGB);
        assertThat(JpegEncoder.encode(image, 0.8f, JpegEncoder.Subsampling.YCBCR_422))
                .isEqualTo(JpegEncoder.encode(image, 0.8f, JpegEncoder.Subsampling.YCBCR_422));
    }
}
