package org.tessera.slides;

import java.io.IOException;
import java.nio.file.Path;

/** Pure-Java backend for tiled TIFF, BigTIFF and Aperio SVS; the fallback when OpenSlide is not installed. */
public final class TiffSlideReaderProvider implements SlideReaderProvider {

    public static final String NAME = "java-tiff";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return NAME + " (pure Java: tiled TIFF/BigTIFF/SVS; JPEG, deflate, LZW, PackBits, uncompressed tiles)";
    }

    @Override
    public Support support(Path file, byte[] head) {
        if (head.length < 4) {
            return Support.none("not a TIFF");
        }
        boolean little = head[0] == 'I' && head[1] == 'I' && head[3] == 0 && (head[2] == 42 || head[2] == 43);
        boolean big = head[0] == 'M' && head[1] == 'M' && head[2] == 0 && (head[3] == 42 || head[3] == 43);
        if (!little && !big) {
            return Support.none("not a TIFF");
        }
        boolean bigTiff = little ? head[2] == 43 : head[3] == 43;
        return new Support(Support.GENERIC, (bigTiff ? "BigTIFF" : "TIFF") + " header");
    }

    @Override
    public SlideReader open(Path file, String displayName) throws SlideFormatException, IOException {
        return TiffSlideReader.open(file, displayName);
    }
}
