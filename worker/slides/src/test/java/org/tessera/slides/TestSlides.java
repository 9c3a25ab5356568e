package org.tessera.slides;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.tessera.dicom.DicomTileSource;
import org.tessera.dicom.DicomWsiWriter;

/** Slides the tests make for themselves. */
final class TestSlides {

    // UIDs unique across every series the tests write, so two series never pass for one.
    private static final AtomicLong UIDS = new AtomicLong();

    private TestSlides() {}

    /** A smooth pattern, different per level and position, that JPEG reproduces closely. */
    static int rgb(int level, int x, int y) {
        return triangle(x + 37 * level) << 16 | triangle(2 * y + 50 + 11 * level) << 8 | triangle(x + y + 90);
    }

    private static int triangle(int v) {
        int m = Math.floorMod(v, 512);
        return Math.min(255, Math.abs(m - 256));
    }

    static DicomWsiWriter.Options dicomOptions(double mpp) {
        return DicomWsiWriter.Options.defaults(mpp)
                .withJpegQuality(0.95f)
                .withUids(() -> "1.2.826.0.1.3680043.10.999." + UIDS.incrementAndGet())
                .withClock(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    }

    static DicomTileSource pattern(int tileSize) {
        return DicomTileSource.ofRgb(tileSize, (level, tx, ty) -> {
            int[] pixels = new int[tileSize * tileSize];
            for (int y = 0; y < tileSize; y++) {
                for (int x = 0; x < tileSize; x++) {
                    pixels[y * tileSize + x] = rgb(level, tx * tileSize + x, ty * tileSize + y);
                }
            }
            return pixels;
        });
    }

    /** A DICOM series of the pattern as a zip. */
    static Path dicomZip(Path zip, int width, int height, double mpp) throws IOException {
        DicomWsiWriter.writeZip(zip, width, height, dicomOptions(mpp), pattern(256));
        return zip;
    }

    /** Mean absolute difference per channel between a region and the pattern. */
    static double meanError(int[] argb, int level, int x0, int y0, int width, int height) {
        long sum = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int a = argb[y * width + x];
                int e = rgb(level, x0 + x, y0 + y);
                sum += Math.abs(((a >> 16) & 0xFF) - ((e >> 16) & 0xFF))
                        + Math.abs(((a >> 8) & 0xFF) - ((e >> 8) & 0xFF))
                        + Math.abs((a & 0xFF) - (e & 0xFF));
            }
        }
        return sum / (3.0 * width * height);
    }

    static double meanDifference(int[] a, int[] b) {
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(((a[i] >> 16) & 0xFF) - ((b[i] >> 16) & 0xFF))
                    + Math.abs(((a[i] >> 8) & 0xFF) - ((b[i] >> 8) & 0xFF))
                    + Math.abs((a[i] & 0xFF) - (b[i] & 0xFF));
        }
        return sum / (3.0 * a.length);
    }
}
