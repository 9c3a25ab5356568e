package org.tessera.openslide;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An open slide in the native OpenSlide library. The native handle is thread-safe for reads, so one instance can
 * serve several decode threads; {@link #close()} waits for reads in flight. OpenSlide's errors are sticky: once a read
 * fails, the handle answers nothing but that error, so every read checks it and callers reopen to recover.
 */
// Calling into native code is the point of this class; restricted FFM methods are enabled per JVM by
// --enable-native-access.
@SuppressWarnings("restricted")
public final class OpenSlide implements AutoCloseable {

    /** Standard property names. */
    public static final String PROPERTY_VENDOR = "openslide.vendor";

    public static final String PROPERTY_MPP_X = "openslide.mpp-x";
    public static final String PROPERTY_MPP_Y = "openslide.mpp-y";

    private final OpenSlideLibrary lib;
    private final MemorySegment handle;
    private final Path path;
    private final long[][] dimensions;
    private final double[] downsamples;
    private final Map<String, String> properties;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    private OpenSlide(OpenSlideLibrary lib, MemorySegment handle, Path path) throws OpenSlideException {
        this.lib = lib;
        this.handle = handle;
        this.path = path;
        try {
            checkError();
            int levels = (int) lib.levelCount.invokeExact(handle);
            if (levels < 1) {
                checkError();
                throw new OpenSlideException(path + ": OpenSlide reports no levels");
            }
            this.dimensions = new long[levels][];
            this.downsamples = new double[levels];
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment w = arena.allocate(ValueLayout.JAVA_LONG);
                MemorySegment h = arena.allocate(ValueLayout.JAVA_LONG);
                for (int level = 0; level < levels; level++) {
                    lib.levelDimensions.invokeExact(handle, level, w, h);
                    dimensions[level] = new long[] {w.get(ValueLayout.JAVA_LONG, 0), h.get(ValueLayout.JAVA_LONG, 0)};
                    downsamples[level] = (double) lib.levelDownsample.invokeExact(handle, level);
                }
            }
            this.properties = readProperties();
        } catch (OpenSlideException e) {
            closeHandle();
            throw e;
        } catch (Throwable t) {
            closeHandle();
            throw new IllegalStateException("OpenSlide call failed", t);
        }
    }

    /** Whether the native library could be loaded. */
    public static boolean isAvailable() {
        return OpenSlideLibrary.instance().isPresent();
    }

    /** The native library's version, or empty when it is not installed. */
    public static Optional<String> libraryVersion() {
        return OpenSlideLibrary.instance().map(lib -> {
            try {
                return NativeLibrary.string((MemorySegment) lib.version.invokeExact());
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        });
    }

    /** The vendor OpenSlide would use for the file (e.g. {@code aperio}, {@code generic-tiff}), or empty. */
    public static Optional<String> detectVendor(Path path) {
        return OpenSlideLibrary.instance().map(lib -> {
            try (Arena arena = Arena.ofConfined()) {
                return NativeLibrary.string(
                        (MemorySegment) lib.detectVendor.invokeExact(arena.allocateFrom(path.toString())));
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        });
    }

    /**
     * Opens a slide.
     *
     * @throws OpenSlideException when OpenSlide does not recognise the file or reports an error opening it
     * @throws IllegalStateException when the native library is not installed (check {@link #isAvailable()})
     */
    public static OpenSlide open(Path path) throws OpenSlideException {
        OpenSlideLibrary lib = OpenSlideLibrary.instance()
                .orElseThrow(() -> new IllegalStateException("libopenslide is not installed"));
        MemorySegment handle;
        try (Arena arena = Arena.ofConfined()) {
            handle = (MemorySegment) lib.open.invokeExact(arena.allocateFrom(path.toString()));
        } catch (Throwable t) {
            throw new IllegalStateException("openslide_open failed", t);
        }
        if (handle.equals(MemorySegment.NULL)) {
            throw new OpenSlideException(path.getFileName() + ": not a slide format OpenSlide recognises");
        }
        return new OpenSlide(lib, handle, path);
    }

    public Path path() {
        return path;
    }

    public int levelCount() {
        return dimensions.length;
    }

    public long levelWidth(int level) {
        return dimensions[level][0];
    }

    public long levelHeight(int level) {
        return dimensions[level][1];
    }

    public double levelDownsample(int level) {
        return downsamples[level];
    }

    /** All properties, in the library's order. */
    public Map<String, String> properties() {
        return properties;
    }

    /**
     * Reads a region into {@code dest} as packed 0xAARRGGBB pixels, un-premultiplied (OpenSlide returns premultiplied
     * alpha; fully transparent pixels, outside the scanned area, come back as 0).
     *
     * @param x left edge in level-0 coordinates
     * @param y top edge in level-0 coordinates
     * @param level pyramid level
     * @param dest at least {@code width * height} entries
     */
    public void readRegion(int[] dest, long x, long y, int level, int width, int height) throws OpenSlideException {
        if (level < 0 || level >= dimensions.length) {
            throw new IllegalArgumentException("level " + level + " outside 0.." + (dimensions.length - 1));
        }
        long pixels = (long) width * height;
        if (width < 0 || height < 0 || pixels > dest.length) {
            throw new IllegalArgumentException("region " + width + "x" + height + " does not fit the buffer");
        }
        lock.readLock().lock();
        try (Arena arena = Arena.ofConfined()) {
            if (closed) {
                throw new IllegalStateException("slide " + path.getFileName() + " is closed");
            }
            MemorySegment buffer = arena.allocate(ValueLayout.JAVA_INT, Math.max(1, pixels));
            lib.readRegion.invokeExact(handle, buffer, x, y, level, (long) width, (long) height);
            checkError();
            MemorySegment.copy(buffer, ValueLayout.JAVA_INT, 0, dest, 0, (int) pixels);
        } catch (OpenSlideException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("openslide_read_region failed", t);
        } finally {
            lock.readLock().unlock();
        }
        unpremultiply(dest, (int) pixels);
    }

    static void unpremultiply(int[] argb, int count) {
        for (int i = 0; i < count; i++) {
            int p = argb[i];
            int a = p >>> 24;
            if (a == 255 || a == 0) {
                continue;
            }
            int half = a / 2;
            int r = Math.min(255, (((p >> 16) & 0xff) * 255 + half) / a);
            int g = Math.min(255, (((p >> 8) & 0xff) * 255 + half) / a);
            int b = Math.min(255, ((p & 0xff) * 255 + half) / a);
            argb[i] = (a << 24) | (r << 16) | (g << 8) | b;
        }
    }

    private Map<String, String> readProperties() throws Throwable {
        Map<String, String> out = new LinkedHashMap<>();
        MemorySegment names = ((MemorySegment) lib.propertyNames.invokeExact(handle)).reinterpret(Long.MAX_VALUE);
        for (long i = 0; ; i++) {
            MemorySegment name = names.getAtIndex(ValueLayout.ADDRESS, i);
            if (name.equals(MemorySegment.NULL)) {
                break;
            }
            MemorySegment value = (MemorySegment) lib.propertyValue.invokeExact(handle, name);
            out.put(NativeLibrary.string(name), NativeLibrary.string(value));
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    private void checkError() throws OpenSlideException {
        String error;
        try {
            error = NativeLibrary.string((MemorySegment) lib.getError.invokeExact(handle));
        } catch (Throwable t) {
            throw new IllegalStateException("openslide_get_error failed", t);
        }
        if (error != null) {
            throw new OpenSlideException(path.getFileName() + ": " + error);
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                closeHandle();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void closeHandle() {
        try {
            lib.close.invokeExact(handle);
        } catch (Throwable t) {
            throw new IllegalStateException("openslide_close failed", t);
        }
    }
}
