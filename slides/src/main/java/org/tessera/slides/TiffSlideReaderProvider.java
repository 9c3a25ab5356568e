package org.tessera.slides;

import java.io.IOException;
import java.nio.file.Path;

/** Pure-Java backend for tiled TIFF, BigTIFF and Aperio SVS (TwelveMonkeys imageio-tiff). */
public final class TiffSlideReaderProvider implements SlideReaderProvider {

    /** Middle of the range: a native backend that knows vendor quirks better may outbid it. */
    static final int SCORE = 50;

    @Override
    public String name() {
        return "twelvemonkeys-tiff";
    }

    @Override
    public int supportScore(Path file, byte[] head) {
        if (head.length < 4) {
            return 0;
        }
        boolean little = head[0] == 'I' && head[1] == 'I' && head[3] == 0 && (head[2] == 42 || head[2] == 43);
        boolean big = head[0] == 'M' && head[1] == 'M' && head[2] == 0 && (head[3] == 42 || head[3] == 43);
        return little || big ? SCORE : 0;
    }

    @Override
    public SlideReader open(Path file, String displayName) throws SlideFormatException, IOException {
        return TiffSlideReader.open(file, displayName);
    }
}
