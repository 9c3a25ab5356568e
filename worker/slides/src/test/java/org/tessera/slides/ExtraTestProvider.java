package org.tessera.slides;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A backend that only a {@code META-INF/services} entry makes known, as a Bio-Formats jar would be: it claims files
 * named {@code *.extra} and serves a white slide.
 */
public final class ExtraTestProvider implements SlideReaderProvider {

    @Override
    public String name() {
        return "extra";
    }

    @Override
    public Support support(Path file, byte[] head) {
        return file.getFileName().toString().endsWith(".extra")
                ? new Support(Support.SPECIFIC, "file name ends in .extra")
                : Support.none("not .extra");
    }

    @Override
    public SlideReader open(Path file, String displayName) {
        SlideInfo info = new SlideInfo("extra", List.of(new SlideLevel(64, 32, 1)), OptionalDouble.of(1), Map.of());
        return new SlideReader() {
            @Override
            public SlideInfo info() {
                return info;
            }

            @Override
            public String backend() {
                return "extra";
            }

            @Override
            public void readPixels(int level, int x, int y, int width, int height, int[] argb) {
                java.util.Arrays.fill(argb, 0, width * height, 0xFFFFFFFF);
            }

            @Override
            public void close() {}
        };
    }
}
