package org.tessera.slides;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicReference;
import org.tessera.openslide.OpenSlide;
import org.tessera.openslide.OpenSlideException;
import org.tessera.slides.SlideFormatException.Code;

/**
 * A slide read through the native OpenSlide library. The handle is thread-safe, so all threads share it. OpenSlide's
 * errors are sticky (a handle that failed once answers nothing but that error), so a failed read reopens the file and
 * tries once more: a transient failure then heals, a broken file fails again and is reported as unreadable.
 */
final class OpenSlideReader implements SlideReader {

    private static final int WHITE = 0xFFFFFFFF;
    // Each reopen leaks nothing (old handles close with the reader) but a file that keeps failing is not worth more.
    private static final int MAX_REOPENS = 8;

    private final Path file;
    private final String name;
    private final SlideInfo info;
    private final AtomicReference<OpenSlide> current;
    private final List<OpenSlide> retired = new ArrayList<>();

    private OpenSlideReader(Path file, String name, SlideInfo info, OpenSlide slide) {
        this.file = file;
        this.name = name;
        this.info = info;
        this.current = new AtomicReference<>(slide);
    }

    static OpenSlideReader open(Path file, String name, SlideLimits limits) throws SlideFormatException {
        OpenSlide slide = openHandle(file, name);
        boolean opened = false;
        try {
            SlideInfo info = info(slide, name, limits);
            opened = true;
            return new OpenSlideReader(file, name, info, slide);
        } finally {
            if (!opened) {
                slide.close();
            }
        }
    }

    private static OpenSlide openHandle(Path file, String name) throws SlideFormatException {
        try {
            return OpenSlide.open(file);
        } catch (OpenSlideException e) {
            String message = e.getMessage() == null ? "" : e.getMessage();
            Code code = message.contains("not a slide format")
                            || message.toLowerCase(Locale.ROOT).contains("unsupported")
                    ? Code.UNSUPPORTED_FORMAT
                    : Code.UNREADABLE;
            throw new SlideFormatException(code, name + " cannot be opened by OpenSlide: " + message, e);
        }
    }

    static SlideInfo info(OpenSlide slide, String name, SlideLimits limits) throws SlideFormatException {
        Map<String, String> properties = slide.properties();
        limits.checkDimensions(slide.levelWidth(0), slide.levelHeight(0), name);
        List<SlideLevel> levels = new ArrayList<>();
        for (int level = 0; level < slide.levelCount(); level++) {
            long width = slide.levelWidth(level);
            long height = slide.levelHeight(level);
            if (width < 1 || height < 1 || width > limits.maxSide() || height > limits.maxSide()) {
                throw new SlideFormatException(
                        Code.UNREADABLE, name + " level " + level + " has an impossible size " + width + "x" + height);
            }
            // A huge tile would make OpenSlide allocate it whole (and abort the process when that fails).
            long tileWidth = parseLong(properties.get("openslide.level[" + level + "].tile-width"));
            long tileHeight = parseLong(properties.get("openslide.level[" + level + "].tile-height"));
            limits.checkTile(tileWidth, tileHeight, name, "level " + level + " declares tiles");
            // SlideLevel's downsample is horizontal; OpenSlide's averages both axes (and is used only for coordinates).
            levels.add(new SlideLevel((int) width, (int) height, (double) slide.levelWidth(0) / width));
        }
        String vendor = properties.getOrDefault(OpenSlide.PROPERTY_VENDOR, "unknown");
        return new SlideInfo(vendor, levels, mpp(properties), properties);
    }

    /** The vendor's mpp; for a generic TIFF, which OpenSlide 3.4 gives none, the TIFF resolution tags. */
    static OptionalDouble mpp(Map<String, String> properties) {
        OptionalDouble mpp = Resolution.parse(properties.get(OpenSlide.PROPERTY_MPP_X));
        if (mpp.isPresent()) {
            return mpp;
        }
        String resolution = properties.get("tiff.XResolution");
        if (resolution == null) {
            return OptionalDouble.empty();
        }
        try {
            return Resolution.fromTiff(Double.parseDouble(resolution.trim()), properties.get("tiff.ResolutionUnit"));
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }

    private static long parseLong(String value) {
        if (value == null) {
            return 0;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public SlideInfo info() {
        return info;
    }

    @Override
    public String backend() {
        return OpenSlideReaderProvider.NAME;
    }

    @Override
    public void readPixels(int level, int x, int y, int width, int height, int[] argb)
            throws SlideFormatException, IOException {
        SlideReader.checkRegion(info, level, x, y, width, height);
        OpenSlide slide = current.get();
        // OpenSlide takes level-0 coordinates and divides them by its own downsample.
        double downsample = slide.levelDownsample(level);
        long x0 = Math.round(x * downsample);
        long y0 = Math.round(y * downsample);
        try {
            slide.readRegion(argb, x0, y0, level, width, height);
        } catch (OpenSlideException first) {
            OpenSlide fresh = reopen(slide, first);
            try {
                fresh.readRegion(argb, x0, y0, level, width, height);
            } catch (OpenSlideException again) {
                throw new SlideFormatException(
                        Code.UNREADABLE,
                        name + " is not readable: OpenSlide fails on level " + level + " at " + x + "," + y + " ("
                                + again.getMessage() + ")",
                        again);
            }
        }
        flattenOnWhite(argb, width * height);
    }

    /** Replaces a handle that failed (its error is sticky) with a fresh one; threads that raced here share it. */
    private synchronized OpenSlide reopen(OpenSlide failed, OpenSlideException cause) throws SlideFormatException {
        OpenSlide now = current.get();
        if (now != failed) {
            return now;
        }
        if (retired.size() >= MAX_REOPENS) {
            throw new SlideFormatException(
                    Code.UNREADABLE, name + " keeps failing in OpenSlide: " + cause.getMessage(), cause);
        }
        OpenSlide fresh = openHandle(file, name);
        // Other threads may still be reading from the failed handle; it is closed with the reader.
        retired.add(failed);
        current.set(fresh);
        return fresh;
    }

    /** Transparent pixels (outside the scanned area) read as glass, i.e. white; others are composed onto white. */
    static void flattenOnWhite(int[] argb, int count) {
        for (int i = 0; i < count; i++) {
            int p = argb[i];
            int a = p >>> 24;
            if (a == 255) {
                continue;
            }
            if (a == 0) {
                argb[i] = WHITE;
                continue;
            }
            int inverse = 255 - a;
            int r = (((p >> 16) & 0xFF) * a + 255 * inverse + 127) / 255;
            int g = (((p >> 8) & 0xFF) * a + 255 * inverse + 127) / 255;
            int b = ((p & 0xFF) * a + 255 * inverse + 127) / 255;
            argb[i] = 0xFF000000 | r << 16 | g << 8 | b;
        }
    }

    @Override
    public synchronized void close() {
        current.get().close();
        for (OpenSlide slide : retired) {
            slide.close();
        }
        retired.clear();
    }

    @Override
    public String toString() {
        return "OpenSlideReader[" + name + ", " + info.format() + ", "
                + info.levels().size() + " levels]";
    }
}
